/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prt_common.h"

char *prt_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 4096 + 1);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

int prt_write_all(int fd, const void *p, size_t n)
{
	for (const char *c = p; n > 0;) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Unlinked at once: it goes away with its FILE, even if the process is killed. */
FILE *prt_temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/dpdk-prtip-XXXXXX",
		dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	f = fdopen(fd, "w+");
	if (f == NULL)
		close(fd);
	return f;
}

int prt_map_file(int fd, void **p, size_t *len)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	*len = (size_t)st.st_size;
	/* an empty file cannot be mapped: an empty image is a valid answer */
	*p = mmap(NULL, *len ? *len : 1, PROT_READ, MAP_PRIVATE | (*len ? 0 : MAP_ANONYMOUS),
		*len ? fd : -1, 0);
	return *p == MAP_FAILED ? -errno : 0;
}

void prt_unmap_file(void *p, size_t len)
{
	if (p != NULL)
		munmap(p, len ? len : 1);
}
