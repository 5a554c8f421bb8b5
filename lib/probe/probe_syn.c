/* SPDX-License-Identifier: BSD-3-Clause */
/* -sS: a SYN with an MSS option, like nmap's; seq and source port from the cookie. */
#include <netinet/in.h>

#include <rte_tcp.h>

#include "prt_probe.h"

static void syn_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p)
{
	prt_probe_tcp_tmpl_init(t, p, RTE_TCP_SYN_FLAG);
}

static void syn_craft(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
	uint16_t dport, const struct prt_cookie *c)
{
	const struct prt_tcp_fields f = {
		.daddr = daddr,
		.sport = c->sport,
		.dport = dport,
		.seq = c->seq,
		.ack = 0,
		.ip_id = c->ip_id,
	};

	prt_probe_tcp_craft(t, frame, &f);
}

const struct prt_probe_ops prt_probe_syn = {
	.name = "syn",
	.description = "TCP SYN (half-open) scan",
	.proto = IPPROTO_TCP,
	.tmpl_init = syn_tmpl_init,
	.craft = syn_craft,
};
