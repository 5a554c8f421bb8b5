/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Version templates of match lines (nmap's book, "nmap-service-probes File
 * Format"): p/product/ v/version/ i/info/ h/hostname/ o/ostype/ d/devicetype/
 * and cpe:/.../ fields, any delimiter after the letter, with $1-$9, $P(n),
 * $SUBST(n,"from","to") and $I(n,">"|"<") taken from the pattern's captures.
 * Capture bytes that are not printable ASCII are left out of the text.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "prt_match.h"

struct out_buf {
	char *p;
	size_t cap, len;
};

static void put(struct out_buf *o, char c)
{
	if (o->len + 1 < o->cap)
		o->p[o->len++] = c;
	o->p[o->len] = '\0';
}

static void put_capture(struct out_buf *o, const uint8_t *subject, const size_t *ovec,
	uint32_t n, unsigned k)
{
	if (k >= n || ovec[2 * k] == (size_t)-1)
		return;
	for (size_t i = ovec[2 * k]; i < ovec[2 * k + 1]; i++)
		if (isprint(subject[i]))
			put(o, (char)subject[i]);
}

/* "\"text\"" at *pp: copy it to buf. @return 0, or -1 when not a quoted string */
static int quoted(const char **pp, char *buf, size_t cap)
{
	const char *p = *pp, *end;

	if (*p != '"' || (end = strchr(p + 1, '"')) == NULL || (size_t)(end - p - 1) >= cap)
		return -1;
	memcpy(buf, p + 1, (size_t)(end - p - 1));
	buf[end - p - 1] = '\0';
	*pp = end + 1;
	return 0;
}

/* $SUBST(n,"from","to") after "$SUBST(": the capture with each "from" replaced. */
static const char *subst(const char *p, struct out_buf *o, const uint8_t *subject,
	const size_t *ovec, uint32_t n)
{
	char from[64], to[64], cap[256];
	struct out_buf c = {cap, sizeof(cap), 0};
	unsigned k;

	if (!isdigit((unsigned char)*p))
		return NULL;
	k = (unsigned)(*p++ - '0');
	if (*p++ != ',' || quoted(&p, from, sizeof(from)) != 0 || *p++ != ',' ||
	    quoted(&p, to, sizeof(to)) != 0 || *p++ != ')' || from[0] == '\0')
		return NULL;
	cap[0] = '\0';
	put_capture(&c, subject, ovec, n, k);
	for (const char *s = cap; *s != '\0';) {
		if (strncmp(s, from, strlen(from)) == 0) {
			for (const char *t = to; *t != '\0'; t++)
				put(o, *t);
			s += strlen(from);
		} else {
			put(o, *s++);
		}
	}
	return p;
}

/* $I(n,">") after "$I(": the capture's bytes as an unsigned integer. */
static const char *unpack(const char *p, struct out_buf *o, const uint8_t *subject,
	const size_t *ovec, uint32_t n)
{
	char order[4], num[24];
	uint64_t v = 0;
	unsigned k;
	size_t a, b;

	if (!isdigit((unsigned char)*p))
		return NULL;
	k = (unsigned)(*p++ - '0');
	if (*p++ != ',' || quoted(&p, order, sizeof(order)) != 0 || *p++ != ')' ||
	    (strcmp(order, ">") != 0 && strcmp(order, "<") != 0))
		return NULL;
	if (k >= n || ovec[2 * k] == (size_t)-1 || ovec[2 * k + 1] - ovec[2 * k] > 8)
		return p;
	a = ovec[2 * k];
	b = ovec[2 * k + 1];
	for (size_t i = 0; i < b - a; i++)
		v |= (uint64_t)subject[order[0] == '>' ? b - 1 - i : a + i] << (8 * i);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	for (const char *t = num; *t != '\0'; t++)
		put(o, *t);
	return p;
}

/* One field's text between its delimiters, substitutions done. */
static void expand(const char *p, const char *end, struct out_buf *o, const uint8_t *subject,
	const size_t *ovec, uint32_t n)
{
	o->len = 0;
	o->p[0] = '\0';
	while (p < end) {
		const char *next = NULL;
		if (*p != '$') {
			put(o, *p++);
			continue;
		}
		if (isdigit((unsigned char)p[1])) {
			put_capture(o, subject, ovec, n, (unsigned)(p[1] - '0'));
			p += 2;
			continue;
		}
		if (strncmp(p, "$P(", 3) == 0 && isdigit((unsigned char)p[3]) && p[4] == ')') {
			put_capture(o, subject, ovec, n, (unsigned)(p[3] - '0'));
			p += 5;
			continue;
		}
		if (strncmp(p, "$SUBST(", 7) == 0)
			next = subst(p + 7, o, subject, ovec, n);
		else if (strncmp(p, "$I(", 3) == 0)
			next = unpack(p + 3, o, subject, ovec, n);
		if (next == NULL || next > end) {
			put(o, *p++); /* not a substitution: the text as written */
			continue;
		}
		p = next;
	}
}

static char *field_of(struct prt_service_info *out, char letter, size_t *cap)
{
	switch (letter) {
	case 'p': *cap = sizeof(out->product); return out->product;
	case 'v': *cap = sizeof(out->version); return out->version;
	case 'i': *cap = sizeof(out->info); return out->info;
	case 'h': *cap = sizeof(out->hostname); return out->hostname;
	case 'o': *cap = sizeof(out->ostype); return out->ostype;
	case 'd': *cap = sizeof(out->devicetype); return out->devicetype;
	default: return NULL;
	}
}

void prt_match_fill_version(const char *tmpl, const uint8_t *subject, const size_t *ovec,
	uint32_t n, struct prt_service_info *out)
{
	const char *p = tmpl;

	while (*p != '\0') {
		const char *val, *close;
		char delim, *dst = NULL;
		bool cpe = false;
		size_t cap = 0;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (strncmp(p, "cpe:", 4) == 0) {
			delim = p[4];
			val = p + 5;
			if (out->ncpe < 4) {
				dst = out->cpe[out->ncpe];
				cap = sizeof(out->cpe[0]);
				cpe = true;
			}
		} else {
			delim = p[1];
			val = p + 2;
			dst = field_of(out, p[0], &cap);
		}
		if (delim == '\0' || (close = strchr(val, delim)) == NULL)
			break; /* a damaged template: what came before stands */
		if (dst != NULL) {
			struct out_buf o = {dst, cap, 0};
			expand(val, close, &o, subject, ovec, n);
			if (cpe)
				out->ncpe++;
		}
		p = close + 1;
		while (*p != '\0' && *p != ' ')
			p++; /* flags after a cpe ("a") */
	}
}
