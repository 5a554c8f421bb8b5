/* SPDX-License-Identifier: BSD-3-Clause */
/* -sM: FIN/ACK (Uriel Maimon). Some BSD stacks drop it on open ports; most reset. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_maimon = {
	.name = "maimon",
	.flag = "-sM",
	.description = "Maimon (FIN ACK): RST closed",
	.proto = IPPROTO_TCP,
	.tcp_flags = RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.port_unreach_state = PRT_STATE_FILTERED,
	.unreach_state = PRT_STATE_FILTERED,
	.tmpl_init = prt_probe_tcp_cookie_tmpl_init,
	.craft = prt_probe_tcp_cookie_craft,
	.tmpl_init6 = prt_probe_tcp6_cookie_tmpl_init,
	.craft6 = prt_probe_tcp6_cookie_craft,
	.judge_tcp = prt_probe_judge_rst_closed,
};
