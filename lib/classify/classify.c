/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every read is bounded by the smaller of the frame length and the IPv4
 * total length, in that order: first that the frame holds the header it
 * claims, then that the header's lengths are consistent.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "prt_classify.h"
#include "prt_csum.h"

#define ETH_LEN sizeof(struct rte_ether_hdr)
#define TCP_LEN sizeof(struct rte_tcp_hdr)
#define ICMP_LEN 8
#define ICMP_DEST_UNREACH 3 /* DPDK 22.11 names only echo types */
#define ICMP_ECHO_REPLY 0
#define ICMP_PORT_UNREACH 3
#define UDP_LEN sizeof(struct rte_udp_hdr)

/* An IPv4 header checked for consistency; l4 and l4_len bound the payload. */
struct ip_view {
	const struct rte_ipv4_hdr *ip;
	const uint8_t *l4;
	size_t l4_len;
};

static enum prt_cls_verdict parse_ipv4(const uint8_t *p, size_t avail, struct ip_view *v)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;
	size_t ihl, total;

	if (avail < sizeof(*ip))
		return PRT_CLS_TRUNCATED;
	if ((ip->version_ihl >> 4) != 4)
		return PRT_CLS_BAD_IP_HEADER;
	ihl = (size_t)(ip->version_ihl & 0xf) * 4;
	total = rte_be_to_cpu_16(ip->total_length);
	if (ihl < sizeof(*ip) || total < ihl)
		return PRT_CLS_BAD_IP_HEADER;
	if (total > avail)
		return PRT_CLS_TRUNCATED;
	v->ip = ip;
	v->l4 = p + ihl;
	v->l4_len = total - ihl;
	return PRT_CLS_RESULT;
}

static enum prt_cls_verdict check_target(const struct prt_cls_ctx *ctx, uint32_t ip,
	uint16_t port, struct prt_cls_out *out)
{
	int64_t ip_idx = prt_target_set_index_of(ctx->targets, ip);
	int32_t port_idx = ctx->ports->index_of[port];

	if (ip_idx < 0 || port_idx < 0)
		return PRT_CLS_NOT_TARGET;
	out->pair = (uint64_t)ip_idx * ctx->ports->n + (uint64_t)port_idx;
	out->result.addr = prt_addr_from_v4(ip);
	out->result.port = port;
	out->result.proto = ctx->probe->proto;
	return PRT_CLS_RESULT;
}

/* The cookie of our probe to (target, tport) says which source port it
 * came from and which sequence number the reply must echo. */
static struct prt_cookie cookie_of(const struct prt_cls_ctx *ctx, uint32_t target,
	uint16_t tport)
{
	return prt_cookie_v4(ctx->key, ctx->our_ip, target, tport, ctx->probe->proto,
		ctx->sport_base, ctx->sport_count);
}

static enum prt_cls_verdict classify_tcp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)v->l4;
	const uint8_t probe_flags = ctx->probe->tcp_flags;
	uint32_t saddr = rte_be_to_cpu_32(v->ip->src_addr);
	uint16_t tport, our_port;
	struct prt_cookie c;
	uint32_t echoed;
	uint8_t flags;
	uint32_t sum;

	if (ctx->probe->proto != IPPROTO_TCP)
		return PRT_CLS_UNEXPECTED; /* a host discovery scan sent no TCP */
	if (v->l4_len < TCP_LEN || (size_t)(tcp->data_off >> 4) * 4 > v->l4_len)
		return PRT_CLS_TRUNCATED;
	if ((tcp->data_off >> 4) < 5)
		return PRT_CLS_BAD_IP_HEADER;
	sum = prt_csum_pseudo4(v->ip->src_addr, v->ip->dst_addr, IPPROTO_TCP,
		(uint16_t)v->l4_len);
	if (prt_csum_fold(prt_csum_add(sum, tcp, v->l4_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;

	tport = rte_be_to_cpu_16(tcp->src_port);
	our_port = rte_be_to_cpu_16(tcp->dst_port);
	flags = tcp->tcp_flags;
	/* A reply to a probe without ACK acknowledges it; a reset to a probe
	 * with ACK carries no ACK and echoes our ack as its sequence number. */
	if (probe_flags & RTE_TCP_ACK_FLAG) {
		if (!(flags & RTE_TCP_RST_FLAG))
			return PRT_CLS_UNEXPECTED;
		echoed = rte_be_to_cpu_32(tcp->sent_seq);
	} else {
		if (!(flags & RTE_TCP_ACK_FLAG))
			return PRT_CLS_UNEXPECTED;
		echoed = rte_be_to_cpu_32(tcp->recv_ack);
	}
	c = cookie_of(ctx, saddr, tport);
	if (c.sport != our_port || prt_probe_tcp_echo(probe_flags, c.seq) != echoed)
		return PRT_CLS_BAD_COOKIE;
	if (check_target(ctx, saddr, tport, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;

	out->result.ttl = v->ip->time_to_live;
	out->our_port = our_port;
	if (!ctx->probe->judge_tcp(flags, rte_be_to_cpu_16(tcp->rx_win), &out->result))
		return PRT_CLS_UNEXPECTED;
	if ((probe_flags & RTE_TCP_SYN_FLAG) && (flags & RTE_TCP_SYN_FLAG) &&
	    !(flags & RTE_TCP_RST_FLAG)) {
		out->send_rst = 1;
		out->rst_seq = echoed;
	}
	return PRT_CLS_RESULT;
}

/* Does the echo (id, seq, first payload word) carry the cookie of (target)? */
static bool echo_matches(const struct prt_cls_ctx *ctx, uint32_t target, const uint8_t *echo,
	size_t len)
{
	struct prt_cookie c = cookie_of(ctx, target, 0);
	uint32_t cookie;

	if (len < ICMP_LEN + 4)
		return false;
	memcpy(&cookie, echo + ICMP_LEN, 4);
	return ((uint16_t)(echo[4] << 8 | echo[5])) == c.sport &&
		((uint16_t)(echo[6] << 8 | echo[7])) == (uint16_t)c.seq &&
		rte_be_to_cpu_32(cookie) == c.seq;
}

static enum prt_cls_verdict classify_echo_reply(const struct prt_cls_ctx *ctx,
	const struct ip_view *v, struct prt_cls_out *out)
{
	uint32_t saddr = rte_be_to_cpu_32(v->ip->src_addr);

	if (ctx->probe->proto != IPPROTO_ICMP)
		return PRT_CLS_UNEXPECTED; /* we sent no echo request */
	if (v->l4_len < ICMP_LEN + 4)
		return PRT_CLS_TRUNCATED;
	if (!echo_matches(ctx, saddr, v->l4, v->l4_len))
		return PRT_CLS_BAD_COOKIE;
	if (check_target(ctx, saddr, 0, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;
	out->result.ttl = v->ip->time_to_live;
	out->result.state = ctx->probe->reply_state;
	out->result.reason = PRT_REASON_ECHO_REPLY;
	return PRT_CLS_RESULT;
}

/* The answer echoes the cookie where the request carried it (DNS id, NTP time). */
static bool udp_echo_matches(const struct prt_cls_ctx *ctx, uint16_t tport, uint32_t seq,
	const uint8_t *data, size_t len)
{
	const struct prt_udp_echo *e = ctx->udp ? prt_udp_payload_echo(ctx->udp, tport) : NULL;
	uint32_t be = rte_cpu_to_be_32(seq);

	if (e == NULL)
		return true;
	if (len < (size_t)e->in_off + e->len)
		return false;
	return memcmp(data + e->in_off, (const uint8_t *)&be + 4 - e->len, e->len) == 0;
}

static enum prt_cls_verdict classify_udp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)v->l4;
	uint32_t saddr = rte_be_to_cpu_32(v->ip->src_addr);
	uint16_t tport, our_port;
	size_t udp_len;
	struct prt_cookie c;

	if (ctx->probe->proto != IPPROTO_UDP)
		return PRT_CLS_OTHER_PROTO; /* we sent no UDP */
	if (v->l4_len < UDP_LEN)
		return PRT_CLS_TRUNCATED;
	udp_len = rte_be_to_cpu_16(udp->dgram_len);
	if (udp_len < UDP_LEN)
		return PRT_CLS_BAD_IP_HEADER;
	if (udp_len > v->l4_len)
		return PRT_CLS_TRUNCATED;
	if (udp->dgram_cksum != 0 &&
	    prt_csum_fold(prt_csum_add(prt_csum_pseudo4(v->ip->src_addr, v->ip->dst_addr,
		    IPPROTO_UDP, (uint16_t)udp_len), udp, udp_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	tport = rte_be_to_cpu_16(udp->src_port);
	our_port = rte_be_to_cpu_16(udp->dst_port);
	c = cookie_of(ctx, saddr, tport);
	if (c.sport != our_port ||
	    !udp_echo_matches(ctx, tport, c.seq, (const uint8_t *)(udp + 1), udp_len - UDP_LEN))
		return PRT_CLS_BAD_COOKIE;
	if (check_target(ctx, saddr, tport, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;
	out->result.ttl = v->ip->time_to_live;
	out->result.state = ctx->probe->reply_state;
	out->result.reason = PRT_REASON_UDP_RESPONSE;
	return PRT_CLS_RESULT;
}

/* The quoted datagram of an ICMP error: its header and at least 8 bytes.
 * Routers may quote less than the total length says, so bound by what is here. */
static enum prt_cls_verdict parse_quoted(const uint8_t *icmp, size_t l4_len, struct ip_view *q)
{
	enum prt_cls_verdict rc = parse_ipv4(icmp + ICMP_LEN, l4_len - ICMP_LEN, q);

	if (rc == PRT_CLS_TRUNCATED && l4_len - ICMP_LEN >= sizeof(struct rte_ipv4_hdr)) {
		size_t ihl = (size_t)(icmp[ICMP_LEN] & 0xf) * 4;
		if (ihl >= sizeof(struct rte_ipv4_hdr) && ihl <= l4_len - ICMP_LEN &&
		    (icmp[ICMP_LEN] >> 4) == 4) {
			q->ip = (const struct rte_ipv4_hdr *)(icmp + ICMP_LEN);
			q->l4 = icmp + ICMP_LEN + ihl;
			q->l4_len = l4_len - ICMP_LEN - ihl;
			rc = PRT_CLS_RESULT;
		}
	}
	if (rc == PRT_CLS_RESULT && q->l4_len < 8)
		rc = PRT_CLS_TRUNCATED;
	return rc;
}

/* The quoted probe's first 8 bytes carry our cookie: for TCP the ports and
 * sequence number, for an echo request its identifier and sequence. */
static enum prt_cls_verdict quoted_probe_port(const struct prt_cls_ctx *ctx,
	const struct ip_view *q, uint16_t *tport)
{
	uint32_t target = rte_be_to_cpu_32(q->ip->dst_addr);

	if (q->ip->next_proto_id != ctx->probe->proto)
		return PRT_CLS_UNEXPECTED;
	if (rte_be_to_cpu_32(q->ip->src_addr) != ctx->our_ip)
		return PRT_CLS_NOT_FOR_US;
	if (ctx->probe->proto == IPPROTO_UDP) {
		/* the quoted UDP header: our source port is the cookie */
		const struct rte_udp_hdr *qudp = (const struct rte_udp_hdr *)q->l4;
		struct prt_cookie c = cookie_of(ctx, target, rte_be_to_cpu_16(qudp->dst_port));
		if (c.sport != rte_be_to_cpu_16(qudp->src_port))
			return PRT_CLS_BAD_COOKIE;
		*tport = rte_be_to_cpu_16(qudp->dst_port);
		return PRT_CLS_RESULT;
	}
	if (ctx->probe->proto == IPPROTO_ICMP) {
		/* 8 bytes quoted: identifier and sequence only, the payload is cut */
		struct prt_cookie c = cookie_of(ctx, target, 0);
		if (q->l4[0] != 8 || ((uint16_t)(q->l4[4] << 8 | q->l4[5])) != c.sport ||
		    ((uint16_t)(q->l4[6] << 8 | q->l4[7])) != (uint16_t)c.seq)
			return PRT_CLS_BAD_COOKIE;
		*tport = 0;
		return PRT_CLS_RESULT;
	}
	const struct rte_tcp_hdr *qtcp = (const struct rte_tcp_hdr *)q->l4; /* first 8 bytes */
	struct prt_cookie c = cookie_of(ctx, target, rte_be_to_cpu_16(qtcp->dst_port));
	if (c.sport != rte_be_to_cpu_16(qtcp->src_port) ||
	    c.seq != rte_be_to_cpu_32(qtcp->sent_seq))
		return PRT_CLS_BAD_COOKIE;
	*tport = rte_be_to_cpu_16(qtcp->dst_port);
	return PRT_CLS_RESULT;
}

static enum prt_cls_verdict classify_icmp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out)
{
	const uint8_t *icmp = v->l4;
	struct ip_view q;
	enum prt_cls_verdict rc;
	uint16_t tport;

	if (v->l4_len < ICMP_LEN)
		return PRT_CLS_TRUNCATED;
	if (prt_csum_fold(prt_csum_add(0, icmp, v->l4_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	if (icmp[0] == ICMP_ECHO_REPLY)
		return classify_echo_reply(ctx, v, out);
	if (icmp[0] != ICMP_DEST_UNREACH)
		return PRT_CLS_UNEXPECTED;
	rc = parse_quoted(icmp, v->l4_len, &q);
	if (rc != PRT_CLS_RESULT)
		return rc;
	rc = quoted_probe_port(ctx, &q, &tport);
	if (rc != PRT_CLS_RESULT)
		return rc;
	if (check_target(ctx, rte_be_to_cpu_32(q.ip->dst_addr), tport, out) != PRT_CLS_RESULT)
		return PRT_CLS_NOT_TARGET;
	out->result.ttl = v->ip->time_to_live;
	out->result.state = icmp[1] == ICMP_PORT_UNREACH ? ctx->probe->port_unreach_state :
		ctx->probe->unreach_state;
	out->result.reason = PRT_REASON_ICMP;
	out->result.icmp_type = icmp[0];
	out->result.icmp_code = icmp[1];
	return PRT_CLS_RESULT;
}

enum prt_cls_verdict prt_classify(const struct prt_cls_ctx *ctx, const uint8_t *frame,
	size_t len, struct prt_cls_out *out)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	struct ip_view v;
	enum prt_cls_verdict rc;
	uint16_t frag;

	memset(out, 0, sizeof(*out));
	if (len < ETH_LEN)
		return PRT_CLS_TRUNCATED;
	if (eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return PRT_CLS_NOT_IPV4;
	rc = parse_ipv4(frame + ETH_LEN, len - ETH_LEN, &v);
	if (rc != PRT_CLS_RESULT)
		return rc;
	if (prt_csum_fold(prt_csum_add(0, v.ip, (size_t)(v.l4 - (const uint8_t *)v.ip))) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	frag = rte_be_to_cpu_16(v.ip->fragment_offset);
	if (frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return PRT_CLS_FRAGMENT;
	if (rte_be_to_cpu_32(v.ip->dst_addr) != ctx->our_ip)
		return PRT_CLS_NOT_FOR_US;
	switch (v.ip->next_proto_id) {
	case IPPROTO_TCP:
		return classify_tcp(ctx, &v, out);
	case IPPROTO_ICMP:
		return classify_icmp(ctx, &v, out);
	case IPPROTO_UDP:
		return classify_udp(ctx, &v, out);
	default:
		return PRT_CLS_OTHER_PROTO;
	}
}
