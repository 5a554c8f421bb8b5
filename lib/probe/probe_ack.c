/* SPDX-License-Identifier: BSD-3-Clause */
/* -sA: a bare ACK maps firewalls: any reset means the port is reachable
 * (unfiltered), open or closed alike. */
#include <netinet/in.h>

#include "prt_probe.h"

static bool ack_judge(uint8_t flags, uint16_t window, struct prt_result *r)
{
	(void)window;
	if (!(flags & RTE_TCP_RST_FLAG))
		return false;
	r->state = PRT_STATE_UNFILTERED;
	r->reason = PRT_REASON_RST;
	return true;
}

const struct prt_probe_ops prt_probe_ack = {
	.name = "ack",
	.flag = "-sA",
	.description = "ACK: RST unfiltered",
	.tcp_flags = RTE_TCP_ACK_FLAG,
	.silent_state = PRT_STATE_FILTERED,
	.judge_tcp = ack_judge,
	PRT_PROBE_TCP_COMMON,
};
