/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Putting a checkpoint's bytes on disk: the MAC appended, a new file of mode
 * 0600 (mkstemp) written and synced, renamed over the old one, the directory
 * synced, so a crash leaves the old checkpoint or the new one, never half.
 * After the privilege drop the checkpoint writer (checkpoint_writer.c) runs
 * this as root; before it, or with --user root, the scanner does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prt_common.h"

#include "checkpoint.h"
#include "checkpoint_key.h"
#include "checkpoint_writer.h"

/* The directory's entry of a rename is durable only once the directory is synced. */
static void sync_dir_of(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path == 0 ? 1 : slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* A new file only its owner reads (mkstemp: 0600), synced, then renamed over
 * @p path: a crash leaves the old checkpoint or the new one, never half. */
static int replace_file(const char *path, const void *a, size_t alen, const void *b,
	size_t blen)
{
	char tmp[4096];
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	rc = prt_write_all(fd, a, alen);
	if (rc == 0)
		rc = prt_write_all(fd, b, blen);
	if (rc == 0 && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	else
		sync_dir_of(path);
	return rc;
}

int prt_checkpoint_store(const char *path, const void *image, size_t len)
{
	uint8_t mac[PRT_CHECKPOINT_MAC_LEN];

	if (prt_checkpoint_mac(image, len, mac) != 0)
		return -ENOKEY;
	return replace_file(path, image, len, mac, sizeof(mac));
}

int prt_checkpoint_remove(const char *path)
{
	if (prt_checkpoint_writer_running())
		return prt_checkpoint_writer_remove();
	return unlink(path) == 0 || errno == ENOENT ? 0 : -errno;
}
