/* SPDX-License-Identifier: BSD-3-Clause */
/* -PP: ICMP timestamp host discovery (probe_icmp_query.c); IPv4 only, as ICMPv6 has none. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_timestamp = {
	.name = "timestamp",
	.flag = "-PP",
	.description = "ICMP timestamp host discovery: timestamp reply up (IPv4)",
	.proto = IPPROTO_ICMP,
	.icmp_type = 13,
	.silent_state = PRT_STATE_DOWN,
	.reply_state = PRT_STATE_UP,
	.port_unreach_state = PRT_STATE_DOWN,
	.unreach_state = PRT_STATE_DOWN,
	.tmpl_init = prt_probe_icmp_query_tmpl_init,
	.craft = prt_probe_icmp_query_craft,
	.reply = prt_probe_icmp_query_reply,
	.quoted = prt_probe_icmp_query_quoted,
};
