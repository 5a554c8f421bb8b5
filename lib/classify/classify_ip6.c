/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 replies: the fixed header, then extension headers walked with every
 * length checked (hop-by-hop, routing, destination options; a fragment is
 * never ours, AH/ESP are not expected); the upper layer is read as for
 * IPv4 (classify.c). NDP never reaches here: lib/neigh takes it first.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "classify_priv.h"

#define IP6_LEN 40
#define MAX_EXT_HEADERS 8 /* more is a crafted packet, not a reply */

/* Walk the extension headers from @p nh at @p p (len bytes): on success the
 * upper layer's protocol, start and length. */
static enum prt_cls_verdict skip_extensions(uint8_t nh, const uint8_t *p, size_t len,
	uint8_t *proto, const uint8_t **l4, size_t *l4_len)
{
	for (int i = 0; i <= MAX_EXT_HEADERS; i++) {
		size_t hlen;

		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (len < 8)
				return PRT_CLS_TRUNCATED;
			hlen = ((size_t)p[1] + 1) * 8;
			if (hlen > len)
				return PRT_CLS_TRUNCATED;
			nh = p[0];
			p += hlen;
			len -= hlen;
			break;
		case IPPROTO_FRAGMENT:
			return PRT_CLS_FRAGMENT;
		default:
			*proto = nh;
			*l4 = p;
			*l4_len = len;
			return PRT_CLS_RESULT;
		}
	}
	return PRT_CLS_BAD_IP_HEADER;
}

/*
 * An IPv4 address inside an IPv6 one: ::ffff:0:0/96 (mapped) is how results
 * hold IPv4 hosts, so such a source would be taken for the IPv4 host and
 * could drive its connections; ::/96 (compatible, deprecated) never carries
 * a real answer either. No frame with either address is ours.
 */
static bool embeds_ipv4(const uint8_t a[16])
{
	static const uint8_t zero[10];

	return memcmp(a, zero, 10) == 0 && ((a[10] == 0 && a[11] == 0) ||
		(a[10] == 0xff && a[11] == 0xff));
}

/* An IPv6 header (and its extension headers) at @p p into @p v; quoted
 * datagrams may be cut short, so their payload length is bounded by what is
 * here instead of checked against it. */
static enum prt_cls_verdict parse_ipv6(const uint8_t *p, size_t avail, bool quoted,
	struct prt_ip_view *v)
{
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)p;
	size_t plen;

	if (avail < IP6_LEN)
		return PRT_CLS_TRUNCATED;
	if ((p[0] >> 4) != 6)
		return PRT_CLS_BAD_IP_HEADER;
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if (plen > avail - IP6_LEN) {
		if (!quoted)
			return PRT_CLS_TRUNCATED;
		plen = avail - IP6_LEN;
	}
	if (embeds_ipv4(ip6->src_addr) || embeds_ipv4(ip6->dst_addr))
		return PRT_CLS_BAD_IP_HEADER;
	memcpy(v->src.b, ip6->src_addr, 16);
	memcpy(v->dst.b, ip6->dst_addr, 16);
	v->src_raw = ip6->src_addr;
	v->dst_raw = ip6->dst_addr;
	v->v6 = true;
	v->ttl = ip6->hop_limits;
	v->ip_id = 0;
	return skip_extensions(ip6->proto, p + IP6_LEN, plen, &v->proto, &v->l4, &v->l4_len);
}

enum prt_cls_verdict cls_parse_quoted6(const uint8_t *p, size_t avail, struct prt_ip_view *q)
{
	return parse_ipv6(p, avail, true, q); /* the 8 bytes a module reads: cls_unreachable */
}

enum prt_cls_verdict cls_view6(const struct prt_cls_ctx *ctx, const uint8_t *p, size_t avail,
	struct prt_ip_view *v)
{
	enum prt_cls_verdict rc = parse_ipv6(p, avail, false, v);

	if (rc != PRT_CLS_RESULT)
		return rc;
	if (prt_addr_is_v4(&ctx->keys.our_ip6) || prt_addr_cmp(&v->dst, &ctx->keys.our_ip6) != 0)
		return PRT_CLS_NOT_FOR_US;
	return PRT_CLS_RESULT;
}
