/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and updates):
 * addresses that are never a legitimate Internet scan target. They are
 * excluded by default; --allow-special-ranges scans them (lab networks, and
 * this project's own tests, which live in 198.18.0.0/15 and 2001:2::/48).
 */
#include "prt_common.h"
#include "prt_target.h"

#define NET(a, b, c, d, bits) \
	{((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d), \
	 (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d)) | \
		 (uint32_t)((bits) == 32 ? 0 : (0xffffffffu >> (bits)))}

static const struct {
	uint32_t first, last;
} special[] = {
	NET(0, 0, 0, 0, 8),         /* "this network" */
	NET(10, 0, 0, 0, 8),        /* private use */
	NET(100, 64, 0, 0, 10),     /* shared address space (CGN) */
	NET(127, 0, 0, 0, 8),       /* loopback */
	NET(169, 254, 0, 0, 16),    /* link local */
	NET(172, 16, 0, 0, 12),     /* private use */
	NET(192, 0, 0, 0, 24),      /* IETF protocol assignments */
	NET(192, 0, 2, 0, 24),      /* documentation (TEST-NET-1) */
	NET(192, 88, 99, 0, 24),    /* deprecated 6to4 relay anycast */
	NET(192, 168, 0, 0, 16),    /* private use */
	NET(198, 18, 0, 0, 15),     /* benchmarking */
	NET(198, 51, 100, 0, 24),   /* documentation (TEST-NET-2) */
	NET(203, 0, 113, 0, 24),    /* documentation (TEST-NET-3) */
	NET(224, 0, 0, 0, 4),       /* multicast */
	NET(240, 0, 0, 0, 4),       /* reserved, and limited broadcast */
};

/* The IANA IPv6 Special-Purpose Address Registry (RFC 6890 and updates) that
 * is not globally reachable, plus multicast. ::ffff:0:0/96 is left out: it
 * is how IPv4 targets are held, and their own registry above applies. */
static const struct {
	const char *prefix;
	unsigned bits;
} special6[] = {
	{"::", 128},           /* unspecified */
	{"::1", 128},          /* loopback */
	{"64:ff9b:1::", 48},   /* local-use IPv4/IPv6 translation */
	{"100::", 64},         /* discard-only */
	{"2001::", 23},        /* IETF protocol assignments, incl. benchmarking 2001:2::/48 */
	{"2001:db8::", 32},    /* documentation */
	{"3fff::", 20},        /* documentation (RFC 9637) */
	{"5f00::", 16},        /* segment routing SIDs */
	{"fc00::", 7},         /* unique local */
	{"fe80::", 10},        /* link local */
	{"ff00::", 8},         /* multicast */
};

int prt_target_set_add_special(struct prt_target_set *set)
{
	for (size_t i = 0; i < PRT_ARRAY_SIZE(special); i++)
		if (prt_target_set_add_range(set, special[i].first, special[i].last) != 0)
			return -1;
	for (size_t i = 0; i < PRT_ARRAY_SIZE(special6); i++) {
		struct prt_addr a;
		prt_u128 first, host;
		if (prt_parse_ipv6(special6[i].prefix, &a) != 0)
			return -1;
		host = special6[i].bits == 128 ? 0 : (((prt_u128)1 << (128 - special6[i].bits)) - 1);
		first = prt_u128_from_addr(&a) & ~host;
		if (prt_target_set_add_range128(set, first, first | host) != 0)
			return -1;
	}
	return 0;
}
