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

#include "classify_priv.h"

#define TCP_LEN sizeof(struct rte_tcp_hdr)
#define ICMP_DEST_UNREACH 3 /* DPDK 22.11 names only echo types */
#define ICMP_PORT_UNREACH 3
#define ICMP6_DEST_UNREACH 1
#define ICMP6_PORT_UNREACH 4

static void fill_v4(struct prt_ip_view *v, const struct rte_ipv4_hdr *ip, const uint8_t *l4,
	size_t l4_len)
{
	v->src = prt_addr_from_v4(prt_be32(ip->src_addr));
	v->dst = prt_addr_from_v4(prt_be32(ip->dst_addr));
	v->src_raw = (const uint8_t *)&ip->src_addr;
	v->dst_raw = (const uint8_t *)&ip->dst_addr;
	v->v6 = false;
	v->proto = ip->next_proto_id;
	v->ttl = ip->time_to_live;
	v->ip_id = prt_be16(ip->packet_id);
	v->l4 = l4;
	v->l4_len = l4_len;
}

static enum prt_cls_verdict parse_ipv4(const uint8_t *p, size_t avail, struct prt_ip_view *v)
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
static void note_segment(const struct prt_ip_view *v,
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

/* See prt_cls_ctx.answered and prt_probe_ops.repeat_port. */
static bool answered_before(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	const struct prt_probe_ops *p)
{
	uint16_t tport;
	int64_t pair;

	if (ctx->answered == NULL || ctx->sessions || p->repeat_port == NULL ||
	    !p->repeat_port(v, &tport))
		return false;
	pair = prt_cls_pair_of(ctx, &v->src, tport, p->proto);
	return pair >= 0 && prt_cls_is_answered(ctx, (uint64_t)pair);
}

/* lib/tcp reads every segment whose header and checksum are right, ours or not. */
static bool segment_whole(enum prt_cls_verdict rc)
{
	return rc != PRT_CLS_TRUNCATED && rc != PRT_CLS_BAD_IP_HEADER &&
		rc != PRT_CLS_BAD_CHECKSUM;
}

/* The pair of a module's result on arm @p a, or -1 when not a target of that arm. */
static int64_t arm_pair(const struct prt_cls_ctx *ctx, const struct prt_scan_arm *a,
	const struct prt_addr *addr, uint16_t port)
{
	return prt_cls_pair_at(ctx, prt_target_set_index_of_addr(ctx->targets, addr),
		prt_cls_arm_port_index(a, port));
}

static enum prt_cls_verdict arm_reply(const struct prt_cls_ctx *ctx, const struct prt_scan_arm *a,
	const struct prt_ip_view *v, struct prt_cls_out *out)
{
	const struct prt_probe_ops *p = a->probe;
	struct prt_reply_answer ans = {0};
	enum prt_cls_verdict rc;
	int64_t pair;

	if (answered_before(ctx, v, p))
		return PRT_CLS_DUPLICATE;
	rc = p->reply(p, &ctx->keys, v, &out->result, &ans);
	if (ctx->sessions && v->proto == IPPROTO_TCP && segment_whole(rc))
		note_segment(v, (const struct rte_tcp_hdr *)v->l4, &out->tcp);
	if (rc != PRT_CLS_RESULT)
		return rc;
	pair = arm_pair(ctx, a, &out->result.addr, out->result.port);
	if (pair < 0)
		return PRT_CLS_NOT_TARGET;
	out->pair = (uint64_t)pair;
	out->our_port = ans.our_port;
	out->send_rst = ans.send_rst;
	out->rst_seq = ans.rst_seq;
	return PRT_CLS_RESULT;
}

/* A datagram of the arms' protocol goes to each arm of it in turn (host
 * discovery has several: -PS443 -PA80, -PE -PP) until one owns it. Else
 * the first verdict says why, unless it is "not my message" and a later
 * arm's is more telling (a timestamp reply with a wrong cookie). */
enum prt_cls_verdict cls_reply(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	struct prt_cls_out *out)
{
	enum prt_cls_verdict first = PRT_CLS_RESULT;

	for (unsigned i = 0; i < ctx->narms; i++) {
		enum prt_cls_verdict rc;
		if (!prt_cls_arm_takes(&ctx->arm[i], v->proto))
			continue;
		rc = arm_reply(ctx, &ctx->arm[i], v, out);
		if (rc == PRT_CLS_RESULT || rc == PRT_CLS_DUPLICATE)
			return rc;
		if (first == PRT_CLS_RESULT || first == PRT_CLS_UNEXPECTED)
			first = rc;
	}
	if (first != PRT_CLS_RESULT)
		return first;
	/* we sent none of it: TCP and ICMP are ours to see, the rest not */
	return v->proto == IPPROTO_UDP ? PRT_CLS_OTHER_PROTO : PRT_CLS_UNEXPECTED;
}

/* The quoted IPv4 datagram of an ICMP error: its header and at least 8
 * bytes. Routers may quote less than the total length says, so bound by
 * what is here. */
static enum prt_cls_verdict parse_quoted(const uint8_t *icmp, size_t l4_len, struct prt_ip_view *q)
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
	return rc;
}

/* What an ICMP error quoting @p p's probe to q->dst means: the module's
 * rule when it has one (-sO: who sent it), else by port unreachable or not. */
static uint8_t unreachable_state(const struct prt_probe_ops *p, const struct prt_ip_view *v,
	const struct prt_ip_view *q, bool port_unreach)
{
	if (p->unreach_state_of != NULL)
		return p->unreach_state_of(p, v->l4[1], prt_addr_cmp(&v->src, &q->dst) == 0);
	return port_unreach ? p->port_unreach_state : p->unreach_state;
}

/* The result of an ICMP error quoting arm @p a's probe to (q->dst, @p tport). */
static void unreachable_result(const struct prt_ip_view *v, const struct prt_ip_view *q,
	const struct prt_scan_arm *a, uint16_t tport, bool port_unreach, struct prt_cls_out *out)
{
	out->result.addr = q->dst;
	out->result.port = tport;
	out->result.proto = a->probe->proto;
	out->result.ttl = v->ttl;
	out->result.state = unreachable_state(a->probe, v, q, port_unreach);
	out->result.reason = PRT_REASON_ICMP;
	out->result.icmp_type = v->l4[0];
	out->result.icmp_code = v->l4[1];
}

/* The quoted probe's protocol says which arms may have sent it, their
 * modules whether one did, and that arm's ports its pair. A module reads
 * 8 bytes of its quoted header at least, but -sO's bare IP probes have none. */
enum prt_cls_verdict cls_unreachable(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	const struct prt_ip_view *q, bool port_unreach, struct prt_cls_out *out)
{
	enum prt_cls_verdict first = PRT_CLS_UNEXPECTED; /* no arm of the protocol */
	bool tried = false;

	if (!cls_is_ours(ctx, &q->src))
		return prt_cls_arm_for(ctx, q->proto) != NULL ? PRT_CLS_NOT_FOR_US :
			PRT_CLS_UNEXPECTED;
	for (unsigned i = 0; i < ctx->narms; i++) {
		const struct prt_scan_arm *a = &ctx->arm[i];
		enum prt_cls_verdict rc;
		uint16_t tport = 0;
		int64_t pair = -1;

		if (!prt_cls_arm_takes(a, q->proto))
			continue;
		rc = q->l4_len < 8 && !a->probe->any_proto ? PRT_CLS_TRUNCATED :
			a->probe->quoted(a->probe, &ctx->keys, q, &tport);
		if (rc == PRT_CLS_RESULT)
			pair = arm_pair(ctx, a, &q->dst, tport);
		if (pair >= 0) {
			out->pair = (uint64_t)pair;
			unreachable_result(v, q, a, tport, port_unreach, out);
			return PRT_CLS_RESULT;
		}
		if (!tried)
			first = rc == PRT_CLS_RESULT ? PRT_CLS_NOT_TARGET : rc;
		tried = true;
	}
	return first;
}

/* A neighbor advertisement (-PR on IPv6): to the link arm's module as a view
 * whose source is the address the advertisement is about (a host may answer
 * from its link-local address) and whose payload is the message. lib/neigh
 * has seen it first (the router's). */
static enum prt_cls_verdict classify_nd(const struct prt_cls_ctx *ctx,
	const struct prt_ip_view *v, struct prt_cls_out *out)
{
	const struct prt_scan_arm *a = prt_cls_link_arm(ctx, RTE_ETHER_TYPE_ARP);
	struct prt_ip_view nd = *v;

	if (a == NULL)
		return PRT_CLS_UNEXPECTED;
	if (v->l4_len < 24)
		return PRT_CLS_TRUNCATED;
	memcpy(nd.src.b, v->l4 + 8, 16);
	nd.src_raw = v->l4 + 8;
	nd.proto = PRT_PROTO_ARP;
	return arm_reply(ctx, a, &nd, out);
}

/* ICMP and ICMPv6 alike: an echo reply, or a destination unreachable quoting
 * our probe. They differ in their numbers, in the ICMPv6 checksum's pseudo
 * header, and in the quoted datagram's IP version. */
static enum prt_cls_verdict classify_icmp(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	struct prt_cls_out *out)
{
	const uint8_t *icmp = v->l4;
	const bool v6 = v->v6;
	struct prt_ip_view q;
	enum prt_cls_verdict rc;

	if (v->l4_len < CLS_ICMP_LEN)
		return PRT_CLS_TRUNCATED;
	if (prt_csum_fold(prt_csum_add(v6 ? prt_ip_view_phdr(v, IPPROTO_ICMPV6, v->l4_len) : 0, icmp,
		    v->l4_len)) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	if (v6 && icmp[0] == PRT_ND_NA)
		return classify_nd(ctx, v, out);
	/* errors quoting a probe are parsed here; any other message is a module's */
	if (icmp[0] != (v6 ? ICMP6_DEST_UNREACH : ICMP_DEST_UNREACH))
		return cls_reply(ctx, v, out);
	rc = v6 ? cls_parse_quoted6(icmp + CLS_ICMP_LEN, v->l4_len - CLS_ICMP_LEN, &q) :
		parse_quoted(icmp, v->l4_len, &q);
	if (rc != PRT_CLS_RESULT)
		return rc;
	return cls_unreachable(ctx, v, &q,
		icmp[1] == (v6 ? ICMP6_PORT_UNREACH : ICMP_PORT_UNREACH), out);
}

/* An IPv4 datagram to us, whole and unfragmented: its view. */
static enum prt_cls_verdict view_ipv4(const struct prt_cls_ctx *ctx, const uint8_t *p,
	size_t avail, struct prt_ip_view *v)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)p;
	enum prt_cls_verdict rc = parse_ipv4(p, avail, v);
	uint16_t frag;

	if (rc != PRT_CLS_RESULT)
		return rc;
	if (prt_csum_fold(prt_csum_add(0, ip, (size_t)(v->l4 - p))) != 0)
		return PRT_CLS_BAD_CHECKSUM;
	frag = prt_be16(ip->fragment_offset);
	if (frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return PRT_CLS_FRAGMENT;
	if (prt_be32(ip->dst_addr) != ctx->keys.our_ip)
		return PRT_CLS_NOT_FOR_US;
	return PRT_CLS_RESULT;
}

enum prt_cls_verdict prt_cls_ip_view(const struct prt_cls_ctx *ctx, const uint8_t *frame,
	size_t len, struct prt_ip_view *v)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;

	if (len < CLS_ETH_LEN)
		return PRT_CLS_TRUNCATED;
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return view_ipv4(ctx, frame + CLS_ETH_LEN, len - CLS_ETH_LEN, v);
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6))
		return cls_view6(ctx, frame + CLS_ETH_LEN, len - CLS_ETH_LEN, v);
	return PRT_CLS_NOT_IPV4;
}

enum prt_cls_verdict cls_l4(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	struct prt_cls_out *out)
{
	switch (v->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		return cls_reply(ctx, v, out);
	case IPPROTO_ICMP:
		return v->v6 ? PRT_CLS_OTHER_PROTO : classify_icmp(ctx, v, out);
	case IPPROTO_ICMPV6:
		return v->v6 ? classify_icmp(ctx, v, out) : PRT_CLS_OTHER_PROTO;
	default:
		/* a protocol only a module knows (SCTP): its arm, if the scan has one */
		return prt_cls_probe_for(ctx, v->proto) != NULL ? cls_reply(ctx, v, out) :
			PRT_CLS_OTHER_PROTO;
	}
}

/* An ARP reply (-PR): to the ARP arm's module as a view whose source is the
 * sender's address and whose payload is the ARP message. */
static enum prt_cls_verdict classify_arp(const struct prt_cls_ctx *ctx, const uint8_t *p,
	size_t avail, struct prt_cls_out *out)
{
	const struct prt_scan_arm *a = prt_cls_link_arm(ctx, RTE_ETHER_TYPE_ARP);
	struct prt_ip_view v = {.l4 = p, .l4_len = avail, .proto = PRT_PROTO_ARP};
	uint32_t spa, tpa;

	if (a == NULL)
		return PRT_CLS_NOT_IPV4;
	if (avail < 28)
		return PRT_CLS_TRUNCATED;
	memcpy(&spa, p + 14, 4);
	memcpy(&tpa, p + 24, 4);
	if (prt_be32(tpa) != ctx->keys.our_ip)
		return PRT_CLS_NOT_FOR_US;
	v.src = prt_addr_from_v4(prt_be32(spa));
	v.dst = prt_addr_from_v4(prt_be32(tpa));
	v.src_raw = p + 14;
	v.dst_raw = p + 24;
	return arm_reply(ctx, a, &v, out);
}

enum prt_cls_verdict prt_classify(const struct prt_cls_ctx *ctx, const uint8_t *frame,
	size_t len, struct prt_cls_out *out)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	struct prt_ip_view v;
	enum prt_cls_verdict rc;

	/* field by field: a memset of the whole struct became `rep stos`, a
	 * tenth of the RX lcore's time; the segment view is read only when valid */
	out->result = (struct prt_result){0};
	out->tcp.valid = false;
	out->pair = 0;
	out->send_rst = 0;
	out->our_port = 0;
	out->rst_seq = 0;
	if (len >= CLS_ETH_LEN && eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
		return classify_arp(ctx, frame + CLS_ETH_LEN, len - CLS_ETH_LEN, out);
	rc = prt_cls_ip_view(ctx, frame, len, &v);
	return rc == PRT_CLS_RESULT ? cls_l4(ctx, &v, out) : rc;
}
