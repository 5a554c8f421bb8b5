/* SPDX-License-Identifier: BSD-3-Clause */
/* -sW: the ACK scan, but some stacks give away an open port by a reset
 * with a non-zero window. Linux resets with window 0 everywhere: closed. */
#include <netinet/in.h>

#include "prt_probe.h"

static bool window_judge(uint8_t flags, uint16_t window, struct prt_result *r)
{
	if (!(flags & RTE_TCP_RST_FLAG))
		return false;
	r->state = window != 0 ? PRT_STATE_OPEN : PRT_STATE_CLOSED;
	r->reason = PRT_REASON_RST;
	return true;
}

const struct prt_probe_ops prt_probe_window = {
	.name = "window",
	.flag = "-sW",
	.description = "Window: RST open if its window > 0, else closed",
	.tcp_flags = RTE_TCP_ACK_FLAG,
	.silent_state = PRT_STATE_FILTERED,
	.judge_tcp = window_judge,
	PRT_PROBE_TCP_COMMON,
};
