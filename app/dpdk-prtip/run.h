/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_RUN_H
#define PRT_APP_RUN_H

#include <stdbool.h>

#include "cli.h"
#include "prt_output.h"
#include "prt_pipeline.h"

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

/** Launch the RX lcores, then the TX lcores. */
void prt_run_launch_lcores(struct prt_scan *scan);

/**
 * Main-lcore loop from launch to DONE: drain results into @p out, progress,
 * phases, signals; then the unanswered pairs and the summary.
 * @return exit status
 */
int prt_run_loop(struct prt_scan *scan, const struct prt_app_conf *conf, struct prt_output *out);

/** Unix time in ns (CLOCK_REALTIME). */
uint64_t prt_run_realtime_ns(void);

void prt_signals_install(void);
bool prt_signals_stop_requested(void);

#endif
