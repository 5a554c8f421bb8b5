/* SPDX-License-Identifier: BSD-3-Clause */
/* -PM: ICMP address mask host discovery (probe_icmp_query.c, RFC 950); IPv4 only. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_netmask = {
	.name = "netmask",
	.flag = "-PM",
	.description = "ICMP address mask host discovery: mask reply up (IPv4)",
	.proto = IPPROTO_ICMP,
	.icmp_type = 17,
	.silent_state = PRT_STATE_DOWN,
	.reply_state = PRT_STATE_UP,
	.port_unreach_state = PRT_STATE_DOWN,
	.unreach_state = PRT_STATE_DOWN,
	.tmpl_init = prt_probe_icmp_query_tmpl_init,
	.craft = prt_probe_icmp_query_craft,
	.reply = prt_probe_icmp_query_reply,
	.quoted = prt_probe_icmp_query_quoted,
};
