/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Option parsing. nmap's short flags keep their meaning (-p, -S, -F, -iL,
 * -oJ...), masscan/zmap features are long options. Every option is a row of
 * its section's table (cli_option.h); getopt_long reads the arguments
 * through the table made from those rows, and each row's parser takes its
 * value strictly: an error names the option and the value and exits 2.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "prt_osdetect.h"
#include "checkpoint.h"
#include "cli_option.h"
#include "cli_priv.h"

#include "prt_common.h"
#include "prt_probe.h"

static void set_defaults(struct prt_app_conf *c)
{
	memset(c, 0, sizeof(*c));
	prt_target_set_init(&c->targets);
	prt_target_set_init(&c->exclude);
	for (unsigned i = 0; i < PRT_MAX_ARMS; i++) {
		prt_port_list_init(&c->arms[i].ports);
		prt_port_list_init(&c->disc[i].ports);
	}
	prt_port_list_init(&c->exclude_ports);
	c->sport_base = 32768;
	c->sport_count = 61000 - 32768;
	c->rate = 100000;
	c->max_retries = 1;
	c->wait_s = 3;
	c->banner_wait_s = 2;
	c->intensity = 7;
	c->max_os_tries = 5;
	c->conn_timeout_s = 10;
	c->arp_timeout_s = 3;
	c->ttl = 64;
	c->datadir = "/usr/share/nmap";
	c->user = "nobody";
	c->max_tls_memory = 1000000000ULL;
	c->max_targets = 1u << 24;
	c->max_state_memory = 1ULL << 30;
	c->arms[0].probe = &prt_probe_syn;
	c->narms = 1;
	c->checkpoint_path = "dpdk-prtip.resume";
}

static int parse_user(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->user = arg;
	return 0;
}

static int parse_driver_profile(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)self;
	x->c->driver_profile_path = arg;
	return 0;
}

/* -n: names are never resolved, targets are addresses */
static int parse_no_dns(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)x, (void)self, (void)arg;
	return 0;
}

static int parse_verbose(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self, (void)arg;
	x->c->verbose = true;
	return 0;
}

static int parse_help(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)x, (void)self, (void)arg;
	prt_usage(stdout);
	return 1;
}

static int parse_version(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)x, (void)self, (void)arg;
	printf("dpdk-prtip %s\n", PRT_VERSION);
	return 1;
}

/* main() runs --check-setup when it comes first: anywhere else it is misplaced */
static int parse_check_setup_misplaced(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	(void)x;
	(void)self;
	(void)arg;
	prt_usage_error("--check-setup comes first: dpdk-prtip --check-setup [EAL options] "
			"[-- --datadir DIR]");
	return -1;
}

static const struct cli_option options[] = {
	{.name = "user", .arg = CLI_ARG_REQUIRED, .meta = "NAME", .parse = parse_user,
		/* who runs the scan does not change which scan it is */
		.not_scan = true, .help = "once the port, the outputs and the matcher are set up, "
		"run as NAME (default nobody): no supplementary groups, no capabilities, no new "
		"privileges; checkpoints are still written by a small helper that stays root. "
		"--user root keeps root (docs/security.md)"},
	{.name = "driver-profile", .arg = CLI_ARG_REQUIRED, .meta = "F",
		.parse = parse_driver_profile, .help = "use driver profile file F instead of the "
		"built-in one for the port's PMD (see drivers-config/)"},
	{.letter = 'n', .parse = parse_no_dns,
		.help = "accepted for nmap habits: names are never resolved"},
	{.name = "verbose", .letter = 'v', .parse = parse_verbose, .shown = "-v, -vv, --verbose",
		.help = "'Discovered open port 80/tcp on 198.18.0.5' on stdout as each open port is "
		"found (nmap -v, masscan)"},
	{.name = "check-setup", .parse = parse_check_setup_misplaced,
		.shown = "--check-setup [EAL options] [-- --datadir DIR --service-cache DIR]",
		.not_scan = true, .help = "first on the command line, instead of a scan: whether "
		"this machine can run one with those EAL options (root, hugepages per NUMA node and "
		"their mount, each -a device's driver, IOMMU, vfio-pci and NUMA node against the "
		"lcores, each --vdev's interface, the PMD's profile, nmap's data files, -sV's "
		"cache), one ok/PROBLEM line each with the command that fixes it; exit 0 when "
		"nothing is a problem, else 1"},
	{.name = "help", .letter = 'h', .parse = parse_help, .help = "this text"},
	{.name = "version", .letter = 'V', .parse = parse_version, .help = "the version"},
};

const struct cli_section prt_cli_section_misc = CLI_SECTION("MISC", NULL, options, NULL);

/* The argument getopt choked on: the previous one, unless it stopped inside
 * a cluster of short options (-QX at Q), where optind has not moved on yet. */
static const char *bad_argument(const struct cli_args *a)
{
	const char *cur = optind < a->n ? a->v[optind] : NULL;

	if (optopt != 0 && cur != NULL && cur[0] == '-' && cur[1] != '-' &&
	    strchr(cur + 1, optopt) != NULL)
		return a->orig[optind];
	return a->orig[optind - 1];
}

/* getopt's complaint, in the user's spelling (-oX, not the --oX it became). */
static void say_getopt_error(const struct cli_args *a, int opt)
{
	const char *bad = bad_argument(a);

	if (opt == ':')
		prt_usage_error("option '%s' needs a value", bad);
	else if (optopt != 0 && strlen(bad) > 2)
		prt_usage_error("unknown option '-%c' in '%s'", optopt, bad);
	else if (optopt != 0)
		prt_usage_error("unknown option '-%c'", optopt);
	else
		prt_usage_error("unknown option '%s'", bad);
}

/* The options, then the targets; each noted for --echo. @return 0, -1
 * (printed) or 1 (--help/--version/--echo printed) */
static int parse_args(struct cli_args *a, struct cli_ctx *x)
{
	struct cli_given *given = calloc((size_t)a->n + 1, sizeof(*given));
	struct option *longs;
	unsigned ngiven = 0;
	char *shorts;
	int opt, rc = 0;

	if (given == NULL || prt_cli_getopt_table(&longs, &shorts) != 0) {
		free(given);
		prt_usage_error("out of memory");
		return -1;
	}
	opterr = 0;
	optind = 0; /* glibc: start afresh, even after an earlier parse */
	while (rc == 0 && (opt = getopt_long(a->n, a->v, shorts, longs, NULL)) != -1) {
		const struct cli_option *o = opt == '?' || opt == ':' ? NULL : prt_cli_option_of(opt);
		if (o == NULL) {
			say_getopt_error(a, opt);
			rc = -1;
			break;
		}
		given[ngiven++] = (struct cli_given){o, optarg};
		rc = o->parse(x, o, optarg);
	}
	free(longs);
	free(shorts);
	for (int i = optind; rc == 0 && i < a->n; i++) {
		char err[256];
		x->pend->have_target_args = true;
		given[ngiven++] = (struct cli_given){NULL, a->v[i]};
		if (prt_target_set_add_list(&x->c->targets, a->v[i], err, sizeof(err)) != 0) {
			prt_usage_error("%s", err);
			rc = -1;
		}
	}
	/* every value checked by its parser; the combinations when it runs */
	if (rc == 0 && x->pend->echo)
		rc = prt_cli_echo(stdout, given, ngiven) == 0 ? 1 : -1;
	free(given);
	return rc;
}

int prt_cli_parse(int argc, char **argv, struct prt_app_conf *c)
{
	struct cli_pending pend = {.timing = -1};
	struct cli_ctx x = {c, &pend};
	struct cli_args a;
	int rc;

	set_defaults(c);
	if (prt_cli_normalize(argc, argv, &a) != 0)
		return -1;
	rc = parse_args(&a, &x);
	if (rc == 0)
		rc = prt_cli_finish(c, &pend);
	if (rc == 0) {
		char err[256];
		if (prt_privdrop_lookup(&c->privdrop, c->user, err, sizeof(err)) != 0)
			rc = prt_cli_bad_value("--user", c->user, err);
	}
	prt_port_list_free(&pend.spec_any);
	for (unsigned i = 0; i < CLI_PORT_PREFIXES; i++)
		prt_port_list_free(&pend.spec_proto[i]);
	prt_cli_args_free(&a);
	return rc;
}

void prt_cli_free(struct prt_app_conf *c)
{
	for (unsigned i = 0; i < c->n_outputs; i++)
		if (c->outputs[i].owned)
			free((char *)(uintptr_t)c->outputs[i].path);
	c->n_outputs = 0;
	free(c->xml_stylesheet);
	c->xml_stylesheet = NULL;
	free(c->cmdline);
	c->cmdline = NULL;
	if (c->have_udp_payloads)
		prt_udp_payloads_free(&c->udp_payloads);
	prt_cli_matcher_discard(c);
	prt_os_db_free(c->os_db);
	c->os_db = NULL;
	if (c->have_service_probes)
		prt_sp_free(&c->service_probes);
	c->have_service_probes = false;
	c->have_udp_payloads = false;
	free(c->scan_args);
	c->scan_args = NULL;
	if (c->resume != NULL) {
		prt_checkpoint_free(c->resume);
		free(c->resume);
		c->resume = NULL;
	}
	prt_target_set_free(&c->targets);
	prt_target_set_free(&c->exclude);
	for (unsigned i = 0; i < PRT_MAX_ARMS; i++) {
		prt_port_list_free(&c->arms[i].ports);
		prt_port_list_free(&c->disc[i].ports);
	}
	prt_port_list_free(&c->exclude_ports);
}
