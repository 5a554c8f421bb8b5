/* SPDX-License-Identifier: BSD-3-Clause */
/* -sM: FIN/ACK (Uriel Maimon). Some BSD stacks drop it on open ports; most reset. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_maimon = {
	.name = "maimon",
	.flag = "-sM",
	.description = "Maimon (FIN ACK): RST closed",
	.tcp_flags = RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.judge_tcp = prt_probe_judge_rst_closed,
	PRT_PROBE_TCP_COMMON,
};
