/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_STORE_H
#define PRT_STORE_H

/**
 * @file
 * The results store (--db): one schema (docs/user-guide.md, "Results store")
 * in SQLite (a file, the embedded default) or PostgreSQL (a fleet's server,
 * "postgresql://..."), through one backend interface (store_backend.h).
 *
 * Writing never stalls a scan: the main lcore copies results, banners and
 * events into a batch; full batches go through a bounded queue to a writer
 * thread of the store's own, which loads each in one transaction (SQLite:
 * prepared statements; PostgreSQL: COPY into a staging table). When the
 * queue is full the batch is dropped and its rows counted as lost, which
 * prt_store_close reports. Every row has its scan id and a key (scan, ip,
 * proto, port ...) and is an upsert, so a resumed scan, or shards of one
 * scan on several appliances, never store a row twice.
 *
 * Reading (the db subcommand) goes through prt_store_query: SQL that both
 * databases run, parameters written $1, $2 ... in order.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_result.h"

struct prt_store;
struct prt_host_os;

/** What a scan's row says of the run writing it (one row per shard). */
struct prt_store_scan {
	const char *id;       /**< the scan id (--scan-id, or made by the run) */
	const char *shard;    /**< "1/1", or --shard's "I/N" */
	uint64_t start_ns;    /**< unix time */
	const char *cmdline;
	const char *version;
	uint64_t targets;     /**< addresses the run scans */
	uint32_t ports;       /**< ports per address */
};

/** Counts a store keeps, for the end-of-scan line and telemetry. */
struct prt_store_stats {
	uint64_t rows;        /**< rows the database took */
	uint64_t lost;        /**< rows dropped: queue full, or a failed transaction */
	uint64_t batches;     /**< transactions committed */
	uint64_t queue_full;  /**< batches dropped because the writer was behind */
};

/** True for the URLs the PostgreSQL backend takes ("postgresql://", "postgres://"). */
bool prt_store_url_is_pg(const char *url);

/**
 * Open the store @p url (a file name, or a PostgreSQL URL), create the
 * schema when missing, and, with @p scan, record the run and start the
 * writer thread. Without @p scan the store is only read (prt_store_query).
 * @return 0 or -errno with @p err set
 */
int prt_store_open(struct prt_store **out, const char *url, const struct prt_store_scan *scan,
	char *err, size_t errlen);

/** Queue one result (the caller filters as the streams do). Main lcore only. */
void prt_store_result(struct prt_store *s, const struct prt_result *r);
/** Queue a banner: its bytes, -sV's service and --ssl-cert's certificate. */
void prt_store_banner(struct prt_store *s, const struct prt_banner *b);
/** Queue -O's verdict on a host. */
void prt_store_os(struct prt_store *s, const struct prt_host_os *os);
/** Queue an event: its unix time, name and JSON line (prt_events' tap). */
void prt_store_event(struct prt_store *s, uint64_t ts_ns, const char *type, const char *json,
	size_t len);
/**
 * Hand what is batched to the writer now. A batch also goes by itself when
 * full or a second old (checked as rows come).
 */
void prt_store_flush(struct prt_store *s);

/**
 * Wait for the writer to store everything, record the run's end (@p end_ns,
 * @p status "done" or "interrupted", totals) and close. @p stats gets the
 * counts (may be NULL). @return 0, or -EIO with @p err set when rows were lost
 */
int prt_store_close(struct prt_store *s, uint64_t end_ns, const char *status, uint64_t probes,
	uint64_t replies, struct prt_store_stats *stats, char *err, size_t errlen);

/** The counts so far (any thread: the metrics endpoint). */
void prt_store_get_stats(struct prt_store *s, struct prt_store_stats *stats);

/** A store opened only to be read. */
void prt_store_close_reader(struct prt_store *s);

/** One row of a query: @p ncol text values (NULL for SQL NULL). Non-zero stops. */
typedef int (*prt_store_row_fn)(void *arg, unsigned ncol, const char *const *vals);

/**
 * Run @p sql with text parameters $1..$n. @return 0, the callback's non-zero
 * value, or -EIO with @p err set
 */
int prt_store_query(struct prt_store *s, const char *sql, const char *const *params,
	unsigned nparams, prt_store_row_fn fn, void *arg, char *err, size_t errlen);

#endif
