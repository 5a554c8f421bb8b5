/* SPDX-License-Identifier: BSD-3-Clause */
/* -PP: ICMP timestamp host discovery (probe_icmp_query.c); IPv4 only, as ICMPv6 has none. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_timestamp = {
	.name = "timestamp",
	.flag = "-PP",
	.description = "ICMP timestamp host discovery: timestamp reply up (IPv4)",
	.icmp_type = 13,
	PRT_PROBE_ICMP_QUERY_COMMON,
};
