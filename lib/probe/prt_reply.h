/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_REPLY_H
#define PRT_REPLY_H

/**
 * @file
 * What a probe module and the classifier share about a reply. The
 * classifier parses the Ethernet and IP headers (every length checked) into
 * a family-neutral view of the datagram and hands it to the module whose
 * protocol it carries; the module checks its own header, checksum and
 * cookie and says what the answer means. ICMP errors are the classifier's to
 * parse; the probe they quote is checked by the module that sent it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "prt_cookie.h"
#include "prt_csum.h"
#include "prt_result.h"
#include "prt_target.h"

struct prt_udp_payloads;

/** Why a frame was not a result. Counted per reason. */
enum prt_cls_verdict {
	PRT_CLS_RESULT = 0,     /**< a valid answer: see the result */
	PRT_CLS_NOT_IPV4,       /**< neither IPv4 nor IPv6 (ARP and NDP are handled before) */
	PRT_CLS_TRUNCATED,      /**< shorter than its headers say */
	PRT_CLS_BAD_IP_HEADER,  /**< version, IHL or total length wrong; IPv6 with IPv4 inside */
	PRT_CLS_BAD_CHECKSUM,   /**< IPv4, TCP or ICMP checksum wrong */
	PRT_CLS_FRAGMENT,       /**< fragments are never ours */
	PRT_CLS_NOT_FOR_US,     /**< destination is not our source IP */
	PRT_CLS_BAD_COOKIE,     /**< port/sequence do not match our probe */
	PRT_CLS_NOT_TARGET,     /**< source is not in the scan */
	PRT_CLS_UNEXPECTED,     /**< ours, but flags/ICMP type carry no answer */
	PRT_CLS_OTHER_PROTO,    /**< IPv4 but neither TCP nor ICMP */
	PRT_CLS_DUPLICATE,      /**< for a pair already answered (see ctx->answered): no drop */
	PRT_CLS_VERDICT_COUNT
};

/** A datagram whose IP header was checked; l4 and l4_len bound its payload. */
struct prt_ip_view {
	struct prt_addr src;
	struct prt_addr dst;
	const uint8_t *src_raw; /**< as stored: 4 or 16 bytes (pseudo headers) */
	const uint8_t *dst_raw;
	bool v6;
	uint8_t proto;          /**< upper-layer protocol */
	uint8_t ttl;            /**< TTL or hop limit */
	uint16_t ip_id;         /**< IPv4 identification (0 for IPv6) */
	const uint8_t *l4;
	size_t l4_len;
};

/** Sum of the pseudo header of the view's family for @p len bytes of @p proto. */
static inline uint32_t prt_ip_view_phdr(const struct prt_ip_view *v, uint8_t proto, size_t len)
{
	uint32_t s, d;

	if (v->v6)
		return prt_csum_pseudo6(v->src_raw, v->dst_raw, proto, (uint32_t)len);
	memcpy(&s, v->src_raw, 4);
	memcpy(&d, v->dst_raw, 4);
	return prt_csum_pseudo4(s, d, proto, (uint16_t)len);
}

/** What a module needs to recompute the cookie of a probe it sent. */
struct prt_reply_keys {
	const struct prt_cookie_key *key;
	uint32_t our_ip;         /**< host order */
	struct prt_addr our_ip6; /**< IPv6 probes' source (when the scan has IPv6 targets) */
	uint16_t sport_base;
	uint32_t sport_count;
	const struct prt_udp_payloads *udp; /**< -sU: which answers echo a cookie field */
};

/** The cookie of our probe to (@p target, @p tport) over @p proto: the source
 * port it came from and the sequence number its answer must echo. */
static inline struct prt_cookie prt_reply_cookie(const struct prt_reply_keys *k,
	const struct prt_addr *target, uint16_t tport, uint8_t proto)
{
	if (prt_addr_is_v4(target))
		return prt_cookie_v4(k->key, k->our_ip, prt_addr_v4(target), tport, proto,
			k->sport_base, k->sport_count);
	return prt_cookie_v6(k->key, k->our_ip6.b, target->b, tport, proto, k->sport_base,
		k->sport_count);
}

/** Start the result of an answer from @p v's source to our probe to @p tport. */
static inline void prt_reply_result(struct prt_result *r, const struct prt_ip_view *v,
	uint16_t tport, uint8_t proto)
{
	r->addr = v->src;
	r->port = tport;
	r->proto = proto;
	r->ttl = v->ttl;
}

/** What an answer asks of us besides its result. */
struct prt_reply_answer {
	uint16_t our_port; /**< our source port of the flow */
	uint8_t send_rst;  /**< a SYN-ACK to our SYN: reset it to free the target's slot */
	uint32_t rst_seq;  /**< the sequence number that reset must carry */
};

#endif
