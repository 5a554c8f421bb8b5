/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_RUN_H
#define PRT_APP_RUN_H

#include <stdbool.h>

#include "cli.h"
#include "prt_output.h"
#include "prt_pipeline.h"

/** Set up the port and scan from @p conf, run it, tear down. @return exit status */
int prt_run(struct prt_app_conf *conf);

/** Launched lcores and their arguments. */
struct prt_run_lcores {
	unsigned tx_lcore;
	unsigned rx_lcore;
	struct prt_lcore_arg tx_arg;
	struct prt_lcore_arg rx_arg;
};

/**
 * Main-lcore loop from launch to DONE: drain results into @p out, progress,
 * phases, signals; then the unanswered pairs and the summary.
 * @return exit status
 */
int prt_run_loop(struct prt_scan *scan, const struct prt_app_conf *conf, struct prt_output *out);

void prt_signals_install(void);
bool prt_signals_stop_requested(void);

#endif
