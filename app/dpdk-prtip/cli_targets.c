/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Targets: the arguments, -iL, the exclusions, the IANA special-purpose
 * ranges skipped unless asked for, and the bounds that say a scan is as
 * large as its user meant (--max-targets) and which regime it runs in
 * (--max-state-memory: per-pair state, or Internet mode).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "prt_common.h"

static int add_targets_file(struct prt_target_set *set, const char *opt, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char err[256];
	int rc;

	if (f == NULL) {
		prt_usage_error("%s %s: %s", opt, path, strerror(errno));
		return -1;
	}
	rc = prt_target_set_add_stream(set, f, strcmp(path, "-") == 0 ? "stdin" : path, err,
		sizeof(err));
	if (f != stdin)
		fclose(f);
	if (rc != 0) {
		prt_usage_error("%s: %s", opt, err);
		return -1;
	}
	return 0;
}

/* Special-purpose ranges are never scanned unless asked for: say what was
 * skipped, and fail when nothing is left. */
static int exclude_special(struct prt_app_conf *c)
{
	struct prt_target_set special;
	uint64_t before = c->targets.total;
	int rc;

	prt_target_set_init(&special);
	rc = prt_target_set_add_special(&special) != 0 ||
		prt_target_set_finalize(&c->targets, &special) != 0 ? -1 : 0;
	prt_target_set_free(&special);
	if (rc != 0) {
		prt_usage_error("out of memory");
		return -1;
	}
	if (c->targets.total == 0) {
		prt_usage_error("every target is in an IANA special-purpose range (private, loopback, "
				"documentation, benchmarking...); --allow-special-ranges scans them");
		return -1;
	}
	if (c->targets.total < before)
		fprintf(stderr, "dpdk-prtip: skipping %llu addresses in IANA special-purpose ranges "
				"(--allow-special-ranges scans them)\n",
			(unsigned long long)(before - c->targets.total));
	return 0;
}

int prt_cli_finish_targets(struct prt_app_conf *c, const struct cli_pending *pend)
{
	if (!pend->have_target_args && !pend->have_input_list) {
		prt_usage_error("no targets given: name addresses, CIDRs or ranges, or use -iL FILE");
		return -1;
	}
	if (prt_target_set_finalize(&c->targets, &c->exclude) != 0) {
		prt_usage_error("out of memory");
		return -1;
	}
	if (c->targets.total == 0) {
		prt_usage_error("no targets to scan (all excluded by --exclude/--excludefile)");
		return -1;
	}
	if (!c->allow_special && exclude_special(c) != 0)
		return -1;
	if (c->targets.total > c->max_targets) {
		prt_usage_error("%llu target addresses, more than --max-targets %llu (raise it to "
				"confirm a scan this large)", (unsigned long long)c->targets.total,
			(unsigned long long)c->max_targets);
		return -1;
	}
	if (c->targets.total > PRT_MAX_PAIRS / prt_conf_ports(c)) {
		prt_usage_error("scan too large: %llu addresses x %u ports (at most 2^62 pairs)",
			(unsigned long long)c->targets.total, prt_conf_ports(c));
		return -1;
	}
	/* past the budget, no state per pair: memory stays flat however large */
	c->internet = PRT_PAIR_STATE_BYTES(c->targets.total * prt_conf_ports(c)) >
		c->max_state_memory;
	return 0;
}


static int parse_input_list(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->pend->have_input_list = true;
	return add_targets_file(&x->c->targets, "-iL", arg);
}

static int parse_exclude(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	char err[256];

	(void)self;
	if (prt_target_set_add_list(&x->c->exclude, arg, err, sizeof(err)) != 0) {
		prt_usage_error("--exclude: %s", err);
		return -1;
	}
	return 0;
}

static int parse_excludefile(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return add_targets_file(&x->c->exclude, "--excludefile", arg);
}

static int parse_allow_special(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self, (void)arg;
	x->c->allow_special = true;
	return 0;
}

static int parse_max_targets(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_parse_u64(arg, 1, UINT64_MAX, &x->c->max_targets) ?
		prt_cli_bad_value("--max-targets", arg, "must be a number of addresses, 1 or more") : 0;
}

static int parse_max_state_memory(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self;
	return prt_parse_si(arg, 0, 1ULL << 40, &x->c->max_state_memory) ?
		prt_cli_bad_value("--max-state-memory", arg,
			"must be 0 (always Internet mode) to 1T bytes, e.g. 512M") : 0;
}

static const struct cli_option options[] = {
	{.shown = "TARGET", .help = "198.18.0.1, 198.18.0.0/20, 198.18.0.1-198.18.3.9, nmap octet "
		"ranges 198.18.0-3.1-254, 198.18.1,3.*; IPv6 2001:2::5, 2001:2::/120, "
		"2001:2::1-2001:2::ff; comma lists; IPv4 and IPv6 mix in one scan"},
	{.name = "iL", .nmap = "-iL", .arg = CLI_ARG_REQUIRED, .meta = "FILE",
		.parse = parse_input_list, .help = "read targets from FILE ('-' = stdin), whitespace "
		"separated, '#' starts a comment"},
	{.name = "exclude", .arg = CLI_ARG_REQUIRED, .meta = "LIST", .parse = parse_exclude,
		.help = "never probe these addresses (same syntax, comma separated)"},
	{.name = "excludefile", .arg = CLI_ARG_REQUIRED, .meta = "FILE", .parse = parse_excludefile,
		.help = "never probe the addresses listed in FILE"},
	{.name = "allow-special-ranges", .parse = parse_allow_special, .help = "also scan IANA "
		"special-purpose ranges (private, loopback, link local, documentation, benchmarking "
		"such as 198.18.0.0/15, multicast, reserved); by default they are skipped with a "
		"notice"},
	{.name = "max-targets", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_max_targets,
		.help = "refuse more than N target addresses (default 16777216); raise it to confirm "
		"a larger scan (0.0.0.0/0 is 3.7e9)"},
	{.name = "max-state-memory", .arg = CLI_ARG_REQUIRED, .meta = "B",
		.parse = parse_max_state_memory, .help = "per-pair state (2 bits a pair) up to B "
		"bytes (default 1G; k/M/G): unanswered pairs are retried and reported as nmap does. "
		"Past it, Internet mode: flat memory (128 MiB), every probe sent again a fixed "
		"distance later in the walk, duplicates dropped, silent pairs not reported. 0 = "
		"always Internet mode. Up to 2^62 pairs"},
};

const struct cli_section prt_cli_section_targets = CLI_SECTION("TARGETS", NULL, options, NULL);
