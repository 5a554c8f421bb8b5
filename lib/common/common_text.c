/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UTF-8 as RFC 3629 defines it, decoded by hand so that every writer agrees
 * on what is valid: the shortest form only, no surrogates, nothing past
 * U+10FFFF, no sequence cut by a field's end.
 */
#include "prt_result.h"
#include "prt_text.h"

/* Lead byte -> sequence length and the smallest code point it may encode. */
static size_t lead_length(uint8_t b, uint32_t *cp, uint32_t *min)
{
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if ((b & 0xe0) == 0xc0) {
		*cp = b & 0x1f;
		*min = 0x80;
		return 2;
	}
	if ((b & 0xf0) == 0xe0) {
		*cp = b & 0x0f;
		*min = 0x800;
		return 3;
	}
	if ((b & 0xf8) == 0xf0) {
		*cp = b & 0x07;
		*min = 0x10000;
		return 4;
	}
	return 0; /* a continuation byte, or 0xf8-0xff */
}

size_t prt_utf8_next(const char *s, uint32_t *cp)
{
	const uint8_t *u = (const uint8_t *)s;
	uint32_t v = 0, min = 0;
	size_t n;

	if (u[0] == 0) {
		*cp = 0;
		return 0;
	}
	n = lead_length(u[0], &v, &min);
	if (n == 1) {
		*cp = v;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) { /* the NUL ends a cut sequence here too */
			n = 0;
			break;
		}
		v = v << 6 | (u[i] & 0x3f);
	}
	if (n == 0 || v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = PRT_UTF8_BAD;
		return 1;
	}
	*cp = v;
	return n;
}

bool prt_text_unsafe(uint32_t cp)
{
	return cp == PRT_UTF8_BAD || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		(cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

char *prt_text_clean(char *s)
{
	char *out = s;
	const char *in = s;
	uint32_t cp;
	size_t n;

	while ((n = prt_utf8_next(in, &cp)) != 0) {
		if (prt_text_unsafe(cp)) {
			*out++ = '?';
		} else {
			for (size_t i = 0; i < n; i++)
				*out++ = in[i];
		}
		in += n;
	}
	*out = '\0';
	return s;
}

#define CLEAN(field) ((field)[sizeof(field) - 1] = '\0', prt_text_clean(field))

void prt_service_info_clean(struct prt_service_info *v)
{
	CLEAN(v->service);
	CLEAN(v->product);
	CLEAN(v->version);
	CLEAN(v->info);
	CLEAN(v->hostname);
	CLEAN(v->ostype);
	CLEAN(v->devicetype);
	CLEAN(v->tunnel);
	CLEAN(v->probe);
	if (v->ncpe > 4)
		v->ncpe = 4;
	for (int i = 0; i < 4; i++)
		CLEAN(v->cpe[i]);
}

void prt_cert_info_clean(struct prt_cert_info *c)
{
	CLEAN(c->error);
	CLEAN(c->tls_version);
	CLEAN(c->subject);
	CLEAN(c->issuer);
	CLEAN(c->san);
	CLEAN(c->not_before);
	CLEAN(c->not_after);
	CLEAN(c->key_type);
	CLEAN(c->sig_alg);
	CLEAN(c->md5);
	CLEAN(c->sha1);
	CLEAN(c->ja4s);
	CLEAN(c->jarm);
}
