/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nmap's timing templates, -T0 (paranoid) to -T5 (insane), as this scanner's
 * knobs: the rate, the retry passes, the longest wait after the last probe
 * and the connections (-sT/-sV) at once. nmap's templates set a delay
 * between probes, round-trip timeouts and retries; here the round trips are
 * measured anyway (the wait and the retry gap follow them, bounded by
 * --wait), so a template sets the rate and the bound. Options given
 * explicitly win over the template, in any order. docs/user-guide.md has
 * the table and nmap's values next to ours.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "prt_common.h"

static const struct {
	const char *name;
	uint64_t rate;    /* probes/s; nmap: one probe per scan delay */
	uint32_t retries;
	double wait_s;    /* the most to wait for a late reply: nmap's max RTT timeout */
	uint64_t conns;   /* connections at once per RX lcore (0: from the rate) */
} templates[] = {
	{"paranoid", 1, 10, 300, 1},  /* nmap: 5 min between probes, one at a time */
	{"sneaky", 1, 10, 15, 1},     /* nmap: 15 s between probes */
	{"polite", 3, 10, 10, 1},     /* nmap: 0.4 s between probes */
	{"normal", 100000, 1, 3, 0},  /* our defaults */
	{"aggressive", 1000000, 1, 1.25, 0}, /* nmap: max RTT 1.25 s */
	{"insane", 10000000, 1, 0.3, 0},     /* nmap: max RTT 0.3 s */
};

int prt_cli_timing(const char *arg, int *timing)
{
	for (int t = 0; t < (int)PRT_ARRAY_SIZE(templates); t++) {
		char digit[2] = {(char)('0' + t), '\0'};
		if (strcmp(arg, digit) == 0 || strcmp(arg, templates[t].name) == 0) {
			*timing = t;
			return 0;
		}
	}
	return prt_cli_bad_value("-T", arg, "must be 0-5 or paranoid, sneaky, polite, normal, "
		"aggressive, insane");
}

void prt_cli_apply_timing(struct prt_app_conf *c, const struct cli_pending *pend)
{
	if (pend->timing < 0)
		return;
	if (!c->have_rate && pend->min_rate == 0) {
		c->rate = templates[pend->timing].rate;
		c->have_rate = true;
	}
	if (!pend->have_retries)
		c->max_retries = templates[pend->timing].retries;
	if (!pend->have_wait)
		c->wait_s = templates[pend->timing].wait_s;
	if (c->max_conns == 0)
		c->max_conns = templates[pend->timing].conns;
}

/* nmap's --min-rate: never slower than N. The scanner sends at exactly its
 * rate, so N is the rate, unless --rate/--max-rate says otherwise (and not
 * below N). */
int prt_cli_finish_rate(struct prt_app_conf *c, const struct cli_pending *pend)
{
	if (pend->min_rate == 0)
		return 0;
	if (c->have_rate && c->rate < pend->min_rate) {
		prt_usage_error("--min-rate %llu is above --rate/--max-rate %llu",
			(unsigned long long)pend->min_rate, (unsigned long long)c->rate);
		return -1;
	}
	if (!c->have_rate) {
		c->rate = pend->min_rate;
		c->have_rate = true;
	}
	return 0;
}

static int parse_rate(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->have_rate = true;
	return prt_parse_si(arg, 1, 1000000000ULL, &x->c->rate) ? prt_cli_bad_value("--rate", arg,
		"must be 1-1G packets per second (k/M/G suffixes allowed)") : 0;
}

static int parse_min_rate(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_parse_si(arg, 1, 1000000000ULL, &x->pend->min_rate) ?
		prt_cli_bad_value("--min-rate", arg,
			"must be 1-1G packets per second (k/M/G suffixes allowed)") : 0;
}

static int parse_bandwidth(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_parse_si(arg, 1000, 1000000000000ULL, &x->c->bandwidth) ?
		prt_cli_bad_value("--bandwidth", arg, "must be 1k-1000G bit/s (k/M/G suffixes)") : 0;
}

static int parse_max_retries(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	uint64_t v;

	(void)self;
	if (prt_parse_u64(arg, 0, 10, &v) != 0)
		return prt_cli_bad_value("--max-retries", arg, "must be 0-10");
	x->c->max_retries = (uint32_t)v;
	x->pend->have_retries = true;
	return 0;
}

static int parse_wait(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->pend->have_wait = true;
	return prt_cli_seconds("--wait", arg, 3600, &x->c->wait_s);
}

static int parse_timing(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_cli_timing(arg, &x->pend->timing);
}

static const struct cli_option options[] = {
	{.name = "rate", .arg = CLI_ARG_REQUIRED, .meta = "PPS", .parse = parse_rate,
		.help = "packets per second over all TX lcores (default 100000; k/M/G suffixes); "
		"--max-rate is a synonym. Split exactly over the TX lcores; changeable live: "
		"telemetry /prtip/rate,PPS"},
	{.name = "max-rate", .arg = CLI_ARG_REQUIRED, .meta = "PPS", .parse = parse_rate},
	{.name = "min-rate", .arg = CLI_ARG_REQUIRED, .meta = "PPS", .parse = parse_min_rate,
		.help = "nmap's floor: the rate is exactly PPS unless --rate or --max-rate gives one "
		"(which must not be below it)"},
	{.name = "bandwidth", .arg = CLI_ARG_REQUIRED, .meta = "BPS", .parse = parse_bandwidth,
		.help = "cap in bit/s on the wire (frame + FCS + preamble + gap, 84 bytes a SYN; "
		"k/M/G); with --rate the lower wins"},
	{.name = "max-retries", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_max_retries,
		.help = "re-probe unanswered pairs N more times (default 1; 0-10), twice the longest "
		"measured round trip apart (at least 0.25 s, 1 s before any answer, at most 1 s); "
		"Internet mode sends every probe N more times, 1 s of probes later"},
	{.name = "wait", .arg = CLI_ARG_REQUIRED, .meta = "SECS", .parse = parse_wait,
		.help = "the most to wait for late replies after the last probe (default 3): the "
		"wait is twice the longest measured round trip, at least 0.25 s, 1 s before any "
		"answer; a scan whose pairs all answered ends at once"},
	{.name = "timing", .letter = 'T', .arg = CLI_ARG_REQUIRED, .meta = "NAME",
		.parse = parse_timing, .shown = "-T0..-T5, --timing NAME", .help = "nmap's timing templates "
		"(paranoid, sneaky, polite, normal, aggressive, insane) as rate / retries / longest "
		"wait / connections at once: -T0 1/s 10 300s 1, -T1 1/s 10 15s 1, -T2 3/s 10 10s 1, "
		"-T3 100k/s 1 3s (the defaults), -T4 1M/s 1 1.25s, -T5 10M/s 1 0.3s; options given "
		"win"},
};

const struct cli_section prt_cli_section_timing = CLI_SECTION("TIMING", NULL, options, NULL);
