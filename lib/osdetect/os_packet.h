/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An answer's IPv4 header seen with its lengths checked, and how a test
 * writes its numbers (hex, as nmap prints them) and its TTL.
 */
#ifndef OS_PACKET_H
#define OS_PACKET_H

#include <stdio.h>

#include "prt_osdetect.h"

struct ip4 {
	const uint8_t *p;   /**< the header */
	size_t hlen, len;   /**< header length; total as received (not as claimed) */
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline bool ip4_view(const uint8_t *p, size_t len, uint8_t proto, struct ip4 *v)
{
	if (p == NULL || len < 20 || (p[0] >> 4) != 4 || (p[0] & 0x0f) < 5 || p[9] != proto)
		return false;
	v->p = p;
	v->hlen = (size_t)(p[0] & 0x0f) * 4;
	v->len = be16(p + 2) < len ? be16(p + 2) : len;
	return v->len >= v->hlen;
}

static inline void set_hex(struct prt_os_fp *fp, const char *test, const char *attr, uint64_t v)
{
	char s[20];

	snprintf(s, sizeof(s), "%llX", (unsigned long long)v);
	prt_os_fp_set(fp, test, attr, s);
}

/* nmap's guess of the TTL the host started with. */
static inline unsigned initial_ttl(unsigned ttl)
{
	return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

/* T when the hop distance is known (the answer's TTL plus the hops it took
 * after leaving the host), else TG, the usual initial value above it. */
static inline void set_ttl(struct prt_os_fp *fp, const char *test, unsigned ttl, int distance)
{
	if (distance > 0)
		set_hex(fp, test, "T", ttl + (unsigned)distance - 1);
	else
		set_hex(fp, test, "TG", initial_ttl(ttl));
}

#endif
