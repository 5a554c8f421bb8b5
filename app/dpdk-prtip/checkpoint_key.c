/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "checkpoint_key.h"

#define KEY_LEN 32

static uint8_t key[KEY_LEN];
static bool loaded;

static int key_dir(char *dir, size_t len)
{
	const char *home = getenv("HOME");

	if (geteuid() == 0)
		return snprintf(dir, len, "/var/lib/dpdk-prtip") >= (int)len ? -1 : 0;
	if (home == NULL || home[0] != '/')
		return -1;
	return snprintf(dir, len, "%s/.local/state/dpdk-prtip", home) >= (int)len ? -1 : 0;
}

/* mkdir -p with 0700 for what it creates */
static int make_dirs(char *dir)
{
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int create_key(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	uint8_t k[KEY_LEN];
	int rc = 0;

	if (fd < 0)
		return errno == EEXIST ? 0 : -1; /* another process made it: read that one */
	if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k) ||
	    write(fd, k, sizeof(k)) != (ssize_t)sizeof(k) || fsync(fd) != 0)
		rc = -1;
	close(fd);
	if (rc != 0)
		unlink(path);
	return rc;
}

static int read_key(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		snprintf(err, errlen, "checkpoint key %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & 077) != 0 ||
	    st.st_size != KEY_LEN) {
		close(fd);
		snprintf(err, errlen, "checkpoint key %s must be %d bytes, ours, mode 0600", path,
			KEY_LEN);
		return -1;
	}
	if (read(fd, key, KEY_LEN) != KEY_LEN) {
		close(fd);
		snprintf(err, errlen, "checkpoint key %s: cannot read it", path);
		return -1;
	}
	close(fd);
	return 0;
}

int prt_checkpoint_key_load(char *err, size_t errlen)
{
	char dir[4096], path[4200];

	if (loaded)
		return 0;
	if (key_dir(dir, sizeof(dir)) != 0) {
		snprintf(err, errlen, "no place for the checkpoint key (HOME is not set)");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/checkpoint.key", dir);
	if (make_dirs(dir) != 0 || create_key(path) != 0) {
		snprintf(err, errlen, "cannot create the checkpoint key %s: %s", path,
			strerror(errno));
		return -1;
	}
	if (read_key(path, err, errlen) != 0)
		return -1;
	loaded = true;
	return 0;
}

int prt_checkpoint_mac(const void *data, size_t len, uint8_t mac[PRT_CHECKPOINT_MAC_LEN])
{
	unsigned int n = 0;

	if (!loaded || HMAC(EVP_sha256(), key, KEY_LEN, data, len, mac, &n) == NULL ||
	    n != PRT_CHECKPOINT_MAC_LEN)
		return -1;
	return 0;
}
