/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_CLASSIFY_PRIV_H
#define PRT_CLASSIFY_PRIV_H

/* The classifier's inside: one view of an IPv4 or IPv6 datagram, so the
 * TCP, UDP and ICMP readers are the same for both families. */

#include <stdbool.h>
#include <string.h>

#include "prt_bswap.h"
#include "prt_classify.h"
#include "prt_csum.h"

#define CLS_ETH_LEN 14
#define CLS_ICMP_LEN 8

/* A datagram whose header was checked; l4 and l4_len bound its payload. */
struct ip_view {
	struct prt_addr src;
	struct prt_addr dst;
	const uint8_t *src_raw; /* as stored: 4 or 16 bytes (pseudo headers) */
	const uint8_t *dst_raw;
	bool v6;
	uint8_t proto;          /* upper-layer protocol */
	uint8_t ttl;            /* TTL or hop limit */
	const uint8_t *l4;
	size_t l4_len;
};

/* Sum of the pseudo header of the view's family for @p len bytes of @p proto. */
static inline uint32_t cls_phdr(const struct ip_view *v, uint8_t proto, size_t len)
{
	uint32_t s, d;

	if (v->v6)
		return prt_csum_pseudo6(v->src_raw, v->dst_raw, proto, (uint32_t)len);
	memcpy(&s, v->src_raw, 4);
	memcpy(&d, v->dst_raw, 4);
	return prt_csum_pseudo4(s, d, proto, (uint16_t)len);
}

/* Our source address for the view's family. */
static inline bool cls_is_ours(const struct prt_cls_ctx *ctx, const struct prt_addr *a)
{
	return prt_addr_is_v4(a) ? prt_addr_v4(a) == ctx->our_ip :
		prt_addr_cmp(a, &ctx->our_ip6) == 0;
}

struct prt_cookie cls_cookie_of(const struct prt_cls_ctx *ctx, const struct prt_addr *target,
	uint16_t tport, uint8_t proto);
enum prt_cls_verdict cls_check_target(const struct prt_cls_ctx *ctx, const struct prt_addr *a,
	uint16_t port, uint8_t proto, struct prt_cls_out *out);
enum prt_cls_verdict cls_tcp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out);
enum prt_cls_verdict cls_echo_reply(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out);
enum prt_cls_verdict cls_udp(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out);
/* The probe quoted by an ICMP(v6) error (its first 8 L4 bytes): our port and target. */
enum prt_cls_verdict cls_quoted_probe(const struct prt_cls_ctx *ctx, const struct ip_view *q,
	const struct prt_probe_ops *p, uint16_t *tport);
/* Fill the result of an ICMP(v6) error quoting our probe to (q->dst, tport). */
enum prt_cls_verdict cls_unreachable(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	const struct ip_view *q, bool port_unreach, struct prt_cls_out *out);
/* The upper layer of a checked datagram, by protocol. */
enum prt_cls_verdict cls_l4(const struct prt_cls_ctx *ctx, const struct ip_view *v,
	struct prt_cls_out *out);
/* The IPv6 datagram an ICMPv6 error quotes (it may be cut short): at least 8 L4 bytes. */
enum prt_cls_verdict cls_parse_quoted6(const uint8_t *p, size_t avail, struct ip_view *q);
enum prt_cls_verdict cls_ipv6(const struct prt_cls_ctx *ctx, const uint8_t *p, size_t avail,
	struct prt_cls_out *out);

#endif
