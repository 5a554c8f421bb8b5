/* SPDX-License-Identifier: BSD-3-Clause */
/* -sF: a bare FIN. A closed port resets it, a listening one drops it. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_fin = {
	.name = "fin",
	.flag = "-sF",
	.description = "FIN: RST closed",
	.proto = IPPROTO_TCP,
	.tcp_flags = RTE_TCP_FIN_FLAG,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.port_unreach_state = PRT_STATE_FILTERED,
	.unreach_state = PRT_STATE_FILTERED,
	.tmpl_init = prt_probe_tcp_cookie_tmpl_init,
	.craft = prt_probe_tcp_cookie_craft,
	.tmpl_init6 = prt_probe_tcp6_cookie_tmpl_init,
	.craft6 = prt_probe_tcp6_cookie_craft,
	.judge_tcp = prt_probe_judge_rst_closed,
};
