/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prt_common.h"

#include "checkpoint.h"
#include "checkpoint_writer.h"

enum { OP_STORE = 1, OP_REMOVE = 2 };

struct request {
	uint32_t op;
	uint64_t len; /* bytes that follow */
};

static int sock = -1;
static pid_t helper = -1;

static int read_full(int fd, void *p, size_t n)
{
	for (char *c = p; n > 0;) {
		ssize_t r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

static int send_full(int fd, const void *p, size_t n)
{
	for (const char *c = p; n > 0;) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL); /* a dead helper is an error, not SIGPIPE */
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The image of a store request, received into a temporary file and mapped:
 * a large one stays in the page cache, not the helper's heap. */
static int receive_image(int fd, uint64_t len, void **image, size_t *mapped)
{
	FILE *f = prt_temp_file();
	char chunk[1 << 16];
	int rc = f == NULL ? -1 : 0;

	for (uint64_t left = len; rc == 0 && left > 0;) {
		size_t n = left < sizeof(chunk) ? (size_t)left : sizeof(chunk);
		rc = read_full(fd, chunk, n) == 0 && fwrite(chunk, 1, n, f) == n ? 0 : -1;
		left -= n;
	}
	if (rc == 0 && (fflush(f) != 0 || prt_map_file(fileno(f), image, mapped) != 0))
		rc = -1;
	if (f != NULL)
		fclose(f);
	return rc;
}

/* The helper: one request at a time until the scanner closes its end. */
static void serve(int fd, const char *path)
{
	struct request rq;
	int32_t rc;

	while (read_full(fd, &rq, sizeof(rq)) == 0) {
		void *image = NULL;
		size_t mapped = 0;
		if (rq.op == OP_STORE) {
			if (receive_image(fd, rq.len, &image, &mapped) != 0)
				break;
			rc = prt_checkpoint_store(path, image, mapped);
			prt_unmap_file(image, mapped);
		} else if (rq.op == OP_REMOVE) {
			rc = unlink(path) == 0 || errno == ENOENT ? 0 : -errno;
		} else {
			break;
		}
		if (send_full(fd, &rc, sizeof(rc)) != 0)
			break;
	}
	_exit(0);
}

int prt_checkpoint_writer_start(const char *path, char *err, size_t errlen)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errlen, "checkpoint writer: socketpair: %s", strerror(errno));
		return -1;
	}
	fflush(NULL); /* nothing buffered may be written twice */
	helper = fork();
	if (helper < 0) {
		snprintf(err, errlen, "checkpoint writer: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (helper == 0) {
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		prctl(PR_SET_NAME, "prtip-ckpt", 0, 0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		close(sv[0]);
		serve(sv[1], path);
	}
	close(sv[1]);
	sock = sv[0];
	return 0;
}

bool prt_checkpoint_writer_running(void)
{
	return sock >= 0;
}

static int request(uint32_t op, const void *data, size_t len)
{
	struct request rq = {.op = op, .len = len};
	int32_t rc;

	if (send_full(sock, &rq, sizeof(rq)) != 0 || (len > 0 && send_full(sock, data, len) != 0) ||
	    read_full(sock, &rc, sizeof(rc)) != 0)
		return -EPIPE;
	return rc;
}

int prt_checkpoint_writer_store(const void *image, size_t len)
{
	return request(OP_STORE, image, len);
}

int prt_checkpoint_writer_remove(void)
{
	return request(OP_REMOVE, NULL, 0);
}

void prt_checkpoint_writer_stop(void)
{
	if (sock < 0)
		return;
	close(sock);
	sock = -1;
	while (waitpid(helper, NULL, 0) < 0 && errno == EINTR)
		;
	helper = -1;
}
