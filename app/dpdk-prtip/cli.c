/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Option parsing. nmap's short flags keep their meaning (-p, -S, -F, -iL,
 * -oJ...), masscan/zmap features are long options. Every value is parsed
 * strictly; an error names the option and the value and exits 2.
 */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "checkpoint.h"
#include "cli_priv.h"
#include <rte_config.h>

#include "prt_common.h"
#include "prt_probe.h"


static const struct option long_opts[] = {
	{"source-ip", required_argument, NULL, 'S'},
	{"source-mac", required_argument, NULL, OPT_SOURCE_MAC},
	{"router-ip", required_argument, NULL, OPT_ROUTER_IP},
	{"router-mac", required_argument, NULL, OPT_ROUTER_MAC},
	{"source-port", required_argument, NULL, OPT_SOURCE_PORT},
	{"ports", required_argument, NULL, 'p'},
	{"top-ports", required_argument, NULL, OPT_TOP_PORTS},
	{"fast", no_argument, NULL, 'F'},
	{"exclude-ports", required_argument, NULL, OPT_EXCLUDE_PORTS},
	{"iL", required_argument, NULL, OPT_IL},
	{"exclude", required_argument, NULL, OPT_EXCLUDE},
	{"excludefile", required_argument, NULL, OPT_EXCLUDEFILE},
	{"seed", required_argument, NULL, OPT_SEED},
	{"shard", required_argument, NULL, OPT_SHARD},
	{"allow-special-ranges", no_argument, NULL, OPT_ALLOW_SPECIAL},
	{"max-targets", required_argument, NULL, OPT_MAX_TARGETS},
	{"max-state-memory", required_argument, NULL, OPT_MAX_STATE_MEMORY},
	{"shards", required_argument, NULL, OPT_SHARDS},
	{"rate", required_argument, NULL, OPT_RATE},
	{"max-rate", required_argument, NULL, OPT_RATE},
	{"min-rate", required_argument, NULL, OPT_MIN_RATE},
	{"n", no_argument, NULL, OPT_NO_DNS},
	{"verbose", no_argument, NULL, OPT_VERBOSE},
	{"bandwidth", required_argument, NULL, OPT_BANDWIDTH},
	{"tx-lcores", required_argument, NULL, OPT_TX_LCORES},
	{"rx-lcores", required_argument, NULL, OPT_RX_LCORES},
	{"max-retries", required_argument, NULL, OPT_MAX_RETRIES},
	{"timing", required_argument, NULL, OPT_TIMING},
	{"wait", required_argument, NULL, OPT_WAIT},
	{"banners", no_argument, NULL, OPT_BANNERS},
	{"banner-wait", required_argument, NULL, OPT_BANNER_WAIT},
	{"connection-timeout", required_argument, NULL, OPT_CONN_TIMEOUT},
	{"max-connections", required_argument, NULL, OPT_MAX_CONNS},
	{"service-probes", required_argument, NULL, OPT_SERVICE_PROBES},
	{"sV", no_argument, NULL, OPT_SV},
	{"version-intensity", required_argument, NULL, OPT_VERSION_INTENSITY},
	{"version-light", no_argument, NULL, OPT_VERSION_LIGHT},
	{"version-all", no_argument, NULL, OPT_VERSION_ALL},
	{"service-cache", required_argument, NULL, OPT_SERVICE_CACHE},
	{"max-tls-memory", required_argument, NULL, OPT_MAX_TLS_MEMORY},
	{"ssl-cert", no_argument, NULL, OPT_SSL_CERT},
	{"script", required_argument, NULL, OPT_SCRIPT},
	{"sni", required_argument, NULL, OPT_SNI},
	{"oJ", required_argument, NULL, OPT_OJ},
	{"oL", required_argument, NULL, OPT_OL},
	{"oN", required_argument, NULL, OPT_ON},
	{"oX", required_argument, NULL, OPT_OX},
	{"oG", required_argument, NULL, OPT_OG},
	{"oC", required_argument, NULL, OPT_OC},
	{"oA", required_argument, NULL, OPT_OA},
	{"reason", no_argument, NULL, OPT_REASON},
	{"append-output", no_argument, NULL, OPT_APPEND},
	{"xml-scanner-nmap", no_argument, NULL, OPT_XML_NMAP},
	{"output-fields", required_argument, NULL, OPT_OUTPUT_FIELDS},
	{"resume", required_argument, NULL, OPT_RESUME},
	{"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
	{"checkpoint-every", required_argument, NULL, OPT_CHECKPOINT_EVERY},
	{"max-runtime", required_argument, NULL, OPT_MAX_RUNTIME},
	{"open", no_argument, NULL, OPT_OPEN},
	{"open-only", no_argument, NULL, OPT_OPEN},
	{"output-states", required_argument, NULL, OPT_OUTPUT_STATES},
	{"stats-every", required_argument, NULL, OPT_STATS_EVERY},
	{"port-id", required_argument, NULL, OPT_PORT},
	{"ttl", required_argument, NULL, OPT_TTL},
	{"datadir", required_argument, NULL, OPT_DATADIR},
	{"user", required_argument, NULL, OPT_USER},
	{"driver-profile", required_argument, NULL, OPT_DRIVER_PROFILE},
	{"arp-timeout", required_argument, NULL, OPT_ARP_TIMEOUT},
	{"scan-type", required_argument, NULL, OPT_SCAN_TYPE},
	{"sn", no_argument, NULL, OPT_SN},
	{"Pn", no_argument, NULL, OPT_PN},
	{"PE", optional_argument, NULL, OPT_PE},
	{"PP", optional_argument, NULL, OPT_PP},
	{"PM", optional_argument, NULL, OPT_PM},
	{"PS", optional_argument, NULL, OPT_PS},
	{"PA", optional_argument, NULL, OPT_PA},
	{"PU", optional_argument, NULL, OPT_PU},
	{"PY", optional_argument, NULL, OPT_PY},
	{"PR", optional_argument, NULL, OPT_PR},
	{"arpscan", no_argument, NULL, OPT_ARPSCAN},
	{"ipv6", no_argument, NULL, OPT_IPV6},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

int prt_cli_bad_value(const char *opt, const char *val, const char *why)
{
	prt_usage_error("bad %s '%s': %s", opt, val, why);
	return -1;
}

int prt_cli_seconds(const char *opt, const char *val, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (errno != 0 || end == val || *end != '\0' || !(v >= 0) || v > max) {
		char why[64];
		snprintf(why, sizeof(why), "must be a number of seconds 0-%.0f", max);
		return prt_cli_bad_value(opt, val, why);
	}
	*out = v;
	return 0;
}

/* Copy "A<sep>B" into buf and split it; *second is NULL without sep.
 * @return 0, or -1 when val does not fit */
static int split_two(const char *val, char sep, char buf[32], char **second)
{
	if (strlen(val) >= 32)
		return -1;
	strcpy(buf, val);
	*second = strchr(buf, sep);
	if (*second != NULL)
		*(*second)++ = '\0';
	return 0;
}

/* Seconds, at least @p min. */
int prt_cli_seconds_min(const char *opt, const char *val, double min, double max, double *out)
{
	char why[64];

	if (prt_cli_seconds(opt, val, max, out) != 0)
		return -1;
	if (*out >= min)
		return 0;
	snprintf(why, sizeof(why), "must be at least %g second%s", min, min == 1 ? "" : "s");
	return prt_cli_bad_value(opt, val, why);
}

/* -S and --router-ip: once per family, IPv4 or IPv6. */
static int parse_address(const char *opt, const char *val, uint32_t *v4, bool *have4,
	struct prt_addr *v6, bool *have6)
{
	bool *have = strchr(val, ':') != NULL ? have6 : have4;
	int rc = have == have6 ? prt_parse_ipv6(val, v6) : prt_parse_ipv4(val, v4);

	if (rc != 0 || (have == have6 && prt_addr_is_v4(v6)))
		return prt_cli_bad_value(opt, val, "not an IPv4 or IPv6 address");
	if (*have) {
		prt_usage_error("%s given twice for IPv%c (once per family)", opt,
			have == have6 ? '6' : '4');
		return -1;
	}
	*have = true;
	return 0;
}

static int parse_source_port(struct prt_app_conf *c, const char *val)
{
	char buf[32], *dash;
	uint64_t lo, hi;

	if (split_two(val, '-', buf, &dash) != 0)
		return prt_cli_bad_value("--source-port", val, "expected PORT or FIRST-LAST");
	if (prt_parse_u64(buf, 1, 65535, &lo) != 0 ||
	    (dash != NULL && prt_parse_u64(dash, 1, 65535, &hi) != 0))
		return prt_cli_bad_value("--source-port", val, "ports must be 1-65535");
	if (dash == NULL)
		hi = lo;
	if (lo > hi)
		return prt_cli_bad_value("--source-port", val, "range start is after its end");
	c->sport_base = (uint16_t)lo;
	c->sport_count = (uint32_t)(hi - lo + 1);
	return 0;
}

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

/* "1-2,4": lcore ids, each once. */
static int parse_lcores(const char *opt, const char *val, uint16_t *ids, unsigned *n)
{
	struct prt_port_list set; /* a set of small numbers: reuse the port list */
	char err[256];
	int rc = 0;

	prt_port_list_init(&set);
	*n = 0;
	if (strchr(val, ':') != NULL || prt_port_list_add_spec(&set, val, err, sizeof(err)) != 0 ||
	    prt_port_list_finalize(&set, NULL) != 0)
		rc = prt_cli_bad_value(opt, val, "expected lcore ids such as 1-2,4");
	else if (set.n == 0 || set.ports[set.n - 1] >= RTE_MAX_LCORE)
		rc = prt_cli_bad_value(opt, val, "lcore ids must be below RTE_MAX_LCORE");
	else if (set.n > PRT_MAX_ROLE_LCORES)
		rc = prt_cli_bad_value(opt, val, "too many lcores");
	for (uint32_t i = 0; rc == 0 && i < set.n; i++)
		ids[(*n)++] = set.ports[i];
	prt_port_list_free(&set);
	return rc;
}

/* --shard I/N (masscan, 1-based) or --shard I with --shards N (zmap, 0-based). */
static int parse_shard(struct prt_app_conf *c, const char *val)
{
	char buf[32], *slash;
	uint64_t i, n;

	if (split_two(val, '/', buf, &slash) != 0)
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

static int parse_one(struct prt_app_conf *c, struct cli_pending *pend, int opt, const char *arg)
{
	char err[256];
	uint64_t v;

	if (opt >= OPT_OUTPUTS_FIRST && opt <= OPT_OUTPUTS_LAST)
		return prt_cli_output_option(c, opt, arg);
	if (opt >= OPT_DISCOVERY_FIRST && opt <= OPT_DISCOVERY_LAST)
		return prt_cli_discovery_option(c, opt, arg);
	if (opt >= OPT_SESSIONS_FIRST && opt <= OPT_SESSIONS_LAST)
		return prt_cli_session_option(c, opt, arg);
	switch (opt) {
	case 'S':
		return parse_address("--source-ip", arg, &c->source_ip, &c->have_source_ip,
			&c->source_ip6, &c->have_source_ip6);
	case OPT_SOURCE_MAC:
		c->have_source_mac = true;
		return prt_parse_mac(arg, c->source_mac) ? prt_cli_bad_value("--source-mac", arg,
			"expected aa:bb:cc:dd:ee:ff") : 0;
	case OPT_ROUTER_IP:
		return parse_address("--router-ip", arg, &c->router_ip, &c->have_router_ip,
			&c->router_ip6, &c->have_router_ip6);
	case OPT_IPV6:
		return 0; /* the families come from the targets */
	case OPT_ROUTER_MAC:
		c->have_router_mac = true;
		return prt_parse_mac(arg, c->router_mac) ? prt_cli_bad_value("--router-mac", arg,
			"expected aa:bb:cc:dd:ee:ff") : 0;
	case OPT_SOURCE_PORT:
		return parse_source_port(c, arg);
	case 'p':
		pend->have_port_spec = true;
		return prt_cli_port_spec(pend, arg);
	case OPT_TOP_PORTS:
		if (prt_parse_u64(arg, 1, 65535, &v) != 0)
			return prt_cli_bad_value("--top-ports", arg, "must be 1-65535");
		pend->top_ports = (uint32_t)v;
		return 0;
	case 'F':
		pend->top_ports = 100;
		return 0;
	case OPT_EXCLUDE_PORTS:
		if (prt_port_list_add_spec(&c->exclude_ports, arg, err, sizeof(err)) != 0) {
			prt_usage_error("--exclude-ports: %s", err);
			return -1;
		}
		pend->have_exclude_ports = true;
		return 0;
	case OPT_IL:
		pend->have_input_list = true;
		return add_targets_file(&c->targets, "-iL", arg);
	case OPT_EXCLUDE:
		if (prt_target_set_add_list(&c->exclude, arg, err, sizeof(err)) != 0) {
			prt_usage_error("--exclude: %s", err);
			return -1;
		}
		return 0;
	case OPT_EXCLUDEFILE:
		return add_targets_file(&c->exclude, "--excludefile", arg);
	case OPT_SHARD:
		return parse_shard(c, arg);
	case OPT_ALLOW_SPECIAL:
		c->allow_special = true;
		return 0;
	case OPT_MAX_TARGETS:
		return prt_parse_u64(arg, 1, UINT64_MAX, &c->max_targets) ?
			prt_cli_bad_value("--max-targets", arg, "must be a number of addresses, 1 or more") :
			0;
	case OPT_MAX_STATE_MEMORY:
		return prt_parse_si(arg, 0, 1ULL << 40, &c->max_state_memory) ?
			prt_cli_bad_value("--max-state-memory", arg,
				"must be 0 (always Internet mode) to 1T bytes, e.g. 512M") : 0;
	case OPT_SHARDS:
		if (prt_parse_u64(arg, 1, 65535, &v) != 0)
			return prt_cli_bad_value("--shards", arg, "must be 1-65535");
		c->shards_opt = (uint32_t)v;
		return 0;
	case OPT_SEED:
		c->have_seed = true;
		return prt_parse_u64(arg, 0, UINT64_MAX, &c->seed) ? prt_cli_bad_value("--seed", arg,
			"must be an unsigned 64-bit number") : 0;
	case OPT_RATE:
		c->have_rate = true;
		return prt_parse_si(arg, 1, 1000000000ULL, &c->rate) ? prt_cli_bad_value("--rate", arg,
			"must be 1-1G packets per second (k/M/G suffixes allowed)") : 0;
	case OPT_MIN_RATE:
		return prt_parse_si(arg, 1, 1000000000ULL, &pend->min_rate) ?
			prt_cli_bad_value("--min-rate", arg,
				"must be 1-1G packets per second (k/M/G suffixes allowed)") : 0;
	case OPT_BANDWIDTH:
		return prt_parse_si(arg, 1000, 1000000000000ULL, &c->bandwidth) ?
			prt_cli_bad_value("--bandwidth", arg, "must be 1k-1000G bit/s (k/M/G suffixes)") : 0;
	case OPT_TX_LCORES:
		return parse_lcores("--tx-lcores", arg, c->tx_lcores, &c->n_tx_lcores);
	case OPT_RX_LCORES:
		return parse_lcores("--rx-lcores", arg, c->rx_lcores, &c->n_rx_lcores);
	case OPT_MAX_RETRIES:
		if (prt_parse_u64(arg, 0, 10, &v) != 0)
			return prt_cli_bad_value("--max-retries", arg, "must be 0-10");
		c->max_retries = (uint32_t)v;
		pend->have_retries = true;
		return 0;
	case OPT_WAIT:
		pend->have_wait = true;
		return prt_cli_seconds("--wait", arg, 3600, &c->wait_s);
	case OPT_TIMING:
		return prt_cli_timing(arg, &pend->timing);
	case OPT_ARP_TIMEOUT:
		return prt_cli_seconds("--arp-timeout", arg, 60, &c->arp_timeout_s);
	case OPT_STATS_EVERY:
		return prt_cli_seconds_min("--stats-every", arg, 0.1, 3600, &c->stats_every_s);
	case OPT_RESUME:
		return 0; /* loaded by prt_resume_prepare() before parsing */
	case OPT_CHECKPOINT:
		c->checkpoint_path = arg;
		c->checkpoint_path_set = true;
		return 0;
	case OPT_MAX_RUNTIME:
		return prt_cli_seconds_min("--max-runtime", arg, 0.1, 1e9, &c->max_runtime_s);
	case OPT_CHECKPOINT_EVERY:
		c->checkpoint_every_set = true;
		return prt_cli_seconds_min("--checkpoint-every", arg, 1, 86400,
			&c->checkpoint_every_s);
	case OPT_PORT:
		if (prt_parse_u64(arg, 0, 1023, &v) != 0)
			return prt_cli_bad_value("--port-id", arg, "must be a DPDK port id 0-1023");
		c->port_id = (uint16_t)v;
		return 0;
	case OPT_TTL:
		if (prt_parse_u64(arg, 1, 255, &v) != 0)
			return prt_cli_bad_value("--ttl", arg, "must be 1-255");
		c->ttl = (uint8_t)v;
		return 0;
	case OPT_DATADIR:
		c->datadir = arg;
		return 0;
	case OPT_USER:
		c->user = arg;
		return 0;
	case OPT_DRIVER_PROFILE:
		c->driver_profile_path = arg;
		return 0;
	case OPT_SCAN_TYPE:
		return prt_cli_scan_type(c, arg);
	case OPT_NO_DNS:
		return 0; /* names are never resolved: targets are addresses */
	case OPT_VERBOSE:
		c->verbose = true;
		return 0;
	default:
		return -1;
	}
}

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

bool prt_cli_long_takes_value(const char *name)
{
	for (const struct option *o = long_opts; o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return o->has_arg == required_argument;
	return false;
}

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

int prt_cli_parse(int argc, char **argv, struct prt_app_conf *c)
{
	struct cli_pending pend = {.timing = -1};
	struct cli_args a;
	int opt, rc = 0;

	set_defaults(c);
	if (prt_cli_normalize(argc, argv, &a) != 0)
		return -1;
	opterr = 0;
	optind = 1;
	while (rc == 0 && (opt = getopt_long(a.n, a.v, ":S:p:FhV", long_opts, NULL)) != -1) {
		if (opt == 'h' || opt == 'V') {
			if (opt == 'h')
				prt_usage(argv[0]);
			else
				printf("dpdk-prtip %s\n", PRT_VERSION);
			prt_cli_args_free(&a);
			return 1;
		}
		if (opt == '?' || opt == ':') {
			say_getopt_error(&a, opt);
			rc = -1;
			break;
		}
		rc = parse_one(c, &pend, opt, optarg);
	}
	for (int i = optind; rc == 0 && i < a.n; i++) {
		char err[256];
		pend.have_target_args = true;
		if (prt_target_set_add_list(&c->targets, a.v[i], err, sizeof(err)) != 0) {
			prt_usage_error("%s", err);
			rc = -1;
		}
	}
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
	free(c->cmdline);
	c->cmdline = NULL;
	if (c->have_udp_payloads)
		prt_udp_payloads_free(&c->udp_payloads);
	prt_matcher_free(c->matcher);
	c->matcher = NULL;
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
