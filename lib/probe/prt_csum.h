/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_CSUM_H
#define PRT_CSUM_H

/**
 * @file
 * Internet checksum (RFC 1071) pieces. Sums are of 16-bit words as they lie
 * in memory; the one's complement sum is byte-order independent, so a
 * network-order field can be added as stored. Templates keep the sum of
 * their constant bytes and add only what changes per probe (RFC 1624 style).
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** Add @p len bytes at @p data to a running 32-bit sum. */
uint32_t prt_csum_add(uint32_t sum, const void *data, size_t len);

/** Add a 32-bit value as stored in memory (two 16-bit words). */
static inline uint32_t prt_csum_add32(uint32_t sum, uint32_t stored)
{
	return sum + (stored & 0xffff) + (stored >> 16);
}

/** The sum of a 16-byte (IPv6) address as stored, inline: two 64-bit loads,
 * folded below 2^17 so that adding it to a template's sum cannot overflow. */
static inline uint32_t prt_csum_addr16(const uint8_t *a)
{
	uint64_t w0, w1, acc;

	memcpy(&w0, a, 8);
	memcpy(&w1, a + 8, 8);
	acc = (w0 & 0xffffffff) + (w0 >> 32) + (w1 & 0xffffffff) + (w1 >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)((acc & 0xffff) + (acc >> 16));
}

/** Fold a running sum to 16 bits and complement it: the field value. */
static inline uint16_t prt_csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/**
 * Sum of the IPv4 pseudo header for TCP/UDP (addresses in network order as
 * stored, protocol, L4 length in host order).
 */
uint32_t prt_csum_pseudo4(uint32_t saddr_be, uint32_t daddr_be, uint8_t proto, uint16_t l4_len);

/**
 * Sum of the IPv6 pseudo header (RFC 8200 8.1): addresses as stored (NULL
 * adds nothing, for a destination patched in later), upper-layer length and
 * next header. The sum is the same in any byte order of the host.
 */
uint32_t prt_csum_pseudo6(const uint8_t *saddr, const uint8_t *daddr, uint8_t proto,
	uint32_t l4_len);

#endif
