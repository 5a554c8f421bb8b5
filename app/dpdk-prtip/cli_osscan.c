/* SPDX-License-Identifier: BSD-3-Clause */
/* -O and nmap's options around it; nmap-os-db is read when the command line is. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"

#include "prt_common.h"

static int parse_osscan(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)arg;
	if (self->name == NULL) /* -O */
		x->c->osscan = true;
	else if (strcmp(self->name, "osscan-limit") == 0)
		x->c->osscan_limit = true;
	else /* --osscan-guess, --fuzzy */
		x->c->osscan_guess = true;
	return 0;
}

static int parse_max_os_tries(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	uint64_t v;

	(void)self;
	if (prt_parse_u64(arg, 1, 50, &v) != 0)
		return prt_cli_bad_value("--max-os-tries", arg, "must be 1-50");
	x->c->max_os_tries = (uint32_t)v;
	return 0;
}

static int parse_os_db(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->os_db_path = arg;
	return 0;
}

int prt_cli_finish_osscan(struct prt_app_conf *c)
{
	char path[512], err[600];
	int rc;

	if (!c->osscan) {
		if (c->osscan_limit || c->osscan_guess || c->os_db_path != NULL)
			prt_usage_error("--osscan-limit, --osscan-guess and --os-db go with -O, "
					"which is not given");
		return c->osscan_limit || c->osscan_guess || c->os_db_path != NULL ? -1 : 0;
	}
	if (c->sweep) {
		prt_usage_error("-O needs the ports of a port scan (an open and a closed TCP "
				"port per host); -sn scans none");
		return -1;
	}
	if (c->targets.total4 == 0) {
		prt_usage_error("-O fingerprints IPv4 hosts; the targets are all IPv6");
		return -1;
	}
	if (c->os_db_path != NULL)
		snprintf(path, sizeof(path), "%s", c->os_db_path);
	else
		snprintf(path, sizeof(path), "%s/nmap-os-db", c->datadir);
	rc = prt_os_db_load(&c->os_db, path, err, sizeof(err));
	if (rc != 0) {
		prt_usage_error("-O: %s", err);
		return -1;
	}
	return 0;
}

static const struct cli_option options[] = {
	{.letter = 'O', .parse = parse_osscan, .help = "OS detection, nmap's: after "
		"the port scan, each IPv4 host with an open TCP port gets nmap's 16 probes (six "
		"SYNs 100 ms apart, ECN, T2-T7 to the open and a closed port, U1 to a closed UDP "
		"port, two ICMP echoes), many hosts at once on the TX lcores, paced by --rate; the "
		"fingerprint is nmap's and is matched against <datadir>/nmap-os-db with its "
		"MatchPoints. OS details, guesses, device type, CPE, the fingerprint when nothing "
		"matches exactly, the hop distance: -oN, -oX, -oG, -oJ and the tables; nmap's "
		"uptime guess and TCP sequence, IP ID and timestamp classes: -oX, -oG, -oJ, and "
		"with -v -oN and the tables"},
	{.name = "osscan-limit", .parse = parse_osscan, .help = "only hosts with at least one "
		"open and one closed TCP port (others are not tried)"},
	{.name = "osscan-guess", .parse = parse_osscan, .help = "print nmap's 'Aggressive OS "
		"guesses' even when the fingerprint is good enough to submit"},
	{.name = "fuzzy", .parse = parse_osscan, .help = "--osscan-guess"},
	{.name = "max-os-tries", .arg = CLI_ARG_REQUIRED, .meta = "N",
		.parse = parse_max_os_tries, .help = "tries per host while no print matches "
		"perfectly (default 5; 2 when the fingerprint is not good enough to submit), "
		"nmap's"},
	{.name = "os-db", .arg = CLI_ARG_REQUIRED, .meta = "FILE", .parse = parse_os_db,
		.help = "the reference prints (default <datadir>/nmap-os-db)"},
};

const struct cli_section prt_cli_section_osscan = CLI_SECTION("OS DETECTION (-O)",
	"A host's TCP/IP stack answers nmap's probes in ways that tell its OS. The tries run "
	"as a phase after the port scan, from its results: the open TCP port with the "
	"lowest number, the closed one likewise (else a random high port), a closed UDP port "
	"if -sU found one (else a random high port).",
	options, NULL);
