/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SipHash-2-4 (Aumasson & Bernstein), written from the paper's description.
 * It is a keyed PRF: without the key nobody can forge a reply that passes.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "prt_cookie.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip_state {
	uint64_t v0, v1, v2, v3;
};

static inline void sip_round(struct sip_state *s)
{
	s->v0 += s->v1;
	s->v1 = ROTL(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = ROTL(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = ROTL(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = ROTL(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = ROTL(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = ROTL(s->v2, 32);
}

static inline void sip_init(struct sip_state *s, const struct prt_cookie_key *key)
{
	s->v0 = key->k0 ^ 0x736f6d6570736575ULL;
	s->v1 = key->k1 ^ 0x646f72616e646f6dULL;
	s->v2 = key->k0 ^ 0x6c7967656e657261ULL;
	s->v3 = key->k1 ^ 0x7465646279746573ULL;
}

static inline void sip_compress(struct sip_state *s, uint64_t m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

static inline uint64_t sip_final(struct sip_state *s)
{
	s->v2 ^= 0xff;
	sip_round(s);
	sip_round(s);
	sip_round(s);
	sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

static inline uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t prt_siphash24(const struct prt_cookie_key *key, const void *data, size_t len)
{
	const uint8_t *p = data;
	struct sip_state s;
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	size_t i;

	sip_init(&s, key);
	for (i = 0; i + 8 <= len; i += 8)
		sip_compress(&s, load_le64(p + i));
	for (size_t j = 0; i + j < len; j++)
		last |= (uint64_t)p[i + j] << (8 * j);
	sip_compress(&s, last);
	return sip_final(&s);
}

uint64_t prt_siphash24_2w(const struct prt_cookie_key *key, uint64_t m0, uint64_t m1)
{
	struct sip_state s;

	/* Same result as prt_siphash24() over the 16 little-endian bytes. */
	sip_init(&s, key);
	sip_compress(&s, m0);
	sip_compress(&s, m1);
	sip_compress(&s, (uint64_t)16 << 56);
	return sip_final(&s);
}

int prt_cookie_key_random(struct prt_cookie_key *key)
{
	uint64_t k[2];

	if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k))
		return -errno;
	key->k0 = k[0];
	key->k1 = k[1];
	return 0;
}

/* splitmix64: spreads a small user seed over all key bits. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void prt_cookie_key_from_seed(struct prt_cookie_key *key, uint64_t seed)
{
	uint64_t x = seed ^ 0x70727469702d6b65ULL; /* "prtip-ke" */

	key->k0 = splitmix64(&x);
	key->k1 = splitmix64(&x);
}
