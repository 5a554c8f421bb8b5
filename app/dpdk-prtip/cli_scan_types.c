/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scan types (-sS, -sU, -sY ..., --scan-type NAME): each one given is an arm
 * of the scan, one per protocol, kept in nmap's order; -sO's IP protocols
 * stand alone, and the host probes (ICMP queries, ARP) are -sn's.
 */
#include <netinet/in.h>

#include "cli.h"
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

int prt_cli_scan_type(struct prt_app_conf *c, const char *val)
{
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
