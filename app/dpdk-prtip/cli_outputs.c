/* SPDX-License-Identifier: BSD-3-Clause */
/* Output options: -oJ -oL -oN -oX -oG -oC, -oA, and what shapes the files. */
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "metrics.h"

#include "prt_common.h"

/* "-" is stdout, as in nmap (-oX -): that format replaces the table there. */
static int add_output(struct prt_app_conf *c, char format, const char *path, bool owned)
{
	for (unsigned i = 0; i < c->n_outputs; i++)
		if (strcmp(c->outputs[i].path, path) == 0 && strcmp(path, "-") == 0) {
			prt_usage_error("-o%c - and -o%c - both write to stdout: one format can",
				c->outputs[i].format, format);
			return -1;
		} else if (strcmp(c->outputs[i].path, path) == 0) {
			prt_usage_error("-o%c and -o%c name the same file '%s'", c->outputs[i].format,
				format, path);
			return -1;
		}
	if (c->n_outputs == PRT_OUTPUT_MAX - 1) { /* one is the table */
		prt_usage_error("too many output files");
		return -1;
	}
	if (strcmp(path, "-") == 0 && owned) {
		prt_usage_error("-oA needs a base name for its three files, not '-'");
		return -1;
	}
	c->stdout_format |= strcmp(path, "-") == 0;
	c->outputs[c->n_outputs].format = format;
	c->outputs[c->n_outputs].owned = owned;
	c->outputs[c->n_outputs++].path = path;
	return 0;
}

/* -oA BASE: nmap's three formats, BASE.nmap, BASE.xml and BASE.gnmap. */
static int add_output_all(struct prt_app_conf *c, const char *base)
{
	for (unsigned i = 0; prt_writers_all[i] != NULL; i++) {
		const struct prt_writer_ops *w = prt_writers_all[i];
		char *path = malloc(strlen(base) + strlen(w->ext) + 2);
		if (path == NULL) {
			prt_usage_error("out of memory");
			return -1;
		}
		sprintf(path, "%s.%s", base, w->ext);
		if (add_output(c, w->flag[2], path, true) != 0) {
			free(path);
			return -1;
		}
	}
	return 0;
}

int prt_cli_finish_outputs(struct prt_app_conf *c)
{
	bool csv = false, xml = false;

	for (unsigned i = 0; i < c->n_outputs; i++) {
		csv |= c->outputs[i].format == 'C';
		xml |= c->outputs[i].format == 'X';
	}
	if (c->output_fields != NULL && !csv) {
		prt_usage_error("--output-fields chooses the columns of -oC FILE, which is not given");
		return -1;
	}
	for (unsigned i = 0; c->event_log != NULL && i < c->n_outputs; i++)
		if (strcmp(c->outputs[i].path, c->event_log) == 0) {
			prt_usage_error("--event-log and -o%c name the same file '%s'",
				c->outputs[i].format, c->event_log);
			return -1;
		}
	if (xml) { /* nmap's stylesheet, by absolute path as nmap writes it; absent: none */
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/nmap.xsl", c->datadir);
		c->xml_stylesheet = realpath(path, NULL);
	}
	return 0;
}

/* -oJ -oL -oN -oX -oG -oC: the row's nmap spelling names the format. */
static int parse_output(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	return add_output(x->c, self->nmap[2], arg, false);
}

static int parse_output_ndjson(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self;
	return add_output(x->c, 'J', arg, false);
}

static int parse_output_all(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return add_output_all(x->c, arg);
}

/* --reason, --append-output, --xml-scanner-nmap, --open: the flag its row names */
static int parse_flag(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	struct prt_app_conf *c = x->c;

	(void)arg;
	*(strcmp(self->name, "reason") == 0 ? &c->reason :
	  strcmp(self->name, "append-output") == 0 ? &c->append_output :
	  strcmp(self->name, "xml-scanner-nmap") == 0 ? &c->xml_scanner_nmap : &c->only_open) = true;
	return 0;
}

static int parse_fields(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	char err[256];

	(void)self;
	if (prt_csv_fields_valid(arg, err, sizeof(err)) != 0)
		return prt_cli_bad_value("--output-fields", arg, err);
	x->c->output_fields = arg;
	return 0;
}

static int parse_states(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	char err[256];

	(void)self;
	if (prt_output_states_parse(arg, &x->c->output_states, err, sizeof(err)) != 0)
		return prt_cli_bad_value("--output-states", arg, err);
	return 0;
}

static int parse_event_log(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	if (strcmp(arg, "-") == 0)
		return prt_cli_bad_value("--event-log", arg, "the event log is a file");
	x->c->event_log = arg;
	return 0;
}

static int parse_db(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	if (arg[0] == '\0' || strcmp(arg, "-") == 0)
		return prt_cli_bad_value("--db", arg, "a database file, or postgresql://...");
	x->c->db = arg;
	return 0;
}

static int parse_metrics(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	struct sockaddr_storage sa;

	(void)self;
	if (prt_metrics_parse_addr(arg, &sa) != 0)
		return prt_cli_bad_value("--metrics", arg,
			"ADDR:PORT, e.g. 127.0.0.1:9464, [::1]:9464 or :9464 (every address)");
	x->c->metrics = arg;
	return 0;
}

static int parse_scan_id(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	if (!prt_scan_id_valid(arg))
		return prt_cli_bad_value("--scan-id", arg, "1 to 64 of A-Z a-z 0-9 . _ : -");
	snprintf(x->c->scan_id, sizeof(x->c->scan_id), "%s", arg);
	return 0;
}

static int parse_stats_every(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_cli_seconds_min("--stats-every", arg, 0.1, 3600, &x->c->stats_every_s);
}

#define FORMAT(letter, what) {.name = "o" letter, .nmap = "-o" letter, \
	.arg = CLI_ARG_REQUIRED, .meta = "FILE", .parse = parse_output, .help = what}

static const struct cli_option options[] = {
	FORMAT("N", "nmap normal output"),
	FORMAT("X", "nmap XML (1.05); hosts that answered, extraports for the rest; a complete "
		"document even after SIGINT; links <datadir>/nmap.xsl when it exists"),
	FORMAT("G", "nmap grepable output"),
	{.name = "oA", .nmap = "-oA", .arg = CLI_ARG_REQUIRED, .meta = "BASE",
		.parse = parse_output_all, .help = "-oN BASE.nmap -oX BASE.xml -oG BASE.gnmap"},
	FORMAT("J", "NDJSON, one object per (ip, port): ip, port, proto, state, reason, "
		"icmp_type and icmp_code (for an ICMP error), ttl, ts"),
	{.name = "oD", .nmap = "-oD", .arg = CLI_ARG_REQUIRED, .meta = "FILE",
		.parse = parse_output_ndjson, .help = "masscan's name for -oJ"},
	FORMAT("L", "masscan list format: 'open tcp 80 198.18.0.1 1764201600'"),
	FORMAT("C", "CSV with a header row, one row per (ip, port)"),
	{.name = "output-fields", .arg = CLI_ARG_REQUIRED, .meta = "LIST", .parse = parse_fields,
		.help = "the -oC columns, in order (default ip,port,proto,state,reason,ttl,ts; also "
		"ts_unix, icmp_type, icmp_code, service, banner, product, version, info; with -O "
		"os, os_accuracy, os_cpe on a row per host)"},
	{.name = "reason", .parse = parse_flag,
		.help = "-oN gets a REASON column (stdout always has one)"},
	{.name = "append-output", .parse = parse_flag, .help = "add to existing files instead of "
		"replacing them (not to a non-empty -oX file: an XML document holds one scan)"},
	{.name = "xml-scanner-nmap", .parse = parse_flag,
		.help = "scanner=\"nmap\" in -oX, which nmap.dtd requires"},
	{.name = "output-states", .arg = CLI_ARG_REQUIRED, .meta = "LIST", .parse = parse_states,
		.help = "the states every format lists: open, closed, filtered, open|filtered, "
		"unfiltered, up, down, no-response (pairs that never answered), answered, all. "
		"Default: -oJ, -oL, -oC write what answered (as masscan and ZMap); the tables list "
		"by nmap's rules and summarise the rest"},
	{.name = "open", .parse = parse_flag, .shown = "--open, --open-only", .help = "as nmap: "
		"only ports that may be open (open, open|filtered, unfiltered) and only hosts with "
		"one, in every format"},
	{.name = "open-only", .parse = parse_flag},
	{.name = "event-log", .arg = CLI_ARG_REQUIRED, .meta = "FILE", .parse = parse_event_log,
		.help = "NDJSON of what happens while the scan runs: start, phases, retry passes, "
		"progress each second, hosts up, open ports, services, certificates, rate changes, "
		"checkpoints, warnings, the end (schema: the user guide's \"Event log\")"},
	{.name = "scan-id", .arg = CLI_ARG_REQUIRED, .meta = "ID", .parse = parse_scan_id,
		.help = "the scan's name in the event log and the store: 1 to 64 of A-Z a-z 0-9 . _ "
		": - (default: made from the seed and the start time; --resume keeps it). Shards of "
		"one scan on several appliances give the same ID"},
	{.name = "db", .arg = CLI_ARG_REQUIRED, .meta = "URL", .parse = parse_db,
		.help = "store results, services, certificates, banners and events in a database: "
		"a SQLite file, or postgresql://user@host/db for a fleet (COPY). What -oJ writes is "
		"stored, keyed by the scan id: a resume or another shard adds to the same scan, no "
		"row twice. A separate thread writes; if the database falls behind, rows are "
		"dropped, counted and reported, the scan never waits. Read with 'dpdk-prtip db'"},
	{.name = "metrics", .arg = CLI_ARG_REQUIRED, .meta = "ADDR:PORT", .parse = parse_metrics,
		.not_scan = true, .help = "serve GET /metrics for Prometheus while the scan runs: "
		"the telemetry counters (prtip_*, prtip_tcp_*, prtip_match_*), per-lcore packets, "
		"bursts, busy % and rate, the port's ethdev counters and the store's rows, labelled "
		"with the scan id. Served by its own thread, never a datapath lcore"},
	{.name = "stats-every", .arg = CLI_ARG_REQUIRED, .meta = "SECS",
		.parse = parse_stats_every, .help = "progress line on stderr every "
		"SECS (default: every second when stderr is a terminal, else never)"},
};

const struct cli_section prt_cli_section_output = CLI_SECTION("OUTPUT",
	"The table on stdout lists, per host, the ports nmap would list (open, open|filtered, "
	"unfiltered, and any state with at most 25 ports on the host) and summarises the rest by "
	"count and reason; hosts that never answered are counted. Reasons are nmap's words "
	"(syn-ack, reset, port-unreach, admin-prohibited, no-response, ...) in every format. Files other than -oN/-oG/-oX "
	"hold every pair. Unwritable files stop the scan before it sends anything. '-' is "
	"stdout, where that format replaces the table.",
	options, NULL);
