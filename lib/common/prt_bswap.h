/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_BSWAP_H
#define PRT_BSWAP_H

/**
 * @file
 * Host <-> network byte order for the per-packet paths. DPDK 22.11's x86
 * rte_bswap16()/rte_bswap32() of a run-time value are `asm volatile`
 * (xchgb, bswap): the compiler may not schedule, merge or fold them, and
 * xchgb of two byte registers stalls on a partial register. These are the
 * compiler's builtins: the same result, one rol/bswap/movbe it can place.
 */

#include <stdint.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint16_t prt_be16(uint16_t x)
{
	return __builtin_bswap16(x);
}

static inline uint32_t prt_be32(uint32_t x)
{
	return __builtin_bswap32(x);
}

static inline uint64_t prt_be64(uint64_t x)
{
	return __builtin_bswap64(x);
}
#else
static inline uint16_t prt_be16(uint16_t x)
{
	return x;
}

static inline uint32_t prt_be32(uint32_t x)
{
	return x;
}

static inline uint64_t prt_be64(uint64_t x)
{
	return x;
}
#endif

#endif
