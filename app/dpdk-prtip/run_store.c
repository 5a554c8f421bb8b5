/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --db: the results store as the output set's sink and the event log's tap.
 * The store gets what the streams write (answers, or --output-states) and
 * every event; its rows are keyed by the scan id, so a resume or another
 * shard adds to the same scan. Opened with the outputs, before root is
 * given up; closed after the last event.
 */
#include <stdio.h>
#include <string.h>

#include "run.h"

static void on_result(void *arg, const struct prt_result *r)
{
	struct prt_run_store *rs = arg;

	prt_store_result(rs->st, r);
}

static void on_banner(void *arg, const struct prt_banner *b)
{
	struct prt_run_store *rs = arg;

	prt_store_banner(rs->st, b);
}

static int on_flush(void *arg)
{
	struct prt_run_store *rs = arg;

	return prt_store_sync(rs->st);
}

static void on_end(void *arg, const struct prt_output_summary *s, bool discarded)
{
	struct prt_run_store *rs = arg;

	rs->sum = *s;
	rs->ended = true;
	rs->discarded = discarded;
}

static void on_event(void *arg, uint64_t ts_ns, const char *type, const char *line, size_t len)
{
	prt_store_event(arg, ts_ns, type, line, len);
}

int prt_run_open_store(struct prt_run_store *rs, const struct prt_app_conf *c, uint64_t start_ns,
	struct prt_output *out)
{
	char shard[24], err[320];
	struct prt_store_scan scan = {
		.id = c->scan_id,
		.shard = shard,
		.start_ns = c->run_start_ns ? c->run_start_ns : start_ns, /* a resume: the first start */
		.cmdline = c->cmdline,
		.version = PRT_VERSION,
		.targets = c->targets.total,
		.ports = prt_conf_ports(c),
	};

	memset(rs, 0, sizeof(*rs));
	if (c->db == NULL)
		return 0;
	snprintf(shard, sizeof(shard), "%u/%u", c->nshards > 0 ? c->shard + 1 : 1,
		c->nshards > 0 ? c->nshards : 1);
	if (prt_store_open(&rs->st, c->db, &scan, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpdk-prtip: --db %s: %s\n", c->db, err);
		return -1;
	}
	out->sink = (struct prt_output_sink){rs, on_result, on_banner, on_flush, on_end};
	return 0;
}

void prt_run_store_events(struct prt_run_store *rs, struct prt_events *ev)
{
	if (rs->st != NULL)
		prt_events_set_tap(ev, on_event, rs->st);
}

int prt_run_close_store(struct prt_run_store *rs, const struct prt_app_conf *c, int status)
{
	const char *said = rs->discarded || !rs->ended || status < 0 ? "failed" :
			   rs->sum.interrupted			       ? "interrupted" :
			   status == 0				       ? "done" :
									 "failed";
	struct prt_store_stats st;
	char err[320];

	if (rs->st == NULL)
		return status;
	if (prt_store_close(rs->st, rs->ended ? rs->sum.end_ns : prt_run_realtime_ns(), said,
		    rs->sum.probes, rs->sum.replies, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpdk-prtip: --db %s: %s\n", c->db, err);
		status = status == 0 ? PRT_EXIT_RUNTIME : status;
	}
	rs->st = NULL;
	return status;
}
