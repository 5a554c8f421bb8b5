/* SPDX-License-Identifier: BSD-3-Clause */
/* The explicit list of probe modules (static libraries drop constructor-registered ones). */
#include <string.h>

#include "prt_common.h"
#include "prt_probe.h"

static const struct prt_probe_ops *const probes[] = {
	&prt_probe_syn,
	&prt_probe_connect,
	&prt_probe_ack,
	&prt_probe_fin,
	&prt_probe_null,
	&prt_probe_xmas,
	&prt_probe_window,
	&prt_probe_maimon,
	&prt_probe_echo,
	&prt_probe_timestamp,
	&prt_probe_netmask,
	&prt_probe_udp,
	&prt_probe_sctp_init,
	&prt_probe_sctp_cookie,
	&prt_probe_ipproto,
	&prt_probe_arp,
};

const struct prt_probe_ops *prt_probe_find(const char *name)
{
	for (size_t i = 0; i < PRT_ARRAY_SIZE(probes); i++)
		if (strcmp(probes[i]->name, name) == 0)
			return probes[i];
	return NULL;
}

const struct prt_probe_ops *prt_probe_at(unsigned i)
{
	return i < PRT_ARRAY_SIZE(probes) ? probes[i] : NULL;
}
