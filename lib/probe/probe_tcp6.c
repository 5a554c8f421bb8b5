/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP over IPv6 from a template: Ethernet + IPv6 (no extension headers) +
 * TCP, the same segment as the IPv4 one. The checksum covers the IPv6
 * pseudo header (RFC 8200 8.1); the constant part is summed once and the
 * destination, ports, sequence and acknowledgment added per probe.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "prt_csum.h"
#include "prt_probe.h"

void prt_probe_tcp6_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t flags)
{
	uint16_t l4_len = (uint16_t)(sizeof(struct rte_tcp_hdr) +
		(p->mss && (flags & RTE_TCP_SYN_FLAG) ? 4 : 0));

	prt_probe_ipv6_tmpl_init(t, p, IPPROTO_TCP, l4_len);
	prt_probe_tcp_header(t, t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN, p, flags,
		prt_csum_pseudo6(p->saddr6.b, NULL, IPPROTO_TCP, l4_len));
}

void prt_probe_tcp6_cookie_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	prt_probe_tcp6_tmpl_init(t, p, self->tcp_flags);
}

uint16_t prt_probe_tcp6_cookie_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c)
{
	const struct prt_tcp_fields f = {
		.sport = c->sport,
		.dport = dport,
		.seq = c->seq,
		.ack = (t->tcp_flags & RTE_TCP_ACK_FLAG) ? c->seq : 0,
	};

	prt_probe_tcp6_craft(t, frame, daddr, &f);
	return t->len;
}
