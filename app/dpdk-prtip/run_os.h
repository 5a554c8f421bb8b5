/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_RUN_OS_H
#define PRT_APP_RUN_OS_H

#include <stdint.h>

#include "cli.h"
#include "prt_output.h"
#include "prt_pipeline.h"

/* -O: what the port scan told of each IPv4 host (run_os.c). */
struct prt_os_candidates;

/* @return the table, or NULL without -O or out of memory (said) */
struct prt_os_candidates *prt_run_os_candidates(const struct prt_app_conf *c);
/* A port scan's result: an open or closed TCP port, a closed UDP port. */
void prt_run_os_note(struct prt_os_candidates *oc, const struct prt_result *r);
void prt_run_os_candidates_free(struct prt_os_candidates *oc);
/* The hosts to try, by address: those with an open TCP port (and, with
 * @p need_closed, a closed one). Turns the table into that list. @return how many */
size_t prt_run_os_jobs(struct prt_os_candidates *oc, bool need_closed, struct prt_os_job **jobs);

/* A try's verdict as the outputs print it (run_os_report.c). */
struct prt_os_verdict {
	struct prt_os_fp fp;
	struct prt_os_result match;
	double best;                 /* the top accuracy (0: nothing matched) */
};

/* Read a try's fingerprint and match it. @return 0, or -EINVAL when it had none */
int prt_run_os_judge(const struct prt_os_db *db, const struct prt_os_outcome *o,
	struct prt_os_verdict *v);

/* Why nmap would not submit this fingerprint, or "" (its OmitSubmissionFP). */
void prt_run_os_reason(const struct prt_os_job *j, const struct prt_os_outcome *o,
	const struct prt_app_conf *c, bool random_closed, char *out, size_t cap);

/* The outputs' record of a host from its chosen try. */
void prt_run_os_report(const struct prt_os_db *db, const struct prt_os_job *j,
	const struct prt_os_outcome *o, const struct prt_os_verdict *v, const char *reason,
	bool guess, uint32_t tries, struct prt_host_os *out);

/*
 * -O's phase on the port scan's lcores and port, after its lcores returned:
 * every candidate with an open TCP port tried, matched, and given to the
 * outputs. @return 0, or PRT_EXIT_INTERRUPTED when a signal cut it short
 */
int prt_run_os(struct prt_scan *scan, const struct prt_app_conf *c, struct prt_output *out,
	struct prt_os_candidates *oc);

#endif
