/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The main lcore while the scan runs: move results from the ring to the
 * writers, print progress, walk the phases SCANNING -> COOLDOWN -> DONE,
 * and turn a signal into a clean stop. After DONE, in the per-pair regime,
 * every pair that never answered is reported (filtered, no-response), then
 * the summary; Internet mode reports answers only.
 */
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_ring.h>

#include "prt_common.h"
#include "prt_classify.h"
#include "resume.h"
#include "run.h"
#include "run_os.h"
#include "run_udpv.h"

#define DRAIN_BURST 256
#define SIGNAL_DRAIN_S 0.5 /* after SIGINT: how long late replies are still read */
#define PRT_AUTO_CHECKPOINT_S 60.0 /* a long scan checkpoints this often by default */

struct loop_state {
	struct prt_scan *scan;
	struct prt_output *out;
	struct prt_live_hosts *live; /* a discovery's hosts (NULL: a port scan) */
	struct prt_output_summary sum;
	uint64_t hz;
	uint64_t start_tsc;
	bool write_failed;
	bool verbose;            /* -v: say each open port as it is found */
	FILE *say_to;            /* stdout, or stderr when a format has stdout (-oX -) */
	/* the last sample, for rates over the interval */
	uint64_t last_tsc;
	uint64_t last_sent;
	uint64_t last_tx_busy_tsc;
	bool rate_warned;
	/* what a checkpoint needs */
	uint64_t *reported;      /* bit per pair written to the outputs */
	uint64_t base_probes;    /* probes and replies of the runs before a resume */
	uint64_t base_replies;
	uint64_t first_start_ns; /* when the first of those runs started */
	bool checkpointed;
	bool out_of_time;        /* --max-runtime stopped it: a clean exit, resumable */
	uint32_t pass_said;      /* the last retry pass announced on stderr */
	struct prt_events *ev;   /* --event-log, or NULL */
	uint64_t rate_said;      /* the rate the event log last heard of */
	struct prt_os_candidates *os; /* -O: what the results tell of each host */
	struct prt_udpv_candidates *udpv; /* -sV over UDP: the open UDP ports */
};

uint64_t prt_run_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void mark_reported(struct loop_state *ls, const struct prt_result *r)
{
	int64_t pair = prt_cls_pair_of(&ls->scan->cls, &r->addr, r->port, r->proto);

	if (ls->reported != NULL && pair >= 0)
		ls->reported[pair >> 6] |= 1ULL << (pair & 63);
}

/* @p r standing for @p n like results (n > 1 only for silent pairs that
 * the outputs just count, see emit_silent_host) */
static void emit_n(struct loop_state *ls, struct prt_result *r, uint64_t n)
{
	ls->sum.state_count[r->state] += n;
	/* telemetry reads the counts from the scan */
	__atomic_store_n(&ls->scan->state_count[r->state], ls->sum.state_count[r->state],
		__ATOMIC_RELAXED);
	if (prt_output_write(ls->out, r) != 0)
		ls->write_failed = true;
	prt_run_os_note(ls->os, r);
	prt_run_udpv_note(ls->udpv, r);
}

static void emit(struct loop_state *ls, struct prt_result *r)
{
	emit_n(ls, r, 1);
}

/* -sV over UDP heard from a pair the port scan did not: it is open now. */
static void udpv_found(void *ctx, struct prt_result *r)
{
	struct loop_state *ls = ctx;
	int64_t pair = prt_cls_pair_of(&ls->scan->cls, &r->addr, r->port, r->proto);

	if (pair >= 0)
		prt_scan_mark_answered(ls->scan, (uint64_t)pair);
	mark_reported(ls, r);
	emit(ls, r);
}

/* RX stamps the TSC; writers want wall-clock time. */
static uint64_t wall_ns(const struct loop_state *ls, uint64_t tsc)
{
	return ls->sum.start_ns + (uint64_t)((double)(tsc - ls->start_tsc) * 1e9 / (double)ls->hz);
}

/* A discovery's answer: its host is up. -sn writes the host the first time,
 * with the answer's reason (nmap's "Host is up, received reset"). */
static void discovered(struct loop_state *ls, const struct prt_result *r)
{
	int64_t host = prt_target_set_index_of_addr(ls->scan->targets, &r->addr);
	struct prt_result h;

	if (host < 0 || !prt_live_answer_is_up(r) || !prt_live_mark(ls->live, (uint64_t)host) ||
	    !ls->live->report)
		return;
	h = *r;
	h.port = 0;
	h.proto = IPPROTO_ICMP;
	h.state = PRT_STATE_UP;
	emit(ls, &h);
}

/* -sn's end: every host that never answered is down (once, by the shard that
 * owns its first probe). */
static void emit_down_hosts(struct loop_state *ls)
{
	const struct prt_scan *s = ls->scan;
	struct prt_result r = {
		.ts = prt_run_realtime_ns(),
		.proto = IPPROTO_ICMP,
		.state = PRT_STATE_DOWN,
		.reason = PRT_REASON_NO_RESPONSE,
	};

	for (uint64_t idx = 0; idx < ls->live->nhosts; idx++) {
		if (prt_live_is_up(ls->live, idx) || !prt_scan_owns(s, idx * s->nports))
			continue;
		r.addr = prt_target_set_addr_at(s->targets, idx);
		emit(ls, &r);
	}
}

static unsigned drain_results(struct loop_state *ls)
{
	struct prt_result r[DRAIN_BURST];
	unsigned n = rte_ring_dequeue_burst_elem(ls->scan->results, r, sizeof(r[0]), DRAIN_BURST,
		NULL);
	bool said = false;

	for (unsigned i = 0; i < n; i++) {
		r[i].ts = wall_ns(ls, r[i].ts);
		if (ls->live != NULL) {
			discovered(ls, &r[i]);
			continue;
		}
		/* a checkpoint must know what the files hold; the no-response
		 * results at the very end need no such record */
		mark_reported(ls, &r[i]);
		emit(ls, &r[i]);
		if (ls->verbose && r[i].state == PRT_STATE_OPEN) {
			char addr[PRT_ADDR_STRLEN];
			/* nmap -v's (and masscan's) words */
			fprintf(ls->say_to, "Discovered open port %u/%s on %s\n", r[i].port,
				prt_proto_name(r[i].proto), prt_addr_str(&r[i].addr, addr, sizeof(addr)));
			said = true;
		}
	}
	if (said)
		fflush(ls->say_to); /* as found, not when the buffer fills */
	return n;
}

/* Banners come after their port's result (a connection lives longer than
 * its SYN-ACK), on their own ring. */
static unsigned drain_banners(struct loop_state *ls)
{
	static struct prt_banner b[16];
	unsigned n;

	if (ls->scan->banners == NULL)
		return 0;
	n = rte_ring_dequeue_burst_elem(ls->scan->banners, b, sizeof(b[0]), RTE_DIM(b), NULL);
	for (unsigned i = 0; i < n; i++) {
		b[i].ts = wall_ns(ls, b[i].ts);
		if (prt_output_banner(ls->out, &b[i]) != 0)
			ls->write_failed = true;
	}
	return n;
}

/* The host of @p r->addr answered nothing: when the outputs only count such a
 * host, one result per arm stands for all its pairs. @return false: they want
 * each pair */
static bool emit_silent_host(struct loop_state *ls, struct prt_result *r)
{
	const struct prt_scan *s = ls->scan;
	unsigned i;

	for (i = 0; i < s->cls.narms; i++) {
		r->state = s->cls.arm[i].probe->silent_state;
		if (!prt_output_counts_only(ls->out, r))
			return false;
	}
	for (i = 0; i < s->cls.narms; i++) {
		uint32_t end = i + 1 < s->cls.narms ? s->cls.arm[i + 1].base : s->nports;
		r->proto = s->cls.arm[i].probe->proto;
		r->state = s->cls.arm[i].probe->silent_state;
		r->port = 0; /* the results stand for every port of the arm */
		if (end > s->cls.arm[i].base)
			emit_n(ls, r, end - s->cls.arm[i].base);
	}
	return true;
}

/* The pairs [from, to) of host @p r->addr that no answer marked, one by one. */
static void emit_silent_pairs(struct loop_state *ls, struct prt_result *r, uint64_t from,
	uint64_t to)
{
	const struct prt_scan *s = ls->scan;

	for (uint64_t pair = from; pair < to; pair++) {
		if (prt_scan_is_answered(s, pair) || !prt_scan_owns(s, pair))
			continue; /* answered, or another machine's pair */
		const struct prt_probe_ops *p =
			s->cls.arm[prt_scan_port_at(s, (uint32_t)(pair - from), &r->port)].probe;
		r->proto = p->proto;
		r->state = p->silent_state;
		emit(ls, r);
	}
}

/* The end of a port scan: every pair no answer marked is reported with its
 * probe's silent state, host by host (pairs are numbered host by host). */
static void emit_unanswered(struct loop_state *ls)
{
	const struct prt_scan *s = ls->scan;
	const uint64_t nhosts = s->nports ? s->npairs / s->nports : 0;
	/* a sharded scan shares each host's pairs with other machines */
	const bool whole_hosts = s->nshards == 1;
	struct prt_result r = {
		.ts = prt_run_realtime_ns(),
		.reason = PRT_REASON_NO_RESPONSE,
	};

	for (uint64_t idx = 0; idx < nhosts; idx++) {
		const uint64_t from = idx * s->nports, to = from + s->nports;

		r.addr = prt_target_set_addr_at(s->targets, idx);
		if (whole_hosts && !prt_scan_any_answered(s, from, to) && emit_silent_host(ls, &r))
			continue;
		emit_silent_pairs(ls, &r, from, to);
	}
}

/* Connections still talking hold DONE back, each at most its own timeout
 * (lib/tcp cuts it then), and -sV's walks at most their budget more: the
 * bound here only guards against a stuck lcore. */
static bool conns_done(const struct loop_state *ls, const struct prt_app_conf *conf,
	uint64_t cooldown_end, uint64_t now)
{
	const struct prt_service_conf *sv = &ls->scan->service;
	double walk_s = sv->matcher != NULL ? sv->job_ms / 1000.0 : 0;
	uint64_t limit = cooldown_end +
		(uint64_t)((conf->conn_timeout_s + 2 + walk_s) * (double)ls->hz);

	return !ls->scan->sessions || prt_scan_conns_open(ls->scan) == 0 || now >= limit;
}

static uint64_t tx_busy_tsc(const struct prt_scan *s)
{
	uint64_t busy = 0;

	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		if (s->lcore[id].role == PRT_ROLE_TX)
			busy += __atomic_load_n(&s->stats[id].busy_tsc, __ATOMIC_RELAXED);
	return busy;
}

/* A rate the path cannot carry: the TX lcores were busy all interval and
 * still sent well below the request. Said once, with what was achieved. */
static void check_rate(struct loop_state *ls, double pps, double dt, uint64_t busy)
{
	const struct prt_scan *s = ls->scan;
	uint64_t want = __atomic_load_n(&s->rate_request, __ATOMIC_RELAXED);
	double busy_frac = dt > 0 ? (double)busy / ((double)ls->hz * dt * s->n_tx) : 0;

	if (ls->rate_warned || want == 0 || prt_scan_phase(s) != PRT_PHASE_SCANNING)
		return;
	if (busy_frac > 0.9 && pps < 0.9 * (double)want) {
		prt_run_warn(ls->ev, "the path cannot carry --rate %llu: achieving %.0f probes/s with "
				"the TX lcores %.0f%% busy", (unsigned long long)want, pps,
			100 * busy_frac);
		ls->rate_warned = true;
	}
}

/* Once per interval: the current rate for telemetry and the progress line. */
static void sample(struct loop_state *ls, uint64_t now, const char *phase, bool print)
{
	struct prt_stats_lcore t;
	struct prt_progress p;
	char line[256];
	double dt = (double)(now - ls->last_tsc) / (double)ls->hz;
	uint64_t busy = tx_busy_tsc(ls->scan);

	prt_stats_sum(ls->scan->stats, RTE_MAX_LCORE, &t);
	p = (struct prt_progress){
		.elapsed_s = (double)(now - ls->start_tsc) / (double)ls->hz,
		.pps = dt > 0 ? (double)(t.tx_probes - ls->last_sent) / dt : 0,
		.sent = t.tx_probes,
		.work_done = prt_scan_work_done(ls->scan, t.walked),
		.work_total = prt_scan_work_total(ls->scan),
		.replies = t.rx_results + t.rx_duplicates,
		.open = ls->sum.state_count[PRT_STATE_OPEN],
		.phase = phase,
	};
	__atomic_store_n(&ls->scan->pps_now, (uint64_t)p.pps, __ATOMIC_RELAXED);
	check_rate(ls, p.pps, dt, busy - ls->last_tx_busy_tsc);
	prt_run_event_progress(ls->ev, &p, __atomic_load_n(&ls->scan->rate_request,
		__ATOMIC_RELAXED), &ls->rate_said);
	if (print) {
		prt_progress_format(&p, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
	ls->last_sent = t.tx_probes;
	ls->last_tsc = now;
	ls->last_tx_busy_tsc = busy;
}

static void report_drops(const struct prt_stats_lcore *t)
{
	char line[512];
	size_t used = 0;

	if (prt_stats_drops(t) == 0 && t->reply_ring_full == 0 && t->result_ring_full == 0 &&
	    t->no_mbuf == 0)
		return;
	for (int v = 1; v < PRT_CLS_VERDICT_COUNT && used < sizeof(line); v++)
		if (t->rx_drop[v] != 0)
			used += (size_t)snprintf(line + used, sizeof(line) - used, " %s %llu",
				prt_cls_verdict_name((enum prt_cls_verdict)v),
				(unsigned long long)t->rx_drop[v]);
	fprintf(stderr, "dpdk-prtip: ignored %llu received packets:%s; duplicates %llu, "
			"reply-ring-full %llu, result-ring-full %llu, no-mbuf %llu\n",
		(unsigned long long)prt_stats_drops(t), used ? line : " none",
		(unsigned long long)t->rx_duplicates, (unsigned long long)t->reply_ring_full,
		(unsigned long long)t->result_ring_full, (unsigned long long)t->no_mbuf);
}

/* Frames the port (or the kernel ring behind a virtual one) dropped before any
 * RX lcore saw them: answers among them are missing from the results. */
static void report_port_misses(const struct prt_scan *s)
{
	struct rte_eth_stats st;

	if (rte_eth_stats_get(s->port_id, &st) != 0 || st.imissed + st.ierrors + st.rx_nombuf == 0)
		return;
	fprintf(stderr, "dpdk-prtip: the port dropped %llu received frames before they were "
			"read (imissed %llu, ierrors %llu, rx_nombuf %llu): answers among them are "
			"missing; a lower --rate or more RX lcores helps\n",
		(unsigned long long)(st.imissed + st.ierrors + st.rx_nombuf),
		(unsigned long long)st.imissed, (unsigned long long)st.ierrors,
		(unsigned long long)st.rx_nombuf);
}

/* What the connections of -sT / --banners came to, on one line. */
static void report_conns(const struct prt_scan *s)
{
	struct prt_tcp_stats t;
	struct prt_service_stats v;

	if (!s->sessions)
		return;
	prt_scan_conns_stats(s, &t);
	prt_scan_service_stats(s, &v); /* once: -sV's line and --jarm's read it */
	fprintf(stderr, "dpdk-prtip: connections: %llu opened, %llu closed, %llu reset by peer, "
			"%llu timed out, %llu aborted, %llu refused (table full), %llu still open; "
			"%llu banners\n",
		(unsigned long long)t.created, (unsigned long long)t.closed,
		(unsigned long long)t.reset, (unsigned long long)t.timed_out,
		(unsigned long long)t.aborted, (unsigned long long)t.table_full,
		(unsigned long long)t.open, (unsigned long long)prt_scan_banners_reported(s));
	if (s->service.matcher != NULL)
		fprintf(stderr, "dpdk-prtip: -sV: %llu ports, %llu probe connections, %llu identified "
				"(%llu tcpwrapped), %llu by a softmatch only, %llu unrecognized, %llu "
				"not probed (no job free), %llu one connection at a time\n",
			(unsigned long long)v.ports,
			(unsigned long long)v.probes_sent, (unsigned long long)v.matched,
			(unsigned long long)v.tcpwrapped, (unsigned long long)v.soft,
			(unsigned long long)v.unmatched, (unsigned long long)v.jobs_full,
			(unsigned long long)v.serial);
	if (s->service.jarm)
		fprintf(stderr, "dpdk-prtip: --jarm: %llu TLS ports fingerprinted, %llu reported "
				"without (jobs busy, or the scan stopped first)\n",
			(unsigned long long)v.jarm, (unsigned long long)v.jarm_skipped);
}

/* Totals so far, over this run and the ones a checkpoint continues. */
static void totals(const struct loop_state *ls, uint64_t *probes, uint64_t *replies)
{
	struct prt_stats_lcore t;

	prt_stats_sum(ls->scan->stats, RTE_MAX_LCORE, &t);
	*probes = ls->base_probes + t.tx_probes;
	*replies = ls->base_replies + t.rx_results + t.rx_duplicates;
}

static void write_checkpoint(struct loop_state *ls, const struct prt_app_conf *conf)
{
	struct prt_resume_state st = {
		.reported = ls->reported,
		.state_count = ls->sum.state_count,
		.start_ns = ls->first_start_ns,
	};
	int rc;

	if ((ls->reported == NULL && !ls->scan->internet) || conf->discovery != PRT_DISCOVERY_NONE)
		return; /* a run with discovery keeps none (see cli_discovery.c) */
	totals(ls, &st.probes, &st.replies);
	/* what the checkpoint says was reported must be on disk first */
	if (prt_output_flush(ls->out) != 0)
		ls->write_failed = true;
	rc = prt_resume_write(ls->scan, conf, &st, prt_output_hosts(ls->out));
	if (rc != 0) {
		prt_run_warn(ls->ev, "cannot write the checkpoint %s: %s", conf->checkpoint_path,
			strerror(-rc));
		return;
	}
	ls->checkpointed = true;
	if (prt_events_begin(ls->ev, prt_run_realtime_ns(), "checkpoint")) {
		prt_event_str(ls->ev, "path", conf->checkpoint_path);
		prt_event_u64(ls->ev, "probes", st.probes);
		prt_events_end(ls->ev, true);
	}
}

/* --checkpoint-every, or, for a scan expected to send for more than a
 * minute, every minute: a long scan that dies loses at most that. */
static double checkpoint_interval(const struct prt_scan *s, const struct prt_app_conf *conf)
{
	const double expected_s = s->rate == 0 ? INFINITY :
		(double)prt_scan_work_total(s) / (double)s->rate;

	if (conf->discovery != PRT_DISCOVERY_NONE)
		return 0;
	if (conf->checkpoint_every_set)
		return conf->checkpoint_every_s;
	return expected_s > PRT_AUTO_CHECKPOINT_S ? PRT_AUTO_CHECKPOINT_S : 0;
}

/* The retry passes as they start (per-pair regime), with what is left. */
static void say_retry_pass(struct loop_state *ls)
{
	const struct prt_scan *s = ls->scan;
	uint32_t pass = 0;

	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		if (s->lcore[id].role == PRT_ROLE_TX)
			pass = RTE_MAX(pass, __atomic_load_n(&s->lcore[id].pass, __ATOMIC_RELAXED));
	if (pass <= ls->pass_said || s->internet)
		return;
	ls->pass_said = pass;
	if (prt_events_begin(ls->ev, prt_run_realtime_ns(), "retry_pass")) {
		prt_event_u64(ls->ev, "pass", pass);
		prt_event_u64(ls->ev, "passes", s->passes - 1);
		prt_event_u64(ls->ev, "unanswered", s->shard_pairs -
			__atomic_load_n(&s->answered_count, __ATOMIC_RELAXED));
		prt_events_end(ls->ev, true);
	}
	fprintf(stderr, "dpdk-prtip: retry pass %u of %u: %llu of %llu pairs unanswered\n", pass,
		s->passes - 1, (unsigned long long)(s->shard_pairs -
			__atomic_load_n(&s->answered_count, __ATOMIC_RELAXED)),
		(unsigned long long)s->shard_pairs);
}

/* A finished scan leaves no checkpoint that could resume it. */
static void remove_checkpoint(const struct loop_state *ls, const struct prt_app_conf *conf)
{
	bool ours = ls->checkpointed ||
		(conf->resume != NULL && strcmp(conf->resume->path, conf->checkpoint_path) == 0);

	if (ours)
		prt_checkpoint_remove(conf->checkpoint_path);
}

/* Internet mode: say when the nmap formats' host table went to disk. */
static void report_host_spills(const struct prt_hosts *t)
{
	if (t->spills > 0)
		fprintf(stderr, "dpdk-prtip: the per-host table went to disk %llu time%s "
				"(its budget is a quarter of --max-state-memory); merging it\n",
			(unsigned long long)t->spills, t->spills == 1 ? "" : "s");
}

static int setup_checkpoints(struct loop_state *ls, const struct prt_app_conf *conf)
{
	const uint64_t words = (ls->scan->npairs + 63) / 64;

	/* the scan id is made from it (run.c): the one prt_run took */
	ls->first_start_ns = conf->run_start_ns != 0 ? conf->run_start_ns : ls->sum.start_ns;
	if (conf->discovery != PRT_DISCOVERY_NONE)
		return 0;
	/* Internet mode keeps no bit per pair: a checkpoint is its walk positions */
	if (!ls->scan->internet) {
		ls->reported = calloc(words ? words : 1, sizeof(uint64_t));
		if (ls->reported == NULL) {
			fprintf(stderr, "dpdk-prtip: no memory to track reported pairs; no "
					"checkpoints\n");
			return -1;
		}
	}
	if (conf->resume == NULL)
		return 0;
	if (ls->reported != NULL)
		memcpy(ls->reported, conf->resume->reported, words * sizeof(uint64_t));
	memcpy(ls->sum.state_count, conf->resume->state_count, sizeof(ls->sum.state_count));
	for (int st = 0; st < PRT_STATE_COUNT; st++)
		__atomic_store_n(&ls->scan->state_count[st], ls->sum.state_count[st],
			__ATOMIC_RELAXED);
	ls->base_probes = conf->resume->probes;
	ls->base_replies = conf->resume->replies;
	ls->first_start_ns = conf->resume->start_ns;
	return 0;
}

/* A discovery before a port scan is done: say what it found; the outputs
 * stay open for the port scan. */
static int end_discovery(const struct loop_state *ls)
{
	const double s = (double)(rte_rdtsc() - ls->start_tsc) / (double)ls->hz;

	if (prt_events_begin(ls->ev, prt_run_realtime_ns(), "discovery_end")) {
		prt_event_u64(ls->ev, "hosts_up", ls->live->count);
		prt_event_u64(ls->ev, "hosts", ls->live->nhosts);
		prt_event_num(ls->ev, "duration_s", s);
		prt_event_bool(ls->ev, "interrupted", ls->sum.interrupted);
		prt_events_end(ls->ev, true);
	}
	fprintf(stderr, "dpdk-prtip: host discovery: %llu of %llu hosts up (%.2f s)%s\n",
		(unsigned long long)ls->live->count, (unsigned long long)ls->live->nhosts, s,
		ls->sum.interrupted ? ", interrupted" : ls->live->count > 0 ?
			"; scanning their ports" : "; no port to scan (-Pn scans hosts that do not "
			"answer discovery)");
	return ls->sum.interrupted && !ls->out_of_time ? PRT_EXIT_INTERRUPTED : 0;
}

int prt_run_loop(struct prt_scan *scan, const struct prt_app_conf *conf, struct prt_output *out,
	const struct prt_scan_plan *plan)
{
	struct loop_state ls = {.scan = scan, .out = out, .live = plan->live, .hz = rte_get_tsc_hz(),
		.verbose = conf->verbose, .say_to = conf->stdout_format ? stderr : stdout,
		.ev = out->events, .rate_said = scan->rate_request};
	const bool show = conf->stats_every_s > 0 || isatty(STDERR_FILENO);
	const double every = conf->stats_every_s > 0 ? conf->stats_every_s : 1.0;
	const double checkpoint_every = checkpoint_interval(scan, conf);
	uint64_t cooldown_end = 0, next_sample, next_checkpoint = UINT64_MAX;
	struct prt_stats_lcore t;
	int status;

	ls.start_tsc = scan->start_tsc;
	if (plan->live == NULL) {
		ls.os = prt_run_os_candidates(conf);
		ls.udpv = prt_run_udpv_candidates(conf);
	}
	/* the wall time of start_tsc (the lcores were launched since): results'
	 * times are TSC readings mapped through it */
	ls.sum.start_ns = prt_run_realtime_ns() -
		(uint64_t)((double)(rte_rdtsc() - ls.start_tsc) * 1e9 / (double)ls.hz);
	ls.last_tsc = ls.start_tsc;
	next_sample = ls.start_tsc + (uint64_t)(every * (double)ls.hz);
	setup_checkpoints(&ls, conf);
	prt_run_event_phase(ls.ev, ls.live != NULL ? "discovery" : "scan", 0, scan->shard_pairs);
	if (checkpoint_every > 0)
		next_checkpoint = ls.start_tsc + (uint64_t)(checkpoint_every * (double)ls.hz);
	for (;;) {
		uint64_t now;
		uint32_t phase = prt_scan_phase(scan);

		while (drain_results(&ls) == DRAIN_BURST)
			;
		while (drain_banners(&ls) > 0)
			;
		now = rte_rdtsc();
		ls.out_of_time |= !ls.sum.interrupted && conf->max_runtime_s > 0 &&
			phase == PRT_PHASE_SCANNING &&
			now - ls.start_tsc >= (uint64_t)(conf->max_runtime_s * (double)ls.hz);
		if ((prt_signals_stop_requested() || ls.out_of_time) && !ls.sum.interrupted) {
			uint64_t drain_end = now + (uint64_t)(SIGNAL_DRAIN_S * (double)ls.hz);
			ls.sum.interrupted = true;
			__atomic_store_n(&scan->stop, 1, __ATOMIC_RELEASE);
			if (prt_events_begin(ls.ev, prt_run_realtime_ns(), "interrupted")) {
				prt_event_str(ls.ev, "by", ls.out_of_time ? "max-runtime" : "signal");
				prt_events_end(ls.ev, true);
			}
			fprintf(stderr, "dpdk-prtip: %s, flushing results\n", ls.out_of_time ?
				"stopping after --max-runtime" : "interrupted");
			/* already waiting: shorten the wait to the drain time */
			if (phase == PRT_PHASE_COOLDOWN && drain_end < cooldown_end)
				cooldown_end = drain_end;
		}
		say_retry_pass(&ls);
		if (phase == PRT_PHASE_SCANNING &&
		    __atomic_load_n(&scan->tx_finished, __ATOMIC_ACQUIRE) == scan->n_tx) {
			/* the measured timeout, at most --wait */
			double wait = ls.sum.interrupted ? SIGNAL_DRAIN_S :
				prt_scan_timeout_s(scan, conf->wait_s);
			cooldown_end = now + (uint64_t)(wait * (double)ls.hz);
			ls.sum.send_end_ns = prt_run_realtime_ns();
			__atomic_store_n(&scan->phase, PRT_PHASE_COOLDOWN, __ATOMIC_RELEASE);
			prt_run_event_phase(ls.ev, "waiting", wait, 0);
		} else if (phase == PRT_PHASE_COOLDOWN &&
			   (now >= cooldown_end || prt_scan_all_answered(scan)) &&
			   conns_done(&ls, conf, cooldown_end, now)) {
			__atomic_store_n(&scan->phase, PRT_PHASE_DONE, __ATOMIC_RELEASE);
			break;
		}
		if (now >= next_sample) {
			sample(&ls, now, phase != PRT_PHASE_SCANNING ? "waiting" :
				ls.live != NULL ? "discovering" : "scanning", show);
			next_sample = now + (uint64_t)(every * (double)ls.hz);
		}
		if (now >= next_checkpoint && !ls.sum.interrupted) {
			write_checkpoint(&ls, conf);
			next_checkpoint = now + (uint64_t)(checkpoint_every * (double)ls.hz);
		}
		usleep(1000);
	}
	rte_eal_mp_wait_lcore();
	while (drain_results(&ls) > 0)
		;
	while (drain_banners(&ls) > 0)
		;
	/* before the silent pairs are written: the phase may hear from some */
	if (ls.udpv != NULL && !ls.sum.interrupted) {
		ls.sum.interrupted = prt_run_udpv(scan, conf, out, ls.udpv, udpv_found, &ls) ==
			PRT_EXIT_INTERRUPTED;
	}
	prt_run_udpv_candidates_free(ls.udpv);
	ls.udpv = NULL; /* the silent pairs' results below note nothing */
	if (!ls.sum.interrupted && !scan->internet) {
		if (ls.live == NULL)
			emit_unanswered(&ls);
		else if (ls.live->report)
			emit_down_hosts(&ls);
	}

	prt_stats_sum(scan->stats, RTE_MAX_LCORE, &t);
	sample(&ls, rte_rdtsc(), "done", show);
	report_drops(&t);
	report_port_misses(scan);
	report_conns(scan);
	if (ls.live != NULL && !ls.live->report)
		return end_discovery(&ls);
	ls.sum.end_ns = prt_run_realtime_ns();
	if (ls.sum.send_end_ns == 0)
		ls.sum.send_end_ns = ls.sum.end_ns;
	ls.sum.ips = conf->targets.total;
	ls.sum.ports = prt_conf_ports(conf);
	totals(&ls, &ls.sum.probes, &ls.sum.replies);
	if (ls.sum.interrupted) {
		write_checkpoint(&ls, conf);
		if (ls.checkpointed)
			fprintf(stderr, "dpdk-prtip: checkpoint written to %s; continue the scan with "
					"the same EAL options and -- --resume %s\n",
				conf->checkpoint_path, conf->checkpoint_path);
	} else {
		remove_checkpoint(&ls, conf);
	}
	free(ls.reported);
	status = ls.sum.interrupted && !ls.out_of_time ? PRT_EXIT_INTERRUPTED : 0;
	if (ls.os != NULL && !ls.sum.interrupted) {
		status = prt_run_os(scan, conf, out, ls.os);
		ls.sum.interrupted = status == PRT_EXIT_INTERRUPTED;
		ls.sum.end_ns = prt_run_realtime_ns();
	}
	prt_run_os_candidates_free(ls.os);
	report_host_spills(prt_output_hosts(out));
	if (prt_output_close(out, &ls.sum) != 0 || ls.write_failed) {
		fprintf(stderr, "dpdk-prtip: writing the results failed (disk full?)\n");
		status = PRT_EXIT_RUNTIME;
	}
	prt_run_event_end(ls.ev, &ls.sum, status);
	return status;
}
