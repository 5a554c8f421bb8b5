/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip db show SCAN: what the scan was (its runs, command, totals)
 * and, host by host, the ports that may be open with their service and
 * certificate: the part of a scan a person reads first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

static int count_row(void *arg, unsigned n, const char *const *v)
{
	FILE *f = arg;

	(void)n;
	fprintf(f, "  %s %s\n", v[1] ? v[1] : "0", v[0] ? v[0] : "?");
	return 0;
}

struct lister {
	FILE *f;
	char host[PRT_ADDR_STRLEN];
};

static int port_row(void *arg, unsigned n, const char *const *v)
{
	struct lister *l = arg;
	struct prt_service_info svc = {0};
	char where[32], name[48], version[320] = "";

	(void)n;
	if (v[0] != NULL && strcmp(v[0], l->host) != 0) {
		snprintf(l->host, sizeof(l->host), "%s", v[0]);
		fprintf(l->f, "%s\n", l->host);
	}
	snprintf(where, sizeof(where), "%s/%s", v[2] ? v[2] : "?",
		prt_proto_name((uint8_t)atoi(v[1] ? v[1] : "0")));
	if (v[5] != NULL) {
		snprintf(svc.product, sizeof(svc.product), "%s", v[6] ? v[6] : "");
		snprintf(svc.version, sizeof(svc.version), "%s", v[7] ? v[7] : "");
		snprintf(svc.info, sizeof(svc.info), "%s", v[8] ? v[8] : "");
		prt_service_version_text(&svc, version, sizeof(version));
	}
	/* nmap's ssl/http for a service found inside TLS */
	snprintf(name, sizeof(name), "%s%s%s", v[9] != NULL && v[9][0] ? v[9] : "",
		v[9] != NULL && v[9][0] ? "/" : "", v[5] != NULL ? v[5] : "");
	fprintf(l->f, "  %-11s %-13s %-12s %s\n", where, v[3] ? v[3] : "?", name, version);
	if (v[12] != NULL && atoi(v[12]) == 1)
		fprintf(l->f, "    certificate: %s, not valid after %s\n", v[10] ? v[10] : "",
			v[11] ? v[11] : "?");
	else if (v[12] != NULL)
		fprintf(l->f, "    certificate: none (%s)\n", v[13] ? v[13] : "?");
	return 0;
}

int db_show(struct db_ctx *x, char **args)
{
	char id[PRT_SCAN_ID_MAX + 1], when[40];
	struct db_scan_info in;
	struct lister l = {x->out, ""};
	const char *p[] = {id};

	if (db_resolve_scan(x, args[0], id, sizeof(id)) != 0 || db_scan_info(x, id, &in) != 0)
		return 1;
	prt_output_iso_time(in.start_ns, when, sizeof(when));
	fprintf(x->out, "scan %s: %s, %u run%s, started %s, %.1f s, %llu probes, %llu replies\n",
		id, in.status, in.shards, in.shards == 1 ? "" : "s (shards)", when,
		in.end_ns > in.start_ns ? (double)(in.end_ns - in.start_ns) / 1e9 : 0.0, in.probes,
		in.replies);
	fprintf(x->out, "  %s\nports stored:\n", in.cmdline);
	if (db_query(x, "SELECT state, COUNT(*) FROM ports WHERE scan = $1 GROUP BY state "
			"ORDER BY state", p, 1, count_row, x->out) < 0)
		return 1;
	fprintf(x->out, "hosts (discovery):\n");
	if (db_query(x, "SELECT state, COUNT(*) FROM hosts WHERE scan = $1 GROUP BY state "
			"ORDER BY state", p, 1, count_row, x->out) < 0)
		return 1;
	return db_query(x,
		       "SELECT p.ip, p.proto, p.port, p.state, p.reason, s.name, s.product, "
		       "s.version, s.info, s.tunnel, c.subject, c.not_after, c.ok, c.error "
		       "FROM ports p LEFT JOIN services s ON s.scan = p.scan AND s.ip = p.ip "
		       "AND s.proto = p.proto AND s.port = p.port "
		       "LEFT JOIN certificates c ON c.scan = p.scan AND c.ip = p.ip AND "
		       "c.proto = p.proto AND c.port = p.port "
		       "WHERE p.scan = $1 AND p.state IN ('open', 'open|filtered', 'unfiltered') "
		       "ORDER BY p.ip, p.proto, p.port", p, 1, port_row, &l) < 0 ? 1 : 0;
}
