/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PostgreSQL backend (--db postgresql://...): a fleet's appliances write
 * into one server, shards of one scan into one scan id. Rows go in by COPY
 * (the bulk path) into a per-table staging table, then one INSERT ... SELECT
 * ... ON CONFLICT merges them, so a batch is two round trips whatever its
 * size and a row already there (a resumed scan, another shard) is updated,
 * never doubled. Notices are not printed: a library says nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store_backend.h"

struct pg_db {
	PGconn *conn;
	bool staged[STORE_NTABLES]; /**< its staging table exists on this connection */
};

static void say(char *err, size_t errlen, PGconn *c, const char *what)
{
	char msg[256];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", c != NULL ? PQerrorMessage(c) : "no memory");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (err != NULL)
		snprintf(err, errlen, "postgresql: %s: %s", what, msg);
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static int pg_exec(void *p, const char *sql, char *err, size_t errlen)
{
	struct pg_db *db = p;
	PGresult *r = PQexec(db->conn, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	PQclear(r);
	if (!ok) {
		say(err, errlen, db->conn, sql);
		return -EIO;
	}
	return 0;
}

static void pg_disconnect(void *p)
{
	struct pg_db *db = p;

	if (db == NULL)
		return;
	PQfinish(db->conn);
	free(db);
}

static void *pg_connect(const char *url, bool create, char *err, size_t errlen)
{
	struct pg_db *db = calloc(1, sizeof(*db));

	(void)create; /* the database is the server's to make */
	if (db == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->conn = PQconnectdb(url);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		say(err, errlen, db->conn, "connect");
		pg_disconnect(db);
		return NULL;
	}
	PQsetNoticeProcessor(db->conn, quiet, NULL);
	return db;
}

/* Appliances starting at once would race to create the tables: one at a time. */
static int pg_create(void *p, const char *ddl, char *err, size_t errlen)
{
	int rc = pg_exec(p, "BEGIN", err, errlen);

	if (rc == 0)
		rc = pg_exec(p, "SELECT pg_advisory_xact_lock(7269707472)", err, errlen);
	if (rc == 0)
		rc = pg_exec(p, ddl, err, errlen);
	if (rc == 0)
		return pg_exec(p, "COMMIT", err, errlen);
	pg_exec(p, "ROLLBACK", NULL, 0);
	return rc;
}

static int stage(struct pg_db *db, const struct store_table *t, char *err, size_t errlen)
{
	unsigned id = (unsigned)(t - store_tables);
	char sql[256];

	if (db->staged[id])
		return 0;
	snprintf(sql, sizeof(sql),
		"CREATE TEMP TABLE IF NOT EXISTS stage_%s (LIKE %s) ON COMMIT DELETE ROWS", t->name,
		t->name);
	if (pg_exec(db, sql, err, errlen) != 0)
		return -EIO;
	db->staged[id] = true;
	return 0;
}

/* COPY's text format: tab between columns, \N for NULL, backslash escapes. */
static size_t copy_field(char *out, const char *v)
{
	size_t n = 0;

	if (v == NULL) {
		memcpy(out, "\\N", 2);
		return 2;
	}
	for (; *v; v++) {
		const char *esc = *v == '\\' ? "\\\\" : *v == '\t' ? "\\t" : *v == '\n' ? "\\n" :
				  *v == '\r' ? "\\r" : NULL;
		if (esc != NULL) {
			memcpy(out + n, esc, 2);
			n += 2;
		} else {
			out[n++] = *v;
		}
	}
	return n;
}

static int copy_rows(struct pg_db *db, const struct store_rowset *rows, char *err,
	size_t errlen)
{
	const struct store_table *t = rows->t;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int rc = 0;

	if (buf == NULL)
		return -ENOMEM;
	for (unsigned r = 0; rc == 0 && r < rows->n; r++) {
		const char **v = rows->v + (size_t)r * t->ncol;
		for (unsigned c = 0; c < t->ncol; c++) {
			size_t need = (v[c] != NULL ? 2 * strlen(v[c]) : 2) + 2;
			if (len + need > cap) {
				if (PQputCopyData(db->conn, buf, (int)len) != 1)
					rc = -EIO;
				len = 0;
			}
			if (need > cap) {
				char *bigger = realloc(buf, need);
				if (bigger == NULL) {
					rc = -ENOMEM;
					break;
				}
				buf = bigger;
				cap = need;
			}
			len += copy_field(buf + len, v[c]);
			buf[len++] = c + 1 < t->ncol ? '\t' : '\n';
		}
	}
	if (rc == 0 && len > 0 && PQputCopyData(db->conn, buf, (int)len) != 1)
		rc = -EIO;
	free(buf);
	if (PQputCopyEnd(db->conn, rc == 0 ? NULL : "row too large") != 1)
		rc = -EIO;
	for (PGresult *res; (res = PQgetResult(db->conn)) != NULL; PQclear(res))
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = -EIO;
	if (rc != 0)
		say(err, errlen, db->conn, "COPY");
	return rc;
}

/* One merge per batch; a key twice in a batch (a retried pair) keeps its last row. */
static int merge_staged(struct pg_db *db, const struct store_table *t, char *err,
	size_t errlen)
{
	char keys[256] = "", source[512], sql[4096];
	size_t n = 0;

	for (unsigned i = 0; i < t->nkey; i++)
		n += (size_t)snprintf(keys + n, sizeof(keys) - n, "%s%s", i ? ", " : "",
			t->col[i].name);
	snprintf(source, sizeof(source),
		"SELECT DISTINCT ON (%s) * FROM stage_%s ORDER BY %s, ctid DESC", keys, t->name,
		keys);
	if (store_upsert_sql(t, source, sql, sizeof(sql)) < 0) {
		snprintf(err, errlen, "postgresql: statement for %s too long", t->name);
		return -EIO;
	}
	return pg_exec(db, sql, err, errlen);
}

static int pg_load(void *p, const struct store_rowset *rows, char *err, size_t errlen)
{
	struct pg_db *db = p;
	char sql[256];
	PGresult *r;
	int ok;

	if (stage(db, rows->t, err, errlen) != 0)
		return -EIO;
	snprintf(sql, sizeof(sql), "COPY stage_%s FROM STDIN", rows->t->name);
	r = PQexec(db->conn, sql);
	ok = PQresultStatus(r) == PGRES_COPY_IN;
	PQclear(r);
	if (!ok) {
		say(err, errlen, db->conn, sql);
		return -EIO;
	}
	if (copy_rows(db, rows, err, errlen) != 0 || merge_staged(db, rows->t, err, errlen) != 0)
		return -EIO;
	/* a transaction may hold several batches: the next one stages afresh */
	snprintf(sql, sizeof(sql), "DELETE FROM stage_%s", rows->t->name);
	return pg_exec(db, sql, err, errlen);
}

static int pg_query(void *p, const char *sql, const char *const *params, unsigned nparams,
	prt_store_row_fn fn, void *arg, char *err, size_t errlen)
{
	struct pg_db *db = p;
	PGresult *r = PQexecParams(db->conn, sql, (int)nparams, NULL, params, NULL, NULL, 0);
	const char *vals[64];
	int ret = 0;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		say(err, errlen, db->conn, "query");
		return -EIO;
	}
	for (int row = 0; row < PQntuples(r) && ret == 0; row++) {
		int n = PQnfields(r) < 64 ? PQnfields(r) : 64;
		for (int c = 0; c < n; c++)
			vals[c] = PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
		ret = fn(arg, (unsigned)n, vals);
	}
	PQclear(r);
	return ret;
}

const struct store_backend_ops store_pg = {
	.name = "postgresql",
	.table_options = "",
	.columns_sql = "SELECT table_name, column_name FROM information_schema.columns "
		"WHERE table_schema = current_schema()",
	.connect = pg_connect,
	.exec = pg_exec,
	.create = pg_create,
	.load = pg_load,
	.query = pg_query,
	.disconnect = pg_disconnect,
};
