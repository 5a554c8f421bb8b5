/* SPDX-License-Identifier: BSD-3-Clause */
/* -PE (and -sn's sweep by echo alone): ICMP and ICMPv6 echo (probe_icmp_query.c). */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_echo = {
	.name = "echo",
	.flag = "-PE",
	.description = "ICMP echo host discovery: echo reply up",
	.icmp_type = 8,
	.tmpl_init6 = prt_probe_icmp_query_tmpl_init6,
	.craft6 = prt_probe_icmp_query_craft6,
	PRT_PROBE_ICMP_QUERY_COMMON,
};
