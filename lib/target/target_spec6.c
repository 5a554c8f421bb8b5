/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 target specs: "2001:2::5", "2001:2::/120", "2001:2::1-2001:2::ff".
 * An IPv4-mapped address (::ffff:198.18.0.1) is the IPv4 target it maps.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "prt_common.h"
#include "prt_target.h"

#define SPEC_ERR(...) (snprintf(err, errlen, __VA_ARGS__), -EINVAL)

/* The address in spec[0, len). @return 0 or -1 */
static int parse_part(const char *spec, size_t len, prt_u128 *v)
{
	char buf[PRT_ADDR_STRLEN];
	struct prt_addr a;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, spec, len);
	buf[len] = '\0';
	if (prt_parse_ipv6(buf, &a) != 0)
		return -1;
	*v = prt_u128_from_addr(&a);
	return 0;
}

int prt_target_set_add_spec6(struct prt_target_set *set, const char *spec, char *err,
	size_t errlen)
{
	const char *slash = strchr(spec, '/'), *dash = strchr(spec, '-');
	prt_u128 first, last;
	uint64_t bits;

	if (slash != NULL) {
		if (parse_part(spec, (size_t)(slash - spec), &first) != 0)
			return SPEC_ERR("bad target '%s': not an IPv6 address before '/'", spec);
		if (prt_parse_u64(slash + 1, 0, 128, &bits) != 0)
			return SPEC_ERR("bad target '%s': IPv6 prefix length must be 0-128", spec);
		/* the host part: all ones for /0 (no 1 << 128), none for /128 */
		prt_u128 host = bits == 0 ? ~(prt_u128)0 : (((prt_u128)1 << (128 - bits)) - 1);
		first &= ~host;
		last = first | host;
	} else if (dash != NULL) {
		if (parse_part(spec, (size_t)(dash - spec), &first) != 0 ||
		    parse_part(dash + 1, strlen(dash + 1), &last) != 0)
			return SPEC_ERR("bad target '%s': expected FIRST-LAST IPv6 addresses", spec);
		if (last < first)
			return SPEC_ERR("bad target '%s': the range ends before it starts", spec);
	} else {
		if (parse_part(spec, strlen(spec), &first) != 0)
			return SPEC_ERR("bad target '%s': not an IPv6 address", spec);
		last = first;
	}
	if (((first >> 32) == 0xffff) != ((last >> 32) == 0xffff))
		return SPEC_ERR("bad target '%s': the range mixes IPv4-mapped and IPv6 addresses",
			spec);
	return prt_target_set_add_range128(set, first, last);
}
