/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_RESUME_H
#define PRT_APP_RESUME_H

/* --resume, --checkpoint, --checkpoint-every: from the command line to the
 * lcores and back to a checkpoint file. */

#include <stdint.h>

#include "checkpoint.h"
#include "cli.h"

/**
 * Before parsing: with --resume FILE, load it. Given alone (with EAL and
 * checkpoint options only), the scan's options come from the checkpoint and
 * @p argv is replaced; given with options, they must be the checkpoint's.
 * @return 0 (resume in *ck, or NULL), -1 after a usage error was printed
 */
int prt_resume_prepare(int *argc, char ***argv, struct prt_checkpoint **ck);

/** The checkpoint (if any) was written with as many TX lcores as this run has.
 * @return 0 or -1 (printed) */
int prt_resume_check_lcores(const struct prt_scan *scan, const struct prt_app_conf *c);

/** After the scan is allocated: start where the checkpoint stopped. @return 0 or -1 (printed) */
int prt_resume_apply(struct prt_scan *scan, const struct prt_app_conf *c);

/** Everything a checkpoint of this moment needs from the main loop. */
struct prt_resume_state {
	const uint64_t *reported;  /**< bit per pair written to the outputs */
	const uint64_t *state_count;
	uint64_t probes;
	uint64_t replies;
	uint64_t start_ns;
};

/** Write the checkpoint of this moment to conf->checkpoint_path. @return 0 or -errno */
int prt_resume_write(const struct prt_scan *scan, const struct prt_app_conf *c,
	const struct prt_resume_state *st, struct prt_hosts *hosts);

#endif
