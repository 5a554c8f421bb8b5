/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host discovery's options, nmap's: -sn (discover, scan no ports), -Pn (no
 * discovery), and the probes -PE -PP -PM (ICMP echo, timestamp, address
 * mask), -PS -PA -PU -PY with their ports (TCP SYN, TCP ACK, UDP, SCTP
 * INIT), -PR (ARP or NDP on the local segment; masscan's --arpscan is -sn -PR).
 * Without -P probes, nmap's default set: -PE -PS443 -PA80 -PP (no -PP for
 * IPv6: ICMPv6 has no timestamp query).
 *
 * A port scan is preceded by discovery, as nmap's, in the per-pair regime;
 * Internet mode scans without it (as -Pn, as masscan and ZMap): the
 * live-host set of a discovery is a bit per address, and at Internet scale
 * discovery is a scan of its own (-sn, then -iL its hosts).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "prt_common.h"

/* The probe modules of the -P options and their ports when none are given. */
static const struct {
	const char *flag;
	const struct prt_probe_ops *probe;
	const char *ports; /* NULL: an ICMP query or ARP, no ports */
} probes[] = {
	{"-PE", &prt_probe_echo, NULL},
	{"-PP", &prt_probe_timestamp, NULL},
	{"-PM", &prt_probe_netmask, NULL},
	{"-PS", &prt_probe_syn, "80"},
	{"-PA", &prt_probe_ack, "80"},
	{"-PU", &prt_probe_udp, "40125"},
	{"-PY", &prt_probe_sctp_init, "80"},
	{"-PR", &prt_probe_arp, NULL},
};

/* Add @p spec's ports (NULL: an ICMP query's "port 0") to the arm of @p o,
 * which is made when the first option naming it comes. */
static int add_probe(struct prt_app_conf *c, const struct prt_probe_ops *o, const char *spec,
	const char *flag)
{
	struct prt_conf_arm *arm = NULL;
	char err[256];

	for (unsigned i = 0; i < c->ndisc && arm == NULL; i++)
		if (c->disc[i].probe == o)
			arm = &c->disc[i];
	if (arm == NULL) {
		if (c->ndisc == PRT_MAX_ARMS) {
			prt_usage_error("%s: at most %d discovery probe types", flag, PRT_MAX_ARMS);
			return -1;
		}
		arm = &c->disc[c->ndisc++];
		arm->probe = o;
	}
	if (spec == NULL) {
		arm->ports.bits[0] |= 1;
		return 0;
	}
	if (prt_port_list_add_spec(&arm->ports, spec, err, sizeof(err)) != 0)
		return prt_cli_bad_value(flag, spec, err);
	return 0;
}

static int parse_sn(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self, (void)arg;
	x->c->sweep = true;
	return 0;
}

static int parse_pn(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self, (void)arg;
	x->c->no_discovery = true;
	return 0;
}

/* masscan's: ARP the local segment, scan no ports */
static int parse_arpscan(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self, (void)arg;
	return prt_cli_sweep_with(x->c, &prt_probe_arp);
}

/* -PE ... -PR: the row's nmap spelling names the probe. */
static int parse_probe(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	for (size_t i = 0; i < PRT_ARRAY_SIZE(probes); i++) {
		if (strcmp(probes[i].flag, self->nmap) != 0)
			continue;
		if (probes[i].ports == NULL && arg != NULL)
			return prt_cli_bad_value(probes[i].flag, arg, probes[i].probe->ethertype != 0 ?
				"ARP has no ports" : "an ICMP query has no ports");
		return add_probe(x->c, probes[i].probe, probes[i].ports == NULL ? NULL :
			arg != NULL && arg[0] != '\0' ? arg : probes[i].ports, probes[i].flag);
	}
	return -1;
}

const char *prt_cli_discovery_flag(const struct prt_probe_ops *o)
{
	for (size_t i = 0; i < PRT_ARRAY_SIZE(probes); i++)
		if (probes[i].probe == o)
			return probes[i].flag;
	return o->flag;
}

int prt_cli_sweep_with(struct prt_app_conf *c, const struct prt_probe_ops *o)
{
	c->sweep = true;
	return add_probe(c, o, NULL, o->flag);
}

/* nmap's default: -PE -PS443 -PA80, and -PP where every target is IPv4. */
static int add_defaults(struct prt_app_conf *c)
{
	const bool v6 = c->targets.total > c->targets.total4;

	if (add_probe(c, &prt_probe_echo, NULL, "-PE") != 0 ||
	    add_probe(c, &prt_probe_syn, "443", "-PS") != 0 ||
	    add_probe(c, &prt_probe_ack, "80", "-PA") != 0)
		return -1;
	return v6 ? 0 : add_probe(c, &prt_probe_timestamp, NULL, "-PP");
}

static enum prt_discovery decide(const struct prt_app_conf *c)
{
	if (c->sweep)
		return PRT_DISCOVERY_ONLY;
	if (c->no_discovery || (c->internet && c->ndisc == 0))
		return PRT_DISCOVERY_NONE;
	return PRT_DISCOVERY_BEFORE;
}

/* What a discovery cannot go with. @return 0 or -1 (printed) */
static int check_combinations(const struct prt_app_conf *c)
{
	if (c->no_discovery && (c->sweep || c->ndisc > 0)) {
		prt_usage_error("-Pn skips host discovery: it cannot go with %s",
			c->sweep ? "-sn" : prt_cli_discovery_flag(c->disc[0].probe));
		return -1;
	}
	if (c->discovery == PRT_DISCOVERY_BEFORE && c->internet) {
		prt_usage_error("%s: host discovery before a port scan keeps a bit per address; "
				"this scan is in Internet mode: discover with -sn as a scan of its "
				"own, then scan its hosts (-iL), or add -Pn",
			prt_cli_discovery_flag(c->disc[0].probe));
		return -1;
	}
	if (c->discovery != PRT_DISCOVERY_NONE &&
	    (c->resume != NULL || c->checkpoint_path_set || c->checkpoint_every_set)) {
		prt_usage_error("--checkpoint/--resume: a scan with host discovery keeps no "
				"checkpoint (its live hosts are not saved); add -Pn, or run -sn "
				"first and scan its hosts with -iL");
		return -1;
	}
	return 0;
}

/* Every arm's ports made, the IPv6 forms there, the sizes within bounds. */
static int finish_arms(struct prt_app_conf *c)
{
	const bool v6 = c->targets.total > c->targets.total4;
	uint64_t nports = 0;

	for (unsigned i = 0; i < c->ndisc; i++) {
		if (v6 && c->disc[i].probe->craft6 == NULL) {
			prt_usage_error("%s has no IPv6 form (ICMPv6 has no such query): drop it "
				"for IPv6 targets", prt_cli_discovery_flag(c->disc[i].probe));
			return -1;
		}
		if (prt_port_list_finalize(&c->disc[i].ports, NULL) != 0) {
			prt_usage_error("out of memory");
			return -1;
		}
		nports += c->disc[i].ports.n;
	}
	if (c->targets.total > PRT_MAX_PAIRS / nports) {
		prt_usage_error("discovery too large: %llu addresses x %llu probes",
			(unsigned long long)c->targets.total, (unsigned long long)nports);
		return -1;
	}
	/* the live-host set: a bit per address, within the state budget */
	if (c->targets.total / 8 > c->max_state_memory) {
		prt_usage_error("-sn over %llu addresses keeps %llu MiB of live-host bits, more "
				"than --max-state-memory", (unsigned long long)c->targets.total,
			(unsigned long long)(c->targets.total / 8 >> 20));
		return -1;
	}
	c->disc_internet = PRT_PAIR_STATE_BYTES(c->targets.total * nports) > c->max_state_memory;
	return 0;
}

int prt_cli_finish_discovery(struct prt_app_conf *c)
{
	c->discovery = decide(c);
	if (check_combinations(c) != 0)
		return -1;
	if (c->discovery == PRT_DISCOVERY_NONE)
		return 0;
	if (c->ndisc == 0 && add_defaults(c) != 0)
		return -1;
	return finish_arms(c);
}

#define PROBE(long_name, spelling, how) {.name = long_name, .nmap = spelling, \
	.arg = CLI_ARG_OPTIONAL, .meta = "PORTS", .parse = parse_probe, .help = how}

static const struct cli_option options[] = {
	{.name = "sn", .nmap = "-sn", .parse = parse_sn, .help = "discover hosts, scan no ports: "
		"each host up (with the answer's reason) or down, in every format"},
	{.name = "Pn", .nmap = "-Pn", .parse = parse_pn,
		.help = "no discovery: scan every target's ports"},
	{.name = "PE", .nmap = "-PE", .arg = CLI_ARG_OPTIONAL, .parse = parse_probe,
		.shown = "-PE, -PP, -PM", .help = "ICMP echo, timestamp, address mask query (-PP "
		"and -PM are IPv4 only)"},
	{.name = "PP", .nmap = "-PP", .arg = CLI_ARG_OPTIONAL, .parse = parse_probe},
	{.name = "PM", .nmap = "-PM", .arg = CLI_ARG_OPTIONAL, .parse = parse_probe},
	PROBE("PS", "-PS", "TCP SYN to PORTS (default 80): a SYN-ACK or reset is up"),
	PROBE("PA", "-PA", "TCP ACK (default 80): a reset is up"),
	PROBE("PU", "-PU", "UDP (default 40125): a reply or port unreachable is up"),
	PROBE("PY", "-PY", "SCTP INIT (default 80): INIT ACK or ABORT is up"),
	{.name = "PR", .nmap = "-PR", .arg = CLI_ARG_OPTIONAL, .parse = parse_probe,
		.help = "ARP request (IPv4) or neighbor solicitation (IPv6) on the scanner's own "
		"segment: a reply is up (arp-response, nd-response); no cookie fits in either (a "
		"reply must be to our address and name a target; an advertisement must be "
		"solicited, hop limit 255)"},
	{.name = "arpscan", .parse = parse_arpscan, .help = "masscan's: -sn -PR"},
};

const struct cli_section prt_cli_section_discovery = CLI_SECTION("HOST DISCOVERY (nmap's)",
	"A port scan first finds which hosts are up, then scans their ports only; Internet "
	"mode (--max-state-memory) skips it, as masscan and ZMap do.",
	options,
	"Without -P options: nmap's default set, -PE -PS443 -PA80 -PP (no -PP for IPv6 "
	"targets). Any answer from the host is up, a port or protocol unreachable too; silence "
	"and other ICMP errors are not. Probes are stateless and paced like a scan's (--rate, "
	"retries, --wait). A scan with discovery keeps no checkpoint; the discovery runs as "
	"root, the port scan after it as --user.");
