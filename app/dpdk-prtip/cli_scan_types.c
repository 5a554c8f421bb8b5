/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scan types (-sS, -sU, -sY ..., --scan-type NAME): each one given is an arm
 * of the scan, one per protocol, kept in nmap's order; -sO's IP protocols
 * stand alone, and the host probes (ICMP queries, ARP) are -sn's.
 */
#include <netinet/in.h>
#include <stdio.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"
#include "prt_probe.h"

/* nmap's order of scan types in its output: TCP, then UDP, then the rest. */
static unsigned proto_rank(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 0 : proto == IPPROTO_UDP ? 1 : 2;
}

/* A further scan type is a further arm: one per protocol, as nmap (one TCP
 * type, -sU beside it); host discovery (-sn) probes hosts, not ports, and
 * stands alone. */
static int add_arm(struct prt_app_conf *c, const struct prt_probe_ops *o)
{
	unsigned at = c->narms;

	for (unsigned i = 0; i < c->narms; i++) {
		const struct prt_probe_ops *have = c->arms[i].probe;
		if (have == o)
			return 0;
		if (have->any_proto || o->any_proto) {
			prt_usage_error("-sO scans IP protocols, not ports: run it as a scan of its "
					"own, not with %s", have->any_proto ? o->flag : have->flag);
			return -1;
		}
		if (have->proto == o->proto || have->proto == IPPROTO_ICMP ||
		    o->proto == IPPROTO_ICMP) {
			prt_usage_error("more than one scan type: %s and %s", have->flag, o->flag);
			return -1;
		}
		if (at == c->narms && proto_rank(o->proto) < proto_rank(have->proto))
			at = i;
	}
	if (c->narms == PRT_MAX_ARMS) {
		prt_usage_error("%s: at most %d scan types in one scan", o->flag, PRT_MAX_ARMS);
		return -1;
	}
	/* the port lists are all empty still: moving the probes is enough */
	for (unsigned i = c->narms; i > at; i--)
		c->arms[i].probe = c->arms[i - 1].probe;
	c->arms[at].probe = o;
	c->narms++;
	return 0;
}

static int parse_scan_type(struct cli_ctx *x, const struct cli_option *self, const char *val)
{
	(void)self;
	struct prt_app_conf *c = x->c;
	const struct prt_probe_ops *o = prt_probe_find(val);

	if (o == NULL)
		return prt_cli_bad_value("--scan-type", val, "not a scan type (see SCAN TYPES in --help)");
	if (prt_probe_hosts_only(o)) /* --scan-type=echo (or arp): -sn with that probe */
		return prt_cli_sweep_with(c, o);
	if (!c->scan_type_set) {
		c->arms[0].probe = o; /* replaces the default -sS */
		c->scan_type_set = true;
		return 0;
	}
	return add_arm(c, o);
}

/* One line per scan type of the probe registry: "-sS, --scan-type syn". */
static void scan_type_items(void (*emit)(void *u, const char *shown, const char *help), void *u)
{
	char shown[64];

	for (unsigned i = 0; prt_probe_at(i) != NULL; i++) {
		const struct prt_probe_ops *o = prt_probe_at(i);
		if (prt_probe_hosts_only(o)) /* ICMP queries and ARP: HOST DISCOVERY */
			continue;
		snprintf(shown, sizeof(shown), "%s, --scan-type %s", o->flag, o->name);
		emit(u, shown, o->description);
	}
}

/* nmap's -sS, -sU ... are rewritten to --scan-type NAME (cli_nmap.c). */
static const struct cli_option options[] = {
	{.name = "scan-type", .arg = CLI_ARG_REQUIRED, .meta = "NAME", .parse = parse_scan_type},
};

const struct cli_section prt_cli_section_scan_types = {
	.title = "SCAN TYPES (one per protocol: a TCP type, -sU, an SCTP type; default -sS)",
	.options = options,
	.n = 1,
	.items = scan_type_items,
	.outro = "ICMP unreachable is filtered for every type; silence is filtered for -sS, -sA, "
		"-sW and open|filtered for -sF, -sN, -sX, -sM (nmap's semantics). -sS -sU -sY (a "
		"TCP type, -sU, an SCTP type) scan together in one run; -p T:22,80,U:53,161,S:2905 "
		"splits the ports (a prefix holds until the next), unprefixed ones go to every "
		"protocol scanned.\n\n"
		"-sY sends an SCTP INIT: INIT ACK open, ABORT closed, silence or an ICMP unreachable "
		"filtered. -sZ sends a COOKIE ECHO: ABORT closed, silence open|filtered (as nmap). "
		"Default ports: the top 1000 SCTP ports of nmap-services.\n\n"
		"-sU sends each port's payload from <datadir>/nmap-payloads, else the UDP probe of "
		"nmap-service-probes that lists the port (DNS ids and NTP times carry the cookie "
		"too); silence is open|filtered, an ICMP port unreachable closed, another "
		"unreachable filtered. Default ports: the top 1000 UDP ports of nmap-services.\n\n"
		"-sO scans IP protocols (IPv4), alone: -p lists protocol numbers 0-255 (default all "
		"256), named from <datadir>/nmap-protocols. Probes carry nmap's headers (ICMP echo, "
		"IGMP query, TCP ACK to 80, UDP to 40125, SCTP INIT to 80; nothing after the IP "
		"header for the rest). An answer in the protocol is open; from the target a "
		"protocol unreachable is closed and a port unreachable open; other unreachables "
		"filtered; silence open|filtered.",
};
