/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV's matcher: nmap-service-probes compiled for Hyperscan and PCRE2, the
 * Hyperscan databases cached in --service-cache (default
 * /var/cache/dpdk-prtip for root, else $XDG_CACHE_HOME/dpdk-prtip or
 * ~/.cache/dpdk-prtip): tens of seconds the first time, under half a second
 * after. What was loaded is said at start. A cache directory that someone
 * else could write into is not used (lib/match also checks each file).
 *
 * The build runs on a thread of its own while EAL and the port come up (it
 * was most of a small -sV scan's start-up); prt_cli_matcher_ready() waits
 * for it before anything uses the matcher or root is given up.
 */
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_priv.h"

struct prt_matcher_build {
	struct prt_app_conf *c;
	const char *dir;      /**< the cache directory, NULL: none */
	char dirbuf[512];
	char err[512];
	int rc;
	pthread_t thread;
};

/* mkdir -p for the default cache; NULL when there is nowhere to put it */
static const char *cache_dir(const struct prt_app_conf *c, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (c->service_cache != NULL)
		return c->service_cache;
	/* root's HOME may be anyone's: root's cache is the system's own */
	if (geteuid() == 0)
		snprintf(buf, len, "/var/cache/dpdk-prtip");
	else if (xdg != NULL && xdg[0] == '/')
		snprintf(buf, len, "%s/dpdk-prtip", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(buf, len, "%s/.cache/dpdk-prtip", home);
	else
		return NULL;
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	return mkdir(buf, 0700) == 0 || errno == EEXIST ? buf : NULL;
}

/* Ours and writable by no one else: hs_deserialize_database() trusts what it reads. */
static bool trusted_dir(const char *dir)
{
	struct stat sb;

	return stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) && sb.st_uid == geteuid() &&
		(sb.st_mode & 022) == 0;
}

static void *build(void *arg)
{
	struct prt_matcher_build *b = arg;

	b->rc = prt_matcher_create(&b->c->service_probes, b->dir, &b->c->matcher, b->err,
		sizeof(b->err));
	return NULL;
}

int prt_cli_build_matcher(struct prt_app_conf *c)
{
	struct prt_matcher_build *b = calloc(1, sizeof(*b));

	if (b == NULL) {
		fprintf(stderr, "dpdk-prtip: out of memory\n");
		return -1;
	}
	b->c = c;
	b->dir = cache_dir(c, b->dirbuf, sizeof(b->dirbuf));
	if (b->dir != NULL && c->service_cache != NULL) {
		struct stat sb;
		if (stat(b->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			prt_usage_error("bad --service-cache '%s': not a directory", b->dir);
			free(b);
			return -1;
		}
	}
	if (b->dir != NULL && !trusted_dir(b->dir)) {
		fprintf(stderr, "dpdk-prtip: -sV: not using the cache %s: it must be a directory of "
				"this user's that no one else can write to\n", b->dir);
		b->dir = NULL;
	}
	c->matcher_build = b;
	if (pthread_create(&b->thread, NULL, build, b) != 0) {
		build(b); /* no thread: here and now */
		b->thread = pthread_self();
	}
	return 0;
}

/* The build's thread joined (when it had one); @return the build, now the caller's */
static struct prt_matcher_build *join_build(struct prt_app_conf *c)
{
	struct prt_matcher_build *b = c->matcher_build;

	c->matcher_build = NULL;
	if (b != NULL && !pthread_equal(b->thread, pthread_self()))
		pthread_join(b->thread, NULL);
	return b;
}

int prt_cli_matcher_ready(struct prt_app_conf *c)
{
	struct prt_matcher_build *b = join_build(c);
	const struct prt_matcher_stats *st;
	int rc;

	if (b == NULL)
		return 0;
	rc = b->rc;
	if (rc != 0) {
		prt_usage_error("-sV: %s: %s", c->service_probes.path, rc == -ENOMEM ?
			"out of memory" : b->err);
		free(b);
		return -1;
	}
	st = prt_matcher_stats(c->matcher);
	fprintf(stderr, "dpdk-prtip: -sV: %u probes, %u match lines of which %u softmatch from "
			"%s; %u patterns, %u run by Hyperscan as prefilters, all confirmed by "
			"PCRE2; ready in %.0f ms (%s)\n", c->service_probes.nprobes,
		c->service_probes.nmatches, c->service_probes.nsoft, c->service_probes.path,
		st->patterns, st->prefilter, st->load_ms, st->from_cache ? "from the cache" :
		b->dir != NULL ? "compiled, now cached" : "compiled, no cache directory");
	free(b);
	return 0;
}

void prt_cli_matcher_discard(struct prt_app_conf *c)
{
	free(join_build(c));
	prt_matcher_free(c->matcher);
	c->matcher = NULL;
}
