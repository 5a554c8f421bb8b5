/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TEST_SCAN_FIXTURE_H
#define PRT_TEST_SCAN_FIXTURE_H

/* The targets and ports the classifier tests scan, made from specs (a spec
 * that fails to parse fails the test). Include after cmocka_common.h. */

#include <stdarg.h>

#include "prt_target.h"

/** @p set from target specs (IPv4 or IPv6, NULL after the last), finalized. */
static inline void test_targets(struct prt_target_set *set, ...)
{
	char err[128];
	const char *spec;
	va_list ap;

	prt_target_set_init(set);
	va_start(ap, set);
	while ((spec = va_arg(ap, const char *)) != NULL)
		assert_int_equal(prt_target_set_add_spec(set, spec, err, sizeof(err)), 0);
	va_end(ap);
	assert_int_equal(prt_target_set_finalize(set, NULL), 0);
}

/** @p pl from a port spec ("22,80"), finalized; NULL: "port 0", an ICMP arm's host. */
static inline void test_ports(struct prt_port_list *pl, const char *spec)
{
	char err[128];

	prt_port_list_init(pl);
	if (spec == NULL)
		pl->bits[0] |= 1;
	else
		assert_int_equal(prt_port_list_add_spec(pl, spec, err, sizeof(err)), 0);
	assert_int_equal(prt_port_list_finalize(pl, NULL), 0);
}

#endif
