/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writer throughput: N results through prt_output_write() as the main lcore
 * hands them over, into one format's file, and optionally the event log
 * and the results store as a scan would feed them; timed on the monotonic
 * clock.
 *
 *     writer-bench FORMAT-LETTER N FILE [--event-log LOG] [--db URL]
 *     (e.g. writer-bench J 5000000 /tmp/x.ndjson --db /tmp/x.db)
 *
 * Prints "FORMAT N results in S s: R results/s, B bytes"; with --db also
 * "db N rows stored in S s: R rows/s, L lost" (the time until the writer
 * thread committed everything). profiling/bench_scale.py runs it (sections
 * "writers" and "store") several times and reports the median.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "prt_events.h"
#include "prt_output.h"
#include "prt_store.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Answers as a scan of 198.18.0.0/15 (the test range) x 1000 ports would
 * have them, one in seven open, a microsecond apart. */
static struct prt_result result(uint64_t i)
{
	return (struct prt_result){
		.addr = prt_addr_from_v4(0xc6120000u | ((uint32_t)(i * 2654435761u >> 8) & 0x1ffffu)),
		.port = (uint16_t)(1 + i % 1000),
		.proto = IPPROTO_TCP,
		.state = i % 7 == 0 ? PRT_STATE_OPEN : PRT_STATE_CLOSED,
		.reason = i % 7 == 0 ? PRT_REASON_SYN_ACK : PRT_REASON_RST,
		.ttl = 64,
		.ts = 1764201600000000000ULL + i * 1000,
	};
}

static void to_store(void *arg, const struct prt_result *r)
{
	prt_store_result(arg, r);
}

static void event_to_store(void *arg, uint64_t ts, const char *type, const char *line,
	size_t len)
{
	prt_store_event(arg, ts, type, line, len);
}

int main(int argc, char **argv)
{
	const struct prt_writer_ops *ops;
	struct prt_output_opts opts = {.version = "bench", .cmdline = "",
		.scans = {{"syn", IPPROTO_TCP, NULL}}, .nscans = 1};
	struct prt_output_summary sum = {0};
	struct prt_events ev = {0};
	struct prt_store *store = NULL;
	struct prt_store_stats stats = {0};
	struct prt_output out;
	const char *log = NULL, *db = NULL;
	char err[320];
	struct stat st;
	uint64_t n;
	double t0, t1, t2;

	for (int i = 4; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--event-log") == 0)
			log = argv[i + 1];
		else if (strcmp(argv[i], "--db") == 0)
			db = argv[i + 1];
	}
	if (argc < 4 || argc % 2 || (ops = prt_writer_find(argv[1][0])) == NULL ||
	    (n = strtoull(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: writer-bench J|L|C N FILE [--event-log LOG] [--db URL]\n");
		return 2;
	}
	if (prt_output_init(&out, &opts) != 0 || prt_output_add(&out, ops, argv[3]) != 0) {
		perror(argv[3]);
		return 1;
	}
	if (db != NULL) {
		struct prt_store_scan scan = {.id = "bench", .shard = "1/1", .cmdline = "",
			.version = "bench"};
		if (prt_store_open(&store, db, &scan, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s: %s\n", db, err);
			return 1;
		}
		out.sink = (struct prt_output_sink){.arg = store, .result = to_store};
	}
	if ((log != NULL || store != NULL) && prt_events_open(&ev, log, "bench", false) != 0) {
		perror(log);
		return 1;
	}
	if (store != NULL)
		prt_events_set_tap(&ev, event_to_store, store);
	out.events = ev.f != NULL ? &ev : NULL;

	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		struct prt_result r = result(i);
		if (prt_output_write(&out, &r) != 0) {
			fprintf(stderr, "write failed\n");
			return 1;
		}
	}
	if (prt_output_close(&out, &sum) != 0 || prt_events_close(&ev) != 0)
		return 1;
	t1 = now_s();
	if (store != NULL && prt_store_close(store, 1, "done", n, n, &stats, err, sizeof(err)) != 0)
		fprintf(stderr, "%s: %s\n", db, err);
	t2 = now_s();
	stat(argv[3], &st);
	printf("%s %llu results in %.3f s: %.0f results/s, %lld bytes\n", ops->flag,
		(unsigned long long)n, t1 - t0, (double)n / (t1 - t0), (long long)st.st_size);
	if (store != NULL)
		printf("db %llu rows stored in %.3f s: %.0f rows/s, %llu lost\n",
			(unsigned long long)stats.rows, t2 - t0, (double)stats.rows / (t2 - t0),
			(unsigned long long)stats.lost);
	return 0;
}
