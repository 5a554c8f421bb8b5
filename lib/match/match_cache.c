/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Hyperscan database cache: compiling nmap's file takes tens of
 * seconds, reading the serialized databases milliseconds. A cache file is
 * used only when it was written for the same probe file (SHA-256), the same
 * Hyperscan version and the same CPU platform, and holds the same number
 * of lines per probe; anything else is recompiled. The lines' prefilter
 * marks come from the cache too (computing them is most of a load).
 *
 * Layout: magic, Hyperscan version string (64 bytes), hs_platform_info_t,
 * SHA-256, probe count; per probe its line count, prefilter marks and the
 * serialized database (length 0: none); then the SHA-256 of everything
 * before it. hs_deserialize_database() trusts its input, so a cache is read
 * only when the file is ours, not writable by anyone else, and whole (that
 * digest); it is written to a new mkstemp file and renamed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "match_priv.h"
#include "prt_common.h"

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

/*
 * The lines' prefilter marks, as written: hs_expression_info() on every
 * pattern again would cost most of the load (0.7 s of 1 s for nmap's file),
 * and the marks follow from what the header already pins (the probe file's
 * digest and the Hyperscan version). The line count must be this file's.
 */
static int read_marks(struct probe_re *pr, FILE *f)
{
	uint32_t n;

	if (fread(&n, sizeof(n), 1, f) != 1 || n != pr->n)
		return -1;
	return fread(pr->prefilter, 1, n, f) == n ? 0 : -1;
}

static int read_probe(struct probe_re *pr, FILE *f)
{
	uint64_t len;
	char *bytes;
	int rc;

	if (read_marks(pr, f) != 0 || fread(&len, sizeof(len), 1, f) != 1 || len > (1ULL << 30))
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

static int sha256_of(const void *p, size_t len, uint8_t out[32])
{
	return EVP_Digest(p, len, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

/* The file when it is a regular file of ours that no one else may write. */
static char *read_trusted(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *image = NULL;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 022) == 0 && st.st_size > 32 && st.st_size < (1LL << 32))
		image = malloc((size_t)st.st_size);
	if (image != NULL && read(fd, image, (size_t)st.st_size) != st.st_size) {
		free(image);
		image = NULL;
	}
	close(fd);
	*len = image != NULL ? (size_t)st.st_size : 0;
	return image;
}

static int read_probes(struct prt_matcher *m, FILE *f, const uint8_t sha[32])
{
	struct header want, got;
	int rc = 0;

	if (make_header(&want, m, sha) != 0 || fread(&got, sizeof(got), 1, f) != 1 ||
	    memcmp(&want, &got, sizeof(want)) != 0)
		return -1;
	for (uint32_t i = 0; rc == 0 && i < m->db->nprobes; i++)
		rc = read_probe(&m->probes[i], f);
	/* the digest covers exactly what was read */
	return rc == 0 && fgetc(f) == EOF ? 0 : -1;
}

int match_cache_read(struct prt_matcher *m, const char *path, const uint8_t sha[32])
{
	uint8_t digest[32];
	size_t len;
	char *image = read_trusted(path, &len);
	FILE *f = NULL;
	int rc = -1;

	if (image != NULL && sha256_of(image, len - 32, digest) == 0 &&
	    CRYPTO_memcmp(digest, image + len - 32, 32) == 0 &&
	    (f = fmemopen(image, len - 32, "rb")) != NULL)
		rc = read_probes(m, f, sha);
	if (f != NULL)
		fclose(f);
	free(image);
	if (rc != 0)
		for (uint32_t i = 0; i < m->db->nprobes; i++) {
			hs_free_database(m->probes[i].hs);
			m->probes[i].hs = NULL;
			memset(m->probes[i].prefilter, 0, m->probes[i].n);
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
	char tmp[1100], *image = NULL;
	uint8_t digest[32];
	size_t len = 0;
	struct header h;
	FILE *f;
	int fd, rc = 0;

	if (make_header(&h, m, sha) != 0)
		return -EINVAL;
	f = open_memstream(&image, &len);
	if (f == NULL)
		return -ENOMEM;
	fwrite(&h, sizeof(h), 1, f);
	for (uint32_t i = 0; rc == 0 && i < m->db->nprobes; i++)
		rc = write_probe(&m->probes[i], f);
	if (fclose(f) != 0 || rc != 0 || sha256_of(image, len, digest) != 0) {
		free(image);
		return -EIO;
	}
	/* a new file of our own (O_EXCL, 0600): never one someone placed there */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp) ||
	    (fd = mkstemp(tmp)) < 0) {
		free(image);
		return -EIO;
	}
	rc = prt_write_all(fd, image, len) == 0 && prt_write_all(fd, digest, 32) == 0 &&
		fsync(fd) == 0 ? 0 : -EIO;
	free(image);
	if (close(fd) != 0 || rc != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -EIO;
	}
	return 0;
}
