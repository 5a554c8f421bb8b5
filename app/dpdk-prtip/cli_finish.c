/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The checks that need every option at once, in the order a user fixes
 * them: what no scan can do without, then each section's own (cli_ports.c,
 * cli_targets.c ...), and the data files the scan types read.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>

#include "cli.h"
#include "cli_priv.h"
#include "prt_common.h"

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
	return prt_cli_finish_ports(c, pend) != 0 || prt_cli_finish_targets(c, pend) != 0 ||
		prt_cli_finish_addresses(c) != 0 || prt_cli_finish_discovery(c) != 0 ||
		prt_cli_finish_shard(c) != 0 || prt_cli_finish_outputs(c) != 0 ||
		finish_udp_payloads(c) != 0 || prt_cli_finish_sessions(c) != 0 ||
		prt_cli_finish_osscan(c) != 0 ||
		prt_cli_finish_rate(c, pend) != 0 ? -1 : 0;
}

