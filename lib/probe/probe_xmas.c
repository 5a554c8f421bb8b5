/* SPDX-License-Identifier: BSD-3-Clause */
/* -sX: FIN, PSH and URG lit up "like a Christmas tree". Read like the FIN scan. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_xmas = {
	.name = "xmas",
	.flag = "-sX",
	.description = "Xmas (FIN PSH URG): RST closed",
	.tcp_flags = RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_URG_FLAG,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.judge_tcp = prt_probe_judge_rst_closed,
	PRT_PROBE_TCP_COMMON,
};
