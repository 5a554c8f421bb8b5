/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "cmocka_common.h"
#include "prt_cookie.h"

/* The reference vector of the SipHash paper (appendix A): key 00..0f,
 * message 00..0e, SipHash-2-4 = a129ca6149be45e5. */
static void siphash_reference_vector(void **state)
{
	struct prt_cookie_key key = {0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
	uint8_t msg[15];

	(void)state;
	for (int i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	assert_true(prt_siphash24(&key, msg, sizeof(msg)) == 0xa129ca6149be45e5ULL);
	/* first entry of the reference implementation's vectors: empty message */
	assert_true(prt_siphash24(&key, msg, 0) == 0x726fdb47dd0e0e31ULL);
}

/* SipHash-1-3 with the all-zero key, as other implementations publish it
 * (the 64-bit values for "" and "siphash"). */
static void siphash13_known_values(void **state)
{
	const struct prt_cookie_key zero = {0, 0};

	(void)state;
	assert_true(prt_siphash13(&zero, "", 0) == 0xd1fba762150c532cULL);
	assert_true(prt_siphash13(&zero, "siphash", 7) == 0x8264ceeccb16bcbeULL);
}

static void two_word_path_equals_generic(void **state)
{
	struct prt_cookie_key key;

	(void)state;
	prt_cookie_key_from_seed(&key, 99);
	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t m[2] = {i * 0x9e3779b97f4a7c15ULL, ~i};
		uint8_t bytes[16];
		for (int b = 0; b < 8; b++) {
			bytes[b] = (uint8_t)(m[0] >> (8 * b));
			bytes[8 + b] = (uint8_t)(m[1] >> (8 * b));
		}
		assert_true(prt_siphash13_2w(&key, m[0], m[1]) == prt_siphash13(&key, bytes, 16));
	}
}

/* The IPv6 cookie is SipHash-1-3 over saddr, daddr and a little-endian
 * proto:port word: the generic function over those 40 bytes agrees. */
static void v6_cookie_equals_generic(void **state)
{
	struct prt_cookie_key key;
	uint8_t msg[40], s6[16], d6[16];

	(void)state;
	prt_cookie_key_from_seed(&key, 4242);
	for (int t = 0; t < 200; t++) {
		uint16_t port = (uint16_t)(t * 331 + 7);
		uint64_t tail = ((uint64_t)6 << 16) | port;
		for (int i = 0; i < 16; i++) {
			s6[i] = (uint8_t)(i * 17 + t);
			d6[i] = (uint8_t)(255 - i * 3 - t);
		}
		memcpy(msg, s6, 16);
		memcpy(msg + 16, d6, 16);
		for (int i = 0; i < 8; i++)
			msg[32 + i] = (uint8_t)(tail >> (8 * i));
		uint64_t h = prt_siphash13(&key, msg, sizeof(msg));
		struct prt_cookie want = prt_cookie_from_hash(h, 32768, 28232);
		struct prt_cookie got = prt_cookie_v6(&key, s6, d6, port, 6, 32768, 28232);
		assert_int_equal(got.seq, want.seq);
		assert_int_equal(got.sport, want.sport);
		assert_int_equal(got.ip_id, want.ip_id);
	}
}

static void cookie_fields(void **state)
{
	struct prt_cookie_key k1, k2;
	int same_seq = 0;

	(void)state;
	prt_cookie_key_from_seed(&k1, 1);
	prt_cookie_key_from_seed(&k2, 2);
	for (uint32_t ip = 0; ip < 5000; ip++) {
		struct prt_cookie a = prt_cookie_v4(&k1, 0xc6120002, 0xc6130000 + ip, 80, 6, 40000, 100);
		struct prt_cookie b = prt_cookie_v4(&k1, 0xc6120002, 0xc6130000 + ip, 80, 6, 40000, 100);
		struct prt_cookie c = prt_cookie_v4(&k2, 0xc6120002, 0xc6130000 + ip, 80, 6, 40000, 100);
		assert_int_equal(a.seq, b.seq);
		assert_int_equal(a.sport, b.sport);
		assert_true(a.sport >= 40000 && a.sport < 40100);
		same_seq += a.seq == c.seq;
	}
	assert_true(same_seq < 3); /* another key, other cookies */
	struct prt_cookie one = prt_cookie_v4(&k1, 1, 2, 3, 6, 5555, 1);
	assert_int_equal(one.sport, 5555);
}

/* The burst path (AVX2 lanes where the CPU has them, then the scalar tail)
 * gives every probe the cookie prt_cookie_v4() gives it, for every burst
 * length around the lane count. */
static void burst_equals_one_by_one(void **state)
{
	struct prt_cookie_key key;
	uint32_t daddr[40];
	uint16_t dport[40];
	uint8_t proto[40];
	struct prt_cookie got[40];

	(void)state;
	prt_cookie_key_from_seed(&key, 77);
	for (unsigned n = 0; n <= 40; n++) {
		for (unsigned i = 0; i < n; i++) {
			daddr[i] = 0xc6130000u + i * 7919u + n;
			dport[i] = (uint16_t)(i * 4099u + n);
			proto[i] = (i & 1) ? 17 : 6;
		}
		prt_cookie_v4_burst(&key, 0xc6120002, daddr, dport, proto, n, 32768, 28232, got);
		for (unsigned i = 0; i < n; i++) {
			struct prt_cookie want = prt_cookie_v4(&key, 0xc6120002, daddr[i], dport[i],
				proto[i], 32768, 28232);
			assert_int_equal(got[i].seq, want.seq);
			assert_int_equal(got[i].sport, want.sport);
			assert_int_equal(got[i].ip_id, want.ip_id);
		}
	}
}

static void random_keys_differ(void **state)
{
	struct prt_cookie_key a, b;

	(void)state;
	assert_int_equal(prt_cookie_key_random(&a), 0);
	assert_int_equal(prt_cookie_key_random(&b), 0);
	assert_true(a.k0 != b.k0 || a.k1 != b.k1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(siphash_reference_vector),
		cmocka_unit_test(siphash13_known_values),
		cmocka_unit_test(two_word_path_equals_generic),
		cmocka_unit_test(v6_cookie_equals_generic),
		cmocka_unit_test(cookie_fields),
		cmocka_unit_test(burst_equals_one_by_one),
		cmocka_unit_test(random_keys_differ),
	};
	return cmocka_run_group_tests_name("cookie", tests, NULL, NULL);
}
