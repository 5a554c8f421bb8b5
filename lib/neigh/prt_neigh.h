/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_NEIGH_H
#define PRT_NEIGH_H

/**
 * @file
 * ARP on the DPDK port: resolve the gateway's MAC, and answer requests for
 * the scanner's own source address (no kernel owns that address, so nobody
 * else will). Works on frame bytes; the caller moves them in and out of mbufs.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRT_NEIGH_FRAME_LEN 42 /* Ethernet + ARP, before padding */

struct prt_neigh {
	uint8_t our_mac[6];
	uint32_t our_ip;      /**< host order */
	uint32_t gw_ip;       /**< host order; 0 when the gateway MAC was given */
	uint8_t gw_mac[6];
	bool gw_known;        /**< written by the resolver, read after it returns */
};

enum prt_neigh_verdict {
	PRT_NEIGH_NOT_ARP = 0, /**< not an ARP frame */
	PRT_NEIGH_IGNORED,     /**< ARP, but nothing to do */
	PRT_NEIGH_REPLY,       /**< a request for our address: reply built */
	PRT_NEIGH_LEARNED,     /**< the gateway's address is now known */
	PRT_NEIGH_BOGUS,       /**< truncated or malformed ARP */
};

/** Build a broadcast "who-has @p target_ip" from us into @p frame (>= 60 bytes). @return length */
size_t prt_neigh_build_request(const struct prt_neigh *n, uint32_t target_ip, uint8_t *frame);

/**
 * Handle one received frame. On PRT_NEIGH_REPLY, @p reply (>= 60 bytes) holds
 * the answer and @p reply_len its length.
 */
enum prt_neigh_verdict prt_neigh_input(struct prt_neigh *n, const uint8_t *frame, size_t len,
	uint8_t *reply, size_t *reply_len);

#endif
