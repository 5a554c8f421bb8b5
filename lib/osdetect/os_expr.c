/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nmap-os-db's expressions ("FB-105", "8|A", ">10", "M5B4NW8NNT11|M5B4NNT11",
 * "M[>500]ST11"). Numbers are hexadecimal and compare as numbers, so leading
 * zeros do not matter; anything else compares as text. A value that is a
 * number never equals a literal alternative that is not ("A" is a number,
 * "S+" is not).
 */
#include <ctype.h>
#include <string.h>

#include "prt_osdetect.h"

/* [s, s+n) as a hex number: false if it is not one (or longer than 16 digits). */
static bool hex(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = 0;

	while (i + 1 < n && s[i] == '0') /* leading zeros do not count */
		i++;
	if (n == 0 || n - i > 16)
		return false;
	for (; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!isxdigit(c))
			return false;
		x = x << 4 | (uint64_t)(isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	*v = x;
	return true;
}

/* One alternative, without brackets. */
static bool alt_match(const char *val, size_t vn, const char *a, size_t an)
{
	uint64_t v, lo, hi;
	const char *dash;
	bool num = hex(val, vn, &v);

	if (an == 0)
		return vn == 0;
	if (a[0] == '>' || a[0] == '<')
		return num && hex(a + 1, an - 1, &lo) && (a[0] == '>' ? v > lo : v < lo);
	dash = memchr(a, '-', an);
	if (dash != NULL && dash != a)
		return num && hex(a, (size_t)(dash - a), &lo) &&
			hex(dash + 1, an - (size_t)(dash - a) - 1, &hi) && v >= lo && v <= hi;
	if (num && hex(a, an, &lo))
		return v == lo;
	return vn == an && memcmp(val, a, an) == 0;
}

/* An alternative with bracketed parts: text outside brackets equal, each
 * bracket matching the run of hex digits at that place of the value. */
static bool nested_match(const char *val, size_t vn, const char *a, size_t an)
{
	size_t vi = 0, ai = 0;

	while (ai < an) {
		const char *open = memchr(a + ai, '[', an - ai);
		size_t lit = open ? (size_t)(open - (a + ai)) : an - ai;
		const char *close;
		size_t run = 0;

		if (vn - vi < lit || memcmp(val + vi, a + ai, lit) != 0)
			return false;
		vi += lit;
		ai += lit;
		if (open == NULL)
			break;
		close = memchr(open, ']', an - ai);
		if (close == NULL)
			return false;
		while (vi + run < vn && isxdigit((unsigned char)val[vi + run]))
			run++;
		if (run == 0 || !alt_match(val + vi, run, open + 1, (size_t)(close - open - 1)))
			return false;
		vi += run;
		ai = (size_t)(close - a) + 1;
	}
	return vi == vn;
}

/* The end of the alternative starting at @p p: the next '|' outside brackets. */
static const char *alt_end(const char *p)
{
	int depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		else if (*p == '|' && depth == 0)
			break;
	}
	return p;
}

bool prt_os_expr_match(const char *value, const char *expr, bool nested)
{
	const size_t vn = strlen(value);
	const char *p = expr;

	for (;;) {
		const char *e = alt_end(p);
		size_t an = (size_t)(e - p);
		if (nested && memchr(p, '[', an) != NULL ? nested_match(value, vn, p, an) :
		    alt_match(value, vn, p, an))
			return true;
		if (*e == '\0')
			return false;
		p = e + 1;
	}
}
