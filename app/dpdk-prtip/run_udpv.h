/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_RUN_UDPV_H
#define PRT_APP_RUN_UDPV_H

#include "cli.h"
#include "prt_output.h"
#include "prt_pipeline.h"

/* -sV over UDP (run_udpv.c): the open UDP ports the port scan found. */
struct prt_udpv_candidates;

/* @return the list, or NULL without -sV over UDP or out of memory (said) */
struct prt_udpv_candidates *prt_run_udpv_candidates(const struct prt_app_conf *c);
/* A port scan's result: an open UDP port is kept. */
void prt_run_udpv_note(struct prt_udpv_candidates *uc, const struct prt_result *r);
void prt_run_udpv_candidates_free(struct prt_udpv_candidates *uc);

/* A port the phase heard from that the port scan did not (open|filtered
 * until now): its open result, for the outputs and the pair's record. */
typedef void (*prt_udpv_found_fn)(void *ctx, struct prt_result *r);

/*
 * The phase, after the port scan's lcores returned and before its silent
 * pairs are written: the open ports and the open|filtered ones (the pairs
 * of the -sU arm that never answered) probed with nmap-service-probes' UDP
 * probes, and what answers named in the outputs. @return 0, or
 * PRT_EXIT_INTERRUPTED when a signal cut it short
 */
int prt_run_udpv(struct prt_scan *scan, const struct prt_app_conf *c, struct prt_output *out,
	struct prt_udpv_candidates *uc, prt_udpv_found_fn found, void *ctx);

#endif
