/* SPDX-License-Identifier: BSD-3-Clause */
/* TCP segments from a template: shared by every TCP probe and by the RST
 * that frees a target's half-open slot after a SYN-ACK. */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "prt_csum.h"
#include "prt_probe.h"

#define ETH_LEN ((uint16_t)sizeof(struct rte_ether_hdr))
#define IP_LEN ((uint16_t)sizeof(struct rte_ipv4_hdr))

void prt_probe_tcp_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t flags)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)t->frame;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(t->frame + ETH_LEN);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(t->frame + ETH_LEN + IP_LEN);
	uint16_t opt_len = p->mss ? 4 : 0;

	memset(t, 0, sizeof(*t));
	t->l4_len = (uint16_t)(sizeof(*tcp) + opt_len);
	t->len = (uint16_t)(ETH_LEN + IP_LEN + t->l4_len);

	memcpy(eth->dst_addr.addr_bytes, p->dst_mac, 6);
	memcpy(eth->src_addr.addr_bytes, p->src_mac, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(IP_LEN + t->l4_len));
	ip->time_to_live = p->ttl;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(p->saddr);
	/* id, dst_addr and the checksum are per probe: zero in the sum */
	t->ip_sum = prt_csum_add(0, ip, IP_LEN);

	tcp->data_off = (uint8_t)((t->l4_len / 4) << 4);
	tcp->tcp_flags = flags;
	tcp->rx_win = rte_cpu_to_be_16(p->window);
	if (opt_len) {
		uint8_t *opt = (uint8_t *)(tcp + 1);
		opt[0] = 2; /* MSS */
		opt[1] = 4;
		opt[2] = (uint8_t)(p->mss >> 8);
		opt[3] = (uint8_t)p->mss;
	}
	t->phdr_sum = prt_csum_pseudo4(ip->src_addr, 0, IPPROTO_TCP, t->l4_len);
	t->l4_sum = prt_csum_add(t->phdr_sum, tcp, t->l4_len);
	t->hw_cksum = p->hw_cksum;
	t->tcp_flags = flags;
}

/* The pseudo-header sum, folded but not complemented, as TX offload wants it. */
static inline uint16_t phdr_only(uint32_t sum)
{
	return (uint16_t)~prt_csum_fold(sum);
}

void prt_probe_tcp_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_tcp_fields *f)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + ETH_LEN);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(frame + ETH_LEN + IP_LEN);
	uint32_t daddr = rte_cpu_to_be_32(f->daddr);
	uint32_t seq = rte_cpu_to_be_32(f->seq), ack = rte_cpu_to_be_32(f->ack);
	uint16_t id = rte_cpu_to_be_16(f->ip_id);
	uint16_t sport = rte_cpu_to_be_16(f->sport), dport = rte_cpu_to_be_16(f->dport);
	uint32_t sum;

	memcpy(frame, t->frame, t->len);
	ip->packet_id = id;
	ip->dst_addr = daddr;
	tcp->src_port = sport;
	tcp->dst_port = dport;
	tcp->sent_seq = seq;
	tcp->recv_ack = ack;
	if (t->hw_cksum) {
		ip->hdr_checksum = 0;
		tcp->cksum = phdr_only(prt_csum_add32(t->phdr_sum, daddr));
		return;
	}
	ip->hdr_checksum = prt_csum_fold(prt_csum_add32(t->ip_sum + id, daddr));
	sum = prt_csum_add32(t->l4_sum, daddr);
	sum = prt_csum_add32(sum, seq);
	sum = prt_csum_add32(sum, ack);
	sum += (uint32_t)sport + dport;
	tcp->cksum = prt_csum_fold(sum);
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

void prt_probe_tcp_cookie_craft(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
	uint16_t dport, const struct prt_cookie *c)
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
