/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sU: one datagram per pair with the port's payload from nmap-payloads.
 * The cookie is the source port, plus the request field the protocol
 * echoes where there is one (DNS id, NTP transmit time). A UDP answer is
 * open, an ICMP port unreachable closed, another unreachable filtered,
 * silence open|filtered: nmap's states for -sU.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "prt_csum.h"
#include "prt_probe.h"
#include "prt_udp_payloads.h"

#define UDP_HDR 8

static void udp_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	struct rte_ipv4_hdr *ip;

	(void)self;
	prt_probe_ipv4_tmpl_init(t, p, IPPROTO_UDP, UDP_HDR);
	/* the total length changes with the payload: keep it out of the header sum */
	ip = (struct rte_ipv4_hdr *)(t->frame + PRT_PROBE_ETH_LEN);
	ip->total_length = 0;
	t->ip_sum = prt_csum_add(0, ip, PRT_PROBE_IP_LEN);
	t->phdr_sum = prt_csum_pseudo4(ip->src_addr, 0, IPPROTO_UDP, 0);
	t->hw_cksum = false; /* variable lengths: both checksums are done here */
}

/* The UDP header and payload at @p udp, its checksum over them plus @p sum
 * (the pseudo header but its length). @return the UDP length */
static uint16_t fill_udp(const struct prt_probe_tmpl *t, struct rte_udp_hdr *udp, uint16_t dport,
	const struct prt_cookie *c, uint32_t sum)
{
	const struct prt_udp_payload *pl = &t->udp->by_port[dport];
	const struct prt_udp_echo *echo = prt_udp_payload_echo(t->udp, dport);
	uint8_t *data = (uint8_t *)(udp + 1);
	uint16_t udp_len = (uint16_t)(UDP_HDR + pl->len), len_be = rte_cpu_to_be_16(udp_len);
	uint16_t cksum;

	udp->src_port = rte_cpu_to_be_16(c->sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = len_be;
	if (pl->len != 0) /* an empty table has no pool at all */
		memcpy(data, prt_udp_payload_data(t->udp, dport), pl->len);
	/* the length twice: in the pseudo header and in the UDP header */
	sum += (uint32_t)len_be + len_be + udp->src_port + udp->dst_port + pl->sum;
	if (echo != NULL) {
		/* the cookie's sequence word, big-endian, cut to the field */
		uint8_t cookie[4];
		uint32_t be = rte_cpu_to_be_32(c->seq);
		memcpy(cookie, (const uint8_t *)&be + 4 - echo->len, echo->len);
		memcpy(data + echo->out_off, cookie, echo->len);
		sum = prt_csum_add(sum, cookie, echo->len); /* out_off is even: same words */
	}
	cksum = prt_csum_fold(sum);
	udp->dgram_cksum = cksum == 0 ? 0xffff : cksum; /* 0 would mean "no checksum" */
	return udp_len;
}

static uint16_t udp_craft(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
	uint16_t dport, const struct prt_cookie *c)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + PRT_PROBE_ETH_LEN);
	uint32_t daddr_be = rte_cpu_to_be_32(daddr);
	uint16_t id = rte_cpu_to_be_16(c->ip_id), udp_len, total;

	prt_probe_ipv4_craft(t, frame, daddr_be, id);
	udp_len = fill_udp(t, (struct rte_udp_hdr *)(ip + 1), dport, c,
		prt_csum_add32(t->phdr_sum, daddr_be));
	total = rte_cpu_to_be_16((uint16_t)(PRT_PROBE_IP_LEN + udp_len));
	ip->total_length = total;
	ip->hdr_checksum = prt_csum_fold(prt_csum_add32(t->ip_sum + id + total, daddr_be));
	return (uint16_t)(PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN + udp_len);
}

static void udp6_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	(void)self;
	prt_probe_ipv6_tmpl_init(t, p, IPPROTO_UDP, UDP_HDR);
	t->phdr_sum = prt_csum_pseudo6(p->saddr6.b, NULL, IPPROTO_UDP, 0);
}

static uint16_t udp6_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c)
{
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(frame + PRT_PROBE_ETH_LEN);
	uint32_t dsum = prt_probe_ipv6_craft(t, frame, daddr);
	uint16_t udp_len = fill_udp(t, (struct rte_udp_hdr *)(ip6 + 1), dport, c,
		t->phdr_sum + dsum);

	ip6->payload_len = rte_cpu_to_be_16(udp_len);
	return (uint16_t)(PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN + udp_len);
}

static uint16_t udp_mean_len(const struct prt_probe_tmpl *t, const uint16_t *ports, uint32_t n)
{
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < n; i++)
		bytes += t->udp->by_port[ports[i]].len;
	return (uint16_t)(t->len + (n ? bytes / n : 0));
}

/* The answer echoes the cookie where the request carried it (DNS id, NTP time). */
static bool udp_echo_matches(const struct prt_reply_keys *k, uint16_t tport, uint32_t seq,
	const uint8_t *data, size_t len)
{
	const struct prt_udp_echo *e = k->udp ? prt_udp_payload_echo(k->udp, tport) : NULL;
	uint32_t be = prt_be32(seq);

	if (e == NULL)
		return true;
	if (len < (size_t)e->in_off + e->len)
		return false;
	return memcmp(data + e->in_off, (const uint8_t *)&be + 4 - e->len, e->len) == 0;
}

enum prt_cls_verdict prt_probe_udp_check(const struct prt_ip_view *v)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)v->l4;
	size_t udp_len;

	if (v->l4_len < UDP_HDR)
		return PRT_CLS_TRUNCATED;
	udp_len = prt_be16(udp->dgram_len);
	if (udp_len < UDP_HDR)
		return PRT_CLS_BAD_IP_HEADER;
	if (udp_len > v->l4_len)
		return PRT_CLS_TRUNCATED;
	/* IPv4 may leave the UDP checksum out; IPv6 may not (RFC 8200 8.1) */
	if ((udp->dgram_cksum != 0 || v->v6) &&
	    prt_csum_fold(prt_csum_add(prt_ip_view_phdr(v, IPPROTO_UDP, udp_len), udp,
		    udp_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	return PRT_CLS_RESULT;
}

static enum prt_cls_verdict udp_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)v->l4;
	enum prt_cls_verdict rc = prt_probe_udp_check(v);
	uint16_t tport;
	size_t udp_len;
	struct prt_cookie c;

	if (rc != PRT_CLS_RESULT)
		return rc;
	udp_len = prt_be16(udp->dgram_len);
	tport = prt_be16(udp->src_port);
	c = prt_reply_cookie(k, &v->src, tport, IPPROTO_UDP);
	if (c.sport != prt_be16(udp->dst_port) ||
	    !udp_echo_matches(k, tport, c.seq, (const uint8_t *)(udp + 1), udp_len - UDP_HDR))
		return PRT_CLS_BAD_COOKIE;
	prt_reply_result(r, v, tport, IPPROTO_UDP);
	r->state = self->reply_state;
	r->reason = PRT_REASON_UDP_RESPONSE;
	ans->our_port = c.sport;
	return PRT_CLS_RESULT;
}

/* A quoted UDP probe: its source port is the cookie's. */
static enum prt_cls_verdict udp_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport)
{
	const uint8_t *l4 = q->l4;
	struct prt_cookie c;

	(void)self;
	*tport = (uint16_t)(l4[2] << 8 | l4[3]);
	c = prt_reply_cookie(k, &q->dst, *tport, IPPROTO_UDP);
	return c.sport == (uint16_t)(l4[0] << 8 | l4[1]) ? PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE;
}

const struct prt_probe_ops prt_probe_udp = {
	.name = "udp",
	.flag = "-sU",
	.description = "UDP: an answer open, port unreachable closed",
	.proto = IPPROTO_UDP,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.reply_state = PRT_STATE_OPEN,
	.port_unreach_state = PRT_STATE_CLOSED,
	.unreach_state = PRT_STATE_FILTERED,
	.tmpl_init = udp_tmpl_init,
	.craft = udp_craft,
	.tmpl_init6 = udp6_tmpl_init,
	.craft6 = udp6_craft,
	.mean_len = udp_mean_len,
	.reply = udp_reply,
	.quoted = udp_quoted,
};
