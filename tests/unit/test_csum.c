/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "cmocka_common.h"
#include "prt_csum.h"

/* A textbook IPv4 header whose checksum field is b861. */
static void ipv4_header_vector(void **state)
{
	uint8_t h[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
		0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	uint16_t c;

	(void)state;
	c = prt_csum_fold(prt_csum_add(0, h, sizeof(h)));
	assert_int_equal(rte_be_to_cpu_16(c), 0xb861);
	memcpy(h + 10, &c, 2);
	assert_int_equal(prt_csum_fold(prt_csum_add(0, h, sizeof(h))), 0);
}

/* RFC 1071's worked example: the one's complement sum of 0001 f203 f4f5
 * f6f7 is ddf2, so the checksum is 220d. */
static void rfc1071_example(void **state)
{
	const uint8_t d[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	(void)state;
	assert_int_equal(rte_be_to_cpu_16(prt_csum_fold(prt_csum_add(0, d, 8))), 0x220d);
}

static void odd_length_and_incremental(void **state)
{
	uint8_t buf[1501];

	(void)state;
	srand(3);
	for (int round = 0; round < 200; round++) {
		size_t len = (size_t)(rand() % (int)sizeof(buf));
		size_t cut = len ? (size_t)(rand() % (int)len) & ~(size_t)1 : 0;
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();
		/* against DPDK's own implementation */
		assert_int_equal(prt_csum_fold(prt_csum_add(0, buf, len)),
			(uint16_t)~rte_raw_cksum(buf, len));
		/* summing in two pieces (even split) equals one pass */
		assert_int_equal(prt_csum_fold(prt_csum_add(prt_csum_add(0, buf, cut), buf + cut,
			len - cut)), prt_csum_fold(prt_csum_add(0, buf, len)));
	}
}

/* The inline sum of an IPv6 address folds as the general one does, all-ones
 * words (the carries) included, and stays below 2^17. */
static void address_sum_inline(void **state)
{
	uint8_t a[16];

	(void)state;
	srand(7);
	for (int i = 0; i < 100000; i++) {
		for (int k = 0; k < 16; k++)
			a[k] = i < 2 ? (uint8_t)(i ? 0xff : 0) : (uint8_t)rand();
		uint32_t s = prt_csum_addr16(a);
		assert_true(s < (1u << 17));
		assert_int_equal(prt_csum_fold(s + 0x1234), prt_csum_fold(prt_csum_add(0x1234, a, 16)));
	}
}

static void pseudo_header_matches_dpdk(void **state)
{
	struct rte_ipv4_hdr ip = {0};

	(void)state;
	ip.version_ihl = RTE_IPV4_VHL_DEF;
	ip.total_length = rte_cpu_to_be_16(44);
	ip.next_proto_id = 6;
	ip.src_addr = rte_cpu_to_be_32(0xc6120002);
	ip.dst_addr = rte_cpu_to_be_32(0xc61300ff);
	assert_int_equal(prt_csum_fold(prt_csum_pseudo4(ip.src_addr, ip.dst_addr, 6, 24)),
		(uint16_t)~rte_ipv4_phdr_cksum(&ip, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_header_vector),
		cmocka_unit_test(rfc1071_example),
		cmocka_unit_test(odd_length_and_incremental),
		cmocka_unit_test(pseudo_header_matches_dpdk),
		cmocka_unit_test(address_sum_inline),
	};
	return cmocka_run_group_tests_name("csum", tests, NULL, NULL);
}
