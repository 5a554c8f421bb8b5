/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"

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
	static const char *const own[] = {"--resume", "--checkpoint", "--checkpoint-every"};

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		size_t n = strlen(own[i]);
		if (strncmp(arg, own[i], n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
			*takes_value = arg[n] == '\0';
			return true;
		}
	}
	return false;
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

int prt_checkpoint_write(const char *path, const struct prt_checkpoint *ck,
	const struct prt_hosts *hosts)
{
	char tmp[4096];
	uint32_t layout = layout_id(), end = END_MAGIC;
	char version[16] = {0};
	FILE *f;
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
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
	if (rc == 0 && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0))
		rc = -errno ? -errno : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
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

int prt_checkpoint_read(const char *path, struct prt_checkpoint *ck, char *err, size_t errlen)
{
	char magic[8], version[16], want[16] = {0};
	uint32_t layout;
	FILE *f = fopen(path, "r");

	memset(ck, 0, sizeof(*ck));
	if (f == NULL)
		return refuse(err, errlen, path, strerror(errno));
	snprintf(want, sizeof(want), "%s", PRT_VERSION);
	if (get(f, magic, 8) || memcmp(magic, MAGIC, 7) != 0) {
		fclose(f);
		return refuse(err, errlen, path, "not a dpdk-prtip checkpoint");
	}
	if (magic[7] != MAGIC[7]) {
		fclose(f);
		return refuse(err, errlen, path,
			"written by a dpdk-prtip whose scan order or cookies differ from this one's");
	}
	if (get(f, version, sizeof(version)) || memcmp(version, want, sizeof(want)) != 0 ||
	    get(f, &layout, sizeof(layout)) || layout != layout_id()) {
		fclose(f);
		version[sizeof(version) - 1] = '\0';
		snprintf(err, errlen, "cannot resume from %s: written by dpdk-prtip %s, this is %s",
			path, version, PRT_VERSION);
		return -1;
	}
	if (get(f, &ck->args_len, sizeof(ck->args_len)) || ck->args_len > (1u << 24) ||
	    (ck->args = malloc(ck->args_len + 1)) == NULL || get(f, ck->args, ck->args_len) ||
	    get(f, &ck->key, sizeof(ck->key)) || get(f, &ck->perm_seed, sizeof(ck->perm_seed)) ||
	    get(f, &ck->npairs, sizeof(ck->npairs)) || get(f, &ck->n_tx, sizeof(ck->n_tx)) ||
	    get(f, ck->pass, sizeof(ck->pass)) || get(f, ck->steps, sizeof(ck->steps)) ||
	    get(f, ck->state_count, sizeof(ck->state_count)) ||
	    get(f, &ck->probes, sizeof(ck->probes)) || get(f, &ck->replies, sizeof(ck->replies)) ||
	    get(f, &ck->start_ns, sizeof(ck->start_ns)) || get(f, &ck->nwords, sizeof(ck->nwords)) ||
	    ck->nwords != (ck->npairs + 63) / 64 || ck->n_tx == 0 || ck->n_tx > PRT_MAX_TX_LCORES ||
	    (ck->args_len > 0 && ck->args[ck->args_len - 1] != '\0')) {
		fclose(f);
		prt_checkpoint_free(ck);
		return refuse(err, errlen, path, "damaged (truncated or inconsistent)");
	}
	ck->args[ck->args_len] = '\0';
	ck->reported = malloc((ck->nwords ? ck->nwords : 1) * sizeof(uint64_t));
	if (ck->reported == NULL || get(f, ck->reported, ck->nwords * sizeof(uint64_t))) {
		fclose(f);
		prt_checkpoint_free(ck);
		return refuse(err, errlen, path, "damaged (truncated pair bitmap)");
	}
	ck->hosts_at = ftell(f);
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
	FILE *f = fopen(ck->path, "r");
	uint32_t end = 0;
	int rc;

	if (f == NULL)
		return -errno;
	rc = fseek(f, ck->hosts_at, SEEK_SET) != 0 ? -errno : prt_hosts_restore(hosts, f);
	if (rc == 0 && (fread(&end, sizeof(end), 1, f) != 1 || end != END_MAGIC))
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
	memset(ck, 0, sizeof(*ck));
}
