/* SPDX-License-Identifier: BSD-3-Clause */
/* -sS: a SYN with an MSS option, like nmap's. SYN-ACK open, RST closed. */
#include <netinet/in.h>

#include "prt_probe.h"

static bool syn_judge(uint8_t flags, uint16_t window, struct prt_result *r)
{
	(void)window;
	return prt_probe_judge_syn_reply(flags, PRT_REASON_RST, r);
}

const struct prt_probe_ops prt_probe_syn = {
	.name = "syn",
	.flag = "-sS",
	.description = "SYN half-open: SYN-ACK open, RST closed",
	.tcp_flags = RTE_TCP_SYN_FLAG,
	.silent_state = PRT_STATE_FILTERED,
	.judge_tcp = syn_judge,
	PRT_PROBE_TCP_COMMON,
};
