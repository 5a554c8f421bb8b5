/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Strict parsers: every field a user types goes through these, so that
 * "80x", "-1" or "1e3" are errors instead of being read as something else.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "prt_common.h"
#include "prt_result.h"

int prt_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (const char *p = s; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int prt_parse_si(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char num[32];
	uint64_t mult = 1, v;
	size_t n;
	int rc;

	if (s == NULL)
		return -EINVAL;
	n = strlen(s);
	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'k': case 'K': mult = 1000ULL; break;
	case 'm': case 'M': mult = 1000000ULL; break;
	case 'g': case 'G': mult = 1000000000ULL; break;
	default: break;
	}
	if (mult != 1)
		num[n - 1] = '\0';
	rc = prt_parse_u64(num, 0, UINT64_MAX / mult, &v);
	if (rc != 0)
		return rc;
	v *= mult;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int prt_parse_ipv4(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	int octets = 0;
	const char *p = s;

	if (s == NULL)
		return -EINVAL;
	while (octets < 4) {
		unsigned o = 0;
		int digits = 0;

		while (isdigit((unsigned char)*p)) {
			if (digits > 0 && o == 0)
				return -EINVAL; /* leading zero: ambiguous (octal?) */
			o = o * 10 + (unsigned)(*p - '0');
			if (++digits > 3 || o > 255)
				return -EINVAL;
			p++;
		}
		if (digits == 0)
			return -EINVAL;
		v = (v << 8) | o;
		octets++;
		if (octets < 4) {
			if (*p != '.')
				return -EINVAL;
			p++;
		}
	}
	if (*p != '\0')
		return -EINVAL;
	*ip = v;
	return 0;
}

int prt_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char sep, tail;

	if (s == NULL || strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const char *h = s + i * 3;
		if (!isxdigit((unsigned char)h[0]) || !isxdigit((unsigned char)h[1]))
			return -EINVAL;
		if (i < 5 && h[2] != sep)
			return -EINVAL;
		if (sscanf(h, "%2x%c", &b[i], &tail) < 1)
			return -EINVAL;
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

const char *prt_ipv4_str(uint32_t ip, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
		ip & 0xff);
	return buf;
}

int prt_parse_ipv6(const char *s, struct prt_addr *a)
{
	/* inet_pton also takes the dotted tail form (::ffff:1.2.3.4): fine, the
	 * family check of the caller then sees an IPv4-mapped address */
	return strchr(s, ':') != NULL && inet_pton(AF_INET6, s, a->b) == 1 ? 0 : -1;
}

char *prt_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}
