/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A burst of the walk. The positions of a slice are pos, pos + stride, ...:
 * their (hi, lo) split is carried from one to the next by adding the
 * stride's own split, so no position costs a division. The rounds of one
 * position are a chain of dependent multiplies; sixteen positions run side
 * by side, in the 32-bit lanes of two AVX2 registers each for hi and lo
 * (below 2^31) where the CPU has them, two independent chains the CPU
 * overlaps, else as independent scalar chains.
 */
#include <immintrin.h>

#include "prt_common.h"
#include "prt_target.h"

#define LANES 16 /* two AVX2 registers of eight: two independent chains overlap */

typedef void (*encrypt_fn)(const struct prt_perm *perm, uint32_t h[LANES], uint32_t l[LANES]);

static void encrypt_scalar(const struct prt_perm *perm, uint32_t h[LANES], uint32_t l[LANES])
{
	for (int r = 0; r < PRT_PERM_ROUNDS; r += 2) {
		for (int j = 0; j < LANES; j++)
			h[j] = prt_perm_addmod(h[j], prt_perm_round(perm, r, l[j], perm->a), perm->a);
		for (int j = 0; j < LANES; j++)
			l[j] = prt_perm_addmod(l[j], prt_perm_round(perm, r + 1, h[j], perm->b),
				perm->b);
	}
}

/* prt_perm_round() then prt_perm_addmod() on eight lanes: x += F_r(v) mod m. */
PRT_AVX2 static __m256i round8(const struct prt_perm *perm, int r, __m256i x, __m256i v,
	__m256i m)
{
	__m256i h = _mm256_mullo_epi32(_mm256_xor_si256(v,
		_mm256_set1_epi32((int)perm->round_key[r])), _mm256_set1_epi32((int)perm->round_mul[r]));
	__m256i even, odd, f, s;

	/* the high half of h * m: even lanes from one 32x32->64 multiply, odd from another */
	even = _mm256_srli_epi64(_mm256_mul_epu32(h, m), 32);
	odd = _mm256_mul_epu32(_mm256_srli_epi64(h, 32), m);
	f = _mm256_blend_epi32(even, odd, 0xaa);
	s = _mm256_add_epi32(x, f);
	/* below m already, or s - m: the smaller unsigned of the two */
	return _mm256_min_epu32(s, _mm256_sub_epi32(s, m));
}

PRT_AVX2 static void encrypt_avx2(const struct prt_perm *perm, uint32_t h[LANES],
	uint32_t l[LANES])
{
	__m256i h0 = _mm256_loadu_si256((const __m256i *)h);
	__m256i h1 = _mm256_loadu_si256((const __m256i *)(h + 8));
	__m256i l0 = _mm256_loadu_si256((const __m256i *)l);
	__m256i l1 = _mm256_loadu_si256((const __m256i *)(l + 8));
	const __m256i a = _mm256_set1_epi32((int)perm->a), b = _mm256_set1_epi32((int)perm->b);

	for (int r = 0; r < PRT_PERM_ROUNDS; r += 2) {
		h0 = round8(perm, r, h0, l0, a);
		h1 = round8(perm, r, h1, l1, a);
		l0 = round8(perm, r + 1, l0, h0, b);
		l1 = round8(perm, r + 1, l1, h1, b);
	}
	_mm256_storeu_si256((__m256i *)h, h0);
	_mm256_storeu_si256((__m256i *)(h + 8), h1);
	_mm256_storeu_si256((__m256i *)l, l0);
	_mm256_storeu_si256((__m256i *)(l + 8), l1);
}

static unsigned burst_lanes(struct prt_walk *w, uint64_t *pairs, unsigned count,
	encrypt_fn encrypt)
{
	const struct prt_perm *perm = w->perm;
	const uint32_t b = perm->b;
	uint32_t hi = (uint32_t)(w->pos / b), lo = (uint32_t)(w->pos % b);
	uint32_t off_hi[LANES + 1], off_lo[LANES + 1]; /* the split of j x stride */
	unsigned i;

	if (count < LANES)
		return 0;
	off_hi[0] = off_lo[0] = 0;
	for (int j = 1; j <= LANES; j++) {
		uint32_t l = off_lo[j - 1] + (uint32_t)(w->stride % b);
		off_hi[j] = off_hi[j - 1] + (uint32_t)(w->stride / b) + (l >= b);
		off_lo[j] = l >= b ? l - b : l;
	}
	for (i = 0; i + LANES <= count; i += LANES) {
		uint32_t h[LANES], l[LANES];

		/* independent per lane: the compiler vectorises it */
		for (int j = 0; j < LANES; j++) {
			uint32_t s = lo + off_lo[j];
			h[j] = hi + off_hi[j] + (s >= b);
			l[j] = s >= b ? s - b : s;
		}
		lo += off_lo[LANES];
		hi += off_hi[LANES] + (lo >= b);
		lo -= lo >= b ? b : 0;
		encrypt(perm, h, l);
		for (int j = 0; j < LANES; j++) {
			uint64_t x = (uint64_t)h[j] * b + l[j];
			/* rare: the cycle walk, as in prt_perm_at_split() */
			pairs[i + j] = x < perm->n ? x : prt_perm_at_split(perm, h[j], l[j]);
		}
	}
	w->pos += (uint64_t)i * w->stride;
	return i;
}

unsigned prt_walk_next_burst(struct prt_walk *w, uint64_t *pairs, unsigned max)
{
	uint64_t left = w->pos < w->perm->n ? (w->perm->n - w->pos + w->stride - 1) / w->stride : 0;
	unsigned count = left < max ? (unsigned)left : max;
	unsigned i = burst_lanes(w, pairs, count,
		prt_cpu_has_avx2() ? encrypt_avx2 : encrypt_scalar);

	for (; i < count; i++) {
		pairs[i] = prt_perm_at(w->perm, w->pos);
		w->pos += w->stride;
	}
	return count;
}
