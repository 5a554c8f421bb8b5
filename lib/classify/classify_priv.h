/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_CLASSIFY_PRIV_H
#define PRT_CLASSIFY_PRIV_H

/* The classifier's inside: one view of an IPv4 or IPv6 datagram
 * (struct prt_ip_view), so ICMP and the modules' readers are the same for
 * both families. */

#include <stdbool.h>
#include <string.h>

#include "prt_bswap.h"
#include "prt_classify.h"
#include "prt_csum.h"

#define CLS_ETH_LEN 14
#define CLS_ICMP_LEN 8

/* Our source address for the view's family. */
static inline bool cls_is_ours(const struct prt_cls_ctx *ctx, const struct prt_addr *a)
{
	return prt_addr_is_v4(a) ? prt_addr_v4(a) == ctx->keys.our_ip :
		prt_addr_cmp(a, &ctx->keys.our_ip6) == 0;
}

/* A datagram of a scanned protocol, to its arm's module; then the pair it answers. */
enum prt_cls_verdict cls_reply(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	struct prt_cls_out *out);
/* Fill the result of an ICMP(v6) error quoting our probe to (q->dst, tport). */
enum prt_cls_verdict cls_unreachable(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	const struct prt_ip_view *q, bool port_unreach, struct prt_cls_out *out);
/* The upper layer of a checked datagram, by protocol. */
enum prt_cls_verdict cls_l4(const struct prt_cls_ctx *ctx, const struct prt_ip_view *v,
	struct prt_cls_out *out);
/* The IPv6 datagram an ICMPv6 error quotes (it may be cut short): at least 8 L4 bytes. */
enum prt_cls_verdict cls_parse_quoted6(const uint8_t *p, size_t avail, struct prt_ip_view *q);
/* An IPv6 datagram to us (extension headers skipped): its view. */
enum prt_cls_verdict cls_view6(const struct prt_cls_ctx *ctx, const uint8_t *p, size_t avail,
	struct prt_ip_view *v);

#endif
