/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Addresses and the port: the scanner's own addresses (one per family the
 * targets have), the next hop, the source ports, the TTL, the DPDK port and
 * the lcores that send and receive on it.
 */
#include <stdio.h>
#include <string.h>

#include <rte_config.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "prt_common.h"

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

	if (prt_cli_split_two(val, '-', buf, &dash) != 0)
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

/* Each family in the targets needs our address and a next hop in it. */
int prt_cli_finish_addresses(const struct prt_app_conf *c)
{
	const bool v4 = c->targets.total4 > 0, v6 = c->targets.total > c->targets.total4;

	if (v4 && !c->have_source_ip) {
		prt_usage_error("missing --source-ip/-S: the scanner's own IPv4 address is required");
		return -1;
	}
	if (v6 && !c->have_source_ip6) {
		prt_usage_error("missing -S for IPv6: the targets include IPv6 addresses; give the "
				"scanner's own IPv6 address too");
		return -1;
	}
	if (c->have_router_mac && (c->have_router_ip || c->have_router_ip6)) {
		prt_usage_error("--router-ip and --router-mac exclude each other");
		return -1;
	}
	if ((v4 && !c->have_router_ip && !c->have_router_mac) ||
	    (v6 && !c->have_router_ip6 && !c->have_router_mac)) {
		prt_usage_error("missing --router-ip%s or --router-mac: the next hop for the probes",
			v6 && !c->have_router_ip6 ? " (IPv6)" : "");
		return -1;
	}
	if (c->have_router_ip && c->have_source_ip && c->router_ip == c->source_ip) {
		prt_usage_error("--router-ip must differ from --source-ip");
		return -1;
	}
	for (unsigned i = 0; v6 && i < c->narms; i++)
		if (c->arms[i].probe->craft6 == NULL) {
			prt_usage_error("%s has no IPv6 form yet: scan the IPv6 targets with a TCP "
					"scan type", c->arms[i].probe->flag);
			return -1;
		}
	for (unsigned i = 0; i < c->n_tx_lcores; i++)
		for (unsigned j = 0; j < c->n_rx_lcores; j++)
			if (c->tx_lcores[i] == c->rx_lcores[j]) {
				prt_usage_error("lcore %u is in both --tx-lcores and --rx-lcores",
					c->tx_lcores[i]);
				return -1;
			}
	return 0;
}

static int parse_source_ip(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	struct prt_app_conf *c = x->c;

	(void)self;
	return parse_address("--source-ip", arg, &c->source_ip, &c->have_source_ip,
		&c->source_ip6, &c->have_source_ip6);
}

static int parse_router_ip(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	struct prt_app_conf *c = x->c;

	(void)self;
	return parse_address("--router-ip", arg, &c->router_ip, &c->have_router_ip,
		&c->router_ip6, &c->have_router_ip6);
}

static int parse_source_mac(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->have_source_mac = true;
	return prt_parse_mac(arg, x->c->source_mac) ? prt_cli_bad_value("--source-mac", arg,
		"expected aa:bb:cc:dd:ee:ff") : 0;
}

static int parse_router_mac(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->have_router_mac = true;
	return prt_parse_mac(arg, x->c->router_mac) ? prt_cli_bad_value("--router-mac", arg,
		"expected aa:bb:cc:dd:ee:ff") : 0;
}

/* -6: the families come from the targets */
static int parse_ipv6(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)x, (void)self, (void)arg;
	return 0;
}

static int parse_arp_timeout(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return prt_cli_seconds("--arp-timeout", arg, 60, &x->c->arp_timeout_s);
}

static int parse_sport(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return parse_source_port(x->c, arg);
}

static int parse_ttl(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	uint64_t v;

	(void)self;
	if (prt_parse_u64(arg, 1, 255, &v) != 0)
		return prt_cli_bad_value("--ttl", arg, "must be 1-255");
	x->c->ttl = (uint8_t)v;
	return 0;
}

static int parse_port_id(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	uint64_t v;

	(void)self;
	if (prt_parse_u64(arg, 0, 1023, &v) != 0)
		return prt_cli_bad_value("--port-id", arg, "must be a DPDK port id 0-1023");
	x->c->port_id = (uint16_t)v;
	return 0;
}

static int parse_tx_lcores(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return parse_lcores("--tx-lcores", arg, x->c->tx_lcores, &x->c->n_tx_lcores);
}

static int parse_rx_lcores(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	return parse_lcores("--rx-lcores", arg, x->c->rx_lcores, &x->c->n_rx_lcores);
}

static const struct cli_option options[] = {
	{.name = "source-ip", .letter = 'S', .arg = CLI_ARG_REQUIRED, .meta = "IP",
		.parse = parse_source_ip, .help = "the scanner's own address, once per family the "
		"targets have (IPv4 and/or IPv6; required)"},
	{.name = "source-mac", .arg = CLI_ARG_REQUIRED, .meta = "MAC", .parse = parse_source_mac,
		.help = "source MAC (default: the DPDK port's MAC)"},
	{.name = "router-ip", .arg = CLI_ARG_REQUIRED, .meta = "IP", .parse = parse_router_ip,
		.help = "next hop, once per family, resolved by ARP (IPv4) or neighbor discovery "
		"(IPv6) on the DPDK port"},
	{.name = "router-mac", .arg = CLI_ARG_REQUIRED, .meta = "MAC", .parse = parse_router_mac,
		.help = "next hop MAC for both families, no ARP/NDP (net_null)"},
	{.name = "ipv6", .letter = '6', .parse = parse_ipv6,
		.help = "accepted for nmap habits (families come from the targets)"},
	{.name = "arp-timeout", .arg = CLI_ARG_REQUIRED, .meta = "SECS", .parse = parse_arp_timeout,
		.help = "how long to wait for the router's ARP reply (default 3)"},
	{.name = "source-port", .letter = 'g', .arg = CLI_ARG_REQUIRED, .meta = "P|A-B",
		.parse = parse_sport, .help = "source ports used by probes (default 32768-60999); "
		"each probe's port is chosen by the cookie"},
	{.name = "ttl", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_ttl,
		.help = "IPv4 TTL of the probes (default 64)"},
	{.name = "port-id", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_port_id,
		.help = "DPDK port id to use (default 0)"},
	{.name = "tx-lcores", .arg = CLI_ARG_REQUIRED, .meta = "LIST", .parse = parse_tx_lcores,
		.help = "worker lcores that send, e.g. 1-2 (each owns one TX queue and a slice of "
		"the scan)"},
	{.name = "rx-lcores", .arg = CLI_ARG_REQUIRED, .meta = "LIST", .parse = parse_rx_lcores,
		.help = "worker lcores that receive, e.g. 3 (each owns one RX queue; RSS with a "
		"symmetric key spreads replies over them). net_af_packet needs qpairs=N >= the "
		"larger of the two"},
};

const struct cli_section prt_cli_section_addresses = CLI_SECTION("ADDRESSES (layer 2 and 3)",
	NULL, options, NULL);
