/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Hyperscan database cache: compiling nmap's file takes tens of
 * seconds, reading the serialized databases milliseconds. A cache file is
 * used only when it was written for the same probe file (SHA-256), the same
 * Hyperscan version and the same CPU platform, and holds the same lines
 * with the same prefilter marks; anything else is recompiled.
 *
 * Layout: magic, Hyperscan version string (64 bytes), hs_platform_info_t,
 * SHA-256, probe count; per probe its line count, prefilter marks and the
 * serialized database (length 0: none).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "match_priv.h"

static const char magic[8] = "PRTHSDB1";

int match_file_sha256(const char *path, uint8_t sha[32])
{
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *ctx;
	uint8_t buf[65536];
	size_t n;
	int rc = 0;

	if (f == NULL)
		return -errno;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		rc = -ENOMEM;
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (EVP_DigestUpdate(ctx, buf, n) != 1)
			rc = -EIO;
	if (rc == 0 && EVP_DigestFinal_ex(ctx, sha, NULL) != 1)
		rc = -EIO;
	EVP_MD_CTX_free(ctx);
	fclose(f);
	return rc;
}

/* What a cache must have been written for. */
struct header {
	char magic[8];
	char hs_version[64];
	hs_platform_info_t platform;
	uint8_t sha[32];
	uint32_t nprobes;
};

static int make_header(struct header *h, const struct prt_matcher *m, const uint8_t sha[32])
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, magic, sizeof(magic));
	snprintf(h->hs_version, sizeof(h->hs_version), "%s", hs_version());
	if (hs_populate_platform(&h->platform) != HS_SUCCESS)
		return -1;
	memcpy(h->sha, sha, 32);
	h->nprobes = m->db->nprobes;
	return 0;
}

/* The lines and their prefilter marks must be the ones compiled now. */
static int same_marks(const struct probe_re *pr, FILE *f)
{
	uint8_t marks[4096];
	uint32_t n;

	if (fread(&n, sizeof(n), 1, f) != 1 || n != pr->n)
		return -1;
	for (uint32_t at = 0; at < n;) {
		uint32_t k = n - at < sizeof(marks) ? n - at : (uint32_t)sizeof(marks);
		if (fread(marks, 1, k, f) != k || memcmp(marks, pr->prefilter + at, k) != 0)
			return -1;
		at += k;
	}
	return 0;
}

static int read_probe(struct probe_re *pr, FILE *f)
{
	uint64_t len;
	char *bytes;
	int rc;

	if (same_marks(pr, f) != 0 || fread(&len, sizeof(len), 1, f) != 1 || len > (1ULL << 30))
		return -1;
	if (len == 0)
		return pr->n == 0 ? 0 : -1;
	bytes = malloc(len);
	if (bytes == NULL)
		return -1;
	rc = fread(bytes, 1, len, f) == len &&
		hs_deserialize_database(bytes, len, &pr->hs) == HS_SUCCESS ? 0 : -1;
	free(bytes);
	return rc;
}

int match_cache_read(struct prt_matcher *m, const char *path, const uint8_t sha[32])
{
	struct header want, got;
	FILE *f = fopen(path, "rb");
	int rc = 0;

	if (f == NULL)
		return -1;
	if (make_header(&want, m, sha) != 0 || fread(&got, sizeof(got), 1, f) != 1 ||
	    memcmp(&want, &got, sizeof(want)) != 0)
		rc = -1;
	for (uint32_t i = 0; rc == 0 && i < m->db->nprobes; i++)
		rc = read_probe(&m->probes[i], f);
	fclose(f);
	if (rc != 0)
		for (uint32_t i = 0; i < m->db->nprobes; i++) {
			hs_free_database(m->probes[i].hs);
			m->probes[i].hs = NULL;
		}
	return rc;
}

static int write_probe(const struct probe_re *pr, FILE *f)
{
	char *bytes = NULL;
	size_t len = 0;
	uint64_t len64;

	if (pr->hs != NULL && hs_serialize_database(pr->hs, &bytes, &len) != HS_SUCCESS)
		return -1;
	len64 = len;
	fwrite(&pr->n, sizeof(pr->n), 1, f);
	fwrite(pr->prefilter, 1, pr->n, f);
	fwrite(&len64, sizeof(len64), 1, f);
	fwrite(bytes, 1, len, f);
	free(bytes);
	return ferror(f) ? -1 : 0;
}

int match_cache_write(const struct prt_matcher *m, const char *path, const uint8_t sha[32])
{
	char tmp[1100];
	struct header h;
	FILE *f;
	int rc = 0;

	if (make_header(&h, m, sha) != 0)
		return -EINVAL;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	f = fopen(tmp, "wb");
	if (f == NULL)
		return -errno;
	fwrite(&h, sizeof(h), 1, f);
	for (uint32_t i = 0; rc == 0 && i < m->db->nprobes; i++)
		rc = write_probe(&m->probes[i], f);
	if (fclose(f) != 0 || rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -EIO;
	}
	return 0;
}
