/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_output.h"

#define TS 1764201600123000000ULL /* 2025-11-27T00:00:00.123Z */

static const struct prt_result open80 = {.ts = TS, .ip = 0xc6130001, .port = 80, .proto = 6,
	.state = PRT_STATE_OPEN, .reason = PRT_REASON_SYN_ACK, .ttl = 64};
static const struct prt_result icmp22 = {.ts = TS, .ip = 0xc6130001, .port = 22, .proto = 6,
	.state = PRT_STATE_FILTERED, .reason = PRT_REASON_ICMP, .icmp_type = 3, .icmp_code = 13,
	.ttl = 250};
static const struct prt_result closed = {.ts = TS, .ip = 0xc6130001, .port = 23, .proto = 6,
	.state = PRT_STATE_CLOSED, .reason = PRT_REASON_RST, .ttl = 64};
static const struct prt_result silent = {.ts = TS, .ip = 0xc6130002, .port = 80, .proto = 6,
	.state = PRT_STATE_FILTERED, .reason = PRT_REASON_NO_RESPONSE};

static char *run_writer(const struct prt_writer_ops *ops, const struct prt_output_opts *opts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	void *st = ops->open(f, opts);
	struct prt_output_summary sum = {.ips = 2, .ports = 3, .probes = 6, .replies = 3,
		.state_count = {1, 1, 2}, .start_ns = TS, .send_end_ns = TS + 500000000ULL,
		.end_ns = TS + 2000000000ULL};

	assert_non_null(st);
	assert_int_equal(ops->write(st, f, &open80), 0);
	assert_int_equal(ops->write(st, f, &icmp22), 0);
	assert_int_equal(ops->write(st, f, &closed), 0);
	assert_int_equal(ops->write(st, f, &silent), 0);
	assert_int_equal(ops->close(st, f, &sum), 0);
	fclose(f);
	return buf;
}

static void ndjson_lines(void **state)
{
	struct prt_output_opts opts = {0};
	char *out = run_writer(&prt_writer_ndjson, &opts);

	(void)state;
	assert_non_null(strstr(out, "{\"ip\":\"198.19.0.1\",\"port\":80,\"proto\":\"tcp\","
		"\"state\":\"open\",\"reason\":\"syn-ack\",\"ttl\":64,"
		"\"ts\":\"2025-11-27T00:00:00.123Z\"}\n"));
	assert_non_null(strstr(out, "\"port\":22,\"proto\":\"tcp\",\"state\":\"filtered\","
		"\"reason\":\"icmp-3-13\",\"ttl\":250"));
	assert_non_null(strstr(out, "\"state\":\"filtered\",\"reason\":\"no-response\",\"ttl\":0"));
	int lines = 0;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 4);
	free(out);
}

static void masscan_list(void **state)
{
	struct prt_output_opts opts = {0};
	char *out = run_writer(&prt_writer_list, &opts);

	(void)state;
	assert_string_equal(out, "#masscan\n"
		"open tcp 80 198.19.0.1 1764201600\n"
		"filtered tcp 22 198.19.0.1 1764201600\n"
		"closed tcp 23 198.19.0.1 1764201600\n"
		"filtered tcp 80 198.19.0.2 1764201600\n"
		"# end\n");
	free(out);
}

static void text_table(void **state)
{
	struct prt_output_opts opts = {0};
	char *out = run_writer(&prt_writer_text, &opts);

	(void)state;
	assert_non_null(strstr(out, "Scan report for 198.19.0.1\n"
		"Not shown: 1 filtered tcp port (icmp-3-13), 1 closed tcp port (rst)\n"
		"PORT        STATE         REASON\n"
		"80/tcp      open          syn-ack ttl 64\n"));
	assert_null(strstr(out, "198.19.0.2\n"));
	assert_non_null(strstr(out, "1 host did not answer"));
	assert_non_null(strstr(out, "Scan done: 2 IPs x 3 ports, 6 probes, 3 replies: 1 open, "
		"1 closed, 2 filtered in 2.00 s (sending 0.50 s, 12 probes/s)"));
	free(out);

	opts.only_open = true;
	out = run_writer(&prt_writer_text, &opts);
	assert_null(strstr(out, "Not shown"));
	assert_non_null(strstr(out, "80/tcp      open"));
	free(out);
}

/* A FIN scan: host .1 drops 3 ports (open|filtered, listed) and resets 40;
 * host .2 drops 30 (more than nmap lists: summarised); host .3 is silent. */
static void text_table_stealth_states(void **state)
{
	struct prt_output_opts opts = {0};
	struct prt_output_summary sum = {.ips = 3, .ports = 43};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	void *st = prt_writer_text.open(f, &opts);
	struct prt_result r = {.ts = TS, .proto = 6, .ttl = 64};

	(void)state;
	/* as the scan delivers them: every reply first, then the silent pairs */
	for (int silent = 0; silent <= 1; silent++)
		for (uint16_t port = 1; port <= 43; port++) {
			for (uint32_t host = 1; host <= 2; host++) {
				bool dropped = port <= (host == 1 ? 3 : 30);
				if (dropped != (silent == 1))
					continue;
				r.ip = 0xc6130000 + host;
				r.port = port;
				r.state = dropped ? PRT_STATE_OPEN_FILTERED : PRT_STATE_CLOSED;
				r.reason = dropped ? PRT_REASON_NO_RESPONSE : PRT_REASON_RST;
				assert_int_equal(prt_writer_text.write(st, f, &r), 0);
			}
		}
	r = (struct prt_result){.ts = TS, .ip = 0xc6130003, .port = 1, .proto = 6,
		.state = PRT_STATE_OPEN_FILTERED, .reason = PRT_REASON_NO_RESPONSE};
	assert_int_equal(prt_writer_text.write(st, f, &r), 0);
	sum.state_count[PRT_STATE_OPEN_FILTERED] = 34;
	sum.state_count[PRT_STATE_CLOSED] = 53;
	assert_int_equal(prt_writer_text.close(st, f, &sum), 0);
	fclose(f);
	assert_non_null(strstr(buf, "Scan report for 198.19.0.1\n"
		"Not shown: 40 closed tcp ports (rst)\n"
		"PORT        STATE         REASON\n"
		"1/tcp       open|filtered no-response\n"
		"2/tcp       open|filtered no-response\n"
		"3/tcp       open|filtered no-response\n"));
	assert_non_null(strstr(buf, "Scan report for 198.19.0.2\n"
		"Not shown: 13 closed tcp ports (rst), 30 open|filtered tcp ports (no-response)\n"
		"\n"));
	assert_non_null(strstr(buf, "1 host did not answer on any scanned port "
		"(all open|filtered, not listed)"));
	assert_non_null(strstr(buf, "53 closed, 0 filtered, 34 open|filtered in"));
	free(buf);
}

static void unwritable_path_and_discard(void **state)
{
	struct prt_output_opts opts = {0};
	struct prt_output out;
	char path[] = "/tmp/prt-out-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	close(fd);
	unlink(path);
	prt_output_init(&out, &opts);
	assert_int_equal(prt_output_add(&out, &prt_writer_ndjson, "/nonexistent/dir/x"), -ENOENT);
	assert_int_equal(prt_output_add(&out, &prt_writer_list, path), 0);
	assert_int_equal(access(path, F_OK), 0);
	prt_output_discard(&out);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_ptr_equal(prt_writer_find('J'), &prt_writer_ndjson);
	assert_ptr_equal(prt_writer_find('L'), &prt_writer_list);
	assert_null(prt_writer_find('Q'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ndjson_lines),
		cmocka_unit_test(masscan_list),
		cmocka_unit_test(text_table),
		cmocka_unit_test(text_table_stealth_states),
		cmocka_unit_test(unwritable_path_and_discard),
	};
	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
