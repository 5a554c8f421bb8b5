/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scan's name and its event log (--event-log): the id, the log opened
 * with the outputs, and the events run.c and the main-lcore loop write.
 * Everything here runs on the main lcore.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "checkpoint.h"
#include "prt_cookie.h"
#include "run.h"

/*
 * The walk's key of an unseeded run, and the scan id when --scan-id is not
 * given: made from that key and the first start time, both of which a
 * checkpoint keeps, so a resumed scan has the id it had.
 */
int prt_run_name_scan(struct prt_app_conf *c, uint64_t start_ns)
{
	struct prt_cookie_key key;
	uint64_t seed = c->seed;

	if (c->resume != NULL) {
		seed = c->resume->perm_seed;
		start_ns = c->resume->start_ns;
	} else if (!c->have_seed &&
		   getrandom(&c->run_seed, sizeof(c->run_seed), 0) != (ssize_t)sizeof(c->run_seed)) {
		fprintf(stderr, "dpdk-prtip: no randomness for the scan: %s\n", strerror(errno));
		return -1;
	} else if (!c->have_seed) {
		seed = c->run_seed;
	}
	c->run_start_ns = start_ns;
	/* the cookie's seed expansion and SipHash: a keyed hash of the start time */
	prt_cookie_key_from_seed(&key, seed);
	if (c->scan_id[0] == '\0')
		snprintf(c->scan_id, sizeof(c->scan_id), "%016llx",
			(unsigned long long)prt_siphash24(&key, &start_ns, sizeof(start_ns)));
	return 0;
}

/* The event log's first event: what runs, as the user asked for it. */
static void event_scan_start(struct prt_events *ev, const struct prt_app_conf *c, uint64_t now)
{
	char arms[PRT_MAX_ARMS * 16] = "";
	size_t used = 0;

	if (!prt_events_begin(ev, now, "scan_start"))
		return;
	for (unsigned i = 0; i < c->narms && used < sizeof(arms); i++)
		used += (size_t)snprintf(arms + used, sizeof(arms) - used, "%s%s", i ? "," : "",
			c->arms[i].probe->name);
	prt_event_str(ev, "version", PRT_VERSION);
	prt_event_str(ev, "cmdline", c->cmdline != NULL ? c->cmdline : "");
	prt_event_str(ev, "scan_types", arms);
	prt_event_u64(ev, "targets", c->targets.total);
	prt_event_u64(ev, "ports", prt_conf_ports(c));
	prt_event_u64(ev, "rate", c->rate);
	prt_event_u64(ev, "shard", c->nshards > 0 ? c->shard + 1 : 1); /* as --shard I/N says */
	prt_event_u64(ev, "shards", c->nshards > 0 ? c->nshards : 1);
	prt_event_bool(ev, "resumed", c->resume != NULL);
	prt_events_end(ev, true);
}

/* --event-log: opened with the outputs (before root is given up). Added to
 * with --append-output, and when resuming (the scan goes on). With --db
 * alone the events go only to the store. */
int prt_run_open_events(struct prt_events *ev, const struct prt_app_conf *c, uint64_t now,
	struct prt_run_store *store)
{
	int rc;

	if (c->event_log == NULL && c->db == NULL)
		return 0;
	rc = prt_events_open(ev, c->event_log, c->scan_id, c->append_output || c->resume != NULL);
	if (rc != 0) {
		fprintf(stderr, "dpdk-prtip: cannot write --event-log %s: %s\n",
			c->event_log != NULL ? c->event_log : "(memory)", strerror(-rc));
		return -1;
	}
	prt_run_store_events(store, ev);
	event_scan_start(ev, c, now);
	return 0;
}

void prt_run_warn(struct prt_events *ev, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "dpdk-prtip: %s\n", msg);
	if (prt_events_begin(ev, prt_run_realtime_ns(), "warning")) {
		prt_event_str(ev, "message", msg);
		prt_events_end(ev, true);
	}
}

void prt_run_event_phase(struct prt_events *ev, const char *phase, double wait_s,
	uint64_t pairs)
{
	if (!prt_events_begin(ev, prt_run_realtime_ns(), "phase"))
		return;
	prt_event_str(ev, "phase", phase);
	if (wait_s > 0)
		prt_event_num(ev, "wait_s", wait_s);
	else
		prt_event_u64(ev, "pairs", pairs);
	prt_events_end(ev, true);
}

void prt_run_event_progress(struct prt_events *ev, const struct prt_progress *p,
	uint64_t rate, uint64_t *rate_said)
{
	const uint64_t now = prt_run_realtime_ns();

	if (rate != *rate_said && prt_events_begin(ev, now, "rate")) {
		prt_event_u64(ev, "rate", rate);
		prt_event_u64(ev, "was", *rate_said);
		prt_events_end(ev, true);
	}
	*rate_said = rate;
	if (!prt_events_begin(ev, now, "progress"))
		return;
	prt_event_str(ev, "phase", p->phase);
	prt_event_num(ev, "elapsed_s", p->elapsed_s);
	prt_event_u64(ev, "sent", p->sent);
	prt_event_num(ev, "pps", p->pps);
	prt_event_num(ev, "done", p->work_total ? (double)p->work_done / (double)p->work_total :
		1.0);
	prt_event_u64(ev, "replies", p->replies);
	prt_event_u64(ev, "open", p->open);
	prt_events_end(ev, true);
}

void prt_run_event_end(struct prt_events *ev, const struct prt_output_summary *sum, int status)
{
	static const char *const keys[PRT_STATE_COUNT] = {
		[PRT_STATE_OPEN] = "open", [PRT_STATE_CLOSED] = "closed",
		[PRT_STATE_FILTERED] = "filtered", [PRT_STATE_OPEN_FILTERED] = "open_filtered",
		[PRT_STATE_UNFILTERED] = "unfiltered", [PRT_STATE_UP] = "up",
		[PRT_STATE_DOWN] = "down",
	};

	if (!prt_events_begin(ev, sum->end_ns, "scan_end"))
		return;
	prt_event_u64(ev, "probes", sum->probes);
	prt_event_u64(ev, "replies", sum->replies);
	for (int st = 0; st < PRT_STATE_COUNT; st++)
		if (keys[st] != NULL)
			prt_event_u64(ev, keys[st], sum->state_count[st]);
	prt_event_num(ev, "duration_s", (double)(sum->end_ns - sum->start_ns) / 1e9);
	prt_event_bool(ev, "interrupted", sum->interrupted);
	prt_event_u64(ev, "exit", (uint64_t)status);
	prt_events_end(ev, true);
}
