/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_RUN_H
#define PRT_APP_RUN_H

#include <stdbool.h>

#include <rte_launch.h>

#include "cli.h"
#include "prt_output.h"
#include "prt_pipeline.h"
#include "prt_store.h"

/** The hosts a discovery found up: a bit per address of its targets. */
struct prt_live_hosts {
	uint64_t *up;
	uint64_t nhosts;
	uint64_t count;  /**< bits set */
	bool report;     /**< -sn: each host goes to the outputs, up as found, down at the end */
};

/**
 * One phase of a run and what it needs to know, fixed before its lcores
 * start: a discovery (its probes, its live-host set) or a port scan (the
 * scan types' arms over the targets, or over the hosts found up).
 */
struct prt_scan_plan {
	const struct prt_conf_arm *arms;
	unsigned narms;
	const struct prt_target_set *targets;
	bool internet;                /**< no per-pair state: answers only */
	struct prt_live_hosts *live;  /**< discovery: where its hosts go; NULL: a port scan */
};

/** A bit for each of @p nhosts hosts. @return 0 or -ENOMEM */
int prt_live_init(struct prt_live_hosts *l, uint64_t nhosts, bool report);
void prt_live_free(struct prt_live_hosts *l);

/** Does @p r (a discovery probe's answer) say its host is up? Any answer
 * from the host itself does: a reply, a reset, a port or protocol
 * unreachable; another ICMP error (a router's, a firewall's) does not. */
bool prt_live_answer_is_up(const struct prt_result *r);

/** Mark host @p idx up. @return true when it was not yet */
bool prt_live_mark(struct prt_live_hosts *l, uint64_t idx);

static inline bool prt_live_is_up(const struct prt_live_hosts *l, uint64_t idx)
{
	return (l->up[idx / 64] >> (idx % 64)) & 1;
}

/** The hosts of @p from that @p l has up, as a finalized target set. @return 0 or -ENOMEM */
int prt_live_targets(const struct prt_live_hosts *l, const struct prt_target_set *from,
	struct prt_target_set *to);

/** Set up the port and scan from @p conf, run it, tear down. @return exit status */
int prt_run(struct prt_app_conf *conf);

/** Give worker lcores their roles and queues (scan->lcore, n_tx, n_rx). @return 0 or -1 */
int prt_run_assign_lcores(struct prt_scan *scan, const struct prt_app_conf *conf);

/** Point each lcore at its rings and counters (after prt_scan_alloc). */
void prt_run_wire_lcores(struct prt_scan *scan);

/**
 * -sT, --banners: connection tables on the RX lcores (after
 * prt_run_wire_lcores). @return 0 or -1 after a message
 */
int prt_run_setup_sessions(struct prt_scan *scan, const struct prt_app_conf *conf);

/** Launch the RX lcores, then the TX lcores on @p tx_main (the port scan's
 * prt_tx_lcore_main, -O's prt_os_tx_lcore_main). */
void prt_run_launch_lcores(struct prt_scan *scan, lcore_function_t *tx_main);

/** A phase after the port scan (-O, -sV over UDP) starts: its lcores launched
 * on @p tx_main, the stop flag cleared, the phase's clock started. */
void prt_run_phase_launch(struct prt_scan *scan, lcore_function_t *tx_main);

/* ---- where results and numbers go (run_sinks.c) ---- */

/* The output files and the table on stdout (and, when resuming, the
 * checkpoint's hosts). @return 0 or -1 (printed; nothing left behind) */
int prt_run_open_outputs(struct prt_output *out, const struct prt_app_conf *c,
	const struct prt_service_names *services, uint64_t start_ns);

struct prt_run_store {
	struct prt_store *st;          /**< NULL: no --db */
	struct prt_output_summary sum; /**< as the outputs closed */
	bool ended, discarded;
};

/* --db: open the store and make it @p out's sink. @return 0 (also without --db) or -1 (printed) */
int prt_run_open_store(struct prt_run_store *rs, const struct prt_app_conf *c, uint64_t start_ns,
	struct prt_output *out);
/* Every event into the store too. */
void prt_run_store_events(struct prt_run_store *rs, struct prt_events *ev);
/* Store what is left and the run's end (after the last event). @return @p status, or
 * PRT_EXIT_RUNTIME when rows were lost */
int prt_run_close_store(struct prt_run_store *rs, const struct prt_app_conf *c, int status);

struct prt_metrics;
/* --metrics: serve /metrics until prt_metrics_stop. @return 0 (also without it) or -1 (printed) */
int prt_run_start_metrics(struct prt_metrics **m, const struct prt_app_conf *c, uint16_t port_id,
	const struct prt_run_store *rs);

/* ---- the scan's name and its event log (run_events.c) ---- */

/* The walk's key of a run without --seed, and the scan id when --scan-id
 * is not given: a keyed hash of the seed and the first start time, both of
 * which a checkpoint keeps, so a resumed scan has the id it had.
 * @return 0 or -1 (printed) */
int prt_run_name_scan(struct prt_app_conf *c, uint64_t start_ns);

/* The event log, opened with the outputs (and the store, which taps it) and
 * given its scan_start event: with --event-log, or for --db alone (no file).
 * @return 0 (also with neither) or -1 (printed) */
int prt_run_open_events(struct prt_events *ev, const struct prt_app_conf *c, uint64_t now,
	struct prt_run_store *store);

/* A warning on stderr ("dpdk-prtip: ..."), and in the event log (@p ev may be NULL). */
void prt_run_warn(struct prt_events *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "phase": discovery or scan (with its @p pairs), waiting (with @p wait_s > 0). */
void prt_run_event_phase(struct prt_events *ev, const char *phase, double wait_s,
	uint64_t pairs);

/* "progress" each interval (what a report plots), "rate" first when the
 * requested @p rate differs from *@p rate_said (telemetry changed it). */
void prt_run_event_progress(struct prt_events *ev, const struct prt_progress *p,
	uint64_t rate, uint64_t *rate_said);

/* The event log's last event: the scan's totals and its exit status. */
void prt_run_event_end(struct prt_events *ev, const struct prt_output_summary *sum, int status);

/**
 * Main-lcore loop from launch to DONE: drain results into @p out, progress,
 * phases, signals; then the unanswered pairs and the summary. A discovery
 * (plan->live) marks its hosts instead, and writes them only for -sn; one
 * before a port scan leaves @p out open for it.
 * @return exit status
 */
int prt_run_loop(struct prt_scan *scan, const struct prt_app_conf *conf, struct prt_output *out,
	const struct prt_scan_plan *plan);

/** Unix time in ns (CLOCK_REALTIME). */
uint64_t prt_run_realtime_ns(void);

void prt_signals_install(void);
bool prt_signals_stop_requested(void);

#endif
