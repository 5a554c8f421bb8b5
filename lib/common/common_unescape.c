/* SPDX-License-Identifier: BSD-3-Clause */
/* The C escapes of nmap's data files (nmap-payloads "...", nmap-service-probes q|...|). */
#include <ctype.h>

#include "prt_common.h"

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

int prt_unescape(const char *s, uint8_t *out, size_t cap, size_t *len, const char **end,
	const char **why)
{
	const char delim = *s;
	const char *p = s + 1;

	*len = 0;
	while (*p != delim) {
		int c = (unsigned char)*p++;
		if (c == '\0' || c == '\n') {
			*why = "unterminated string";
			return -1;
		}
		if (c == '\\') {
			c = (unsigned char)*p++;
			switch (c) {
			case 'x':
				if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1])) {
					*why = "bad \\x escape";
					return -1;
				}
				c = hexval(p[0]) * 16 + hexval(p[1]);
				p += 2;
				break;
			case '0': c = 0; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'v': c = '\v'; break;
			case '\\': case '"': case '\'': case '|': break;
			default:
				*why = "unknown escape";
				return -1;
			}
		}
		if (*len < cap)
			out[*len] = (uint8_t)c;
		(*len)++;
	}
	*end = p + 1;
	return 0;
}
