/* SPDX-License-Identifier: BSD-3-Clause */
/* The event log (lib/output/output_events.c), into real files, read back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_events.h"
#include "prt_output.h"

#define TS 1764201600123000000ULL /* 2025-11-27T00:00:00.123Z */

static char path[64];

static int make_path(void **state)
{
	int fd;

	(void)state;
	strcpy(path, "/tmp/prt-events-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int remove_path(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static char *slurp(void)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	assert_non_null(f);
	assert_non_null(buf);
	buf[fread(buf, 1, (1 << 16) - 1, f)] = '\0';
	fclose(f);
	return buf;
}

/* every line is one JSON object (Python's parser says so) */
static void assert_every_line_parses(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "python3 -c 'import json, sys\n"
		 "for l in open(sys.argv[1], encoding=\"utf-8\"): assert type(json.loads(l)) is dict' "
		 "%s", path);
	assert_int_equal(system(cmd), 0);
}

static void scan_ids(void **state)
{
	char long_id[PRT_SCAN_ID_MAX + 2];

	(void)state;
	assert_true(prt_scan_id_valid("lab-1.daily:3_x"));
	assert_false(prt_scan_id_valid(""));
	assert_false(prt_scan_id_valid("a b"));
	assert_false(prt_scan_id_valid("a\"b"));
	assert_false(prt_scan_id_valid("../x/y"));
	memset(long_id, 'x', sizeof(long_id) - 1);
	long_id[PRT_SCAN_ID_MAX] = '\0';
	assert_true(prt_scan_id_valid(long_id));
	long_id[PRT_SCAN_ID_MAX] = 'x';
	long_id[PRT_SCAN_ID_MAX + 1] = '\0';
	assert_false(prt_scan_id_valid(long_id));
	assert_int_equal(prt_events_open(&(struct prt_events){0}, path, "a b", false), -EINVAL);
}

/* The event's head first, the fields as given, strings escaped whatever they hold. */
static void fields_and_escaping(void **state)
{
	struct prt_events ev;
	char *buf;

	(void)state;
	assert_int_equal(prt_events_open(&ev, path, "s1", false), 0);
	assert_true(prt_events_begin(&ev, TS, "warning"));
	prt_event_str(&ev, "message", "quote \" backslash \\ newline \n bad \xff end");
	prt_event_u64(&ev, "n", 18446744073709551615ULL);
	prt_event_num(&ev, "x", 0.5);
	prt_event_bool(&ev, "b", true);
	prt_events_end(&ev, true);
	assert_false(prt_events_begin(NULL, TS, "nothing")); /* no log: nothing to write */
	assert_int_equal(prt_events_close(&ev), 0);
	buf = slurp();
	assert_string_equal(buf, "{\"ts\":\"2025-11-27T00:00:00.123Z\",\"scan\":\"s1\","
		"\"event\":\"warning\",\"message\":\"quote \\\" backslash \\\\ newline \\u000a bad "
		"\\ufffd end\",\"n\":18446744073709551615,\"x\":0.500,\"b\":true}\n");
	free(buf);
	assert_every_line_parses();
}

/* Results: open ports and hosts up are events, other states are not; a
 * banner's service and certificate are, hostile text included. */
static void results_and_banners(void **state)
{
	struct prt_events ev;
	struct prt_result r = {.ts = TS, .addr = prt_addr_from_v4(0xc6130001), .port = 80, .proto = 6,
		.state = PRT_STATE_OPEN, .reason = PRT_REASON_SYN_ACK, .ttl = 64};
	struct prt_banner *b = calloc(1, sizeof(*b));
	char *buf;

	(void)state;
	assert_non_null(b);
	assert_int_equal(prt_events_open(&ev, path, "s2", false), 0);
	prt_events_result(&ev, &r);
	r.state = PRT_STATE_CLOSED;
	r.reason = PRT_REASON_RST;
	prt_events_result(&ev, &r);
	r = (struct prt_result){.ts = TS, .addr = prt_addr_from_v4(0xc6130002), .proto = 1,
		.state = PRT_STATE_UP, .reason = PRT_REASON_ECHO_REPLY, .ttl = 63};
	prt_events_result(&ev, &r);
	*b = (struct prt_banner){.ts = TS, .addr = prt_addr_from_v4(0xc6130001), .port = 443, .proto = 6,
		.has_svc = 1, .has_cert = 1};
	strcpy(b->svc.service, "http");
	strcpy(b->svc.tunnel, "ssl");
	strcpy(b->svc.product, "evil\"}\n{\"event\":\"forged");
	strcpy(b->cert.subject, "commonName=x\x01y");
	b->cert.ok = 1;
	prt_events_banner(&ev, b);
	assert_int_equal(prt_events_close(&ev), 0);
	buf = slurp();
	assert_non_null(strstr(buf, "\"event\":\"port_open\",\"ip\":\"198.19.0.1\",\"port\":80,"
		"\"proto\":\"tcp\",\"reason\":\"syn-ack\",\"ttl\":64}\n"));
	assert_null(strstr(buf, "reset"));
	assert_non_null(strstr(buf, "\"event\":\"host_up\",\"ip\":\"198.19.0.2\""));
	assert_non_null(strstr(buf, "\"event\":\"service\",\"ip\":\"198.19.0.1\",\"port\":443,"
		"\"proto\":\"tcp\",\"service\":\"http\",\"tunnel\":\"ssl\",\"product\":"
		"\"evil\\\"}\\u000a{\\\"event\\\":\\\"forged\""));
	assert_non_null(strstr(buf, "\"event\":\"certificate\""));
	assert_non_null(strstr(buf, "\"subject\":\"commonName=x\\u0001y\""));
	int lines = 0;
	for (char *p = buf; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 4);
	free(buf);
	free(b);
	assert_every_line_parses();
}

/* A full disk is reported at close, not lost. */
static void write_failure_is_reported(void **state)
{
	struct prt_events ev;

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	assert_int_equal(prt_events_open(&ev, "/dev/full", "s3", false), 0);
	for (int i = 0; i < 2000; i++) {
		assert_true(prt_events_begin(&ev, TS, "progress"));
		prt_event_u64(&ev, "i", (uint64_t)i);
		prt_events_end(&ev, false);
	}
	assert_int_equal(prt_events_close(&ev), -EIO);
	assert_int_equal(prt_events_open(&ev, "/nonexistent/dir/log", "s3", false), -ENOENT);
}

/* What a tap (the results store) gets: each event's line as the file has it. */
struct tapped {
	char lines[4096];
	char types[128];
	uint64_t last_ts;
};

static void tap(void *arg, uint64_t ts_ns, const char *type, const char *line, size_t len)
{
	struct tapped *t = arg;

	strncat(t->lines, line, len);
	strcat(t->lines, "\n");
	strcat(t->types, type);
	strcat(t->types, ",");
	t->last_ts = ts_ns;
}

/* A phase and the end into @p file (NULL: none), tapped into @p t. */
static void two_events(const char *file, struct tapped *t)
{
	struct prt_events ev;

	assert_int_equal(prt_events_open(&ev, file, "s3", false), 0);
	prt_events_set_tap(&ev, tap, t);
	assert_true(prt_events_begin(&ev, TS, "phase"));
	prt_event_str(&ev, "phase", "scan \"1\"");
	prt_events_end(&ev, true);
	assert_true(prt_events_begin(&ev, TS + 1, "scan_end"));
	prt_event_u64(&ev, "open", 3);
	prt_events_end(&ev, false);
	assert_int_equal(prt_events_close(&ev), 0);
}

static void tap_gets_the_files_lines(void **state)
{
	struct tapped *t = calloc(1, sizeof(*t)), *alone = calloc(1, sizeof(*alone));
	char *file;

	(void)state;
	assert_non_null(t);
	assert_non_null(alone);
	two_events(path, t);
	file = slurp();
	assert_string_equal(t->lines, file);
	assert_string_equal(t->types, "phase,scan_end,");
	assert_int_equal(t->last_ts, TS + 1);
	/* no file (--db without --event-log): the tap alone gets the same events */
	two_events(NULL, alone);
	assert_string_equal(alone->lines, file);
	free(file);
	free(t);
	free(alone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_ids),
		cmocka_unit_test_setup_teardown(fields_and_escaping, make_path, remove_path),
		cmocka_unit_test_setup_teardown(results_and_banners, make_path, remove_path),
		cmocka_unit_test(write_failure_is_reported),
		cmocka_unit_test_setup_teardown(tap_gets_the_files_lines, make_path, remove_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
