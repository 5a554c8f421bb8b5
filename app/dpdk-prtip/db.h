/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_DB_H
#define PRT_DB_H

/*
 * dpdk-prtip db: the results store read back, without EAL. Each verb is a
 * file of its own (db_list.c, db_show.c, db_diff.c, db_export.c); db.c
 * parses the command line and opens the store.
 */

#include <stdbool.h>
#include <stdio.h>

#include "prt_events.h"
#include "prt_output.h"
#include "prt_store.h"

struct db_ctx {
	struct prt_store *st;
	const char *url;
	const char *datadir;     /**< nmap-services for export's SERVICE column */
	char oformat;            /**< export: the -o letter; report: 'H' */
	const char *opath;       /**< export: its file ("-": stdout) */
	FILE *out;               /**< where list, show and diff print */
};

/** The dpdk-prtip db command. @return the exit status */
int prt_db_main(int argc, char **argv);

/** A query; a failure is printed ("dpdk-prtip db: ..."). @return 0, the callback's value, or -1 */
int db_query(struct db_ctx *x, const char *sql, const char *const *params, unsigned n,
	prt_store_row_fn fn, void *arg);

/**
 * The scan @p name names: an id, or "latest" / "previous" (by start time).
 * @p id gets it. @return 0, or -1 after a message (no such scan)
 */
int db_resolve_scan(struct db_ctx *x, const char *name, char *id, size_t len);

/** What a stored scan's shards say together. */
struct db_scan_info {
	unsigned shards;
	char status[16];         /**< running, failed, interrupted or done, the worst first */
	unsigned long long start_ns, end_ns, probes, replies;
	unsigned long long targets; /**< of all shards */
	unsigned ports;
	char cmdline[1024];
	char version[32];
};

int db_scan_info(struct db_ctx *x, const char *id, struct db_scan_info *info);

/** Rows of one (ip, proto, port): the banner, service and certificate joined. */
extern const char db_banner_sql[];
/** One row of db_banner_sql as a banner record. */
void db_banner_of_row(const char *const *v, struct prt_banner *b);

/* a stored row's fields back as a result (prt_result's numbers) */
bool db_state_of(const char *name, uint8_t *state);
void db_result_of_row(const char *ip, const char *proto, const char *port, const char *state,
	const char *reason, const char *ttl, const char *itype, const char *icode,
	const char *ts, struct prt_result *r);

int db_list(struct db_ctx *x, char **args);
int db_show(struct db_ctx *x, char **args);
int db_diff(struct db_ctx *x, char **args);
int db_export(struct db_ctx *x, char **args);
int db_report(struct db_ctx *x, char **args);

#endif
