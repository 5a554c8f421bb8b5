/* SPDX-License-Identifier: BSD-3-Clause */
/* TCP segments from a template: shared by every TCP probe and by the RST
 * that frees a target's half-open slot after a SYN-ACK. */
#include <netinet/in.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "prt_csum.h"
#include "prt_probe.h"


void prt_probe_tcp_header(struct prt_probe_tmpl *t, uint8_t *l4,
	const struct prt_probe_params *p, uint8_t flags, uint32_t phdr_sum)
{
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)l4;

	tcp->data_off = (uint8_t)((t->l4_len / 4) << 4);
	tcp->tcp_flags = flags;
	tcp->rx_win = rte_cpu_to_be_16(p->window);
	if (t->l4_len > sizeof(*tcp)) {
		uint8_t *opt = (uint8_t *)(tcp + 1);
		opt[0] = 2; /* MSS */
		opt[1] = 4;
		opt[2] = (uint8_t)(p->mss >> 8);
		opt[3] = (uint8_t)p->mss;
	}
	t->phdr_sum = phdr_sum;
	t->l4_sum = prt_csum_add(phdr_sum, tcp, t->l4_len);
	t->tcp_flags = flags;
}

void prt_probe_tcp_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t flags)
{
	uint16_t l4_len = (uint16_t)(sizeof(struct rte_tcp_hdr) + (p->mss ? 4 : 0));

	prt_probe_ipv4_tmpl_init(t, p, IPPROTO_TCP, l4_len);
	prt_probe_tcp_header(t, t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN, p, flags,
		prt_csum_pseudo4(rte_cpu_to_be_32(p->saddr), 0, IPPROTO_TCP, l4_len));
}

void prt_probe_tcp_cookie_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	struct prt_probe_params bare = *p;

	/* MSS is an option of SYN segments only (RFC 9293 3.7.1) */
	if (!(self->tcp_flags & RTE_TCP_SYN_FLAG))
		bare.mss = 0;
	prt_probe_tcp_tmpl_init(t, &bare, self->tcp_flags);
}

uint16_t prt_probe_tcp_cookie_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	uint32_t daddr, uint16_t dport, const struct prt_cookie *c)
{
	const struct prt_tcp_fields f = {
		.daddr = daddr,
		.sport = c->sport,
		.dport = dport,
		.seq = c->seq,
		.ack = (t->tcp_flags & RTE_TCP_ACK_FLAG) ? c->seq : 0,
		.ip_id = c->ip_id,
	};

	prt_probe_tcp_craft(t, frame, &f);
	return t->len;
}

bool prt_probe_judge_rst_closed(uint8_t flags, uint16_t window, struct prt_result *r)
{
	(void)window;
	if (!(flags & RTE_TCP_RST_FLAG))
		return false;
	r->state = PRT_STATE_CLOSED;
	r->reason = PRT_REASON_RST;
	return true;
}

bool prt_probe_judge_syn_reply(uint8_t flags, uint8_t rst_reason, struct prt_result *r)
{
	if (flags & RTE_TCP_RST_FLAG) {
		r->state = PRT_STATE_CLOSED;
		r->reason = rst_reason;
		return true;
	}
	if ((flags & RTE_TCP_SYN_FLAG) && !(flags & RTE_TCP_FIN_FLAG)) {
		r->state = PRT_STATE_OPEN;
		r->reason = PRT_REASON_SYN_ACK;
		return true;
	}
	return false;
}
