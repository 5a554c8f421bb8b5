/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ports: -p with nmap's T:, U: and S: prefixes, --top-ports and -F from
 * nmap-services, --exclude-ports; each arm's list made once the scan types
 * are known (-sO's "ports" are IP protocols, -sn's the host itself).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
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

int prt_cli_finish_ports(struct prt_app_conf *c, const struct cli_pending *pend)
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


static int parse_ports(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->pend->have_port_spec = true;
	return prt_cli_port_spec(x->pend, arg);
}

static int parse_top_ports(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	uint64_t v;

	(void)self;
	if (prt_parse_u64(arg, 1, 65535, &v) != 0)
		return prt_cli_bad_value("--top-ports", arg, "must be 1-65535");
	x->pend->top_ports = (uint32_t)v;
	return 0;
}

static int parse_fast(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self, (void)arg;
	x->pend->top_ports = 100;
	return 0;
}

static int parse_exclude_ports(struct cli_ctx *x, const struct cli_option *self,
	const char *arg)
{
	char err[256];

	(void)self;
	if (prt_port_list_add_spec(&x->c->exclude_ports, arg, err, sizeof(err)) != 0) {
		prt_usage_error("--exclude-ports: %s", err);
		return -1;
	}
	x->pend->have_exclude_ports = true;
	return 0;
}

static int parse_datadir(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self;
	x->c->datadir = arg;
	return 0;
}

static const struct cli_option options[] = {
	{.name = "ports", .letter = 'p', .arg = CLI_ARG_REQUIRED, .meta = "SPEC",
		.parse = parse_ports, .help = "22,80,1000-2000; '-' or -p- for 1-65535; -1024, "
		"60000-; T:, U: and S: prefixes for -sS -sU -sY; IP protocol numbers for -sO"},
	{.name = "top-ports", .arg = CLI_ARG_REQUIRED, .meta = "N", .parse = parse_top_ports,
		.help = "the N most frequently open ports of nmap-services, per protocol scanned"},
	{.name = "fast", .letter = 'F', .parse = parse_fast, .help = "--top-ports 100 (default "
		"without -p: --top-ports 1000)"},
	{.name = "exclude-ports", .arg = CLI_ARG_REQUIRED, .meta = "SPEC",
		.parse = parse_exclude_ports, .help = "never probe these ports"},
	{.name = "datadir", .arg = CLI_ARG_REQUIRED, .meta = "DIR", .parse = parse_datadir,
		.help = "where nmap's data files are read: nmap-services, nmap-payloads, "
		"nmap-service-probes, nmap-protocols (default /usr/share/nmap)"},
};

const struct cli_section prt_cli_section_ports = CLI_SECTION("PORTS", NULL, options, NULL);
