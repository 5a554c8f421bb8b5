/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The results store (lib/store) on a real SQLite file: rows as the schema
 * says, upserts (a run again stores nothing twice, the last answer wins),
 * banners with their service and certificate, events, -O's verdicts, the
 * run's row, a
 * reader that makes no file, a store of an earlier version given the new columns, and rows it could not store counted and
 * reported. PostgreSQL is tested end to end in dts/tests/TestSuite_store.py
 * against a server the test starts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cmocka_common.h"
#include "prt_output.h"
#include "prt_store.h"
#include "store_backend.h"

static char path[64];

static int make_path(void **state)
{
	(void)state;
	snprintf(path, sizeof(path), "/tmp/prt-store-%d.db", getpid());
	return 0;
}

static int remove_path(void **state)
{
	char side[80];

	(void)state;
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return 0;
}

static struct prt_result result(uint32_t ip, uint16_t port, uint8_t state, uint8_t reason)
{
	return (struct prt_result){.ts = 1000 + port, .addr = prt_addr_from_v4(ip), .port = port,
		.proto = 6, .state = state, .reason = reason, .ttl = 64};
}

static struct prt_store *open_run(const char *id, const char *shard)
{
	struct prt_store_scan scan = {.id = id, .shard = shard, .start_ns = 5, .cmdline = "x",
		.version = "0.1", .targets = 2, .ports = 3};
	struct prt_store *s = NULL;
	char err[256];

	assert_int_equal(prt_store_open(&s, path, &scan, err, sizeof(err)), 0);
	return s;
}

/* The first column of the query's only row, as text. */
static int first_value(void *arg, unsigned n, const char *const *v)
{
	(void)n;
	snprintf(arg, 256, "%s", v[0] != NULL ? v[0] : "NULL");
	return 0;
}

static const char *query1(const char *sql)
{
	static char got[256];
	struct prt_store *s;
	char err[256];

	assert_int_equal(prt_store_open(&s, path, NULL, err, sizeof(err)), 0);
	strcpy(got, "none");
	assert_int_equal(prt_store_query(s, sql, NULL, 0, first_value, got, err, sizeof(err)), 0);
	prt_store_close_reader(s);
	return got;
}

static void schema_sql(void **state)
{
	char sql[4096];

	(void)state;
	assert_true(store_upsert_sql(&store_tables[STORE_SCANS], "VALUES (1)", sql,
			    sizeof(sql)) > 0);
	/* the earliest start and the latest end of every run of a shard */
	assert_non_null(strstr(sql, "ON CONFLICT (scan, shard) DO UPDATE SET started_ns = CASE "
				    "WHEN scans.started_ns IS NULL OR excluded.started_ns < "
				    "scans.started_ns THEN excluded.started_ns ELSE scans.started_ns END"));
	assert_non_null(strstr(sql, "status = excluded.status"));
	assert_int_equal(store_upsert_sql(&store_tables[STORE_PORTS], "V", sql, 40), -1);
	assert_true(store_values_sql(&store_tables[STORE_HOSTS], sql, sizeof(sql)) > 0);
	assert_string_equal(sql, "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
	assert_true(store_schema_ddl(" WITHOUT ROWID", sql, sizeof(sql)) > 0);
	assert_non_null(strstr(sql, "CREATE TABLE IF NOT EXISTS certificates (scan TEXT, "));
	assert_non_null(strstr(sql, "PRIMARY KEY (scan, ip, proto, port)) WITHOUT ROWID;"));
	assert_int_equal(store_schema_ddl("", sql, 100), -1);
	assert_true(prt_store_url_is_pg("postgresql://u@h/db"));
	assert_true(prt_store_url_is_pg("postgres:///db?host=/tmp"));
	assert_false(prt_store_url_is_pg("/var/lib/dpdk-prtip/scans.db"));
}

static void results_are_upserted(void **state)
{
	struct prt_store_stats st;
	struct prt_store *s;
	char err[256];
	struct prt_result r;

	(void)state;
	for (int run = 0; run < 2; run++) { /* the same scan stored twice: no row twice */
		s = open_run("s1", "1/1");
		r = result(0xC6130001, 22, PRT_STATE_OPEN, PRT_REASON_SYN_ACK);
		prt_store_result(s, &r);
		r = result(0xC6130001, 81, PRT_STATE_FILTERED, PRT_REASON_NO_RESPONSE);
		prt_store_result(s, &r);
		/* a retry's answer for the same pair comes later and wins */
		r = result(0xC6130001, 81, PRT_STATE_CLOSED, PRT_REASON_RST);
		prt_store_result(s, &r);
		r = result(0xC6130002, 0, PRT_STATE_UP, PRT_REASON_ECHO_REPLY);
		r.proto = 1;
		prt_store_result(s, &r);
		assert_int_equal(prt_store_close(s, 99, "done", 7, 3, &st, err, sizeof(err)), 0);
		assert_int_equal(st.lost, 0);
		assert_int_equal(st.rows, 4);
	}
	assert_string_equal(query1("SELECT COUNT(*) FROM ports"), "2");
	assert_string_equal(query1("SELECT state || ' ' || reason FROM ports WHERE port = 81"),
		"closed reset");
	assert_string_equal(query1("SELECT ip || ' ' || state || ' ' || reason FROM hosts"),
		"198.19.0.2 up echo-reply");
	assert_string_equal(query1("SELECT started_ns || ' ' || ended_ns || ' ' || status || ' ' "
				   "|| probes || ' ' || targets FROM scans"), "5 99 done 7 2");
}

static void run_events(struct prt_store *s)
{
	static const char line[] = "{\"event\":\"scan_start\"}";

	prt_store_event(s, 10, "scan_start", line, strlen(line));
	prt_store_event(s, 10, "phase", line, strlen(line));
	prt_store_event(s, 11, "scan_end", line, strlen(line));
}

static void banners_services_certificates_events(void **state)
{
	struct prt_banner *b = calloc(1, sizeof(*b));
	struct prt_store *s;
	char err[256];

	(void)state;
	assert_non_null(b);
	s = open_run("s2", "2/4");
	b->addr = prt_addr_from_v4(0xC6130005);
	b->port = 443;
	b->proto = 6;
	memcpy(b->data, "SSH-2.0\r\n\x01\\", 11);
	b->len = 11;
	b->has_svc = 1;
	strcpy(b->svc.service, "http");
	strcpy(b->svc.product, "nginx");
	strcpy(b->svc.tunnel, "ssl");
	strcpy(b->svc.cpe[0], "cpe:/a:igor_sysoev:nginx");
	strcpy(b->svc.cpe[1], "cpe:/o:linux:linux_kernel");
	b->svc.ncpe = 2;
	b->has_cert = 1;
	b->cert.ok = 1;
	strcpy(b->cert.subject, "commonName=tls\ttab");
	strcpy(b->cert.not_after, "2027-01-01T00:00:00");
	strcpy(b->cert.jarm, "07d14d16d21d21d00007d14d07d21d0ae59125bcd90b8876b50928af8f6cd4");
	prt_store_banner(s, b);
	run_events(s);
	assert_int_equal(prt_store_close(s, 20, "interrupted", 1, 1, NULL, err, sizeof(err)), 0);
	assert_string_equal(query1("SELECT banner FROM banners"), "SSH-2.0\\r\\n\\x01\\\\");
	assert_string_equal(query1("SELECT tunnel || '/' || name || ' ' || product || ' ' || cpe "
				   "|| ' ' || method FROM services"),
		"ssl/http nginx cpe:/a:igor_sysoev:nginx cpe:/o:linux:linux_kernel hard");
	assert_string_equal(query1("SELECT subject || '|' || not_after || '|' || "
				   "COALESCE(error, 'no error') || '|' || jarm FROM certificates"),
		"commonName=tls\ttab|2027-01-01T00:00:00|no error|"
		"07d14d16d21d21d00007d14d07d21d0ae59125bcd90b8876b50928af8f6cd4");
	assert_string_equal(query1("SELECT group_concat(event, ',') FROM (SELECT event FROM "
				   "events WHERE scan = 's2' ORDER BY ts_ns, seq)"),
		"scan_start,phase,scan_end");
	assert_string_equal(query1("SELECT shard || ' ' || status FROM scans WHERE scan = 's2'"),
		"2/4 interrupted");
	free(b);
}

static void os_verdicts(void **state)
{
	struct prt_host_os *os = calloc(2, sizeof(*os));
	struct prt_store *s;
	char err[256];

	(void)state;
	assert_non_null(os);
	os[0].addr = prt_addr_from_v4(0xC6130005);
	os[0].distance = 1;
	os[0].tries = 5;
	os[0].nmatches = 2;
	strcpy(os[0].m[0].name, "Linux 5.3 - 5.4");
	os[0].m[0].accuracy = 0.96;
	os[0].m[0].nclasses = 2;
	strcpy(os[0].m[0].c[0].type, "general purpose");
	strcpy(os[0].m[0].c[0].cpe, "cpe:/o:linux:linux_kernel:5");
	strcpy(os[0].m[0].c[1].cpe, "cpe:/o:linux:linux_kernel:5");
	strcpy(os[0].m[1].name, "AXIS 210A");
	os[0].m[1].accuracy = 0.94;
	strcpy(os[0].fingerprint, "OS:SCAN(V=0.1.0)\n");
	os[1].addr = prt_addr_from_v4(0xC6130006); /* tried, nothing near enough */
	os[1].distance = -1;
	os[1].tries = 2;
	s = open_run("s3", "1/1");
	prt_store_os(s, &os[0]);
	prt_store_os(s, &os[1]);
	assert_int_equal(prt_store_close(s, 20, "done", 1, 1, NULL, err, sizeof(err)), 0);
	assert_string_equal(query1("SELECT name || '|' || accuracy || '|' || device_type || '|' ||"
				   " cpe || '|' || guesses || '|' || distance || '|' || perfect "
				   "FROM os WHERE ip = '198.19.0.5'"),
		"Linux 5.3 - 5.4|96|general purpose|cpe:/o:linux:linux_kernel:5|Linux 5.3 - 5.4 "
		"(96%); AXIS 210A (94%)|1|0");
	assert_string_equal(query1("SELECT COALESCE(name, 'none') || '|' || "
				   "COALESCE(distance, 'unknown') || '|' || tries || '|' || "
				   "COALESCE(fingerprint, 'no print') FROM os WHERE ip = '198.19.0.6'"),
		"none|unknown|2|no print");
	free(os);
}

static void reader_makes_no_file(void **state)
{
	struct prt_store *s;
	char err[256] = "";

	(void)state;
	assert_int_equal(prt_store_open(&s, path, NULL, err, sizeof(err)), -EIO);
	assert_null(s);
	assert_non_null(strstr(err, "unable to open"));
	assert_int_equal(access(path, F_OK), -1);
}

/* A table gone under a running store: its rows are lost, counted and reported. */
static void lost_rows_are_reported(void **state)
{
	struct prt_store_stats st;
	struct prt_store *s = open_run("s3", "1/1");
	struct prt_result r = result(0xC6130001, 22, PRT_STATE_OPEN, PRT_REASON_SYN_ACK);
	sqlite3 *other;
	char err[256] = "";

	(void)state;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	sqlite3_busy_timeout(other, 5000);
	assert_int_equal(sqlite3_exec(other, "DROP TABLE ports", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	for (int i = 0; i < 10; i++)
		prt_store_result(s, &r);
	assert_int_equal(prt_store_close(s, 30, "done", 10, 10, &st, err, sizeof(err)), -EIO);
	assert_int_equal(st.lost, 10);
	assert_non_null(strstr(err, "10 rows could not be stored"));
	assert_non_null(strstr(err, "ports"));
}

/* The certificates table as the version before --jarm made it, with a row. */
static void a_store_of_an_earlier_version_is_upgraded(void **state)
{
	struct prt_banner *b = calloc(1, sizeof(*b));
	struct prt_store *s;
	sqlite3 *h;
	char err[256];

	(void)state;
	assert_non_null(b);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE certificates (scan TEXT, ip TEXT, "
		"proto BIGINT, port BIGINT, ok BIGINT, error TEXT, tls_version TEXT, subject TEXT, "
		"issuer TEXT, san TEXT, not_before TEXT, not_after TEXT, key_type TEXT, "
		"key_bits BIGINT, sig_alg TEXT, md5 TEXT, sha1 TEXT, ja4s TEXT, ts_ns BIGINT, "
		"PRIMARY KEY (scan, ip, proto, port)) WITHOUT ROWID; INSERT INTO certificates "
		"(scan, ip, proto, port, ok, subject) VALUES ('old', '198.19.0.1', 6, 443, 1, 'x')",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	s = open_run("new", "1/1");
	b->addr = prt_addr_from_v4(0xC6130005);
	b->port = 443;
	b->proto = 6;
	b->has_cert = 1;
	b->cert.ok = 1;
	strcpy(b->cert.jarm, "2ad00041d13b00000042d46d000000a556d363033c73cfffc1e0581c9f2f90");
	prt_store_banner(s, b);
	assert_int_equal(prt_store_close(s, 20, "done", 1, 1, NULL, err, sizeof(err)), 0);
	assert_string_equal(query1("SELECT group_concat(scan || ':' || COALESCE(jarm, 'none'), "
				   "' ') FROM (SELECT * FROM certificates ORDER BY scan)"),
		"new:2ad00041d13b00000042d46d000000a556d363033c73cfffc1e0581c9f2f90 old:none");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schema_sql),
		cmocka_unit_test_setup_teardown(results_are_upserted, make_path, remove_path),
		cmocka_unit_test_setup_teardown(banners_services_certificates_events, make_path,
			remove_path),
		cmocka_unit_test_setup_teardown(os_verdicts, make_path, remove_path),
		cmocka_unit_test_setup_teardown(reader_makes_no_file, make_path, remove_path),
		cmocka_unit_test_setup_teardown(lost_rows_are_reported, make_path, remove_path),
		cmocka_unit_test_setup_teardown(a_store_of_an_earlier_version_is_upgraded, make_path,
			remove_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
