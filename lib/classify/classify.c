/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every read is bounded by the smaller of the frame length and the IP
 * datagram length, in that order: first that the frame holds the header it
 * claims, then that the header's lengths are consistent. The L4 readers
 * work on a family-neutral view; IPv6's own parts are in classify_ip6.c.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "classify_priv.h"

#define TCP_LEN sizeof(struct rte_tcp_hdr)
#define UDP_LEN sizeof(struct rte_udp_hdr)
#define ICMP_DEST_UNREACH 3 /* DPDK 22.11 names only echo types */
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define ICMP_PORT_UNREACH 3
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ICMP6_DEST_UNREACH 1
#define ICMP6_PORT_UNREACH 4

static void fill_v4(struct ip_view *v, const struct rte_ipv4_hdr *ip, const uint8_t *l4,
	size_t l4_len)
{
	v->src = prt_addr_from_v4(prt_be32(ip->src_addr));
	v->dst = prt_addr_from_v4(prt_be32(ip->dst_addr));
	v->src_raw = (const uint8_t *)&ip->src_addr;
	v->dst_raw = (const uint8_t *)&ip->dst_addr;
	v->v6 = false;
	v->proto = ip->next_proto_id;
	v->ttl = ip->time_to_live;
	v->l4 = l4;
	v->l4_len = l4_len;
}

static enum prt_cls_verdict parse_ipv4(const uint8_t *p, size_t avail, struct ip_view *v)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;
	size_t ihl, total;

	if (avail < sizeof(*ip))
		return PRT_CLS_TRUNCATED;
	if ((ip->version_ihl >> 4) != 4)
		return PRT_CLS_BAD_IP_HEADER;
	ihl = (size_t)(ip->version_ihl & 0xf) * 4;
	total = prt_be16(ip->total_length);
	if (ihl < sizeof(*ip) || total < ihl)
		return PRT_CLS_BAD_IP_HEADER;
	if (total > avail)
		return PRT_CLS_TRUNCATED;
	fill_v4(v, ip, p + ihl, total - ihl);
	return PRT_CLS_RESULT;
}

int64_t prt_cls_pair_of(const struct prt_cls_ctx *ctx, const struct prt_addr *a, uint16_t port,
	uint8_t proto)
{
	return prt_cls_pair_at(ctx, prt_target_set_index_of_addr(ctx->targets, a),
		prt_cls_port_index(ctx, port, proto));
}

enum prt_cls_verdict cls_check_target(const struct prt_cls_ctx *ctx, const struct prt_addr *a,
	uint16_t port, uint8_t proto, struct prt_cls_out *out)
{
	int64_t pair = prt_cls_pair_of(ctx, a, port, proto);

	if (pair < 0)
		return PRT_CLS_NOT_TARGET;
	out->pair = (uint64_t)pair;
	out->result.addr = *a;
	out->result.port = port;
	out->result.proto = proto;
	return PRT_CLS_RESULT;
}

/* The cookie of our probe to (target, tport) says which source port it
 * came from and which sequence number the reply must echo. */
struct prt_cookie cls_cookie_of(const struct prt_cls_ctx *ctx, const struct prt_addr *target,
	uint16_t tport, uint8_t proto)
{
	if (prt_addr_is_v4(target))
		return prt_cookie_v4(ctx->key, ctx->our_ip, prt_addr_v4(target), tport, proto,
			ctx->sport_base, ctx->sport_count);
	return prt_cookie_v6(ctx->key, ctx->our_ip6.b, target->b, tport, proto, ctx->sport_base,
		ctx->sport_count);
}

/* The MSS option of a SYN, 0 when absent; options are walked with every length checked. */
static uint16_t syn_mss(const uint8_t *opt, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (opt[i] == 0) /* end of options */
			break;
		if (opt[i] == 1) { /* no-op */
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2 || opt[i + 1] > len - i)
			break;
		if (opt[i] == 2 && opt[i + 1] == 4)
			return (uint16_t)(opt[i + 2] << 8 | opt[i + 3]);
		i += opt[i + 1];
	}
	return 0;
}

/* What lib/tcp needs of a segment whose checksum is right. */
static void note_segment(const struct ip_view *v,
	const struct rte_tcp_hdr *tcp, struct prt_cls_tcp *s)
{
	size_t hlen = (size_t)(tcp->data_off >> 4) * 4;

	s->valid = true;
	s->peer = v->src;
	s->peer_port = prt_be16(tcp->src_port);
	s->our_port = prt_be16(tcp->dst_port);
	s->seq = prt_be32(tcp->sent_seq);
	s->ack = prt_be32(tcp->recv_ack);
	s->win = prt_be16(tcp->rx_win);
	s->flags = tcp->tcp_flags;
	s->data = v->l4 + hlen;
	s->len = (uint16_t)(v->l4_len - hlen);
	s->mss = (s->flags & RTE_TCP_SYN_FLAG) ? syn_mss(v->l4 + TCP_LEN, hlen - TCP_LEN) : 0;
}

/* See prt_cls_ctx.answered. */
static bool answered_before(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	uint16_t tport, uint8_t flags)
{
	const bool syn_ack = (flags & (RTE_TCP_SYN_FLAG | RTE_TCP_RST_FLAG)) == RTE_TCP_SYN_FLAG;
	int64_t pair;

	if (ctx->answered == NULL || ctx->sessions || syn_ack)
		return false;
	pair = prt_cls_pair_of(ctx, &v->src, tport, IPPROTO_TCP);
	return pair >= 0 && prt_cls_is_answered(ctx, (uint64_t)pair);
}

enum prt_cls_verdict cls_tcp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)v->l4;
	const struct prt_probe_ops *p = prt_cls_probe_for(ctx, IPPROTO_TCP);
	uint16_t tport, our_port;
	struct prt_cookie c;
	uint32_t echoed;
	uint8_t flags, probe_flags;

	if (p == NULL)
		return PRT_CLS_UNEXPECTED; /* a host discovery or UDP scan sent no TCP */
	probe_flags = p->tcp_flags;
	if (v->l4_len < TCP_LEN || (size_t)(tcp->data_off >> 4) * 4 > v->l4_len)
		return PRT_CLS_TRUNCATED;
	if ((tcp->data_off >> 4) < 5)
		return PRT_CLS_BAD_IP_HEADER;
	if (answered_before(ctx, v, prt_be16(tcp->src_port), tcp->tcp_flags))
		return PRT_CLS_DUPLICATE;
	if (prt_csum_fold(prt_csum_add(cls_phdr(v, IPPROTO_TCP, v->l4_len), tcp, v->l4_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	if (ctx->sessions) /* only lib/tcp reads it: a stateless scan skips the work */
		note_segment(v, tcp, &out->tcp);

	tport = prt_be16(tcp->src_port);
	our_port = prt_be16(tcp->dst_port);
	flags = tcp->tcp_flags;
	/* A reply to a probe without ACK acknowledges it; a reset to a probe
	 * with ACK carries no ACK and echoes our ack as its sequence number. */
	if (probe_flags & RTE_TCP_ACK_FLAG) {
		if (!(flags & RTE_TCP_RST_FLAG))
			return PRT_CLS_UNEXPECTED;
		echoed = prt_be32(tcp->sent_seq);
	} else {
		if (!(flags & RTE_TCP_ACK_FLAG))
			return PRT_CLS_UNEXPECTED;
		echoed = prt_be32(tcp->recv_ack);
	}
	c = cls_cookie_of(ctx, &v->src, tport, IPPROTO_TCP);
	if (c.sport != our_port || prt_probe_tcp_echo(probe_flags, c.seq) != echoed)
		return PRT_CLS_BAD_COOKIE;
	if (cls_check_target(ctx, &v->src, tport, IPPROTO_TCP, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;

	out->result.ttl = v->ttl;
	out->our_port = our_port;
	if (!p->judge_tcp(flags, prt_be16(tcp->rx_win), &out->result))
		return PRT_CLS_UNEXPECTED;
	if ((probe_flags & RTE_TCP_SYN_FLAG) && (flags & RTE_TCP_SYN_FLAG) &&
	    !(flags & RTE_TCP_RST_FLAG)) {
		out->send_rst = 1;
		out->rst_seq = echoed;
	}
	return PRT_CLS_RESULT;
}

/* Does the echo (id, seq, first payload word) carry the cookie of (target)? */
static bool echo_matches(const struct prt_cls_ctx *ctx, const struct prt_addr *target,
	const uint8_t *echo, size_t len)
{
	struct prt_cookie c = cls_cookie_of(ctx, target, 0, IPPROTO_ICMP);
	uint32_t cookie;

	if (len < CLS_ICMP_LEN + 4)
		return false;
	memcpy(&cookie, echo + CLS_ICMP_LEN, 4);
	return ((uint16_t)(echo[4] << 8 | echo[5])) == c.sport &&
		((uint16_t)(echo[6] << 8 | echo[7])) == (uint16_t)c.seq &&
		prt_be32(cookie) == c.seq;
}

enum prt_cls_verdict cls_echo_reply(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	const struct prt_probe_ops *p = prt_cls_probe_for(ctx, IPPROTO_ICMP);

	if (p == NULL)
		return PRT_CLS_UNEXPECTED; /* we sent no echo request */
	if (v->l4_len < CLS_ICMP_LEN + 4)
		return PRT_CLS_TRUNCATED;
	if (!echo_matches(ctx, &v->src, v->l4, v->l4_len))
		return PRT_CLS_BAD_COOKIE;
	if (cls_check_target(ctx, &v->src, 0, IPPROTO_ICMP, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;
	out->result.ttl = v->ttl;
	out->result.state = p->reply_state;
	out->result.reason = PRT_REASON_ECHO_REPLY;
	return PRT_CLS_RESULT;
}

/* The answer echoes the cookie where the request carried it (DNS id, NTP time). */
static bool udp_echo_matches(const struct prt_cls_ctx *ctx, uint16_t tport, uint32_t seq,
	const uint8_t *data, size_t len)
{
	const struct prt_udp_echo *e = ctx->udp ? prt_udp_payload_echo(ctx->udp, tport) : NULL;
	uint32_t be = prt_be32(seq);

	if (e == NULL)
		return true;
	if (len < (size_t)e->in_off + e->len)
		return false;
	return memcmp(data + e->in_off, (const uint8_t *)&be + 4 - e->len, e->len) == 0;
}

enum prt_cls_verdict cls_udp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)v->l4;
	const struct prt_probe_ops *p = prt_cls_probe_for(ctx, IPPROTO_UDP);
	uint16_t tport, our_port;
	size_t udp_len;
	struct prt_cookie c;

	if (p == NULL)
		return PRT_CLS_OTHER_PROTO; /* we sent no UDP */
	if (v->l4_len < UDP_LEN)
		return PRT_CLS_TRUNCATED;
	udp_len = prt_be16(udp->dgram_len);
	if (udp_len < UDP_LEN)
		return PRT_CLS_BAD_IP_HEADER;
	if (udp_len > v->l4_len)
		return PRT_CLS_TRUNCATED;
	/* IPv4 may leave the UDP checksum out; IPv6 may not (RFC 8200 8.1) */
	if ((udp->dgram_cksum != 0 || v->v6) &&
	    prt_csum_fold(prt_csum_add(cls_phdr(v, IPPROTO_UDP, udp_len), udp, udp_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	tport = prt_be16(udp->src_port);
	our_port = prt_be16(udp->dst_port);
	c = cls_cookie_of(ctx, &v->src, tport, IPPROTO_UDP);
	if (c.sport != our_port ||
	    !udp_echo_matches(ctx, tport, c.seq, (const uint8_t *)(udp + 1), udp_len - UDP_LEN))
		return PRT_CLS_BAD_COOKIE;
	if (cls_check_target(ctx, &v->src, tport, IPPROTO_UDP, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;
	out->result.ttl = v->ttl;
	out->result.state = p->reply_state;
	out->result.reason = PRT_REASON_UDP_RESPONSE;
	return PRT_CLS_RESULT;
}

/* The quoted IPv4 datagram of an ICMP error: its header and at least 8
 * bytes. Routers may quote less than the total length says, so bound by
 * what is here. */
static enum prt_cls_verdict parse_quoted(const uint8_t *icmp, size_t l4_len, struct ip_view *q)
{
	enum prt_cls_verdict rc = parse_ipv4(icmp + CLS_ICMP_LEN, l4_len - CLS_ICMP_LEN, q);

	if (rc == PRT_CLS_TRUNCATED && l4_len - CLS_ICMP_LEN >= sizeof(struct rte_ipv4_hdr)) {
		size_t ihl = (size_t)(icmp[CLS_ICMP_LEN] & 0xf) * 4;
		if (ihl >= sizeof(struct rte_ipv4_hdr) && ihl <= l4_len - CLS_ICMP_LEN &&
		    (icmp[CLS_ICMP_LEN] >> 4) == 4) {
			/* the header is whole; only the quoted payload is cut */
			fill_v4(q, (const struct rte_ipv4_hdr *)(icmp + CLS_ICMP_LEN),
				icmp + CLS_ICMP_LEN + ihl, l4_len - CLS_ICMP_LEN - ihl);
			rc = PRT_CLS_RESULT;
		}
	}
	if (rc == PRT_CLS_RESULT && q->l4_len < 8)
		rc = PRT_CLS_TRUNCATED;
	return rc;
}

/* The quoted probe's first 8 bytes carry our cookie: for TCP the ports and
 * sequence number, for UDP the source port, for an echo request its
 * identifier and sequence. */
enum prt_cls_verdict cls_quoted_probe(const struct prt_cls_ctx *ctx, const struct ip_view *q,
	const struct prt_probe_ops *p, uint16_t *tport)
{
	const uint8_t *l4 = q->l4;
	struct prt_cookie c;
	uint32_t seq;

	if (!cls_is_ours(ctx, &q->src))
		return PRT_CLS_NOT_FOR_US;
	switch (p->proto) {
	case IPPROTO_UDP:
		*tport = (uint16_t)(l4[2] << 8 | l4[3]);
		c = cls_cookie_of(ctx, &q->dst, *tport, IPPROTO_UDP);
		return c.sport == (uint16_t)(l4[0] << 8 | l4[1]) ? PRT_CLS_RESULT :
			PRT_CLS_BAD_COOKIE;
	case IPPROTO_ICMP:
		/* 8 bytes quoted: identifier and sequence only, the payload is cut */
		*tport = 0;
		c = cls_cookie_of(ctx, &q->dst, 0, IPPROTO_ICMP);
		return l4[0] == (q->v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO_REQUEST) &&
				(uint16_t)(l4[4] << 8 | l4[5]) == c.sport &&
				(uint16_t)(l4[6] << 8 | l4[7]) == (uint16_t)c.seq ?
			PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE;
	default:
		*tport = (uint16_t)(l4[2] << 8 | l4[3]);
		c = cls_cookie_of(ctx, &q->dst, *tport, IPPROTO_TCP);
		memcpy(&seq, l4 + 4, 4);
		return c.sport == (uint16_t)(l4[0] << 8 | l4[1]) && c.seq == prt_be32(seq) ?
			PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE;
	}
}

enum prt_cls_verdict cls_unreachable(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	const struct ip_view *q, bool port_unreach, struct prt_cls_out *out)
{
	/* the quoted probe's protocol says which of the scan's probes it was */
	const struct prt_probe_ops *p = prt_cls_probe_for(ctx, q->proto);
	uint16_t tport;
	enum prt_cls_verdict rc;

	if (p == NULL)
		return PRT_CLS_UNEXPECTED;
	rc = cls_quoted_probe(ctx, q, p, &tport);
	if (rc != PRT_CLS_RESULT)
		return rc;
	if (cls_check_target(ctx, &q->dst, tport, p->proto, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;
	out->result.ttl = v->ttl;
	out->result.state = port_unreach ? p->port_unreach_state : p->unreach_state;
	out->result.reason = PRT_REASON_ICMP;
	out->result.icmp_type = v->l4[0];
	out->result.icmp_code = v->l4[1];
	return PRT_CLS_RESULT;
}

/* ICMP and ICMPv6 alike: an echo reply, or a destination unreachable quoting
 * our probe. They differ in their numbers, in the ICMPv6 checksum's pseudo
 * header, and in the quoted datagram's IP version. */
static enum prt_cls_verdict classify_icmp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	const uint8_t *icmp = v->l4;
	const bool v6 = v->v6;
	struct ip_view q;
	enum prt_cls_verdict rc;

	if (v->l4_len < CLS_ICMP_LEN)
		return PRT_CLS_TRUNCATED;
	if (prt_csum_fold(prt_csum_add(v6 ? cls_phdr(v, IPPROTO_ICMPV6, v->l4_len) : 0, icmp,
		    v->l4_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	if (icmp[0] == (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHO_REPLY))
		return cls_echo_reply(ctx, v, out);
	if (icmp[0] != (v6 ? ICMP6_DEST_UNREACH : ICMP_DEST_UNREACH))
		return PRT_CLS_UNEXPECTED;
	rc = v6 ? cls_parse_quoted6(icmp + CLS_ICMP_LEN, v->l4_len - CLS_ICMP_LEN, &q) :
		parse_quoted(icmp, v->l4_len, &q);
	if (rc != PRT_CLS_RESULT)
		return rc;
	return cls_unreachable(ctx, v, &q,
		icmp[1] == (v6 ? ICMP6_PORT_UNREACH : ICMP_PORT_UNREACH), out);
}

static enum prt_cls_verdict classify_ipv4(const struct prt_cls_ctx *ctx, const uint8_t *p,
	size_t avail, struct prt_cls_out *out)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;
	struct ip_view v;
	enum prt_cls_verdict rc = parse_ipv4(p, avail, &v);
	uint16_t frag;

	if (rc != PRT_CLS_RESULT)
		return rc;
	if (prt_csum_fold(prt_csum_add(0, ip, (size_t)(v.l4 - p))) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	frag = prt_be16(ip->fragment_offset);
	if (frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return PRT_CLS_FRAGMENT;
	if (prt_be32(ip->dst_addr) != ctx->our_ip)
		return PRT_CLS_NOT_FOR_US;
	return cls_l4(ctx, &v, out);
}

enum prt_cls_verdict cls_l4(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	switch (v->proto) {
	case IPPROTO_TCP:
		return cls_tcp(ctx, v, out);
	case IPPROTO_UDP:
		return cls_udp(ctx, v, out);
	case IPPROTO_ICMP:
		return v->v6 ? PRT_CLS_OTHER_PROTO : classify_icmp(ctx, v, out);
	case IPPROTO_ICMPV6:
		return v->v6 ? classify_icmp(ctx, v, out) : PRT_CLS_OTHER_PROTO;
	default:
		return PRT_CLS_OTHER_PROTO;
	}
}

enum prt_cls_verdict prt_classify(const struct prt_cls_ctx *ctx, const uint8_t *frame,
	size_t len, struct prt_cls_out *out)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;

	/* field by field: a memset of the whole struct became `rep stos`, a
	 * tenth of the RX lcore's time; the segment view is read only when valid */
	out->result = (struct prt_result){0};
	out->tcp.valid = false;
	out->pair = 0;
	out->send_rst = 0;
	out->our_port = 0;
	out->rst_seq = 0;
	if (len < CLS_ETH_LEN)
		return PRT_CLS_TRUNCATED;
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return classify_ipv4(ctx, frame + CLS_ETH_LEN, len - CLS_ETH_LEN, out);
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6))
		return cls_ipv6(ctx, frame + CLS_ETH_LEN, len - CLS_ETH_LEN, out);
	return PRT_CLS_NOT_IPV4;
}
