/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SipHash (Aumasson & Bernstein), written from the paper's description, with
 * c compression and d finalisation rounds: 2-4 is the paper's reference (and
 * its test vector checks this code), 1-3 is what the cookie uses. It is a
 * keyed PRF: without the key nobody can forge a reply that passes.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "prt_cookie.h"

static inline uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t siphash(const struct prt_cookie_key *key, const void *data, size_t len, int c,
	int d)
{
	const uint8_t *p = data;
	struct prt_sip_state s;
	uint64_t last = (uint64_t)(len & 0xff) << 56;
	size_t i;

	prt_sip_init(&s, key);
	for (i = 0; i + 8 <= len; i += 8)
		prt_sip_compress(&s, load_le64(p + i), c);
	for (size_t j = 0; i + j < len; j++)
		last |= (uint64_t)p[i + j] << (8 * j);
	prt_sip_compress(&s, last, c);
	return prt_sip_final(&s, d);
}

uint64_t prt_siphash24(const struct prt_cookie_key *key, const void *data, size_t len)
{
	return siphash(key, data, len, 2, 4);
}

uint64_t prt_siphash13(const struct prt_cookie_key *key, const void *data, size_t len)
{
	return siphash(key, data, len, 1, 3);
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
