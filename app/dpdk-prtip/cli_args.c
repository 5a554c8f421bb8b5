/* SPDX-License-Identifier: BSD-3-Clause */
/* nmap-style flags, and the checks that need every option at once. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"
#include "prt_common.h"

/* Host discovery probes hosts, not ports: one pair per host, port 0. */
static int finish_discovery_ports(struct prt_app_conf *c, const struct cli_pending *pend)
{
	if (pend->have_port_spec || pend->top_ports > 0 || pend->have_exclude_ports) {
		prt_usage_error("-sn probes hosts, not ports: drop -p/--top-ports/-F/--exclude-ports");
		return -1;
	}
	c->arms[0].ports.bits[0] |= 1; /* port 0 stands for "the host" */
	if (prt_port_list_finalize(&c->arms[0].ports, NULL) != 0) {
		prt_usage_error("out of memory");
		return -1;
	}
	return 0;
}

static bool any_bit(const struct prt_port_list *pl)
{
	for (size_t i = 0; i < sizeof(pl->bits); i++)
		if (pl->bits[i])
			return true;
	return false;
}

/* -sO: -p lists IP protocols (nmap's "-sO -p 1,6,17"), all 256 without it. */
static int finish_protocols(struct prt_app_conf *c, const struct cli_pending *pend)
{
	struct prt_port_list *pl = &c->arms[0].ports;

	if (pend->top_ports > 0) {
		prt_usage_error("-sO scans IP protocols: --top-ports and -F pick ports; list "
				"protocols with -p (0-255)");
		return -1;
	}
	for (unsigned k = 0; k < CLI_PORT_PREFIXES; k++)
		if (any_bit(&pend->spec_proto[k])) {
			prt_usage_error("-p: -sO takes IP protocol numbers, without T:, U: or S:");
			return -1;
		}
	for (size_t i = 0; i < sizeof(pl->bits); i++) {
		uint8_t b = pend->have_port_spec ? pend->spec_any.bits[i] : i < 256 / 8 ? 0xff : 0;
		if (b != 0 && i >= 256 / 8) {
			prt_usage_error("-p: -sO scans IP protocols 0-255: %u is not one",
				(unsigned)(i * 8 + (unsigned)__builtin_ctz(b)));
			return -1;
		}
		pl->bits[i] |= b;
	}
	if (prt_port_list_finalize(pl, &c->exclude_ports) != 0) {
		prt_usage_error("out of memory");
		return -1;
	}
	if (pl->n == 0) {
		prt_usage_error("no IP protocols to scan (every one excluded by --exclude-ports)");
		return -1;
	}
	return 0;
}

/* nmap's protocol prefixes of -p items, in the order of pend->spec_proto. */
static const struct {
	char letter;
	uint8_t proto;
	const char *needs; /* when no arm scans the protocol */
} prefixes[CLI_PORT_PREFIXES] = {
	{'T', IPPROTO_TCP, "-p T: ports need a TCP scan type: add -sS (or another)"},
	{'U', IPPROTO_UDP, "-p U: ports need a UDP scan: add -sU"},
	{'S', IPPROTO_SCTP, "-p S: ports need an SCTP scan: add -sY or -sZ"},
};

static struct prt_port_list *prefixed(struct cli_pending *pend, const char *item)
{
	for (unsigned i = 0; i < CLI_PORT_PREFIXES; i++)
		if (item[0] == prefixes[i].letter && item[1] == ':')
			return &pend->spec_proto[i];
	return NULL;
}

int prt_cli_port_spec(struct cli_pending *pend, const char *spec)
{
	struct prt_port_list *into = &pend->spec_any;
	char *copy = strdup(spec), *rest = copy, *item, err[256];
	int rc = 0;

	if (copy == NULL) {
		prt_usage_error("out of memory");
		return -1;
	}
	/* nmap: a T:, U: or S: prefix applies to its item and the items after
	 * it; an empty item ("80,,81") reaches the parser, which refuses it */
	while (rc == 0 && (item = strsep(&rest, ",")) != NULL) {
		struct prt_port_list *own = prefixed(pend, item);
		if (own != NULL) {
			into = own;
			item += 2;
		}
		if (prt_port_list_add_spec(into, item, err, sizeof(err)) != 0) {
			prt_usage_error("-p: %s", err);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

/* One probe module's ports: its prefixed -p items and the unprefixed ones,
 * or nmap's top ports of its protocol; then --exclude-ports. */
static int fill_ports(struct prt_app_conf *c, const struct cli_pending *pend,
	struct prt_port_list *out, uint8_t proto)
{
	char err[512];

	for (unsigned k = 0; k < CLI_PORT_PREFIXES; k++)
		if (prefixes[k].proto == proto)
			for (size_t i = 0; i < sizeof(out->bits); i++)
				out->bits[i] |= pend->spec_proto[k].bits[i];
	for (size_t i = 0; i < sizeof(out->bits); i++)
		out->bits[i] |= pend->spec_any.bits[i];
	if (pend->top_ports > 0 || !pend->have_port_spec) {
		char path[512];
		/* nmap's default without -p is its top 1000 ports */
		uint32_t count = pend->top_ports ? pend->top_ports : 1000;
		snprintf(path, sizeof(path), "%s/nmap-services", c->datadir);
		if (prt_port_list_add_top(out, path, proto, count, err, sizeof(err)) != 0) {
			prt_usage_error("%s", err);
			return -1;
		}
	}
	if (prt_port_list_finalize(out, &c->exclude_ports) != 0) {
		prt_usage_error("out of memory");
		return -1;
	}
	if (out->n == 0) {
		prt_usage_error("no %s ports to scan (none given, or every one excluded by "
				"--exclude-ports)", proto == IPPROTO_UDP ? "UDP" :
			proto == IPPROTO_SCTP ? "SCTP" : "TCP");
		return -1;
	}
	return 0;
}

static int finish_ports(struct prt_app_conf *c, const struct cli_pending *pend)
{
	if (c->sweep) {
		/* -sn: the outputs report hosts, one "port 0" each */
		if (c->scan_type_set) {
			prt_usage_error("-sn discovers hosts and scans no ports: it cannot go with %s",
				c->arms[0].probe->flag);
			return -1;
		}
		c->arms[0].probe = &prt_probe_echo;
	}
	if (c->arms[0].probe->proto == IPPROTO_ICMP)
		return finish_discovery_ports(c, pend);
	if (c->arms[0].probe->any_proto)
		return finish_protocols(c, pend);
	for (unsigned k = 0; k < CLI_PORT_PREFIXES; k++)
		if (any_bit(&pend->spec_proto[k]) && prt_conf_arm_of(c, prefixes[k].proto) == NULL) {
			prt_usage_error("%s", prefixes[k].needs);
			return -1;
		}
	for (unsigned i = 0; i < c->narms; i++)
		if (fill_ports(c, pend, &c->arms[i].ports, c->arms[i].probe->proto) != 0)
			return -1;
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

static int finish_targets(struct prt_app_conf *c, const struct cli_pending *pend)
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

static int finish_shard(struct prt_app_conf *c)
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

/* -sU: each port's payload from nmap-payloads; without the file, empty
 * datagrams (as nmap sends to ports it has no payload for). */
static int finish_udp_payloads(struct prt_app_conf *c)
{
	char path[512], err[600];
	int rc;

	bool udp = prt_conf_arm_of(c, IPPROTO_UDP) != NULL;

	for (unsigned i = 0; i < c->ndisc; i++)
		udp |= c->disc[i].probe->proto == IPPROTO_UDP; /* -PU sends them too */
	if (!udp)
		return 0;
	snprintf(path, sizeof(path), "%s/nmap-payloads", c->datadir);
	rc = prt_udp_payloads_load(&c->udp_payloads, path, err, sizeof(err));
	if (rc == -ENOENT) {
		fprintf(stderr, "dpdk-prtip: %s; UDP probes go out empty\n", err);
		rc = prt_udp_payloads_empty(&c->udp_payloads);
	} else if (rc != 0) {
		prt_usage_error("%s", err);
		return -1;
	}
	if (rc != 0) {
		prt_usage_error("out of memory");
		return -1;
	}
	c->have_udp_payloads = true;
	/* then nmap-service-probes' UDP probes for the ports still without one */
	snprintf(path, sizeof(path), "%s/nmap-service-probes", c->datadir);
	rc = prt_udp_payloads_add_probes(&c->udp_payloads, path, err, sizeof(err));
	if (rc == -ENOENT) {
		fprintf(stderr, "dpdk-prtip: %s; UDP ports without an nmap-payloads entry go out "
				"empty\n", err);
	} else if (rc != 0) {
		prt_usage_error("%s", err);
		return -1;
	}
	return 0;
}

/* --banners: nmap's probes for servers that wait for the client. A file
 * given with --service-probes must be there; the default one may be missing
 * (then only what servers say first is kept). */
static int load_service_probes(struct prt_app_conf *c)
{
	char path[512], err[600];
	int rc;

	if (c->service_probes_path != NULL)
		snprintf(path, sizeof(path), "%s", c->service_probes_path);
	else
		snprintf(path, sizeof(path), "%s/nmap-service-probes", c->datadir);
	rc = prt_sp_load(&c->service_probes, path, err, sizeof(err));
	if (rc == -ENOENT && c->service_probes_path == NULL && !c->version) {
		fprintf(stderr, "dpdk-prtip: %s; --banners keeps only what servers say first\n",
			err);
		return 0;
	}
	if (rc != 0) {
		prt_usage_error("%s: %s", c->version ? "-sV" : "--service-probes", err);
		return -1;
	}
	c->have_service_probes = true;
	return c->version ? prt_cli_build_matcher(c) : 0;
}

/* Connections need a scan whose open answer is a SYN-ACK. */
static int finish_sessions(struct prt_app_conf *c)
{
	/* TCP's arm comes first: its scan type, or whatever stands alone */
	const struct prt_probe_ops *first = c->arms[0].probe;

	if ((c->banners || c->version || c->ssl_cert) &&
	    (first->proto != IPPROTO_TCP || first->tcp_flags != RTE_TCP_SYN_FLAG)) {
		prt_usage_error("%s needs a scan that finds open ports by their SYN-ACK "
				"(-sS or -sT), not %s", c->version ? "-sV" : c->ssl_cert ?
			"--ssl-cert" : "--banners", first->flag);
		return -1;
	}
	if (c->ssl_cert && c->banners) {
		prt_usage_error("--ssl-cert runs a TLS handshake on each open port's connection, "
				"--banners reads it as it is: give one of them (-sV --ssl-cert "
				"does both: versions, and certificates where a port speaks TLS)");
		return -1;
	}
	if (c->sni != NULL && !c->ssl_cert) {
		prt_usage_error("--sni names the server for --ssl-cert, which is not given");
		return -1;
	}
	if (c->banners && c->version) {
		prt_usage_error("-sV reports the answer that identified each service; "
				"--banners is not needed with it");
		return -1;
	}
	if (c->banner_wait_s >= c->conn_timeout_s && c->banners) {
		prt_usage_error("--banner-wait %.1f must be below --connection-timeout %.1f",
			c->banner_wait_s, c->conn_timeout_s);
		return -1;
	}
	if (c->service_probes_path != NULL && !c->banners && !c->version) {
		prt_usage_error("--service-probes is read for --banners or -sV, neither is given");
		return -1;
	}
	return c->banners || c->version ? load_service_probes(c) : 0;
}

static int finish_outputs(const struct prt_app_conf *c)
{
	bool csv = false;

	for (unsigned i = 0; i < c->n_outputs; i++)
		csv |= c->outputs[i].format == 'C';
	if (c->output_fields != NULL && !csv) {
		prt_usage_error("--output-fields chooses the columns of -oC FILE, which is not given");
		return -1;
	}
	return 0;
}

/* Each family in the targets needs our address and a next hop in it. */
static int finish_addresses(const struct prt_app_conf *c)
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
	return 0;
}

/* nmap's --min-rate: never slower than N. The scanner sends at exactly its
 * rate, so N is the rate, unless --rate/--max-rate says otherwise (and not
 * below N). */
static int finish_rate(struct prt_app_conf *c, const struct cli_pending *pend)
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

int prt_cli_finish(struct prt_app_conf *c, const struct cli_pending *pend)
{
	/* what no scan can do without, said before anything about the targets */
	if (!c->have_source_ip && !c->have_source_ip6) {
		prt_usage_error("missing --source-ip/-S: the scanner's own IPv4 (or IPv6) address "
				"is required");
		return -1;
	}
	if (!c->have_router_ip && !c->have_router_ip6 && !c->have_router_mac) {
		prt_usage_error("missing --router-ip or --router-mac: the next hop for the probes");
		return -1;
	}
	prt_cli_apply_timing(c, pend);
	if (finish_ports(c, pend) != 0 || finish_targets(c, pend) != 0 ||
	    finish_addresses(c) != 0 || prt_cli_finish_discovery(c) != 0 ||
	    finish_shard(c) != 0 || finish_outputs(c) != 0 ||
	    finish_udp_payloads(c) != 0 || finish_sessions(c) != 0 || finish_rate(c, pend) != 0)
		return -1;
	for (unsigned i = 0; i < c->n_tx_lcores; i++)
		for (unsigned j = 0; j < c->n_rx_lcores; j++)
			if (c->tx_lcores[i] == c->rx_lcores[j]) {
				prt_usage_error("lcore %u is in both --tx-lcores and --rx-lcores",
					c->tx_lcores[i]);
				return -1;
			}
	return 0;
}
