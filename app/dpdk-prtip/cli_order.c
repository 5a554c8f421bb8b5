/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scan's order and its shards: --seed fixes the walk and the cookie
 * key; --shard splits one walk over machines, masscan's way (I/N, 1-based)
 * or zmap's (--shard I --shards N, 0-based).
 */
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "prt_common.h"

/* --shard I/N (masscan, 1-based) or --shard I with --shards N (zmap, 0-based). */
static int parse_shard(struct prt_app_conf *c, const char *val)
{
	char buf[32], *slash;
	uint64_t i, n;

	if (prt_cli_split_two(val, '/', buf, &slash) != 0)
		return prt_cli_bad_value("--shard", val, "expected I/N (1-based) or I with --shards N");
	c->have_shard = true;
	if (slash == NULL) {
		if (prt_parse_u64(buf, 0, 65534, &i) != 0)
			return prt_cli_bad_value("--shard", val, "expected I/N (1-based) or I with --shards N");
		c->shard = (uint32_t)i;
		return 0;
	}
	if (prt_parse_u64(slash, 1, 65535, &n) != 0 || prt_parse_u64(buf, 1, n, &i) != 0)
		return prt_cli_bad_value("--shard", val, "I/N needs 1 <= I <= N <= 65535");
	c->shard = (uint32_t)(i - 1);
	c->nshards = (uint32_t)n;
	return 0;
}

int prt_cli_finish_shard(struct prt_app_conf *c)
{
	if (c->nshards > 0) { /* --shard I/N */
		if (c->shards_opt != 0 && c->shards_opt != c->nshards) {
			prt_usage_error("--shard %u/%u and --shards %u disagree", c->shard + 1,
				c->nshards, c->shards_opt);
			return -1;
		}
	} else if (c->have_shard) { /* --shard I --shards N */
		if (c->shards_opt == 0) {
			prt_usage_error("--shard %u needs --shards N (or use --shard I/N, 1-based)",
				c->shard);
			return -1;
		}
		if (c->shard >= c->shards_opt) {
			prt_usage_error("bad --shard %u: must be below --shards %u (0-based)", c->shard,
				c->shards_opt);
			return -1;
		}
		c->nshards = c->shards_opt;
	} else {
		c->nshards = c->shards_opt ? c->shards_opt : 1; /* --shards N alone: shard 0 */
	}
	if (c->nshards > 1 && !c->have_seed) {
		prt_usage_error("sharding needs --seed N: every shard must walk the same order");
		return -1;
	}
	return 0;
}

static int parse_seed(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->have_seed = true;
	return prt_parse_u64(arg, 0, UINT64_MAX, &x->c->seed) ? prt_cli_bad_value("--seed", arg,
		"must be an unsigned 64-bit number") : 0;
}

static int parse_shard_opt(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return parse_shard(x->c, arg);
}

static int parse_shards(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	uint64_t v;

	(void)self;
	if (prt_parse_u64(arg, 1, 65535, &v) != 0)
		return prt_cli_bad_value("--shards", arg, "must be 1-65535");
	x->c->shards_opt = (uint32_t)v;
	return 0;
}

static const struct cli_option options[] = {
	{.name = "seed", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_seed,
		.help = "fixes the scan order and cookie key: same seed, same order"},
	{.name = "shard", .arg = CLI_ARG_REQUIRED, .meta = "I/N", .parse = parse_shard_opt,
		.help = "scan only shard I of N (1-based, masscan); with the same --seed the N "
		"shards are disjoint and cover the scan"},
	{.name = "shards", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_shards,
		.shown = "--shards N --shard I", .help = "the same, 0-based (zmap)"},
};

const struct cli_section prt_cli_section_order = CLI_SECTION("ORDER AND SHARDS", NULL, options,
	NULL);
