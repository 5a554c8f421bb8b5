/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_COOKIE_H
#define PRT_COOKIE_H

/**
 * @file
 * Stateless probe validation. A per-scan 128-bit key and SipHash-2-4 over the
 * flow give every probe its TCP sequence number and source port; a reply is
 * ours only if it echoes them. Nothing is stored per target.
 */

#include <stdint.h>

/** Per-scan secret key. */
struct prt_cookie_key {
	uint64_t k0;
	uint64_t k1;
};

/** What a probe to one (dst ip, dst port) carries. */
struct prt_cookie {
	uint32_t seq;   /**< TCP initial sequence number */
	uint16_t sport; /**< source port, within the configured range */
	uint16_t ip_id; /**< IPv4 identification */
};

/** SipHash-2-4 of @p len bytes (reference algorithm, any length). */
uint64_t prt_siphash24(const struct prt_cookie_key *key, const void *data, size_t len);

/** SipHash-2-4 of exactly two 64-bit words: the fast path for probes. */
uint64_t prt_siphash24_2w(const struct prt_cookie_key *key, uint64_t m0, uint64_t m1);

/**
 * Fill a key from the kernel's random source (getrandom).
 * @return 0 or -errno
 */
int prt_cookie_key_random(struct prt_cookie_key *key);

/** Derive a key from a user seed, so a scan is reproducible with --seed. */
void prt_cookie_key_from_seed(struct prt_cookie_key *key, uint64_t seed);

/**
 * Cookie for an IPv4 probe. Addresses in host order.
 * @param sport_base first source port of the range
 * @param sport_count number of source ports in the range (>= 1)
 */
static inline struct prt_cookie
prt_cookie_v4(const struct prt_cookie_key *key, uint32_t saddr, uint32_t daddr, uint16_t dport,
	uint8_t proto, uint16_t sport_base, uint32_t sport_count)
{
	uint64_t h = prt_siphash24_2w(key, ((uint64_t)saddr << 32) | daddr,
		((uint64_t)proto << 16) | dport);
	struct prt_cookie c = {
		.seq = (uint32_t)h,
		.sport = (uint16_t)(sport_base + (uint32_t)((h >> 32) % sport_count)),
		.ip_id = (uint16_t)(h >> 48),
	};
	return c;
}

#endif
