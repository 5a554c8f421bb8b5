/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The checkpoint's format (checkpoint.h): serialised for writing
 * (checkpoint_store.c puts it on disk), and read back whole, MAC first, then
 * every field checked against the others before any is used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "prt_common.h"

#include "checkpoint.h"
#include "checkpoint_key.h"
#include "checkpoint_writer.h"
#include "cli_option.h"

#define MAGIC "PRTCKPT2" /* 2: SipHash-1-3 cookies and the multiply-shift walk */
#define END_MAGIC 0x21444e45u /* "END!" */

/* Sizes that must match for the native layout to be readable. */
static uint32_t layout_id(void)
{
	return (uint32_t)(sizeof(struct prt_host_port) << 24 | PRT_STATE_COUNT << 16 |
		PRT_MAX_TX_LCORES << 8 | sizeof(struct prt_cookie_key));
}

bool prt_checkpoint_option_is_own(const char *arg, bool *takes_value)
{
	const struct cli_option *o = prt_cli_option_find(arg);

	if (o == NULL || !o->not_scan)
		return false;
	*takes_value = prt_cli_takes_next(arg);
	return true;
}

char *prt_checkpoint_args(int argc, char **argv, uint32_t *len)
{
	size_t total = 1;
	char *buf, *p;

	for (int i = 1; i < argc; i++)
		total += strlen(argv[i]) + 1;
	buf = p = malloc(total);
	if (buf == NULL)
		return NULL;
	for (int i = 1; i < argc; i++) {
		bool value;
		if (prt_checkpoint_option_is_own(argv[i], &value)) {
			i += value;
			continue;
		}
		size_t n = strlen(argv[i]) + 1;
		memcpy(p, argv[i], n);
		p += n;
	}
	*len = (uint32_t)(p - buf);
	return buf;
}

static void put(FILE *f, const void *p, size_t n)
{
	fwrite(p, 1, n, f);
}

/* The checkpoint's bytes, as the file holds them before its MAC, written to
 * a temporary file and mapped: an Internet-mode scan's host table may be
 * large, and the page cache holds it rather than the heap. */
static int serialise(const struct prt_checkpoint *ck, struct prt_hosts *hosts,
	void **image, size_t *len)
{
	uint32_t layout = layout_id(), end = END_MAGIC;
	char version[16] = {0};
	FILE *f = prt_temp_file();
	int rc;

	if (f == NULL)
		return -errno;
	snprintf(version, sizeof(version), "%s", PRT_VERSION);
	put(f, MAGIC, 8);
	put(f, version, sizeof(version));
	put(f, &layout, sizeof(layout));
	put(f, &ck->args_len, sizeof(ck->args_len));
	put(f, ck->args, ck->args_len);
	put(f, &ck->key, sizeof(ck->key));
	put(f, &ck->perm_seed, sizeof(ck->perm_seed));
	put(f, &ck->npairs, sizeof(ck->npairs));
	put(f, &ck->n_tx, sizeof(ck->n_tx));
	put(f, ck->pass, sizeof(ck->pass));
	put(f, ck->steps, sizeof(ck->steps));
	put(f, ck->state_count, sizeof(ck->state_count));
	put(f, &ck->probes, sizeof(ck->probes));
	put(f, &ck->replies, sizeof(ck->replies));
	put(f, &ck->start_ns, sizeof(ck->start_ns));
	put(f, &ck->nwords, sizeof(ck->nwords));
	put(f, ck->reported, ck->nwords * sizeof(uint64_t));
	rc = prt_hosts_save(hosts, f);
	put(f, &end, sizeof(end));
	if ((fflush(f) != 0 || ferror(f)) && rc == 0)
		rc = -EIO;
	if (rc == 0)
		rc = prt_map_file(fileno(f), image, len);
	fclose(f); /* the mapping keeps the pages */
	return rc;
}

int prt_checkpoint_write(const char *path, const struct prt_checkpoint *ck,
	struct prt_hosts *hosts)
{
	void *image = NULL;
	size_t len = 0;
	int rc = serialise(ck, hosts, &image, &len);

	if (rc == 0)
		rc = prt_checkpoint_writer_running() ? prt_checkpoint_writer_store(image, len) :
			prt_checkpoint_store(path, image, len);
	if (image != NULL)
		prt_unmap_file(image, len);
	return rc;
}

static int get(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -1;
}

static int refuse(char *err, size_t errlen, const char *path, const char *why)
{
	snprintf(err, errlen, "cannot resume from %s: %s", path, why);
	return -1;
}

/* The whole file, mapped: its MAC is checked before any field is believed. */
static char *read_image(const char *path, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *image = NULL;
	int rc;

	if (fd < 0) {
		refuse(err, errlen, path, strerror(errno));
		return NULL;
	}
	rc = prt_map_file(fd, &image, len);
	close(fd);
	if (rc != 0) {
		refuse(err, errlen, path, rc == -EINVAL ? "not a regular file" : strerror(-rc));
		return NULL;
	}
	return image;
}

/* The header: ours, this version, this layout. */
static int check_header(const char *image, size_t len, const char *path, char *err,
	size_t errlen)
{
	char version[16] = {0}, want[16] = {0};
	uint32_t layout;

	snprintf(want, sizeof(want), "%s", PRT_VERSION);
	if (len < 8 || memcmp(image, MAGIC, 7) != 0)
		return refuse(err, errlen, path, "not a dpdk-prtip checkpoint");
	if (image[7] != MAGIC[7])
		return refuse(err, errlen, path,
			"written by a dpdk-prtip whose scan order or cookies differ from this one's");
	if (len >= 8 + sizeof(version))
		memcpy(version, image + 8, sizeof(version));
	if (len < 8 + sizeof(version) + sizeof(layout) ||
	    memcmp(version, want, sizeof(want)) != 0 ||
	    (memcpy(&layout, image + 8 + sizeof(version), sizeof(layout)), layout != layout_id())) {
		version[sizeof(version) - 1] = '\0';
		snprintf(err, errlen, "cannot resume from %s: written by dpdk-prtip %s, this is %s",
			path, version, PRT_VERSION);
		return -1;
	}
	return 0;
}

/* Positions, passes and counts against the scan's own size. */
static bool fields_consistent(const struct prt_checkpoint *ck)
{
	uint64_t states = 0;

	if ((ck->nwords != 0 && ck->nwords != (ck->npairs + 63) / 64) || ck->n_tx == 0 || ck->n_tx > PRT_MAX_TX_LCORES ||
	    (ck->args_len > 0 && ck->args[ck->args_len - 1] != '\0') || ck->replies > ck->probes)
		return false;
	for (uint32_t i = 0; i < ck->n_tx; i++)
		if (ck->steps[i] > ck->npairs)
			return false;
	for (int s = 0; s < PRT_STATE_COUNT; s++) {
		if (ck->state_count[s] > ck->npairs)
			return false;
		states += ck->state_count[s];
	}
	return states <= ck->npairs;
}

static int read_fields(FILE *f, struct prt_checkpoint *ck)
{
	if (fseek(f, 8 + 16 + 4, SEEK_SET) != 0 || get(f, &ck->args_len, sizeof(ck->args_len)) ||
	    ck->args_len > (1u << 24) || (ck->args = malloc(ck->args_len + 1)) == NULL ||
	    get(f, ck->args, ck->args_len) || get(f, &ck->key, sizeof(ck->key)) ||
	    get(f, &ck->perm_seed, sizeof(ck->perm_seed)) ||
	    get(f, &ck->npairs, sizeof(ck->npairs)) || get(f, &ck->n_tx, sizeof(ck->n_tx)) ||
	    get(f, ck->pass, sizeof(ck->pass)) || get(f, ck->steps, sizeof(ck->steps)) ||
	    get(f, ck->state_count, sizeof(ck->state_count)) ||
	    get(f, &ck->probes, sizeof(ck->probes)) || get(f, &ck->replies, sizeof(ck->replies)) ||
	    get(f, &ck->start_ns, sizeof(ck->start_ns)) || get(f, &ck->nwords, sizeof(ck->nwords)) ||
	    !fields_consistent(ck))
		return -1;
	ck->args[ck->args_len] = '\0';
	ck->reported = malloc((ck->nwords ? ck->nwords : 1) * sizeof(uint64_t));
	if (ck->reported == NULL || get(f, ck->reported, ck->nwords * sizeof(uint64_t)))
		return -1;
	ck->hosts_at = ftell(f);
	return 0;
}

int prt_checkpoint_read(const char *path, struct prt_checkpoint *ck, char *err, size_t errlen)
{
	uint8_t mac[PRT_CHECKPOINT_MAC_LEN];
	char keyerr[256];
	size_t len = 0;
	char *image;
	FILE *f;

	memset(ck, 0, sizeof(*ck));
	image = read_image(path, &len, err, errlen);
	if (image == NULL)
		return -1;
	if (check_header(image, len, path, err, errlen) != 0) {
		prt_unmap_file(image, len);
		return -1;
	}
	if (prt_checkpoint_key_load(keyerr, sizeof(keyerr)) != 0) {
		prt_unmap_file(image, len);
		return refuse(err, errlen, path, keyerr);
	}
	if (len < PRT_CHECKPOINT_MAC_LEN ||
	    prt_checkpoint_mac(image, len - PRT_CHECKPOINT_MAC_LEN, mac) != 0 ||
	    CRYPTO_memcmp(mac, image + len - PRT_CHECKPOINT_MAC_LEN, sizeof(mac)) != 0) {
		prt_unmap_file(image, len);
		return refuse(err, errlen, path, "its MAC does not match: edited, damaged, or "
			"written by another user or machine (its checkpoint key)");
	}
	ck->image = image;
	ck->map_len = len;
	ck->image_len = len - PRT_CHECKPOINT_MAC_LEN;
	f = fmemopen(ck->image, ck->image_len, "r");
	if (f == NULL || read_fields(f, ck) != 0) {
		if (f != NULL)
			fclose(f);
		prt_checkpoint_free(ck);
		return refuse(err, errlen, path, "damaged (truncated or inconsistent)");
	}
	fclose(f);
	ck->path = strdup(path);
	if (ck->path == NULL) {
		prt_checkpoint_free(ck);
		return refuse(err, errlen, path, "out of memory");
	}
	return 0;
}

int prt_checkpoint_restore_hosts(const struct prt_checkpoint *ck, struct prt_hosts *hosts)
{
	FILE *f = fmemopen(ck->image, ck->image_len, "r");
	uint32_t end = 0;
	int rc;

	if (f == NULL)
		return -errno;
	rc = fseek(f, ck->hosts_at, SEEK_SET) != 0 ? -EINVAL : prt_hosts_restore(hosts, f);
	if (rc == 0 && (fread(&end, sizeof(end), 1, f) != 1 || end != END_MAGIC ||
	    ftell(f) != (long)ck->image_len))
		rc = -EINVAL;
	fclose(f);
	return rc;
}

void prt_checkpoint_free(struct prt_checkpoint *ck)
{
	free(ck->args);
	free(ck->reported);
	free(ck->path);
	free(ck->argv);
	prt_unmap_file(ck->image, ck->map_len);
	memset(ck, 0, sizeof(*ck));
}
