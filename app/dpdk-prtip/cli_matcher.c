/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV's matcher: nmap-service-probes compiled for Hyperscan and PCRE2, the
 * Hyperscan databases cached in --service-cache (default
 * /var/cache/dpdk-prtip for root, else $XDG_CACHE_HOME/dpdk-prtip or
 * ~/.cache/dpdk-prtip): tens of seconds the first time, about a second
 * after. What was loaded is said at start. A cache directory that someone
 * else could write into is not used (lib/match also checks each file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_priv.h"

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

int prt_cli_build_matcher(struct prt_app_conf *c)
{
	char dirbuf[512], err[512];
	const char *dir = cache_dir(c, dirbuf, sizeof(dirbuf));
	const struct prt_matcher_stats *st;
	int rc;

	if (dir != NULL && c->service_cache != NULL) {
		struct stat sb;
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			prt_usage_error("bad --service-cache '%s': not a directory", dir);
			return -1;
		}
	}
	if (dir != NULL && !trusted_dir(dir)) {
		fprintf(stderr, "dpdk-prtip: -sV: not using the cache %s: it must be a directory of "
				"this user's that no one else can write to\n", dir);
		dir = NULL;
	}
	rc = prt_matcher_create(&c->service_probes, dir, &c->matcher, err, sizeof(err));
	if (rc != 0) {
		prt_usage_error("-sV: %s: %s", c->service_probes.path, rc == -ENOMEM ?
			"out of memory" : err);
		return -1;
	}
	st = prt_matcher_stats(c->matcher);
	fprintf(stderr, "dpdk-prtip: -sV: %u probes, %u match lines of which %u softmatch from "
			"%s; %u patterns, %u run by Hyperscan as prefilters, all confirmed by "
			"PCRE2; ready in %.0f ms (%s)\n", c->service_probes.nprobes,
		c->service_probes.nmatches, c->service_probes.nsoft, c->service_probes.path,
		st->patterns, st->prefilter, st->load_ms, st->from_cache ? "from the cache" :
		dir != NULL ? "compiled, now cached" : "compiled, no cache directory");
	return 0;
}
