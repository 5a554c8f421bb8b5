/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sT: nmap's connect scan without a kernel. The SYN is the same as -sS's;
 * a SYN-ACK is answered with the rest of the handshake and a close through
 * lib/tcp (as connect() and close() would), a reset is "conn-refused". An
 * ICMP port unreachable is closed too: connect() fails with ECONNREFUSED on
 * it (Linux maps ICMP 3/3 and ICMPv6 1/4 so), which is what nmap -sT sees.
 */
#include <netinet/in.h>

#include "prt_probe.h"

static bool connect_judge(uint8_t flags, uint16_t window, struct prt_result *r)
{
	(void)window;
	return prt_probe_judge_syn_reply(flags, PRT_REASON_CONN_REFUSED, r);
}

const struct prt_probe_ops prt_probe_connect = {
	.name = "connect",
	.flag = "-sT",
	.description = "connect: the full handshake, then a close (userspace TCP)",
	.tcp_flags = RTE_TCP_SYN_FLAG,
	.silent_state = PRT_STATE_FILTERED,
	.connects = true,
	.judge_tcp = connect_judge,
	.port_unreach_state = PRT_STATE_CLOSED,
	PRT_PROBE_TCP_FRAMES,
};
