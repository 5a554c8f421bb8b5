/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "cmocka_common.h"
#include "prt_port.h"

static void embedded_profiles_parse(void **state)
{
	int n = 0;

	(void)state;
	for (const struct prt_port_profile_text *t = prt_port_profile_texts; t->name; t++) {
		struct prt_port_profile p;
		char err[256] = "";
		assert_int_equal(prt_port_profile_parse(t->text, t->name, &p, err, sizeof(err)), 0);
		assert_string_equal(p.name, t->name);
		n++;
	}
	assert_true(n >= 5);
}

static void chosen_by_driver_name(void **state)
{
	struct prt_port_profile p;
	char err[256];

	(void)state;
	assert_int_equal(prt_port_profile_for_driver("net_af_packet", &p, err, sizeof(err)), 0);
	assert_string_equal(p.driver, "net_af_packet");
	assert_int_equal(p.rx_desc, 2048);
	assert_int_equal(prt_port_profile_for_driver("net_null", &p, err, sizeof(err)), 0);
	assert_string_equal(p.driver, "net_null");
	assert_int_equal(prt_port_profile_for_driver("net_unknown", &p, err, sizeof(err)), 1);
	assert_string_equal(p.name, "default");
}

static void errors_name_the_line(void **state)
{
	struct prt_port_profile p;
	char err[256];

	(void)state;
	assert_int_equal(prt_port_profile_parse("driver = x\n\nrx_desc = 7\n", "f", &p, err,
		sizeof(err)), -22);
	assert_non_null(strstr(err, "f:3: bad value for 'rx_desc'"));
	assert_int_equal(prt_port_profile_parse("driver = x\ncolour = red\n", "f", &p, err,
		sizeof(err)), -22);
	assert_non_null(strstr(err, "f:2: unknown key 'colour'"));
	assert_int_equal(prt_port_profile_parse("rx_desc = 64\n", "f", &p, err, sizeof(err)), -22);
	assert_non_null(strstr(err, "no 'driver' key"));
	assert_int_equal(prt_port_profile_parse("driver x\n", "f", &p, err, sizeof(err)), -22);
	assert_non_null(strstr(err, "f:1: expected 'key = value'"));
	assert_int_equal(prt_port_profile_parse("driver = x\ntx_checksum = maybe\n", "f", &p, err,
		sizeof(err)), -22);
	assert_non_null(strstr(err, "f:2: bad value for 'tx_checksum'"));
	assert_int_equal(prt_port_profile_parse("driver = x\ntx_checksum = software\n", "f", &p,
		err, sizeof(err)), 0);
	assert_false(p.tx_cksum_offload);
	assert_int_equal(prt_port_profile_parse("  driver=y # c\nburst = 64\npromiscuous = yes\n",
		"g", &p, err, sizeof(err)), 0);
	assert_true(p.tx_cksum_offload); /* the default: use it when the device has it */
	assert_string_equal(p.driver, "y");
	assert_int_equal(p.burst, 64);
	assert_true(p.promiscuous);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(embedded_profiles_parse),
		cmocka_unit_test(chosen_by_driver_name),
		cmocka_unit_test(errors_name_the_line),
	};
	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
