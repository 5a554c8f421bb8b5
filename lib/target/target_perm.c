/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scan order (see struct prt_perm). A Feistel network is a bijection
 * whatever its round function, also with modular addition on halves of
 * different ranges; walking the cycle (re-encrypting while the value is
 * >= n) turns the bijection on [0, a * b) into one on [0, n) (Black &
 * Rogaway's cycle walking).
 */
#include <errno.h>

#include "prt_target.h"

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdULL;
	z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ULL;
	return z ^ (z >> 33);
}

/* The least a with a * a >= n (n <= 2^62, so a <= 2^31). */
static uint64_t ceil_sqrt(uint64_t n)
{
	uint64_t lo = 1, hi = 1ULL << 31;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (mid * mid >= n)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int prt_perm_init(struct prt_perm *perm, uint64_t n, uint64_t seed)
{
	uint64_t a;

	if (n == 0 || n > PRT_PERM_MAX)
		return -EINVAL;
	a = ceil_sqrt(n);
	perm->n = n;
	perm->a = (uint32_t)a;
	perm->b = (uint32_t)((n + a - 1) / a);
	for (int r = 0; r < PRT_PERM_ROUNDS; r++) {
		uint64_t z = mix64(seed + 0x9e3779b97f4a7c15ULL * (uint64_t)(r + 1));
		perm->round_key[r] = (uint32_t)z;
		perm->round_mul[r] = (uint32_t)(z >> 32) | 1;
	}
	return 0;
}

/* x - y mod m, both below m. */
static inline uint32_t submod(uint32_t x, uint32_t y, uint32_t m)
{
	return x >= y ? x - y : x + (m - y);
}

static inline void decrypt(const struct prt_perm *perm, uint32_t *hi, uint32_t *lo)
{
	for (int r = PRT_PERM_ROUNDS - 2; r >= 0; r -= 2) {
		*lo = submod(*lo, prt_perm_round(perm, r + 1, *hi, perm->b), perm->b);
		*hi = submod(*hi, prt_perm_round(perm, r, *lo, perm->a), perm->a);
	}
}

/* Cycle walking backwards: decrypt until the value is back in range. */
uint64_t prt_perm_position(const struct prt_perm *perm, uint64_t v)
{
	uint32_t hi = (uint32_t)(v / perm->b), lo = (uint32_t)(v % perm->b);
	uint64_t x;

	do {
		decrypt(perm, &hi, &lo);
		x = (uint64_t)hi * perm->b + lo;
	} while (x >= perm->n);
	return x;
}
