/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JA4S, the TLS server fingerprint of FoxIO's JA4+ (technical_details/JA4S.md),
 * from the ServerHello as it came off the wire:
 *
 *   t <version:2> <extensions:2 digits> <ALPN first+last char, or 00>
 *   _ <cipher suite, 4 hex digits>
 *   _ <first 12 hex digits of SHA-256 of the extension types, 4 hex digits
 *      each, comma separated, in the order the server sent them>
 *
 * The version is supported_versions' when the server sent it (TLS 1.3),
 * else the ServerHello's. The message is the server's: every length is
 * checked against what is there, and anything that does not add up is not
 * a fingerprint.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/sha.h>

#include "prt_tls.h"

#define EXT_SUPPORTED_VERSIONS 0x002b
#define EXT_ALPN 0x0010
#define MAX_EXTENSIONS 64

struct reader {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static const uint8_t *take(struct reader *r, size_t n)
{
	const uint8_t *at = r->p;

	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->left -= n;
	return at;
}

static unsigned u8(struct reader *r)
{
	const uint8_t *b = take(r, 1);

	return b != NULL ? b[0] : 0;
}

static unsigned u16(struct reader *r)
{
	const uint8_t *b = take(r, 2);

	return b != NULL ? (unsigned)b[0] << 8 | b[1] : 0;
}

static const char *version_code(unsigned v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	default: return "00";
	}
}

/* The ALPN the server chose as two characters: its first and last, or, when
 * either is not alphanumeric, the first hex digit of the first byte and the
 * last of the last (JA4's rule). */
static void alpn_code(const uint8_t *name, size_t len, char out[3])
{
	static const char hex[] = "0123456789abcdef";

	if (len == 0) {
		memcpy(out, "00", 3);
	} else if (isalnum(name[0]) && isalnum(name[len - 1])) {
		out[0] = (char)name[0];
		out[1] = (char)name[len - 1];
		out[2] = '\0';
	} else {
		out[0] = hex[name[0] >> 4];
		out[1] = hex[name[len - 1] & 0xf];
		out[2] = '\0';
	}
}

struct hello {
	unsigned version, cipher;
	unsigned ext[MAX_EXTENSIONS];
	unsigned next;
	const uint8_t *alpn;
	size_t alpn_len;
};

static void extension(struct hello *h, unsigned type, struct reader *data)
{
	if (h->next < MAX_EXTENSIONS)
		h->ext[h->next] = type;
	h->next++;
	if (type == EXT_SUPPORTED_VERSIONS) {
		h->version = u16(data);
	} else if (type == EXT_ALPN) {
		unsigned list = u16(data), len = u8(data);
		const uint8_t *name = take(data, len);
		if (name != NULL && list == len + 1u) {
			h->alpn = name;
			h->alpn_len = len;
		}
	}
}

static int parse(const uint8_t *msg, size_t len, struct hello *h)
{
	struct reader r = {msg, len, false}, exts;
	unsigned body, sid;

	if (u8(&r) != 2) /* ServerHello */
		return -1;
	body = u8(&r) << 16;
	body |= u16(&r);
	if (r.bad || body > r.left)
		return -1;
	r.left = body;
	h->version = u16(&r);
	take(&r, 32); /* random */
	sid = u8(&r);
	take(&r, sid);
	h->cipher = u16(&r);
	u8(&r); /* compression */
	if (r.bad)
		return -1;
	if (r.left == 0) /* no extensions (TLS 1.0-1.2 may omit them) */
		return 0;
	exts.left = u16(&r);
	exts.p = take(&r, exts.left);
	exts.bad = exts.p == NULL || r.left != 0;
	while (!exts.bad && exts.left > 0) {
		unsigned type = u16(&exts), n = u16(&exts);
		struct reader data = {take(&exts, n), n, false};
		if (data.p == NULL)
			break;
		extension(h, type, &data);
	}
	return exts.bad || h->next > 99 ? -1 : 0;
}

int prt_ja4s(const uint8_t *msg, size_t len, char *out, size_t cap)
{
	struct hello h = {0};
	char list[MAX_EXTENSIONS * 5 + 1] = "", alpn[3];
	unsigned char digest[SHA256_DIGEST_LENGTH];
	size_t n = 0;

	if (parse(msg, len, &h) != 0 || h.next > MAX_EXTENSIONS)
		return -1;
	for (unsigned i = 0; i < h.next; i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%04x", i ? "," : "", h.ext[i]);
	SHA256((const unsigned char *)list, n, digest);
	alpn_code(h.alpn, h.alpn_len, alpn);
	if (snprintf(out, cap, "t%s%02u%s_%04x_%02x%02x%02x%02x%02x%02x", version_code(h.version),
		    h.next, alpn, h.cipher, digest[0], digest[1], digest[2], digest[3], digest[4],
		    digest[5]) >= (int)cap)
		return -1;
	return 0;
}
