/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writer throughput: N results through prt_output_write() into one format's
 * file, as the main lcore hands them over, timed on the monotonic clock.
 *
 *     writer-bench FORMAT-LETTER N FILE     (e.g. writer-bench J 5000000 /tmp/x.ndjson)
 *
 * Prints "FORMAT N results in S s: R results/s, B bytes". profiling/bench.py
 * runs it (section "writers") several times and reports the median.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "prt_output.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct prt_writer_ops *ops;
	struct prt_output_opts opts = {.version = "bench", .cmdline = "",
		.scans = {{"syn", IPPROTO_TCP, NULL}}, .nscans = 1};
	struct prt_output_summary sum = {0};
	struct prt_output out;
	struct stat st;
	uint64_t n;
	double t0, t1;

	if (argc != 4 || (ops = prt_writer_find(argv[1][0])) == NULL ||
	    (n = strtoull(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: writer-bench J|L|C N FILE\n");
		return 2;
	}
	if (prt_output_init(&out, &opts) != 0 || prt_output_add(&out, ops, argv[3]) != 0) {
		perror(argv[3]);
		return 1;
	}
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		/* answers as a scan of 198.18.0.0/15 (the test range) x a few ports would have them,
		 * a new second of timestamps every million */
		struct prt_result r = {
			.addr = prt_addr_from_v4(0xc6120000u | ((uint32_t)(i * 2654435761u >> 8) & 0x1ffffu)),
			.port = (uint16_t)(1 + i % 1000),
			.proto = IPPROTO_TCP,
			.state = i % 7 == 0 ? PRT_STATE_OPEN : PRT_STATE_CLOSED,
			.reason = i % 7 == 0 ? PRT_REASON_SYN_ACK : PRT_REASON_RST,
			.ttl = 64,
			.ts = 1764201600000000000ULL + i * 1000,
		};
		if (prt_output_write(&out, &r) != 0) {
			fprintf(stderr, "write failed\n");
			return 1;
		}
	}
	if (prt_output_close(&out, &sum) != 0)
		return 1;
	t1 = now_s();
	stat(argv[3], &st);
	printf("%s %llu results in %.3f s: %.0f results/s, %lld bytes\n", ops->flag,
		(unsigned long long)n, t1 - t0, (double)n / (t1 - t0), (long long)st.st_size);
	return 0;
}
