/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nmap's spellings. getopt_long knows long options and one-letter flags, and
 * nmap has two-letter single-dash flags (-oJ, -iL, -sS, -Pn: the rows'
 * nmap spellings and the probe registry's scan types), values attached to
 * them (-PS22), combined scan types (-sSV) and options this scanner does not
 * have. Before getopt runs, the first are rewritten as long options, the
 * combined ones split, and the missing ones refused whole with what to use
 * instead (masscan explains nmap options it lacks the same way). Each
 * rewritten argument remembers what the user typed, for error messages.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "prt_common.h"

#define DISCOVERY_HINT "; discovery probes are -PE, -PP, -PM, -PS, -PA, -PU, -PY and -PR"
#define FORMATS_HINT "; the formats are -oN, -oX, -oG, -oA, -oJ, -oL and -oC"

/* nmap options this scanner does not have, and what to use instead. A
 * prefix entry also covers the option with its value attached (-PS22). */
static const struct {
	const char *flag;
	bool prefix;
	const char *why;
} missing[] = {
	{"-sC", false, "scripts are not supported; --banners, -sV and --ssl-cert are"},
	{"-A", false, "nmap's -A is -O -sV -sC --traceroute; give -O -sV (with --ssl-cert for "
		"certificates): scripts and traceroute are not supported"},
	{"-sI", false, "idle (zombie) scans are not supported"},
	{"-sL", false, "list scans are not supported: targets are addresses, never resolved"},
	{"-b", false, "FTP bounce scans are not supported"},
	{"-PO", true, "IP protocol discovery is not supported yet" DISCOVERY_HINT},
	{"-oS", false, "script kiddie output is not supported" FORMATS_HINT},
	{"-oM", false, "nmap's old machine output is not supported" FORMATS_HINT},
	{"-iR", false, "random targets are not supported: name the networks to scan"},
	{"-D", false, "decoys are not supported"},
	{"-f", false, "fragmented probes are not supported"},
	{"--mtu", true, "fragmented probes are not supported"},
	{"-e", false, "the interface is a DPDK port: --port-id N, with EAL's --vdev or -a"},
	/* masscan's --port is its port list; ours was the DPDK port: neither is guessed */
	{"--port", false, "ports to scan are -p/--ports LIST; the DPDK port is --port-id N"},
	{"-R", false, "names are never resolved: targets are addresses"},
	{"-r", false, "ports are always scanned in a seeded random order (--seed repeats one)"},
	{"--traceroute", false, "traceroute is not supported"},
	{"--spoof-mac", true, "use --source-mac"},
};

static const char *missing_why(const char *token)
{
	for (size_t k = 0; k < PRT_ARRAY_SIZE(missing); k++) {
		size_t n = strlen(missing[k].flag);
		if (strncmp(token, missing[k].flag, n) == 0 &&
		    (token[n] == '\0' || (missing[k].prefix && token[n] != '-') ||
		     (missing[k].flag[1] == '-' && token[n] == '=')))
			return missing[k].why;
	}
	return NULL;
}

static bool add(struct cli_args *a, char *arg, const char *orig)
{
	if (a->n + 1 >= a->cap)
		return false; /* cannot be: the capacity counts every letter */
	a->v[a->n] = arg;
	a->orig[a->n] = orig;
	a->n++;
	return true;
}

/* An argument made here ("--PS=22" for -PS22), freed with the rest. */
static int add_made(struct cli_args *a, const char *orig, const char *fmt, const char *x,
	const char *y)
{
	size_t n = strlen(fmt) + strlen(x) + strlen(y);
	char *arg = malloc(n);

	if (arg == NULL) {
		prt_usage_error("out of memory");
		return -1;
	}
	snprintf(arg, n, fmt, x, y);
	if (!add(a, arg, orig)) {
		free(arg);
		return -1;
	}
	a->owned[a->nowned++] = arg;
	return 0;
}

static const struct prt_probe_ops *scan_type(const char *token)
{
	for (unsigned i = 0; prt_probe_at(i) != NULL; i++) {
		const struct prt_probe_ops *o = prt_probe_at(i);
		if (!prt_probe_hosts_only(o) && strcmp(o->flag, token) == 0)
			return o;
	}
	return NULL;
}

/* nmap's spelling of a row (-oX, -sV) or of a scan type (-sS) as the long
 * option getopt knows. @return 0, 1 when @p token is neither, -1 (printed) */
static int add_long(struct cli_args *a, const char *token, const char *orig)
{
	const struct prt_probe_ops *type = scan_type(token);
	const struct cli_option *o;

	if (type != NULL)
		return add_made(a, orig, "--scan-type=%s%s", type->name, "");
	o = prt_cli_option_find(token);
	if (o != NULL && o->nmap != NULL && strcmp(o->nmap, token) == 0)
		return add_made(a, orig, "--%s%s", o->name, "");
	return 1;
}

/* -sSV: nmap reads each letter after -s as a scan type of its own. */
static int split_scan_types(struct cli_args *a, const char *token)
{
	for (const char *l = token + 2; *l != '\0'; l++) {
		char one[4] = {'-', 's', *l, '\0'};
		const char *why = missing_why(one);
		int rc = why != NULL ? 1 : add_long(a, one, token);
		if (rc > 0) {
			prt_usage_error("'%s': %s: %s", token, one, why != NULL ? why :
				"not a scan type (-sS -sT -sA -sF -sN -sX -sW -sM -sU -sY -sZ -sO -sn -sV)");
			return -1;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A row of nmap's spelling with its value attached (-PS22,80: nmap has no
 * space there), or NULL. */
static const struct cli_option *value_attached(const char *token)
{
	char spelling[4];

	if (strlen(token) <= 3)
		return NULL;
	memcpy(spelling, token, 3);
	spelling[3] = '\0';
	const struct cli_option *o = prt_cli_option_find(spelling);
	return o != NULL && o->nmap != NULL && o->arg == CLI_ARG_OPTIONAL &&
		strcmp(o->nmap, spelling) == 0 ? o : NULL;
}

static int rewrite_one(struct cli_args *a, char *token)
{
	const char *why = missing_why(token);
	const struct cli_option *o;
	int rc = add_long(a, token, token);

	if (rc <= 0)
		return rc;
	if (why != NULL) {
		prt_usage_error("%s: %s", token, why);
		return -1;
	}
	o = value_attached(token);
	if (o != NULL)
		return add_made(a, token, "--%s=%s", o->name, token + 3);
	if (strncmp(token, "-s", 2) == 0 && strlen(token) > 3)
		return split_scan_types(a, token);
	return add(a, token, token) ? 0 : -1;
}

int prt_cli_normalize(int argc, char **argv, struct cli_args *a)
{
	bool rest = false;

	memset(a, 0, sizeof(*a));
	a->cap = 2;
	for (int i = 0; i < argc; i++) /* -sSUV splits into one argument per letter */
		a->cap += (int)strlen(argv[i]) + 2;
	a->v = calloc((size_t)a->cap, sizeof(*a->v));
	a->orig = calloc((size_t)a->cap, sizeof(*a->orig));
	a->owned = calloc((size_t)a->cap, sizeof(*a->owned));
	if (a->v == NULL || a->orig == NULL || a->owned == NULL) {
		prt_cli_args_free(a);
		prt_usage_error("out of memory");
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		/* a value is the user's (a file named -e, a port list after -p) */
		bool value = i > 0 && prt_cli_takes_next(argv[i - 1]);
		if (i == 0 || rest || value || argv[i][0] != '-' || argv[i][1] == '\0') {
			add(a, argv[i], argv[i]);
		} else if (strcmp(argv[i], "--") == 0) {
			rest = true;
			add(a, argv[i], argv[i]);
		} else if (rewrite_one(a, argv[i]) != 0) {
			prt_cli_args_free(a);
			return -1;
		}
	}
	return 0;
}

void prt_cli_args_free(struct cli_args *a)
{
	for (int i = 0; i < a->nowned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->v);
	free(a->orig);
	memset(a, 0, sizeof(*a));
}
