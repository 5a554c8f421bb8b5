/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef STORE_BACKEND_H
#define STORE_BACKEND_H

/*
 * What a database must do for the store: the schema is data (store_schema.c)
 * and rows are text, so a backend only connects, runs SQL, loads rows into a
 * table as upserts, and answers queries. Rows are columns of text in the
 * table's column order; NULL is SQL NULL.
 */

#include <stdbool.h>
#include <stddef.h>

#include "prt_store.h"

/** A column's SQL type. */
enum store_type { STORE_TEXT, STORE_INT };

/** What an upsert does to a stored column when the key is there. */
enum store_merge {
	STORE_SET,   /**< the new value (the last answer wins) */
	STORE_KEEP,  /**< the stored one (a key column, a first time) */
	STORE_MIN,
	STORE_MAX,
};

struct store_column {
	const char *name;
	enum store_type type;
	enum store_merge merge;
};

#define STORE_MAX_COLUMNS 20

struct store_table {
	const char *name;
	unsigned nkey;         /**< the first nkey columns are the primary key */
	unsigned ncol;
	struct store_column col[STORE_MAX_COLUMNS];
};

/** Rows for one table: n rows of t->ncol values each, row-major. */
struct store_rowset {
	const struct store_table *t;
	unsigned n;
	const char **v;
};

struct store_backend_ops {
	const char *name;
	const char *table_options; /**< after each CREATE TABLE's columns */
	/** rows of (table, column) for every table of the database */
	const char *columns_sql;
	/** @return a connection, or NULL with @p err set; a reader (!@p create) never makes a file */
	void *(*connect)(const char *url, bool create, char *err, size_t errlen);
	/** Statements without results (DDL, BEGIN, COMMIT). @return 0 or -EIO */
	int (*exec)(void *db, const char *sql, char *err, size_t errlen);
	/** Create the schema (@p ddl: every CREATE, in order) as one step. @return 0 or -EIO */
	int (*create)(void *db, const char *ddl, char *err, size_t errlen);
	/** Upsert the rows, inside the caller's transaction. @return 0 or -EIO */
	int (*load)(void *db, const struct store_rowset *rows, char *err, size_t errlen);
	int (*query)(void *db, const char *sql, const char *const *params, unsigned nparams,
		prt_store_row_fn fn, void *arg, char *err, size_t errlen);
	void (*disconnect)(void *db);
};

extern const struct store_backend_ops store_sqlite;
extern const struct store_backend_ops store_pg;

/* ---- the schema (store_schema.c) ---- */

enum store_table_id {
	STORE_SCANS,
	STORE_HOSTS,
	STORE_PORTS,
	STORE_SERVICES,
	STORE_CERTS,
	STORE_BANNERS,
	STORE_EVENTS,
	STORE_OS,
	STORE_NTABLES
};

extern const struct store_table store_tables[STORE_NTABLES];

#define STORE_DDL_MAX 8192

/** Every CREATE TABLE, ';'-separated, each ending with @p table_options. @return length or -1 */
int store_schema_ddl(const char *table_options, char *buf, size_t cap);

/**
 * "INSERT INTO t (cols) <source> ON CONFLICT (key) DO UPDATE SET ..." where
 * @p source is "VALUES ($1, ...)" or a SELECT. @return the length, or -1 when
 * @p cap is too small
 */
int store_upsert_sql(const struct store_table *t, const char *source, char *buf, size_t cap);

/** "VALUES ($1, $2, ...)" for the table's columns. */
int store_values_sql(const struct store_table *t, char *buf, size_t cap);

/** Add the columns a store of an earlier version lacks (store_upgrade.c). @return 0 or -EIO */
int store_upgrade(const struct store_backend_ops *ops, void *db, char *err, size_t errlen);

#endif
