/* SPDX-License-Identifier: BSD-3-Clause */
/* -sF: a bare FIN. A closed port resets it, a listening one drops it. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_fin = {
	.name = "fin",
	.flag = "-sF",
	.description = "FIN: RST closed",
	.tcp_flags = RTE_TCP_FIN_FLAG,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.judge_tcp = prt_probe_judge_rst_closed,
	PRT_PROBE_TCP_COMMON,
};
