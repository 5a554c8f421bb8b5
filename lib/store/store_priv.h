/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef STORE_PRIV_H
#define STORE_PRIV_H

/*
 * Inside the store: a batch is what the main lcore fills and the writer
 * thread loads in one transaction; store_rows.c turns it into text rows.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "prt_events.h"
#include "prt_output.h"
#include "prt_store.h"
#include "store_backend.h"

#define STORE_BATCH_RESULTS 4096
#define STORE_BATCH_BANNERS 64
#define STORE_BATCH_EVENTS 256
#define STORE_BATCH_OS 16      /* -O's verdicts are ~18 KiB each */
/* batches queued for the writer before new ones are dropped: about half a
 * million results, seconds of a fast scan's answers */
#define STORE_QUEUE_BATCHES 128

struct store_event {
	uint64_t ts_ns;
	uint64_t seq;
	char type[24];
	char *line;          /**< the JSON line, malloc'd */
};

/* a batch not full goes to the writer after this long */
#define STORE_BATCH_AGE_NS 1000000000ull

struct store_os {
	uint64_t ts_ns;
	struct prt_host_os *os;      /**< malloc'd copy */
};

struct store_batch {
	struct store_batch *next;
	uint64_t born_ns;            /**< CLOCK_MONOTONIC_COARSE at its first row */
	unsigned nres, nban, nev, nos;
	struct prt_result res[STORE_BATCH_RESULTS];
	struct prt_banner *ban[STORE_BATCH_BANNERS]; /**< malloc'd copies */
	struct store_event ev[STORE_BATCH_EVENTS];
	struct store_os os[STORE_BATCH_OS];
};

/** Rows a batch becomes (a banner may be up to three: bytes, service, certificate). */
static inline uint64_t store_batch_rows(const struct store_batch *b)
{
	return b->nres + 3ull * b->nban + b->nev + b->nos;
}

struct store_arena;

/** A batch's rows, one set per table, the text in an arena. */
struct store_rows {
	struct store_rowset set[STORE_NTABLES];
	struct store_arena *arena;
	uint64_t count;
};

/** Build @p out from @p b for (scan, shard). @return 0 or -ENOMEM */
int store_rows_build(const struct store_batch *b, const char *scan, const char *shard,
	struct store_rows *out);
void store_rows_free(struct store_rows *rows);

struct prt_store {
	const struct store_backend_ops *ops;
	void *db;
	char scan[PRT_SCAN_ID_MAX + 1];
	char shard[24];
	uint64_t start_ns, targets;
	uint32_t ports;
	char *cmdline, *version;
	uint64_t seq;                /**< events' order within the run */
	struct store_batch *cur;     /**< being filled by the main lcore */

	/* the writer thread and its queue, under mu */
	bool writing;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;         /**< a batch queued, or stop */
	struct store_batch *head, *tail;
	unsigned queued;
	bool stop;
	struct prt_store_stats stats;
	char err[256];               /**< the first failure */
};

/** The writer thread (store_writer.c). */
void *store_writer_main(void *arg);
/** Load a chain of batches (linked by next) in one transaction; count the rows stored or lost. */
void store_write_batches(struct prt_store *s, struct store_batch *chain);
void store_batch_free(struct store_batch *b);
/** Count @p rows as not stored; the first @p why (may be NULL) is what close reports. */
void store_lost(struct prt_store *s, uint64_t rows, const char *why);

#endif
