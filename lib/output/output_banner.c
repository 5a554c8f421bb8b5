/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Banners (--banners) kept with their host for the formats that print per
 * host, their checkpoint form, and the one escaping every format starts
 * from: raw service bytes are not text, so each writer gets ASCII.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_output.h"
#include "prt_text.h"

const char *prt_banner_escape(const uint8_t *d, size_t len, const char *extra, char *out,
	size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 <= cap; i++) {
		uint8_t c = d[i];
		if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (c == '\r' || c == '\n' || c == '\t') {
			out[o++] = '\\';
			out[o++] = c == '\r' ? 'r' : c == '\n' ? 'n' : 't';
		} else if (c >= 0x20 && c < 0x7f && (extra == NULL || strchr(extra, c) == NULL)) {
			out[o++] = (char)c;
		} else {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		}
	}
	if (cap > 0)
		out[o < cap ? o : cap - 1] = '\0';
	return out;
}

int prt_hosts_add_banner(struct prt_hosts *t, const struct prt_banner *b)
{
	struct prt_host *h = prt_hosts_get(t, &b->addr, b->ts);
	struct prt_host_banner *v, *nb;

	if (h == NULL)
		return -ENOMEM;
	v = realloc(h->banners, (h->nbanners + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	h->banners = v;
	nb = &v[h->nbanners];
	nb->data = malloc(b->len ? b->len : 1);
	if (nb->data == NULL)
		return -ENOMEM;
	memcpy(nb->data, b->data, b->len);
	nb->svc = NULL;
	nb->cert = NULL;
	if (b->has_cert) {
		nb->cert = malloc(sizeof(*nb->cert));
		if (nb->cert == NULL) {
			free(nb->data);
			return -ENOMEM;
		}
		*nb->cert = b->cert;
	}
	if (b->has_svc) {
		nb->svc = malloc(sizeof(*nb->svc));
		if (nb->svc == NULL) {
			free(nb->data);
			free(nb->cert);
			return -ENOMEM;
		}
		*nb->svc = b->svc;
		snprintf(nb->shown, sizeof(nb->shown), "%s%s%s", b->svc.tunnel,
			b->svc.tunnel[0] ? "/" : "", b->svc.service);
	}
	nb->port = b->port;
	nb->proto = b->proto;
	nb->probed = b->probed;
	nb->len = b->len;
	h->nbanners++;
	t->heap += sizeof(*nb) + b->len + (b->has_cert ? sizeof(*nb->cert) : 0) +
		(b->has_svc ? sizeof(*nb->svc) : 0);
	return 0;
}

const struct prt_host_banner *prt_host_banner_of(const struct prt_host *h, uint8_t proto,
	uint16_t port)
{
	for (uint32_t i = 0; i < h->nbanners; i++)
		if (h->banners[i].port == port && h->banners[i].proto == proto)
			return &h->banners[i];
	return NULL;
}

/* An optional record: a presence byte, then the record when present. */
static void write_optional(FILE *f, const void *rec, size_t size)
{
	fputc(rec != NULL, f);
	if (rec != NULL)
		fwrite(rec, size, 1, f);
}

/* Read what write_optional() wrote; *rec is set (to be freed) as soon as it
 * is allocated. @return 0, -EINVAL or -ENOMEM */
static int read_optional(FILE *f, size_t size, void **rec)
{
	int present = fgetc(f);

	*rec = NULL;
	if (present != 0 && present != 1)
		return -EINVAL;
	if (present == 0)
		return 0;
	*rec = malloc(size);
	if (*rec == NULL)
		return -ENOMEM;
	return fread(*rec, size, 1, f) == 1 ? 0 : -EINVAL;
}

void prt_host_banners_save(const struct prt_host *h, FILE *f)
{
	fwrite(&h->nbanners, sizeof(h->nbanners), 1, f);
	for (uint32_t i = 0; i < h->nbanners; i++) {
		const struct prt_host_banner *b = &h->banners[i];
		fwrite(&b->port, sizeof(b->port), 1, f);
		fwrite(&b->proto, 1, 1, f);
		fwrite(&b->probed, 1, 1, f);
		fwrite(&b->len, sizeof(b->len), 1, f);
		fwrite(b->data, 1, b->len, f);
		write_optional(f, b->svc, sizeof(*b->svc));
		write_optional(f, b->cert, sizeof(*b->cert));
	}
}

int prt_host_banners_restore(struct prt_host *h, FILE *f)
{
	uint32_t n;

	h->banners = NULL;
	h->nbanners = 0;
	if (fread(&n, sizeof(n), 1, f) != 1 || n > 65536 * 2)
		return -EINVAL;
	if (n == 0)
		return 0;
	h->banners = calloc(n, sizeof(*h->banners));
	if (h->banners == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct prt_host_banner *b = &h->banners[i];
		if (fread(&b->port, sizeof(b->port), 1, f) != 1 || fread(&b->proto, 1, 1, f) != 1 ||
		    fread(&b->probed, 1, 1, f) != 1 || fread(&b->len, sizeof(b->len), 1, f) != 1 ||
		    b->len > PRT_BANNER_MAX)
			return -EINVAL;
		b->data = malloc(b->len ? b->len : 1);
		if (b->data == NULL)
			return -ENOMEM;
		h->nbanners = i + 1; /* freed with the table from here on */
		if (fread(b->data, 1, b->len, f) != b->len)
			return -EINVAL;
		void *svc, *cert;
		int rc = read_optional(f, sizeof(*b->svc), &svc);
		b->svc = svc;
		if (rc != 0)
			return rc;
		if (b->svc != NULL) {
			prt_service_info_clean(b->svc);
			snprintf(b->shown, sizeof(b->shown), "%s%s%s", b->svc->tunnel,
				b->svc->tunnel[0] ? "/" : "", b->svc->service);
		}
		rc = read_optional(f, sizeof(*b->cert), &cert);
		b->cert = cert;
		if (rc != 0)
			return rc;
		if (b->cert != NULL)
			prt_cert_info_clean(b->cert);
	}
	return 0;
}

void prt_host_banners_free(struct prt_host *h)
{
	for (uint32_t i = 0; i < h->nbanners; i++) {
		free(h->banners[i].data);
		free(h->banners[i].svc);
		free(h->banners[i].cert);
	}
	free(h->banners);
	h->banners = NULL;
	h->nbanners = 0;
}

const char *prt_service_version_text(const struct prt_service_info *svc, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (svc->product[0] != '\0')
		n += (size_t)snprintf(buf + n, len - n, "%s", svc->product);
	if (svc->version[0] != '\0' && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", svc->version);
	if (svc->info[0] != '\0' && n < len)
		snprintf(buf + n, len - n, "%s(%s)", n ? " " : "", svc->info);
	return buf;
}

/* "d0a12b3c..." as nmap prints it: groups of four, space separated */
static size_t fingerprint(char *out, size_t cap, const char *hex)
{
	size_t n = 0, digits = 0;

	/* hex digits only: a space between the bytes of a UTF-8 character (a
	 * damaged checkpoint's text) would break it */
	for (size_t i = 0; hex[i] != '\0' && n + 2 < cap; i++) {
		if (!isxdigit((unsigned char)hex[i]))
			continue;
		if (digits > 0 && digits % 4 == 0)
			out[n++] = ' ';
		out[n++] = hex[i];
		digits++;
	}
	out[n] = '\0';
	return n;
}

const char *prt_cert_text(const struct prt_cert_info *c, char *buf, size_t len)
{
	char md5[64], sha1[64];
	size_t n;

	if (!c->ok) {
		snprintf(buf, len, "ERROR: %s", c->error[0] ? c->error : "no certificate");
		return buf;
	}
	fingerprint(md5, sizeof(md5), c->md5);
	fingerprint(sha1, sizeof(sha1), c->sha1);
	n = (size_t)snprintf(buf, len, "Subject: %s\n", c->subject);
	if (c->san[0] != '\0' && n < len)
		n += (size_t)snprintf(buf + n, len - n, "Subject Alternative Name: %s\n", c->san);
	if (n < len)
		snprintf(buf + n, len - n, "Issuer: %s\nPublic Key type: %s\nPublic Key bits: %u\n"
			"Signature Algorithm: %s\nNot valid before: %s\nNot valid after:  %s\n"
			"MD5:   %s\nSHA-1: %s", c->issuer, c->key_type, c->key_bits, c->sig_alg,
			c->not_before, c->not_after, md5, sha1);
	return buf;
}
