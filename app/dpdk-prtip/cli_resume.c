/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checkpoints and resuming. --resume is read before the options are
 * (resume.c: its file may hold them); these rows say where checkpoints go
 * and when, and that none of them changes which scan runs.
 */
#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"

static int parse_checkpoint(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->checkpoint_path = arg;
	x->c->checkpoint_path_set = true;
	return 0;
}

static int parse_checkpoint_every(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self;
	x->c->checkpoint_every_set = true;
	return prt_cli_seconds_min("--checkpoint-every", arg, 1, 86400, &x->c->checkpoint_every_s);
}

static int parse_max_runtime(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_cli_seconds_min("--max-runtime", arg, 0.1, 1e9, &x->c->max_runtime_s);
}

/* loaded by prt_resume_prepare() before the options are parsed */
static int parse_resume(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)x, (void)self, (void)arg;
	return 0;
}

static const struct cli_option options[] = {
	{.name = "checkpoint", .arg = CLI_ARG_REQUIRED, .meta = "FILE", .parse = parse_checkpoint,
		.not_scan = true, .help = "where (default ./dpdk-prtip.resume, or the file a scan "
		"resumed from); removed when the scan completes"},
	{.name = "checkpoint-every", .arg = CLI_ARG_REQUIRED, .meta = "S",
		.parse = parse_checkpoint_every, .not_scan = true, .help = "also write it every S "
		"seconds while scanning (default: every 60 s for a scan expected to send for longer)"},
	{.name = "max-runtime", .arg = CLI_ARG_REQUIRED, .meta = "S", .parse = parse_max_runtime,
		.help = "stop sending after S seconds, wait for the replies, write the results and a "
		"checkpoint, exit 0: --resume goes on"},
	{.name = "resume", .arg = CLI_ARG_REQUIRED, .meta = "FILE", .parse = parse_resume,
		.not_scan = true, .help = "continue that scan: alone (its options are in FILE; a "
		"file of your own only) or with the very same options. Use the same lcores. Files "
		"of -oJ/-oL/-oC are added to, -oN/-oG/-oX written again whole; the two runs report "
		"every pair exactly once."},
};

const struct cli_section prt_cli_section_resume = CLI_SECTION("RESUME",
	"SIGINT/SIGTERM (once) stops the scan, writes what was found and a checkpoint: the "
	"options, keys, each TX lcore's position, the pairs reported and the per-host tables; "
	"mode 0600, with an HMAC under /var/lib/dpdk-prtip/checkpoint.key (root) that a resume "
	"checks first.",
	options, NULL);
