/* SPDX-License-Identifier: BSD-3-Clause */
/* -PM: ICMP address mask host discovery (probe_icmp_query.c, RFC 950); IPv4 only. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_netmask = {
	.name = "netmask",
	.flag = "-PM",
	.description = "ICMP address mask host discovery: mask reply up (IPv4)",
	.icmp_type = 17,
	PRT_PROBE_ICMP_QUERY_COMMON,
};
