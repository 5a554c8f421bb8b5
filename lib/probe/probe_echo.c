/* SPDX-License-Identifier: BSD-3-Clause */
/* -PE (and -sn's sweep by echo alone): ICMP and ICMPv6 echo (probe_icmp_query.c). */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_echo = {
	.name = "echo",
	.flag = "-PE",
	.description = "ICMP echo host discovery: echo reply up",
	.proto = IPPROTO_ICMP,
	.icmp_type = 8,
	.silent_state = PRT_STATE_DOWN,
	.reply_state = PRT_STATE_UP,
	.port_unreach_state = PRT_STATE_DOWN,
	.unreach_state = PRT_STATE_DOWN,
	.tmpl_init = prt_probe_icmp_query_tmpl_init,
	.craft = prt_probe_icmp_query_craft,
	.tmpl_init6 = prt_probe_icmp_query_tmpl_init6,
	.craft6 = prt_probe_icmp_query_craft6,
	.reply = prt_probe_icmp_query_reply,
	.quoted = prt_probe_icmp_query_quoted,
};
