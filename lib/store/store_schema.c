/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The store's schema as data: each table's columns, key and merge rule. The
 * CREATE statements and the upserts both backends run are written from it,
 * so a column is added in one place. SQL here is what SQLite (>= 3.24) and
 * PostgreSQL (>= 9.5) both take: ON CONFLICT ... DO UPDATE, excluded.col,
 * CASE for the min/max merges (the two spell least/greatest differently).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store_backend.h"

#define KEY(n, ty) {n, ty, STORE_KEEP}
#define SET(n, ty) {n, ty, STORE_SET}

const struct store_table store_tables[STORE_NTABLES] = {
	[STORE_SCANS] = {"scans", 2, 11, {
		KEY("scan", STORE_TEXT), KEY("shard", STORE_TEXT),
		{"started_ns", STORE_INT, STORE_MIN}, {"ended_ns", STORE_INT, STORE_MAX},
		SET("status", STORE_TEXT), SET("cmdline", STORE_TEXT), SET("version", STORE_TEXT),
		SET("probes", STORE_INT), SET("replies", STORE_INT), SET("targets", STORE_INT),
		SET("ports", STORE_INT)}},
	/* host discovery's answers (-sn, -PR): up or down, and why */
	[STORE_HOSTS] = {"hosts", 2, 9, {
		KEY("scan", STORE_TEXT), KEY("ip", STORE_TEXT), SET("proto", STORE_INT),
		SET("state", STORE_TEXT), SET("reason", STORE_TEXT), SET("ttl", STORE_INT),
		SET("icmp_type", STORE_INT), SET("icmp_code", STORE_INT), SET("ts_ns", STORE_INT)}},
	[STORE_PORTS] = {"ports", 4, 10, {
		KEY("scan", STORE_TEXT), KEY("ip", STORE_TEXT), KEY("proto", STORE_INT),
		KEY("port", STORE_INT),
		SET("state", STORE_TEXT), SET("reason", STORE_TEXT), SET("ttl", STORE_INT),
		SET("icmp_type", STORE_INT), SET("icmp_code", STORE_INT), SET("ts_ns", STORE_INT)}},
	[STORE_SERVICES] = {"services", 4, 15, {
		KEY("scan", STORE_TEXT), KEY("ip", STORE_TEXT), KEY("proto", STORE_INT),
		KEY("port", STORE_INT),
		SET("name", STORE_TEXT), SET("product", STORE_TEXT), SET("version", STORE_TEXT),
		SET("info", STORE_TEXT), SET("hostname", STORE_TEXT), SET("ostype", STORE_TEXT),
		SET("devicetype", STORE_TEXT), SET("cpe", STORE_TEXT), SET("tunnel", STORE_TEXT),
		SET("method", STORE_TEXT), SET("ts_ns", STORE_INT)}},
	[STORE_CERTS] = {"certificates", 4, 20, {
		KEY("scan", STORE_TEXT), KEY("ip", STORE_TEXT), KEY("proto", STORE_INT),
		KEY("port", STORE_INT),
		SET("ok", STORE_INT), SET("error", STORE_TEXT), SET("tls_version", STORE_TEXT),
		SET("subject", STORE_TEXT), SET("issuer", STORE_TEXT), SET("san", STORE_TEXT),
		SET("not_before", STORE_TEXT), SET("not_after", STORE_TEXT),
		SET("key_type", STORE_TEXT), SET("key_bits", STORE_INT), SET("sig_alg", STORE_TEXT),
		SET("md5", STORE_TEXT), SET("sha1", STORE_TEXT), SET("ja4s", STORE_TEXT),
		SET("jarm", STORE_TEXT),
		SET("ts_ns", STORE_INT)}},
	/* what the server said, escaped as every format escapes it (prt_banner_escape) */
	[STORE_BANNERS] = {"banners", 4, 7, {
		KEY("scan", STORE_TEXT), KEY("ip", STORE_TEXT), KEY("proto", STORE_INT),
		KEY("port", STORE_INT),
		SET("probed", STORE_INT), SET("banner", STORE_TEXT), SET("ts_ns", STORE_INT)}},
	/* the event log's lines; seq orders a run's events within one nanosecond */
	[STORE_EVENTS] = {"events", 4, 6, {
		KEY("scan", STORE_TEXT), KEY("shard", STORE_TEXT), KEY("ts_ns", STORE_INT),
		KEY("seq", STORE_INT),
		SET("event", STORE_TEXT), SET("body", STORE_TEXT)}},
	/* -O's verdict on a host: the best guess and the rest as nmap lists them */
	[STORE_OS] = {"os", 2, 12, {
		KEY("scan", STORE_TEXT), KEY("ip", STORE_TEXT),
		SET("perfect", STORE_INT), SET("name", STORE_TEXT), SET("accuracy", STORE_INT),
		SET("device_type", STORE_TEXT), SET("cpe", STORE_TEXT), SET("guesses", STORE_TEXT),
		SET("distance", STORE_INT), SET("tries", STORE_INT), SET("fingerprint", STORE_TEXT),
		SET("ts_ns", STORE_INT)}},
};

/* Append to buf at *len; a too-small buffer leaves *len past cap. */
static void __attribute__((format(printf, 4, 5)))
add(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*len < cap ? buf + *len : NULL, *len < cap ? cap - *len : 0, fmt, ap);
	va_end(ap);
	*len += n > 0 ? (size_t)n : 0;
}

static void create_table(const struct store_table *t, const char *options, char *buf,
	size_t cap, size_t *len)
{
	add(buf, cap, len, "CREATE TABLE IF NOT EXISTS %s (", t->name);
	for (unsigned i = 0; i < t->ncol; i++)
		add(buf, cap, len, i ? ", %s %s" : "%s %s", t->col[i].name,
			t->col[i].type == STORE_INT ? "BIGINT" : "TEXT");
	add(buf, cap, len, ", PRIMARY KEY (");
	for (unsigned i = 0; i < t->nkey; i++)
		add(buf, cap, len, i ? ", %s" : "%s", t->col[i].name);
	add(buf, cap, len, "))%s;\n", options);
}

int store_schema_ddl(const char *table_options, char *buf, size_t cap)
{
	size_t len = 0;

	for (unsigned i = 0; i < STORE_NTABLES; i++)
		create_table(&store_tables[i], table_options, buf, cap, &len);
	return len < cap ? (int)len : -1;
}

int store_values_sql(const struct store_table *t, char *buf, size_t cap)
{
	size_t len = 0;
	char n[12];

	add(buf, cap, &len, "VALUES (");
	for (unsigned i = 0; i < t->ncol; i++) {
		snprintf(n, sizeof(n), "$%u", i + 1);
		add(buf, cap, &len, i ? ", %s" : "%s", n);
	}
	add(buf, cap, &len, ")");
	return len < cap ? (int)len : -1;
}

static void merge(const struct store_table *t, const struct store_column *c, char *buf,
	size_t cap, size_t *len)
{
	const char *op = c->merge == STORE_MIN ? "<" : ">";

	if (c->merge == STORE_SET) {
		add(buf, cap, len, "%s = excluded.%s", c->name, c->name);
		return;
	}
	add(buf, cap, len, "%s = CASE WHEN %s.", c->name, t->name);
	add(buf, cap, len, "%s IS NULL OR excluded.%s ", c->name, c->name);
	add(buf, cap, len, "%s %s.", op, t->name);
	add(buf, cap, len, "%s THEN excluded.%s ", c->name, c->name);
	add(buf, cap, len, "ELSE %s.%s END", t->name, c->name);
}

int store_upsert_sql(const struct store_table *t, const char *source, char *buf, size_t cap)
{
	size_t len = 0;
	bool first = true;

	add(buf, cap, &len, "INSERT INTO %s (", t->name);
	for (unsigned i = 0; i < t->ncol; i++)
		add(buf, cap, &len, i ? ", %s" : "%s", t->col[i].name);
	add(buf, cap, &len, ") %s ON CONFLICT (", source);
	for (unsigned i = 0; i < t->nkey; i++)
		add(buf, cap, &len, i ? ", %s" : "%s", t->col[i].name);
	add(buf, cap, &len, ") DO %s", t->nkey == t->ncol ? "NOTHING" : "UPDATE SET ");
	for (unsigned i = t->nkey; i < t->ncol; i++) {
		if (t->col[i].merge == STORE_KEEP)
			continue;
		if (!first)
			add(buf, cap, &len, ", ");
		merge(t, &t->col[i], buf, cap, &len);
		first = false;
	}
	return len < cap ? (int)len : -1;
}
