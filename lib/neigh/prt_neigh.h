/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_NEIGH_H
#define PRT_NEIGH_H

/**
 * @file
 * ARP and IPv6 neighbor discovery (NDP) on the DPDK port: resolve the
 * gateways' MACs, and answer requests / solicitations for the scanner's own
 * source addresses (no kernel owns them, so nobody else will). Works on
 * frame bytes; the caller moves them in and out of mbufs.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_result.h"

#define PRT_NEIGH_FRAME_LEN 42 /* Ethernet + ARP, before padding */
#define PRT_NEIGH_FRAME_MAX 128 /* room for any frame this library builds */

struct prt_neigh {
	uint8_t our_mac[6];
	uint32_t our_ip;      /**< host order */
	uint32_t gw_ip;       /**< host order; 0 when the gateway MAC was given */
	uint8_t gw_mac[6];
	bool gw_known;        /**< written by the resolver, read after it returns */
	/* IPv6 */
	struct prt_addr our_ip6;
	bool has_ip6;         /**< answer solicitations for our_ip6 */
	struct prt_addr gw_ip6;
	bool gw6_wanted;      /**< resolve gw_ip6 (false when its MAC was given) */
	uint8_t gw_mac6[6];
	bool gw6_known;
};

enum prt_neigh_verdict {
	PRT_NEIGH_NOT_ARP = 0, /**< neither ARP nor NDP: for the classifier */
	PRT_NEIGH_IGNORED,     /**< ARP/NDP, but nothing to do (others' addresses, RAs) */
	PRT_NEIGH_REPLY,       /**< a request for our address: reply built */
	PRT_NEIGH_LEARNED,     /**< the gateway's address is now known */
	PRT_NEIGH_BOGUS,       /**< truncated or malformed ARP/NDP, bad checksum or hop limit */
};

/** Build a broadcast "who-has @p target_ip" from us into @p frame (>= 60 bytes). @return length */
size_t prt_neigh_build_request(const struct prt_neigh *n, uint32_t target_ip, uint8_t *frame);

/** Build a neighbor solicitation for @p target into @p frame (>= 96 bytes). @return length */
size_t prt_neigh_build_solicit(const struct prt_neigh *n, const struct prt_addr *target,
	uint8_t *frame);

/** The IPv6 part of prt_neigh_input(): NDP in ICMPv6, or PRT_NEIGH_NOT_ARP. */
enum prt_neigh_verdict prt_neigh_input6(struct prt_neigh *n, const uint8_t *frame, size_t len,
	uint8_t *reply, size_t *reply_len);

/**
 * Handle one received frame. On PRT_NEIGH_REPLY, @p reply
 * (PRT_NEIGH_FRAME_MAX bytes) holds the answer and @p reply_len its length.
 */
enum prt_neigh_verdict prt_neigh_input(struct prt_neigh *n, const uint8_t *frame, size_t len,
	uint8_t *reply, size_t *reply_len);

#endif
