/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip db export SCAN -oX FILE: the stored scan through the same
 * writers a scan uses, so the file is what the scan would have written of
 * what the store holds (the answers; pairs that never answered are not
 * stored and are only counted by the nmap formats' "Not shown").
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"

struct feed {
	struct prt_output *out;
	struct prt_output_summary *sum;
	struct prt_banner b;
	int rc;
};

static int host_row(void *arg, unsigned n, const char *const *v)
{
	struct feed *f = arg;
	struct prt_result r;

	(void)n;
	db_result_of_row(v[0], v[1], "0", v[2], v[3], v[4], v[5], v[6], v[7], &r);
	f->sum->state_count[r.state]++;
	f->rc |= prt_output_write(f->out, &r);
	return 0;
}

static int port_row(void *arg, unsigned n, const char *const *v)
{
	struct feed *f = arg;
	struct prt_result r;

	(void)n;
	db_result_of_row(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], &r);
	f->sum->state_count[r.state]++;
	f->rc |= prt_output_write(f->out, &r);
	return 0;
}

static int banner_row(void *arg, unsigned n, const char *const *v)
{
	struct feed *f = arg;

	(void)n;
	db_banner_of_row(v, &f->b);
	f->rc |= prt_output_banner(f->out, &f->b);
	return 0;
}

/* Results in the order they came, then what the services said. */
static int feed(struct db_ctx *x, const char *id, struct prt_output *out,
	struct prt_output_summary *sum)
{
	struct feed *f = calloc(1, sizeof(*f));
	const char *p[] = {id};
	int rc;

	if (f == NULL)
		return -1;
	f->out = out;
	f->sum = sum;
	rc = db_query(x, "SELECT ip, proto, state, reason, ttl, icmp_type, icmp_code, ts_ns "
			 "FROM hosts WHERE scan = $1 ORDER BY ts_ns", p, 1, host_row, f);
	if (rc == 0)
		rc = db_query(x, "SELECT ip, proto, port, state, reason, ttl, icmp_type, "
				 "icmp_code, ts_ns FROM ports WHERE scan = $1 ORDER BY ts_ns",
			p, 1, port_row, f);
	if (rc == 0)
		rc = db_query(x, db_banner_sql, p, 1, banner_row, f);
	if (rc == 0 && f->rc != 0) {
		fprintf(stderr, "dpdk-prtip db: writing %s failed\n", x->opath);
		rc = -1;
	}
	free(f);
	return rc;
}

static int any_row(void *arg, unsigned n, const char *const *v)
{
	(void)n;
	(void)v;
	*(bool *)arg = true;
	return 1;
}

int db_export(struct db_ctx *x, char **args)
{
	char id[PRT_SCAN_ID_MAX + 1], path[PATH_MAX];
	struct prt_service_names services;
	struct db_scan_info in;
	struct prt_output_summary sum = {0};
	struct prt_output out;
	const char *p[] = {id};
	bool have_services, discovery = false, svc = false;
	int rc;

	if (db_resolve_scan(x, args[0], id, sizeof(id)) != 0 || db_scan_info(x, id, &in) != 0 ||
	    db_query(x, "SELECT 1 FROM hosts WHERE scan = $1", p, 1, any_row, &discovery) < 0 ||
	    db_query(x, "SELECT 1 FROM services WHERE scan = $1", p, 1, any_row, &svc) < 0)
		return PRT_EXIT_RUNTIME;
	snprintf(path, sizeof(path), "%s/nmap-services", x->datadir);
	have_services = prt_service_names_load(&services, path) == 0;
	snprintf(path, sizeof(path), "%s/nmap.xsl", x->datadir);
	char *xsl = realpath(path, NULL);
	struct prt_output_opts opts = {
		.stream_states = PRT_OUTPUT_ALL, /* what was stored was what the streams wrote */
		.version = in.version,
		.cmdline = in.cmdline,
		.start_ns = in.start_ns,
		.services = have_services ? &services : NULL,
		.xml_stylesheet = xsl,
		.discovery = discovery,
		.service_version = svc,
	};
	rc = prt_output_init(&out, &opts) != 0 ? -1 :
	     prt_output_add(&out, prt_writer_find(x->oformat),
		     strcmp(x->opath, "-") == 0 ? NULL : x->opath);
	if (rc != 0) {
		fprintf(stderr, "dpdk-prtip db: cannot write %s\n", x->opath);
		rc = PRT_EXIT_RUNTIME;
		goto out;
	}
	sum = (struct prt_output_summary){.ips = in.targets, .ports = in.ports,
		.probes = in.probes, .replies = in.replies, .start_ns = in.start_ns,
		.send_end_ns = in.end_ns, .end_ns = in.end_ns,
		.interrupted = strcmp(in.status, "interrupted") == 0};
	if (feed(x, id, &out, &sum) != 0) {
		prt_output_discard(&out);
		rc = PRT_EXIT_RUNTIME;
		goto out;
	}
	rc = prt_output_close(&out, &sum) != 0 ? PRT_EXIT_RUNTIME : 0;
out:
	free(xsl);
	if (have_services)
		prt_service_names_free(&services);
	return rc;
}
