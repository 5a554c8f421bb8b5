/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_OUTPUT_H
#define PRT_OUTPUT_H

/**
 * @file
 * Result writers. Each format is a const ops struct in one registry; a writer
 * only serialises result records and the end-of-scan summary. The output set
 * opens every file before the scan starts and, on failure, removes what it
 * created, so no half-written file is left behind.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "prt_result.h"

/** Totals for the end of a scan. */
struct prt_output_summary {
	uint64_t ips;
	uint32_t ports;
	uint64_t probes;
	uint64_t replies;
	uint64_t state_count[PRT_STATE_COUNT];
	uint64_t start_ns;   /**< unix time */
	uint64_t send_end_ns; /**< when the last probe (of all passes) was sent */
	uint64_t end_ns;
	bool interrupted;
};

/** Options writers may honour. */
struct prt_output_opts {
	bool only_open; /**< --open: the table shows open ports only */
};

struct prt_writer_ops {
	const char *name; /**< "ndjson" */
	const char *flag; /**< "-oJ" */
	/** @return writer state or NULL (errno set) */
	void *(*open)(FILE *f, const struct prt_output_opts *opts);
	int (*write)(void *state, FILE *f, const struct prt_result *r);
	/** Write the trailer and free the state. */
	int (*close)(void *state, FILE *f, const struct prt_output_summary *s);
};

extern const struct prt_writer_ops prt_writer_ndjson;
extern const struct prt_writer_ops prt_writer_list;
extern const struct prt_writer_ops prt_writer_text;

/** Find a writer by its flag letter after -o ('J', 'L'). NULL when unknown. */
const struct prt_writer_ops *prt_writer_find(char letter);

#define PRT_OUTPUT_MAX 8

/** The writers of a scan. */
struct prt_output {
	struct {
		const struct prt_writer_ops *ops;
		FILE *f;
		void *state;
		char *path;  /**< NULL for stdout */
	} w[PRT_OUTPUT_MAX];
	unsigned n;
	struct prt_output_opts opts;
};

void prt_output_init(struct prt_output *out, const struct prt_output_opts *opts);

/**
 * Open a writer to @p path (NULL = stdout).
 * @return 0 or -errno (file not writable, too many outputs)
 */
int prt_output_add(struct prt_output *out, const struct prt_writer_ops *ops, const char *path);

/** Give one result to every writer. @return 0 or -EIO when a write failed */
int prt_output_write(struct prt_output *out, const struct prt_result *r);

/** Trailers, flush and close. @return 0 or -EIO */
int prt_output_close(struct prt_output *out, const struct prt_output_summary *s);

/** Close everything and delete the files created (scan did not start). */
void prt_output_discard(struct prt_output *out);

/** Format unix ns as "2026-11-27T00:10:17.123Z". */
const char *prt_output_iso_time(uint64_t ns, char *buf, size_t len);

#endif
