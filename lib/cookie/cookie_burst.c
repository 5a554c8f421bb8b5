/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cookies of a burst of IPv4 probes. SipHash is a chain of dependent
 * 64-bit adds, rotates and xors, so one hash keeps few ALUs busy; four
 * independent hashes in the four 64-bit lanes of AVX2 registers do four
 * times the work per instruction. The TX lcore spent over a quarter of its
 * time in scalar SipHash. CPUs without AVX2 take the scalar loop, and so
 * does the rest of a burst that is not a multiple of four.
 */
#include <immintrin.h>

#include "prt_common.h"
#include "prt_cookie.h"


PRT_AVX2 static inline __m256i rotl(__m256i x, int b)
{
	return _mm256_or_si256(_mm256_slli_epi64(x, b), _mm256_srli_epi64(x, 64 - b));
}

/* A rotate by 16 is a byte shuffle: byte j of each lane takes byte j - 2. */
PRT_AVX2 static inline __m256i rotl16(__m256i x)
{
	const __m256i idx = _mm256_setr_epi8(6, 7, 0, 1, 2, 3, 4, 5, 14, 15, 8, 9, 10, 11, 12,
		13, 6, 7, 0, 1, 2, 3, 4, 5, 14, 15, 8, 9, 10, 11, 12, 13);

	return _mm256_shuffle_epi8(x, idx);
}

/* A rotate by 32 swaps the halves of each lane. */
PRT_AVX2 static inline __m256i rotl32(__m256i x)
{
	return _mm256_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1));
}

struct sip4 {
	__m256i v0, v1, v2, v3;
};

/* prt_sip_round() on four lanes. */
PRT_AVX2 static inline void round4(struct sip4 *s)
{
	s->v0 = _mm256_add_epi64(s->v0, s->v1);
	s->v1 = rotl(s->v1, 13);
	s->v1 = _mm256_xor_si256(s->v1, s->v0);
	s->v0 = rotl32(s->v0);
	s->v2 = _mm256_add_epi64(s->v2, s->v3);
	s->v3 = rotl16(s->v3);
	s->v3 = _mm256_xor_si256(s->v3, s->v2);
	s->v0 = _mm256_add_epi64(s->v0, s->v3);
	s->v3 = rotl(s->v3, 21);
	s->v3 = _mm256_xor_si256(s->v3, s->v0);
	s->v2 = _mm256_add_epi64(s->v2, s->v1);
	s->v1 = rotl(s->v1, 17);
	s->v1 = _mm256_xor_si256(s->v1, s->v2);
	s->v2 = rotl32(s->v2);
}

/* SipHash-1-3 compression of one word per lane. */
PRT_AVX2 static inline void compress4(struct sip4 *s, __m256i m)
{
	s->v3 = _mm256_xor_si256(s->v3, m);
	round4(s);
	s->v0 = _mm256_xor_si256(s->v0, m);
}

/* prt_siphash13_2w() of four (m0, m1) pairs. */
PRT_AVX2 static void siphash13_2w_x4(const struct prt_cookie_key *key, __m256i m0, __m256i m1,
	uint64_t h[4])
{
	struct sip4 s = {
		.v0 = _mm256_set1_epi64x((long long)(key->k0 ^ 0x736f6d6570736575ULL)),
		.v1 = _mm256_set1_epi64x((long long)(key->k1 ^ 0x646f72616e646f6dULL)),
		.v2 = _mm256_set1_epi64x((long long)(key->k0 ^ 0x6c7967656e657261ULL)),
		.v3 = _mm256_set1_epi64x((long long)(key->k1 ^ 0x7465646279746573ULL)),
	};

	compress4(&s, m0);
	compress4(&s, m1);
	compress4(&s, _mm256_set1_epi64x((long long)((uint64_t)16 << 56)));
	s.v2 = _mm256_xor_si256(s.v2, _mm256_set1_epi64x(0xff));
	round4(&s);
	round4(&s);
	round4(&s);
	_mm256_storeu_si256((__m256i *)h, _mm256_xor_si256(_mm256_xor_si256(s.v0, s.v1),
		_mm256_xor_si256(s.v2, s.v3)));
}

PRT_AVX2 static unsigned burst_avx2(const struct prt_cookie_key *key, uint32_t saddr,
	const uint32_t *daddr, const uint16_t *dport, const uint8_t *proto, unsigned n,
	uint16_t sport_base, uint32_t sport_count, struct prt_cookie *out)
{
	const __m256i src = _mm256_set1_epi64x((long long)((uint64_t)saddr << 32));
	unsigned i;

	for (i = 0; i + 4 <= n; i += 4) {
		__m256i m0 = _mm256_or_si256(src,
			_mm256_cvtepu32_epi64(_mm_loadu_si128((const __m128i *)(daddr + i))));
		__m256i m1 = _mm256_setr_epi64x(
			(long long)(((uint64_t)proto[i] << 16) | dport[i]),
			(long long)(((uint64_t)proto[i + 1] << 16) | dport[i + 1]),
			(long long)(((uint64_t)proto[i + 2] << 16) | dport[i + 2]),
			(long long)(((uint64_t)proto[i + 3] << 16) | dport[i + 3]));
		uint64_t h[4];

		siphash13_2w_x4(key, m0, m1, h);
		for (int j = 0; j < 4; j++)
			out[i + j] = prt_cookie_from_hash(h[j], sport_base, sport_count);
	}
	return i;
}

void prt_cookie_v4_burst(const struct prt_cookie_key *key, uint32_t saddr, const uint32_t *daddr,
	const uint16_t *dport, const uint8_t *proto, unsigned n, uint16_t sport_base,
	uint32_t sport_count, struct prt_cookie *out)
{
	unsigned i = 0;

	if (prt_cpu_has_avx2())
		i = burst_avx2(key, saddr, daddr, dport, proto, n, sport_base, sport_count, out);
	for (; i < n; i++)
		out[i] = prt_cookie_v4(key, saddr, daddr[i], dport[i], proto[i], sport_base,
			sport_count);
}
