/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_OUTPUT_TABLE_H
#define PRT_OUTPUT_TABLE_H

/*
 * The per-host port table shared by the stdout table and -oN (nmap's normal
 * output): "Not shown: ..." then PORT STATE [SERVICE] [REASON] columns
 * sized to their contents. The two differ only in wording, given by a style.
 */

#include <stdbool.h>
#include <stdio.h>

#include "prt_output.h"

struct prt_table_style {
	const char *report;  /**< "Scan report for" or "Nmap scan report for" */
	bool host_is_up;     /**< print nmap's "Host is up." line */
	bool reason_column;
};

/**
 * The state of the writers that print at close: a copy of the options.
 * With @p header, nmap's "# ... scan initiated ... as: ..." line is written
 * now, so an interrupted scan's file still says what ran. Free it with free().
 */
void *prt_table_open(FILE *f, const struct prt_output_opts *opts, bool header);

/** Print one host. @return 0, 1 when the host was skipped (--open), -errno */
int prt_table_print_host(FILE *f, const struct prt_host *h, const struct prt_output_opts *opts,
	const struct prt_table_style *style);

/** Hosts up (answered) and the count of scanned addresses, nmap's closing words. */
void prt_table_print_done(FILE *f, const char *who, const struct prt_output_summary *s,
	const struct prt_hosts *hosts);

#endif
