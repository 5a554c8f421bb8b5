/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a scan's results and numbers go, besides the lcores: the output
 * files (opened before anything is sent, so a bad path costs nothing), the
 * results store (--db: the output set's sink and the event log's tap; rows
 * keyed by the scan id, so a resume or another shard adds to the same
 * scan) and the metrics endpoint (--metrics). All opened before root is
 * given up; the store is closed after the last event.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "checkpoint.h"
#include "metrics.h"
#include "prt_common.h"
#include "run.h"

int prt_run_open_outputs(struct prt_output *out, const struct prt_app_conf *c,
	const struct prt_service_names *services, uint64_t start_ns)
{
	struct prt_output_opts opts = {
		.only_open = c->only_open,
		/* given, it rules every format; else streams write answers and the
		 * nmap formats list by nmap's rules; --open narrows both */
		.stream_states = c->output_states,
		.list_states = c->output_states,
		.reason = c->reason,
		.append = c->append_output,
		.xml_scanner_nmap = c->xml_scanner_nmap,
		.xml_stylesheet = c->xml_stylesheet,
		.discovery = c->arms[0].probe->proto == IPPROTO_ICMP,
		.banners = c->banners,
		.service_version = c->version,
		.os_detect = c->osscan,
		.verbose = c->verbose,
		.version = PRT_VERSION,
		.cmdline = c->cmdline != NULL ? c->cmdline : "",
		.services = services,
		.csv_fields = c->output_fields,
		.start_ns = c->resume != NULL ? c->resume->start_ns : start_ns,
		.resuming = c->resume != NULL,
		/* Internet mode: the host table of the nmap formats spills to disk past
		 * a quarter of the state budget (at least 16 MiB) */
		.host_memory = c->internet ? PRT_MAX(c->max_state_memory / 4, PRT_HOST_MEMORY_MIN) : 0,
	};
	int rc = 0;

	/* the arms, as the scan plan has them (setup_scan) */
	RTE_BUILD_BUG_ON(PRT_OUTPUT_SCANS < PRT_MAX_ARMS);
	for (unsigned i = 0; i < c->narms; i++)
		opts.scans[opts.nscans++] = (struct prt_output_scan){c->arms[i].probe->name,
			c->arms[i].probe->proto, &c->arms[i].ports};

	if (prt_output_init(out, &opts) != 0) {
		fprintf(stderr, "dpdk-prtip: out of memory\n");
		return -1;
	}
	if (c->resume != NULL) {
		rc = prt_checkpoint_restore_hosts(c->resume, prt_output_hosts(out));
		if (rc != 0) {
			fprintf(stderr, "dpdk-prtip: cannot resume from %s: its host table is %s\n",
				c->resume->path, rc == -ENOMEM ? "too large" : "damaged");
			prt_output_discard(out);
			return -1;
		}
	}
	for (unsigned i = 0; rc == 0 && i < c->n_outputs; i++) {
		const bool to_stdout = strcmp(c->outputs[i].path, "-") == 0;
		rc = prt_output_add(out, prt_writer_find(c->outputs[i].format),
			to_stdout ? NULL : c->outputs[i].path);
		if (rc != 0)
			fprintf(stderr, "dpdk-prtip: cannot write -o%c %s: %s\n", c->outputs[i].format,
				c->outputs[i].path, rc == -EEXIST ?
				"an XML file holds one scan; --append-output cannot add another" :
				strerror(-rc));
	}
	/* the table last: files are complete and closed before stdout can fail;
	 * none when a format has stdout (-oX -), as nmap */
	if (rc == 0 && !c->stdout_format)
		rc = prt_output_add(out, &prt_writer_text, NULL);
	if (rc != 0)
		prt_output_discard(out);
	return rc;
}

int prt_run_start_metrics(struct prt_metrics **m, const struct prt_app_conf *c, uint16_t port_id,
	const struct prt_run_store *rs)
{
	char err[160];

	*m = NULL;
	if (c->metrics == NULL)
		return 0;
	if (prt_metrics_start(m, c->metrics, c->scan_id, port_id, rs->st, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpdk-prtip: --metrics %s: %s\n", c->metrics, err);
		return -1;
	}
	return 0;
}

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

/* A checkpoint hands the batch to the writer but does not wait for it: the
 * main lcore drains the RX rings and must not stall behind a database. */
static int on_flush(void *arg)
{
	struct prt_run_store *rs = arg;

	prt_store_flush(rs->st);
	return 0;
}

static void on_end(void *arg, const struct prt_output_summary *s, bool discarded)
{
	struct prt_run_store *rs = arg;

	rs->sum = *s;
	rs->ended = true;
	rs->discarded = discarded;
}

static void on_os(void *arg, const struct prt_host_os *os)
{
	struct prt_run_store *rs = arg;

	prt_store_os(rs->st, os);
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
	out->sink = (struct prt_output_sink){rs, on_result, on_banner, on_flush, on_end, on_os};
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
