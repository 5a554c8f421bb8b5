/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_COOKIE_H
#define PRT_COOKIE_H

/**
 * @file
 * Stateless probe validation. A per-scan 128-bit key and SipHash-1-3 over the
 * flow give every probe its TCP sequence number and source port; a reply is
 * ours only if it echoes them. Nothing is stored per target.
 *
 * Why SipHash-1-3 and not 2-4: the cookie is computed for every probe sent
 * and every reply received, and 1-3 does 6 rounds for a two-word message
 * instead of 10. It is still a keyed PRF nobody has broken (Python's string
 * hash and Rust's HashMap use it); a forger who never sees our probes would
 * have to guess 48 bits (sequence number and source port) per reply.
 */

#include <stdint.h>
#include <string.h>

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

/** SipHash-2-4 of @p len bytes (the paper's reference parameters, any length). */
uint64_t prt_siphash24(const struct prt_cookie_key *key, const void *data, size_t len);

/** SipHash-1-3 of @p len bytes (the cookie's parameters, any length). */
uint64_t prt_siphash13(const struct prt_cookie_key *key, const void *data, size_t len);

/* SipHash's state and steps, inline so the per-probe cookie can be
 * interleaved by the compiler across a burst. */
#define PRT_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct prt_sip_state {
	uint64_t v0, v1, v2, v3;
};

static inline void prt_sip_round(struct prt_sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = PRT_ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = PRT_ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = PRT_ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = PRT_ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = PRT_ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = PRT_ROTL(s->v2, 32);
}

static inline void prt_sip_init(struct prt_sip_state *s, const struct prt_cookie_key *key)
{
	s->v0 = key->k0 ^ 0x736f6d6570736575ULL;
	s->v1 = key->k1 ^ 0x646f72616e646f6dULL;
	s->v2 = key->k0 ^ 0x6c7967656e657261ULL;
	s->v3 = key->k1 ^ 0x7465646279746573ULL;
}

/* One message word with @p c rounds (c is a constant: the loop unrolls). */
static inline void prt_sip_compress(struct prt_sip_state *s, uint64_t m, int c)
{
	s->v3 ^= m;
	for (int i = 0; i < c; i++)
		prt_sip_round(s);
	s->v0 ^= m;
}

static inline uint64_t prt_sip_final(struct prt_sip_state *s, int d)
{
	s->v2 ^= 0xff;
	for (int i = 0; i < d; i++)
		prt_sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

/** SipHash-1-3 of exactly two 64-bit words: the fast path for probes. */
static inline uint64_t prt_siphash13_2w(const struct prt_cookie_key *key, uint64_t m0,
	uint64_t m1)
{
	struct prt_sip_state s;

	/* Same result as prt_siphash13() over the 16 little-endian bytes. */
	prt_sip_init(&s, key);
	prt_sip_compress(&s, m0, 1);
	prt_sip_compress(&s, m1, 1);
	prt_sip_compress(&s, (uint64_t)16 << 56, 1);
	return prt_sip_final(&s, 3);
}

/**
 * Fill a key from the kernel's random source (getrandom).
 * @return 0 or -errno
 */
int prt_cookie_key_random(struct prt_cookie_key *key);

/** Derive a key from a user seed, so a scan is reproducible with --seed. */
void prt_cookie_key_from_seed(struct prt_cookie_key *key, uint64_t seed);

/** The fields of a cookie from its hash. */
static inline struct prt_cookie prt_cookie_from_hash(uint64_t h, uint16_t sport_base,
	uint32_t sport_count)
{
	struct prt_cookie c = {
		.seq = (uint32_t)h,
		/* (h32 * count) >> 32 maps h32 onto [0, count) without a divide */
		.sport = (uint16_t)(sport_base + (uint32_t)(((h >> 32) * sport_count) >> 32)),
		.ip_id = (uint16_t)(h >> 48),
	};
	return c;
}

/**
 * Cookie for an IPv4 probe. Addresses in host order.
 * @param sport_base first source port of the range
 * @param sport_count number of source ports in the range (>= 1)
 */
static inline struct prt_cookie
prt_cookie_v4(const struct prt_cookie_key *key, uint32_t saddr, uint32_t daddr, uint16_t dport,
	uint8_t proto, uint16_t sport_base, uint32_t sport_count)
{
	uint64_t h = prt_siphash13_2w(key, ((uint64_t)saddr << 32) | daddr,
		((uint64_t)proto << 16) | dport);

	return prt_cookie_from_hash(h, sport_base, sport_count);
}

/**
 * prt_cookie_v4() of @p n probes from @p saddr: four at a time in AVX2
 * registers where the CPU has them. Addresses in host order.
 */
void prt_cookie_v4_burst(const struct prt_cookie_key *key, uint32_t saddr, const uint32_t *daddr,
	const uint16_t *dport, const uint8_t *proto, unsigned n, uint16_t sport_base,
	uint32_t sport_count, struct prt_cookie *out);

/**
 * Cookie for an IPv6 probe: SipHash-1-3 over source, destination (16 bytes
 * each, network order) and proto:port, the same as prt_siphash13() over
 * those 40 bytes.
 */
static inline struct prt_cookie
prt_cookie_v6(const struct prt_cookie_key *key, const uint8_t saddr[16], const uint8_t daddr[16],
	uint16_t dport, uint8_t proto, uint16_t sport_base, uint32_t sport_count)
{
	struct prt_sip_state s;
	uint64_t m[4];

	memcpy(m, saddr, 16);
	memcpy(m + 2, daddr, 16);
	prt_sip_init(&s, key);
	for (int i = 0; i < 4; i++)
		prt_sip_compress(&s, m[i], 1); /* little-endian words, as the reference reads them */
	prt_sip_compress(&s, ((uint64_t)proto << 16) | dport, 1);
	prt_sip_compress(&s, (uint64_t)40 << 56, 1); /* the length block */
	return prt_cookie_from_hash(prt_sip_final(&s, 3), sport_base, sport_count);
}

#endif
