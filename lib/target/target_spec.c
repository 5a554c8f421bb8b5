/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Target spec grammar (nmap's, without hostnames: a DPDK scanner has no
 * resolver on its data path and must not guess):
 *   198.18.0.1            one address
 *   198.18.0.0/20         CIDR (host bits are ignored, as in nmap)
 *   198.18.0.1-198.18.3.9 inclusive range
 *   198.18.0-3.1-254      octet ranges; items may be "a", "a-b", "-b", "a-", "*",
 *                         comma-separated ("198.18.1,3.*")
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_target.h"

/* An octet spec expands to at most this many ranges (one per value of the
 * first three octets): 2^24 covers "*.*.*.*". */
#define MAX_OCTET_RANGES (1u << 24)

#define SPEC_ERR(...) (snprintf(err, errlen, __VA_ARGS__), -EINVAL)

/* The address in spec[0, end): @return 0 or -EINVAL */
static int parse_ipv4_prefix(const char *spec, const char *end, uint32_t *ip)
{
	char addr[16];
	size_t n = (size_t)(end - spec);

	if (n >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, spec, n);
	addr[n] = '\0';
	return prt_parse_ipv4(addr, ip);
}

static int parse_cidr(struct prt_target_set *set, const char *spec, const char *slash,
	char *err, size_t errlen)
{
	uint64_t bits;
	uint32_t ip, mask;

	if (parse_ipv4_prefix(spec, slash, &ip) != 0)
		return SPEC_ERR("bad target '%s': '%.*s' is not an IPv4 address", spec,
			(int)(slash - spec), spec);
	if (prt_parse_u64(slash + 1, 0, 32, &bits) != 0)
		return SPEC_ERR("bad target '%s': prefix length must be 0-32", spec);
	mask = bits == 0 ? 0 : ~0u << (32 - bits);
	return prt_target_set_add_range(set, ip & mask, (ip & mask) | ~mask);
}

static int parse_full_range(struct prt_target_set *set, const char *spec, const char *dash,
	char *err, size_t errlen)
{
	uint32_t first, last;

	if (parse_ipv4_prefix(spec, dash, &first) != 0 || prt_parse_ipv4(dash + 1, &last) != 0)
		return SPEC_ERR("bad target '%s': not an IPv4 range a.b.c.d-e.f.g.h", spec);
	if (first > last)
		return SPEC_ERR("bad target '%s': range start is after its end", spec);
	return prt_target_set_add_range(set, first, last);
}

/* One octet's items as a 256-bit membership map. */
static int parse_octet(const char *s, size_t len, uint8_t member[32])
{
	size_t i = 0;

	memset(member, 0, 32);
	if (len == 0)
		return -EINVAL;
	while (i < len) {
		size_t j = i;
		char item[16];
		unsigned lo = 0, hi = 255;

		while (j < len && s[j] != ',')
			j++;
		if (j - i == 0 || j - i >= sizeof(item))
			return -EINVAL;
		memcpy(item, s + i, j - i);
		item[j - i] = '\0';
		if (strcmp(item, "*") != 0) {
			char *dash = strchr(item, '-');
			uint64_t v;
			if (dash == NULL) {
				if (prt_parse_u64(item, 0, 255, &v) != 0)
					return -EINVAL;
				lo = hi = (unsigned)v;
			} else {
				*dash = '\0';
				if (item[0] != '\0') {
					if (prt_parse_u64(item, 0, 255, &v) != 0)
						return -EINVAL;
					lo = (unsigned)v;
				}
				if (dash[1] != '\0') {
					if (prt_parse_u64(dash + 1, 0, 255, &v) != 0)
						return -EINVAL;
					hi = (unsigned)v;
				}
				if (lo > hi)
					return -EINVAL;
			}
		}
		for (unsigned v = lo; v <= hi; v++)
			member[v >> 3] |= (uint8_t)(1u << (v & 7));
		i = j + 1;
		if (j < len && i == len)
			return -EINVAL; /* trailing comma */
	}
	return 0;
}

static inline int is_member(const uint8_t member[32], unsigned v)
{
	return (member[v >> 3] >> (v & 7)) & 1;
}

static unsigned member_count(const uint8_t member[32])
{
	unsigned c = 0;

	for (unsigned v = 0; v < 256; v++)
		c += (unsigned)is_member(member, v);
	return c;
}

static int add_last_octet_runs(struct prt_target_set *set, uint32_t prefix,
	const uint8_t member[32])
{
	for (unsigned v = 0; v < 256; v++) {
		unsigned start = v;
		if (!is_member(member, v))
			continue;
		while (v + 1 < 256 && is_member(member, v + 1))
			v++;
		if (prt_target_set_add_range(set, prefix | start, prefix | v) != 0)
			return -ENOMEM;
	}
	return 0;
}

static int parse_octets(struct prt_target_set *set, const char *spec, char *err, size_t errlen)
{
	uint8_t m[4][32];
	const char *p = spec;
	uint64_t expansions;

	for (int o = 0; o < 4; o++) {
		const char *end = strchr(p, '.');
		if (o < 3 && end == NULL)
			return SPEC_ERR("bad target '%s': expected four octets", spec);
		if (o == 3) {
			if (end != NULL)
				return SPEC_ERR("bad target '%s': expected four octets", spec);
			end = p + strlen(p);
		}
		if (parse_octet(p, (size_t)(end - p), m[o]) != 0)
			return SPEC_ERR("bad target '%s': octet %d '%.*s' is not a number, range or *",
				spec, o + 1, (int)(end - p), p);
		p = end + 1;
	}
	expansions = (uint64_t)member_count(m[0]) * member_count(m[1]) * member_count(m[2]);
	if (expansions > MAX_OCTET_RANGES)
		return SPEC_ERR("bad target '%s': too many ranges", spec);
	for (unsigned a = 0; a < 256; a++) {
		if (!is_member(m[0], a))
			continue;
		for (unsigned b = 0; b < 256; b++) {
			if (!is_member(m[1], b))
				continue;
			for (unsigned c = 0; c < 256; c++) {
				if (is_member(m[2], c) &&
				    add_last_octet_runs(set, (a << 24) | (b << 16) | (c << 8), m[3]))
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/* "a.b.c.d-e.f.g.h" has a whole address on each side of its dash; octet
 * ranges such as "198.19.0-1.1-2" or "198.19.0.250-" do not. */
static bool is_full_range(const char *spec, const char *dash)
{
	int before = 0, after = 0;

	for (const char *p = spec; *p != '\0'; p++)
		*(p < dash ? &before : &after) += *p == '.';
	return before == 3 && after == 3;
}

int prt_target_set_add_spec(struct prt_target_set *set, const char *spec, char *err,
	size_t errlen)
{
	const char *slash = strchr(spec, '/');
	const char *dash = strchr(spec, '-');
	uint32_t ip;

	if (*spec == '\0')
		return SPEC_ERR("empty target spec");
	if (strchr(spec, ':') != NULL)
		return prt_target_set_add_spec6(set, spec, err, errlen);
	if (strspn(spec, "0123456789.,-*/") != strlen(spec))
		return SPEC_ERR("bad target '%s': not an IPv4/IPv6 address, CIDR or range "
				"(hostnames are not resolved)", spec);
	if (slash != NULL)
		return parse_cidr(set, spec, slash, err, errlen);
	if (dash != NULL && is_full_range(spec, dash))
		return parse_full_range(set, spec, dash, err, errlen);
	if (strpbrk(spec, ",-*") != NULL)
		return parse_octets(set, spec, err, errlen);
	if (prt_parse_ipv4(spec, &ip) != 0)
		return SPEC_ERR("bad target '%s': not an IPv4 address", spec);
	return prt_target_set_add_range(set, ip, ip);
}

int prt_target_set_add_list(struct prt_target_set *set, const char *list, char *err,
	size_t errlen)
{
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	if (copy == NULL)
		return -ENOMEM;
	if (strspn(list, " \t") == strlen(list)) {
		free(copy);
		snprintf(err, errlen, "empty target list");
		return -EINVAL;
	}
	/* A comma inside an octet spec ("198.18.1,3.*") belongs to the octet:
	 * split the list only on commas that are followed by a full spec. */
	for (char *tok = strtok_r(copy, " \t", &save); tok != NULL && rc == 0;
		tok = strtok_r(NULL, " \t", &save)) {
		char *start = tok;
		for (char *c = tok;; c++) {
			if (*c == ',' || *c == '\0') {
				int dots = 0;
				for (char *d = c + (*c != '\0'); *d != '\0' && *d != ','; d++)
					dots += *d == '.';
				if (*c == '\0' || dots >= 3) {
					char save_c = *c;
					*c = '\0';
					rc = prt_target_set_add_spec(set, start, err, errlen);
					if (rc != 0 || save_c == '\0')
						break;
					start = c + 1;
				}
			}
		}
	}
	free(copy);
	return rc;
}
