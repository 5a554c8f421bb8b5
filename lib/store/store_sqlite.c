/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SQLite backend: the embedded default (--db FILE). WAL, so `dpdk-prtip db`
 * and other readers see the scan while it is written; synchronous=NORMAL,
 * which in WAL mode loses at most the last transactions on a power cut,
 * never the file; one prepared upsert per table, reused for every row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_backend.h"

struct sqlite_db {
	sqlite3 *h;
	sqlite3_stmt *upsert[STORE_NTABLES];
};

static void say(char *err, size_t errlen, sqlite3 *h, const char *what)
{
	snprintf(err, errlen, "sqlite: %s: %s", what, h != NULL ? sqlite3_errmsg(h) : "no memory");
}

static int sq_exec(void *p, const char *sql, char *err, size_t errlen)
{
	struct sqlite_db *db = p;

	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK) {
		say(err, errlen, db->h, sql);
		return -EIO;
	}
	return 0;
}

static void sq_disconnect(void *p)
{
	struct sqlite_db *db = p;

	if (db == NULL)
		return;
	for (unsigned i = 0; i < STORE_NTABLES; i++)
		sqlite3_finalize(db->upsert[i]);
	sqlite3_close(db->h);
	free(db);
}

static void *sq_connect(const char *url, bool create, char *err, size_t errlen)
{
	struct sqlite_db *db = calloc(1, sizeof(*db));
	const char *path = strncmp(url, "sqlite://", 9) == 0 ? url + 9 : url;

	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* one thread at a time uses the connection (the opener, then the writer
	 * thread, then the closer): SQLite's own locking is not needed */
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
			(create ? SQLITE_OPEN_CREATE : 0), NULL) != SQLITE_OK) {
		say(err, errlen, db->h, path);
		sq_disconnect(db);
		return NULL;
	}
	/* shards and readers may share the file: wait for their locks a while */
	sqlite3_busy_timeout(db->h, 30000);
	/* a big scan's keys come in random order: a 64 MiB page cache keeps its B-trees */
	if (sq_exec(db, "PRAGMA journal_mode=WAL", err, errlen) != 0 ||
	    sq_exec(db, "PRAGMA synchronous=NORMAL", err, errlen) != 0 ||
	    sq_exec(db, "PRAGMA cache_size=-65536", err, errlen) != 0) {
		sq_disconnect(db);
		return NULL;
	}
	return db;
}

static int sq_create(void *p, const char *ddl, char *err, size_t errlen)
{
	int rc = sq_exec(p, "BEGIN IMMEDIATE", err, errlen);

	if (rc == 0)
		rc = sq_exec(p, ddl, err, errlen);
	if (rc == 0)
		return sq_exec(p, "COMMIT", err, errlen);
	sq_exec(p, "ROLLBACK", NULL, 0);
	return rc;
}

static sqlite3_stmt *upsert_of(struct sqlite_db *db, const struct store_table *t, char *err,
	size_t errlen)
{
	unsigned id = (unsigned)(t - store_tables);
	char values[256], sql[4096];

	if (db->upsert[id] != NULL)
		return db->upsert[id];
	if (store_values_sql(t, values, sizeof(values)) < 0 ||
	    store_upsert_sql(t, values, sql, sizeof(sql)) < 0) {
		snprintf(err, errlen, "sqlite: statement for %s too long", t->name);
		return NULL;
	}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->upsert[id],
		    NULL) != SQLITE_OK) {
		say(err, errlen, db->h, t->name);
		return NULL;
	}
	return db->upsert[id];
}

static int bind_value(sqlite3_stmt *st, int i, enum store_type type, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	if (type == STORE_INT)
		return sqlite3_bind_int64(st, i, (sqlite3_int64)strtoull(v, NULL, 10));
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static int sq_load(void *p, const struct store_rowset *rows, char *err, size_t errlen)
{
	struct sqlite_db *db = p;
	const struct store_table *t = rows->t;
	sqlite3_stmt *st = upsert_of(db, t, err, errlen);

	if (st == NULL)
		return -EIO;
	for (unsigned r = 0; r < rows->n; r++) {
		const char **v = rows->v + (size_t)r * t->ncol;
		int rc = SQLITE_OK;
		for (unsigned c = 0; c < t->ncol && rc == SQLITE_OK; c++)
			rc = bind_value(st, (int)c + 1, t->col[c].type, v[c]);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			say(err, errlen, db->h, t->name);
			return -EIO;
		}
	}
	return 0;
}

static int sq_query(void *p, const char *sql, const char *const *params, unsigned nparams,
	prt_store_row_fn fn, void *arg, char *err, size_t errlen)
{
	struct sqlite_db *db = p;
	const char *vals[64];
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		say(err, errlen, db->h, "query");
		return -EIO;
	}
	for (unsigned i = 0; i < nparams; i++)
		sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_count(st);
		if (n > 64)
			n = 64;
		for (int c = 0; c < n; c++)
			vals[c] = (const char *)sqlite3_column_text(st, c);
		ret = fn(arg, (unsigned)n, vals);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE) {
		say(err, errlen, db->h, "query");
		ret = -EIO;
	}
	sqlite3_finalize(st);
	return ret;
}

const struct store_backend_ops store_sqlite = {
	.name = "sqlite",
	/* the key is the row's identity: one B-tree per table, not a table and an index */
	.table_options = " WITHOUT ROWID",
	.columns_sql = "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
		"WHERE m.type = 'table'",
	.connect = sq_connect,
	.exec = sq_exec,
	.create = sq_create,
	.load = sq_load,
	.query = sq_query,
	.disconnect = sq_disconnect,
};
