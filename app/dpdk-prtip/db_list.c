/* SPDX-License-Identifier: BSD-3-Clause */
/* dpdk-prtip db list: one line per stored scan, oldest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

struct ids {
	char (*id)[PRT_SCAN_ID_MAX + 1];
	size_t n, cap;
};

static int add_id(void *arg, unsigned n, const char *const *v)
{
	struct ids *ids = arg;

	(void)n;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? 2 * ids->cap : 64;
		void *more = realloc(ids->id, cap * sizeof(*ids->id));
		if (more == NULL)
			return -1;
		ids->id = more;
		ids->cap = cap;
	}
	snprintf(ids->id[ids->n++], sizeof(*ids->id), "%s", v[0] ? v[0] : "");
	return 0;
}

struct open_count {
	unsigned long long ports, hosts;
};

static int counts_row(void *arg, unsigned n, const char *const *v)
{
	struct open_count *c = arg;

	(void)n;
	c->ports = strtoull(v[0] ? v[0] : "0", NULL, 10);
	c->hosts = strtoull(v[1] ? v[1] : "0", NULL, 10);
	return 0;
}

static int list_one(struct db_ctx *x, const char *id)
{
	const char *p[] = {id};
	struct db_scan_info in;
	struct open_count oc = {0};
	char when[40];

	if (db_scan_info(x, id, &in) != 0 ||
	    db_query(x, "SELECT COUNT(*), COUNT(DISTINCT ip) FROM ports WHERE scan = $1 AND "
			"state = 'open'", p, 1, counts_row, &oc) < 0)
		return -1;
	prt_output_iso_time(in.start_ns, when, sizeof(when));
	fprintf(x->out, "%-24s %-24s %9.1f %6u %-11s %8llu %9llu\n", id, when,
		in.end_ns > in.start_ns ? (double)(in.end_ns - in.start_ns) / 1e9 : 0.0,
		in.shards, in.status, oc.hosts, oc.ports);
	return 0;
}

int db_list(struct db_ctx *x, char **args)
{
	struct ids ids = {0};
	int rc;

	(void)args;
	rc = db_query(x, "SELECT scan FROM scans GROUP BY scan ORDER BY MIN(started_ns), scan",
		NULL, 0, add_id, &ids);
	if (rc == 0)
		fprintf(x->out, "%-24s %-24s %9s %6s %-11s %8s %9s\n", "SCAN", "STARTED",
			"SECONDS", "SHARDS", "STATUS", "HOSTS", "OPEN");
	for (size_t i = 0; rc == 0 && i < ids.n; i++)
		rc = list_one(x, ids.id[i]);
	free(ids.id);
	return rc == 0 ? 0 : 1;
}
