/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A burst of the walk. The Feistel rounds of one position are a chain of
 * dependent multiplies; eight positions in the 32-bit lanes of AVX2
 * registers (a half is at most 31 bits) run their rounds side by side. A
 * lane whose image falls outside [0, n) finishes its cycle walk in scalar
 * code. CPUs without AVX2, and the rest of a burst, take prt_perm_at().
 */
#include <immintrin.h>

#include "prt_common.h"
#include "prt_target.h"

#define LANES 8

/* One pass of the network over eight (left, right) halves. */
PRT_AVX2 static void encrypt8(const struct prt_perm *perm, uint32_t left[LANES],
	uint32_t right[LANES])
{
	__m256i l = _mm256_loadu_si256((const __m256i *)left);
	__m256i r = _mm256_loadu_si256((const __m256i *)right);
	const __m128i shift = _mm_cvtsi32_si128((int)perm->shift);

	for (int i = 0; i < PRT_PERM_ROUNDS; i++) {
		__m256i f = _mm256_xor_si256(r, _mm256_set1_epi32((int)perm->round_key[i]));
		f = _mm256_mullo_epi32(f, _mm256_set1_epi32((int)perm->round_mul[i]));
		f = _mm256_srl_epi32(f, shift);
		f = _mm256_xor_si256(l, f);
		l = r;
		r = f;
	}
	_mm256_storeu_si256((__m256i *)left, l);
	_mm256_storeu_si256((__m256i *)right, r);
}

PRT_AVX2 static unsigned burst_avx2(struct prt_walk *w, uint64_t *pairs, unsigned count)
{
	const struct prt_perm *perm = w->perm;
	uint32_t left[LANES], right[LANES];
	unsigned i;

	for (i = 0; i + LANES <= count; i += LANES) {
		for (int j = 0; j < LANES; j++) {
			uint64_t x = w->pos + (uint64_t)j * w->stride;
			left[j] = (uint32_t)(x >> perm->half_bits);
			right[j] = (uint32_t)(x & perm->half_mask);
		}
		encrypt8(perm, left, right);
		for (int j = 0; j < LANES; j++) {
			uint64_t x = ((uint64_t)left[j] << perm->half_bits) | right[j];
			while (x >= perm->n) /* cycle walking, as in prt_perm_at() */
				x = prt_perm_encrypt(perm, x);
			pairs[i + j] = x;
		}
		w->pos += LANES * w->stride;
	}
	return i;
}

unsigned prt_walk_next_burst(struct prt_walk *w, uint64_t *pairs, unsigned max)
{
	uint64_t left = w->pos < w->perm->n ? (w->perm->n - w->pos + w->stride - 1) / w->stride : 0;
	unsigned count = left < max ? (unsigned)left : max, i = 0;

	if (prt_cpu_has_avx2())
		i = burst_avx2(w, pairs, count);
	for (; i < count; i++) {
		pairs[i] = prt_perm_at(w->perm, w->pos);
		w->pos += w->stride;
	}
	return count;
}
