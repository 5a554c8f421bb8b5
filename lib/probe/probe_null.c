/* SPDX-License-Identifier: BSD-3-Clause */
/* -sN: a segment with no flags at all. Read like the FIN scan. */
#include <netinet/in.h>

#include "prt_probe.h"

const struct prt_probe_ops prt_probe_null = {
	.name = "null",
	.flag = "-sN",
	.description = "NULL (no flags): RST closed",
	.tcp_flags = 0,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.judge_tcp = prt_probe_judge_rst_closed,
	PRT_PROBE_TCP_COMMON,
};
