/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nmap's spellings. getopt_long knows long options and one-letter flags, and
 * nmap has two-letter single-dash flags (-oJ, -iL, -sS, -Pn), combined scan
 * types (-sSV), timing templates (-T4) and options this scanner does not
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
#include "cli_priv.h"
#include "prt_common.h"

/* Single-dash spellings and the long options getopt_long knows them by. */
static const struct {
	const char *nmap;
	const char *getopt;
} nmap_flags[] = {
	{"-oJ", "--oJ"},
	{"-oL", "--oL"},
	{"-oN", "--oN"},
	{"-oX", "--oX"},
	{"-oG", "--oG"},
	{"-oC", "--oC"},
	{"-oA", "--oA"},
	{"-iL", "--iL"},
	{"-sS", "--scan-type=syn"},
	{"-sT", "--scan-type=connect"},
	{"-sA", "--scan-type=ack"},
	{"-sF", "--scan-type=fin"},
	{"-sN", "--scan-type=null"},
	{"-sX", "--scan-type=xmas"},
	{"-sW", "--scan-type=window"},
	{"-sM", "--scan-type=maimon"},
	{"-sn", "--sn"},
	{"-sU", "--scan-type=udp"},
	{"-sY", "--scan-type=sctpinit"},
	{"-sZ", "--scan-type=sctpcookieecho"},
	{"-sO", "--scan-type=ipproto"},
	{"-sV", "--sV"},
	{"-PE", "--PE"},
	{"-PP", "--PP"},
	{"-PM", "--PM"},
	{"-PR", "--PR"},
	{"-6", "--ipv6"},
	{"-Pn", "--Pn"},
	{"-n", "--n"},
	{"-v", "--verbose"},
	{"-vv", "--verbose"},
	{"-g", "--source-port"},
	{"-T", "--timing"},
};

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
	{"-A", false, "nmap's -A is -O -sV -sC --traceroute; of these only -sV is supported "
		"(with --ssl-cert for certificates)"},
	{"-O", false, "OS detection is not supported yet"},
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

static const char *getopt_name(const char *token)
{
	for (size_t k = 0; k < PRT_ARRAY_SIZE(nmap_flags); k++)
		if (strcmp(token, nmap_flags[k].nmap) == 0)
			return nmap_flags[k].getopt;
	return NULL;
}

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

/* -sSV: nmap reads each letter after -s as a scan type of its own. */
static int split_scan_types(struct cli_args *a, const char *token)
{
	for (const char *l = token + 2; *l != '\0'; l++) {
		char one[4] = {'-', 's', *l, '\0'};
		const char *why = missing_why(one), *name = getopt_name(one);
		if (why != NULL || name == NULL) {
			prt_usage_error("'%s': %s: %s", token, one, why != NULL ? why :
				"not a scan type (-sS -sT -sA -sF -sN -sX -sW -sM -sU -sY -sZ -sO -sn -sV)");
			return -1;
		}
		if (!add(a, (char *)(uintptr_t)name, token))
			return -1;
	}
	return 0;
}

/* Whether @p token (as typed) is an option whose value is the next argument. */
static bool takes_value(const char *token)
{
	const char *name = getopt_name(token);

	if (name != NULL)
		token = name;
	if (strncmp(token, "--", 2) == 0)
		return strchr(token, '=') == NULL && prt_cli_long_takes_value(token + 2);
	return strcmp(token, "-S") == 0 || strcmp(token, "-p") == 0;
}

/* -PS, -PA, -PU and -PY take their ports attached (nmap has no space
 * there); -PE22, -PR22 and the like reach the option, which says what is wrong. */
static bool ports_attached(const char *token)
{
	return strncmp(token, "-P", 2) == 0 && token[2] != '\0' &&
		strchr("SAUYEPMR", token[2]) != NULL;
}

static int add_discovery(struct cli_args *a, const char *token)
{
	size_t n = strlen(token) + 4;
	char *arg = malloc(n);

	if (arg == NULL) {
		prt_usage_error("out of memory");
		return -1;
	}
	/* "--PS=22,80", or "--PS" alone for nmap's default port */
	snprintf(arg, n, "--P%c%s%s", token[2], token[3] != '\0' ? "=" : "", token + 3);
	if (!add(a, arg, token)) {
		free(arg);
		return -1;
	}
	a->owned[a->nowned++] = arg;
	return 0;
}

static int rewrite_one(struct cli_args *a, char *token)
{
	const char *name = getopt_name(token), *why = missing_why(token);

	if (name != NULL)
		return add(a, (char *)(uintptr_t)name, token) ? 0 : -1;
	if (why != NULL) {
		prt_usage_error("%s: %s", token, why);
		return -1;
	}
	/* -PS22,80: the ports follow the letters, as an optional value */
	if (ports_attached(token))
		return add_discovery(a, token);
	/* -T4: the template follows the letter */
	if (strncmp(token, "-T", 2) == 0 && token[2] != '\0')
		return add(a, "--timing", token) && add(a, token + 2, token) ? 0 : -1;
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
		bool value = i > 0 && takes_value(argv[i - 1]);
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
