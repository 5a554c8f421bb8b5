/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scan order. A balanced Feistel network is a bijection on 2^(2h)
 * values for any round function; walking the cycle (re-encrypting while the
 * value is >= n) turns it into a bijection on [0, n) (Black & Rogaway's
 * cycle walking, as masscan's BlackRock does). The domain is at most 4n,
 * so a position costs on average under four encryptions.
 */
#include <errno.h>

#include "prt_target.h"

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdULL;
	z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ULL;
	return z ^ (z >> 33);
}

int prt_perm_init(struct prt_perm *perm, uint64_t n, uint64_t seed)
{
	unsigned bits = 0;

	if (n == 0 || n > (1ULL << 62))
		return -EINVAL;
	while (bits < 64 && (1ULL << bits) < n)
		bits++;
	perm->n = n;
	perm->half_bits = bits < 2 ? 1 : (bits + 1) / 2;
	perm->shift = 32 - perm->half_bits;
	perm->half_mask = (1ULL << perm->half_bits) - 1;
	for (int r = 0; r < PRT_PERM_ROUNDS; r++) {
		uint64_t z = mix64(seed + 0x9e3779b97f4a7c15ULL * (uint64_t)(r + 1));
		perm->round_key[r] = (uint32_t)z;
		perm->round_mul[r] = (uint32_t)(z >> 32) | 1;
	}
	return 0;
}

static inline uint64_t decrypt(const struct prt_perm *perm, uint64_t x)
{
	uint64_t left = x >> perm->half_bits, right = x & perm->half_mask;

	for (int r = PRT_PERM_ROUNDS - 1; r >= 0; r--) {
		uint64_t prev = right ^ prt_perm_round(perm, r, left);
		right = left;
		left = prev;
	}
	return (left << perm->half_bits) | right;
}

/* Cycle walking backwards: decrypt until the value is back in range. */
uint64_t prt_perm_position(const struct prt_perm *perm, uint64_t v)
{
	uint64_t x = v;

	do
		x = decrypt(perm, x);
	while (x >= perm->n);
	return x;
}
