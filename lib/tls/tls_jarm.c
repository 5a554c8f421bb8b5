/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * JARM, Salesforce's active TLS server fingerprint (github.com/salesforce/
 * jarm, version 1.0): ten ClientHellos, each on a connection of its own,
 * that differ in version, cipher list and order, GREASE, ALPN list and the
 * supported_versions extension; what each ServerHello chose makes one
 * "cipher|version|alpn|extension types" line, and the ten lines hash to 62
 * characters: per hello the chosen suite's rank (2 hex digits) and the
 * version (a letter), then the first 32 hex digits of the SHA-256 of the
 * ALPNs and extension lists.
 *
 * The ServerHello is the server's and is read with every length checked:
 * bytes cut short read as no answer. Where the reference tool reads odd
 * layouts in its own way (no extensions before a Certificate message, two
 * byte patterns it skips), this reads them the same way, so the hash is
 * the one that tool prints for the same answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "prt_tls.h"

enum order { FORWARD, REVERSE, TOP_HALF, BOTTOM_HALF, MIDDLE_OUT };

struct hello_shape {
	uint16_t version;      /**< 0x0304: a TLS 1.3 hello (record 1.0, body 1.2) */
	bool no_tls13;         /**< the cipher list without the TLS 1.3 suites */
	uint8_t cipher_order;
	bool grease;
	bool rare_alpn;        /**< without http/1.1 and h2 */
	uint8_t versions;      /**< supported_versions: 0 none, 2 up to 1.2, 3 up to 1.3 */
	uint8_t ext_order;     /**< of the ALPN and supported_versions lists */
};

/* The ten hellos, in the order their lines are hashed. */
static const struct hello_shape shapes[PRT_JARM_PROBES] = {
	{0x0303, false, FORWARD, false, false, 2, REVERSE},
	{0x0303, false, REVERSE, false, false, 2, FORWARD},
	{0x0303, false, TOP_HALF, false, false, 0, FORWARD},
	{0x0303, false, BOTTOM_HALF, false, true, 0, FORWARD},
	{0x0303, false, MIDDLE_OUT, true, true, 0, REVERSE},
	{0x0302, false, FORWARD, false, false, 0, FORWARD},
	{0x0304, false, FORWARD, false, false, 3, REVERSE},
	{0x0304, false, REVERSE, false, false, 3, FORWARD},
	{0x0304, true, FORWARD, false, false, 3, FORWARD},
	{0x0304, false, MIDDLE_OUT, true, false, 3, REVERSE},
};

/* JARM's cipher list, in its order. */
static const uint16_t suites[] = {
	0x0016, 0x0033, 0x0067, 0xc09e, 0xc0a2, 0x009e, 0x0039, 0x006b, 0xc09f, 0xc0a3, 0x009f,
	0x0045, 0x00be, 0x0088, 0x00c4, 0x009a, 0xc008, 0xc009, 0xc023, 0xc0ac, 0xc0ae, 0xc02b,
	0xc00a, 0xc024, 0xc0ad, 0xc0af, 0xc02c, 0xc072, 0xc073, 0xcca9, 0x1302, 0x1301, 0xcc14,
	0xc007, 0xc012, 0xc013, 0xc027, 0xc02f, 0xc014, 0xc028, 0xc030, 0xc060, 0xc061, 0xc076,
	0xc077, 0xcca8, 0x1305, 0x1304, 0x1303, 0xcc13, 0xc011, 0x000a, 0x002f, 0x003c, 0xc09c,
	0xc0a0, 0x009c, 0x0035, 0x003d, 0xc09d, 0xc0a1, 0x009d, 0x0041, 0x00ba, 0x0084, 0x00c0,
	0x0007, 0x0004, 0x0005,
};
#define NSUITES (sizeof(suites) / sizeof(suites[0]))

/* ALPN names, weakest first; the rare list lacks http/1.1 and h2. */
static const char *const alpns[] = {
	"http/0.9", "http/1.0", "http/1.1", "spdy/1", "spdy/2", "spdy/3", "h2", "h2c", "hq",
};
static const char *const rare_alpns[] = {
	"http/0.9", "http/1.0", "spdy/1", "spdy/2", "spdy/3", "h2c", "hq",
};

#define MAX_ITEMS NSUITES

static bool is_tls13_suite(uint16_t s)
{
	return (s >> 8) == 0x13;
}

/* JARM's reorderings of a list of n item indices (into out, which may hold n). */
static size_t reorder(const size_t *in, size_t n, enum order how, size_t *out)
{
	size_t rev[MAX_ITEMS], k = 0, mid = n / 2;

	switch (how) {
	case REVERSE:
		for (size_t i = 0; i < n; i++)
			out[i] = in[n - 1 - i];
		return n;
	case BOTTOM_HALF: /* the second half, past the middle item when n is odd */
		for (size_t i = mid + n % 2; i < n; i++)
			out[k++] = in[i];
		return k;
	case TOP_HALF: /* the middle item, then the first half backwards */
		if (n % 2)
			out[k++] = in[mid];
		reorder(in, n, REVERSE, rev);
		return k + reorder(rev, n, BOTTOM_HALF, out + k);
	case MIDDLE_OUT: /* from the middle outwards, the later side first */
		if (n % 2) {
			out[k++] = in[mid];
			for (size_t i = 1; i <= mid; i++) {
				out[k++] = in[mid + i];
				out[k++] = in[mid - i];
			}
		} else {
			for (size_t i = 1; i <= mid; i++) {
				out[k++] = in[mid - 1 + i];
				out[k++] = in[mid - i];
			}
		}
		return k;
	default:
		memcpy(out, in, n * sizeof(*in));
		return n;
	}
}

struct writer {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct writer *w, const void *d, size_t n)
{
	if (w->len + n <= w->cap)
		memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void put8(struct writer *w, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(w, &b, 1);
}

static void put16(struct writer *w, unsigned v)
{
	put8(w, v >> 8);
	put8(w, v);
}

/* Write a 16-bit length at @p at: the bytes written since at + 2. */
static void patch16(struct writer *w, size_t at)
{
	const size_t n = w->len - at - 2;

	if (at + 2 <= w->cap) {
		w->p[at] = (uint8_t)(n >> 8);
		w->p[at + 1] = (uint8_t)n;
	}
}

/* A value from the seed's stream (xorshift: the hello's random bytes need
 * no secrecy, only to differ from hello to hello). */
static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void put_random(struct writer *w, uint64_t *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(w, next(x) >> 56);
}

static unsigned grease(uint64_t *x)
{
	const unsigned g = (unsigned)(next(x) >> 60); /* 0x0a0a, 0x1a1a, ... 0xfafa */

	return (g << 12) | 0x0a00 | (g << 4) | 0x0a;
}

static void put_ciphers(struct writer *w, const struct hello_shape *h, uint64_t *x)
{
	size_t in[MAX_ITEMS], out[MAX_ITEMS], n = 0, at;

	for (size_t i = 0; i < NSUITES; i++)
		if (!h->no_tls13 || !is_tls13_suite(suites[i]))
			in[n++] = i;
	n = reorder(in, n, (enum order)h->cipher_order, out);
	at = w->len;
	put16(w, 0);
	if (h->grease)
		put16(w, grease(x));
	for (size_t i = 0; i < n; i++)
		put16(w, suites[out[i]]);
	patch16(w, at);
}

static void put_alpn(struct writer *w, const struct hello_shape *h)
{
	const char *const *names = h->rare_alpn ? rare_alpns : alpns;
	const size_t n = h->rare_alpn ? sizeof(rare_alpns) / sizeof(rare_alpns[0]) :
		sizeof(alpns) / sizeof(alpns[0]);
	size_t in[MAX_ITEMS], out[MAX_ITEMS], ext, list;

	for (size_t i = 0; i < n; i++)
		in[i] = i;
	reorder(in, n, (enum order)h->ext_order, out);
	put16(w, 0x0010);
	ext = w->len;
	put16(w, 0);
	list = w->len;
	put16(w, 0);
	for (size_t i = 0; i < n; i++) {
		put8(w, (unsigned)strlen(names[out[i]]));
		put(w, names[out[i]], strlen(names[out[i]]));
	}
	patch16(w, list);
	patch16(w, ext);
}

static void put_key_share(struct writer *w, bool with_grease, uint64_t *x)
{
	size_t ext, list;

	put16(w, 0x0033);
	ext = w->len;
	put16(w, 0);
	list = w->len;
	put16(w, 0);
	if (with_grease) { /* a GREASE group with a one-byte key */
		put16(w, grease(x));
		put16(w, 1);
		put8(w, 0);
	}
	put16(w, 0x001d); /* x25519 */
	put16(w, 32);
	put_random(w, x, 32);
	patch16(w, list);
	patch16(w, ext);
}

static void put_versions(struct writer *w, const struct hello_shape *h, uint64_t *x)
{
	static const size_t all[] = {0, 1, 2, 3}; /* TLS 1.0 .. 1.3 */
	size_t out[4];
	const size_t n = h->versions == 2 ? 3 : 4;
	const size_t len = 2 * n + (h->grease ? 2 : 0);

	reorder(all, n, (enum order)h->ext_order, out);
	put16(w, 0x002b);
	put16(w, (unsigned)len + 1);
	put8(w, (unsigned)len);
	if (h->grease)
		put16(w, grease(x));
	for (size_t i = 0; i < n; i++)
		put16(w, 0x0301 + (unsigned)out[i]);
}

static void put_extensions(struct writer *w, const struct hello_shape *h, const char *sni,
	uint64_t *x)
{
	static const uint8_t middle[] = {
		0x00, 0x17, 0x00, 0x00,                         /* extended master secret */
		0x00, 0x01, 0x00, 0x01, 0x01,                   /* max fragment length 2^9 */
		0xff, 0x01, 0x00, 0x01, 0x00,                   /* renegotiation info */
		0x00, 0x0a, 0x00, 0x0a, 0x00, 0x08, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00,
		0x19,                                           /* groups x25519, P-256/384/521 */
		0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,             /* point formats: uncompressed */
		0x00, 0x23, 0x00, 0x00,                         /* session ticket */
	};
	static const uint8_t sigalgs[] = {
		0x00, 0x0d, 0x00, 0x14, 0x00, 0x12, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03,
		0x08, 0x05, 0x05, 0x01, 0x08, 0x06, 0x06, 0x01, 0x02, 0x01,
	};
	static const uint8_t psk_modes[] = {0x00, 0x2d, 0x00, 0x02, 0x01, 0x01};
	const size_t sni_len = strlen(sni), at = w->len;

	put16(w, 0);
	if (h->grease) { /* an empty GREASE extension first */
		put16(w, grease(x));
		put16(w, 0);
	}
	put16(w, 0x0000); /* server_name: one host name */
	put16(w, (unsigned)sni_len + 5);
	put16(w, (unsigned)sni_len + 3);
	put8(w, 0);
	put16(w, (unsigned)sni_len);
	put(w, sni, sni_len);
	put(w, middle, sizeof(middle));
	put_alpn(w, h);
	put(w, sigalgs, sizeof(sigalgs));
	put_key_share(w, h->grease, x);
	put(w, psk_modes, sizeof(psk_modes));
	if (h->versions != 0)
		put_versions(w, h, x);
	patch16(w, at);
}

int prt_jarm_hello(unsigned probe, const char *sni, uint64_t seed, uint8_t *out, size_t cap)
{
	const struct hello_shape *h;
	struct writer w = {.p = out, .cap = cap};
	uint64_t x = seed | 1;
	size_t body;

	if (probe >= PRT_JARM_PROBES || sni == NULL || strlen(sni) > 255)
		return -EINVAL;
	h = &shapes[probe];
	put8(&w, 0x16);
	put16(&w, h->version == 0x0304 ? 0x0301 : h->version); /* the record's version */
	put16(&w, 0);
	put8(&w, 0x01); /* ClientHello, a 24-bit length */
	put8(&w, 0);
	body = w.len;
	put16(&w, 0);
	put16(&w, h->version == 0x0304 ? 0x0303 : h->version);
	put_random(&w, &x, 32);
	put8(&w, 32); /* a session id */
	put_random(&w, &x, 32);
	put_ciphers(&w, h, &x);
	put8(&w, 1); /* compression: null only */
	put8(&w, 0);
	put_extensions(&w, h, sni, &x);
	patch16(&w, body);
	patch16(&w, 3);
	return w.len <= cap ? (int)w.len : -ENOSPC;
}

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

size_t prt_jarm_want(const uint8_t *d, size_t len)
{
	if (len < 5 || d[0] != 0x16)
		return len; /* an alert, not TLS, or too short to say: judged as it is */
	return 5 + be16(d + 3) < PRT_JARM_READ_MAX ? 5 + be16(d + 3) : PRT_JARM_READ_MAX;
}

/* "alpn|type-type-..." of the ServerHello's extensions; false when the list
 * runs past what came (no answer then). The layouts the reference reads as
 * no extensions give "|". */
static bool extensions(const uint8_t *d, size_t len, size_t sid, char *out, size_t cap)
{
	const size_t base = 47 + sid; /* the extensions' length */
	char alpn[256] = "";
	bool have_alpn = false;
	size_t at, end, w;

	if (base >= len || d[base] == 11 || (base + 6 <= len && d[base + 3] == 0x0e &&
	    d[base + 4] == 0xac && d[base + 5] == 0x0b) ||
	    (len >= 85 && d[82] == 0x0f && d[83] == 0xf0 && d[84] == 0x0b) ||
	    sid + 42 >= be16(d + 3)) {
		snprintf(out, cap, "|");
		return true;
	}
	if (base + 2 > len)
		return false;
	end = be16(d + base) + base + 1;
	for (at = base + 2; at < end; at += 4 + be16(d + at + 2)) {
		const unsigned type = at + 4 <= len ? be16(d + at) : 0, elen =
			at + 4 <= len ? be16(d + at + 2) : 0;
		if (at + 4 > len || at + 4 + elen > len)
			return false;
		if (type != 0x0010 || have_alpn)
			continue;
		have_alpn = true; /* the first one: its first name, past the lengths */
		if (elen == 0)
			return false; /* which the reference cannot read either */
		for (size_t i = 3; i < elen && i - 3 < sizeof(alpn) - 1; i++) {
			if (d[at + 4 + i] >= 0x80)
				return false;
			alpn[i - 3] = (char)d[at + 4 + i];
		}
	}
	w = (size_t)snprintf(out, cap, "%s|", alpn);
	for (at = base + 2; at < end && w < cap; at += 4 + be16(d + at + 2))
		w += (size_t)snprintf(out + w, cap - w, at == base + 2 ? "%04x" : "-%04x",
			be16(d + at));
	return w < cap;
}

void prt_jarm_answer(const uint8_t *d, size_t len, char *out, size_t cap)
{
	char ext[PRT_JARM_LINE_MAX];
	size_t sid;

	/* a ServerHello: handshake record, message type 2, its session id at 43 */
	if (len < 44 || d[0] != 0x16 || d[5] != 0x02 || (sid = d[43]) + 46 > len ||
	    !extensions(d, len, sid, ext, sizeof(ext))) {
		snprintf(out, cap, "|||");
		return;
	}
	snprintf(out, cap, "%04x|%04x|%s", be16(d + 44 + sid), be16(d + 9), ext);
}

/* Does suite @p a rank before @p b: by number, the TLS 1.3 suites last. */
static bool ranks_before(uint16_t a, unsigned b)
{
	return is_tls13_suite(a) != is_tls13_suite((uint16_t)b) ? !is_tls13_suite(a) : a < b;
}

/* The chosen suite's rank in hex, counted from 1: "00" when none was chosen,
 * one past the last when it is not one we offered. */
static void suite_rank(const char *hex, char out[3])
{
	unsigned v, rank = 1;
	bool offered = false;

	if (sscanf(hex, "%4x", &v) != 1) {
		memcpy(out, "00", 3);
		return;
	}
	for (size_t i = 0; i < NSUITES; i++) {
		offered |= suites[i] == v;
		rank += ranks_before(suites[i], v);
	}
	snprintf(out, 3, "%02x", offered ? rank : (unsigned)NSUITES + 1);
}

struct prt_jarm {
	EVP_MD_CTX *md;            /**< SHA-256 of the ALPNs and extension lists so far */
	unsigned n;
	bool answered;             /**< some line is not "|||" */
	char fuzzy[3 * PRT_JARM_PROBES + 1];
};

struct prt_jarm *prt_jarm_new(void)
{
	struct prt_jarm *j = calloc(1, sizeof(*j));

	if (j == NULL || (j->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(j->md, EVP_sha256(), NULL) != 1) {
		prt_jarm_free(j);
		return NULL;
	}
	return j;
}

void prt_jarm_free(struct prt_jarm *j)
{
	if (j == NULL)
		return;
	EVP_MD_CTX_free(j->md);
	free(j);
}

void prt_jarm_add(struct prt_jarm *j, const char *line)
{
	char field[4][PRT_JARM_LINE_MAX];
	const char *p = line;

	if (j->n == PRT_JARM_PROBES)
		return;
	for (unsigned f = 0; f < 4; f++) { /* cipher|version|alpn|extensions */
		const char *bar = f < 3 ? strchr(p, '|') : NULL;
		const size_t n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		snprintf(field[f], sizeof(field[f]), "%.*s", (int)n, p);
		p += n + (bar != NULL);
	}
	j->answered |= strcmp(line, "|||") != 0;
	suite_rank(field[0], j->fuzzy + 3 * j->n);
	/* the version's last digit as a letter: 1.0 b, 1.1 c, 1.2 d, 1.3 e */
	j->fuzzy[3 * j->n + 2] = strlen(field[1]) == 4 && field[1][3] >= '0' &&
		field[1][3] <= '5' ? (char)('a' + field[1][3] - '0') : '0';
	EVP_DigestUpdate(j->md, field[2], strlen(field[2]));
	EVP_DigestUpdate(j->md, field[3], strlen(field[3]));
	j->n++;
}

void prt_jarm_result(struct prt_jarm *j, char out[PRT_JARM_LEN + 1])
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	while (j->n < PRT_JARM_PROBES)
		prt_jarm_add(j, "|||");
	memcpy(out, j->fuzzy, 3 * PRT_JARM_PROBES);
	if (EVP_DigestFinal_ex(j->md, md, &mdlen) != 1 || mdlen < 16)
		memset(md, 0, sizeof(md));
	for (unsigned i = 0; i < 16; i++) {
		out[3 * PRT_JARM_PROBES + 2 * i] = hexd[md[i] >> 4];
		out[3 * PRT_JARM_PROBES + 2 * i + 1] = hexd[md[i] & 15];
	}
	out[PRT_JARM_LEN] = '\0';
	if (!j->answered) /* no hello answered: all zeros, as the reference says it */
		memset(out, '0', PRT_JARM_LEN);
}
