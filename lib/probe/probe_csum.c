/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_byteorder.h>

#include "prt_csum.h"

/* 2^16 = 1 modulo 2^16 - 1, so 32-bit halves of 8-byte loads add up to the
 * same folded sum as the 16-bit words (RFC 1071 section 2): a quarter of
 * the additions for every header the RX lcore verifies. */
uint32_t prt_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = sum;

	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		acc += (w & 0xffffffff) + (w >> 32);
	}
	if (len >= 4) {
		uint32_t w;
		memcpy(&w, p, 4);
		acc += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t w;
		memcpy(&w, p, 2);
		acc += w;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		uint16_t w = 0;
		memcpy(&w, p, 1); /* odd byte padded with a zero byte after it */
		acc += w;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint32_t prt_csum_pseudo4(uint32_t saddr_be, uint32_t daddr_be, uint8_t proto, uint16_t l4_len)
{
	uint32_t sum = 0;

	sum = prt_csum_add32(sum, saddr_be);
	sum = prt_csum_add32(sum, daddr_be);
	sum += rte_cpu_to_be_16((uint16_t)proto);
	sum += rte_cpu_to_be_16(l4_len);
	return sum;
}

uint32_t prt_csum_pseudo6(const uint8_t *saddr, const uint8_t *daddr, uint8_t proto,
	uint32_t l4_len)
{
	uint32_t tail[2] = {rte_cpu_to_be_32(l4_len), rte_cpu_to_be_32(proto)};
	uint32_t sum = prt_csum_add(0, tail, sizeof(tail));

	if (saddr != NULL)
		sum = prt_csum_add(sum, saddr, 16);
	if (daddr != NULL)
		sum = prt_csum_add(sum, daddr, 16);
	return sum;
}
