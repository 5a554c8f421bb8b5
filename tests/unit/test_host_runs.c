/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host table under a budget (Internet mode): spilled to sorted runs on
 * disk and merged at the end, the nmap formats print exactly what an
 * unbounded table prints, and a checkpoint taken with runs on disk restores
 * the same hosts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_output.h"

#define TS 1764201600123000000ULL
#define HOSTS 3000u
#define PORTS 40u

static const struct prt_output_summary summary = {.ips = 65536, .ports = PORTS,
	.start_ns = TS, .send_end_ns = TS + 500000000ULL, .end_ns = TS + 2000000000ULL};

static char *tmp_path(void)
{
	char path[] = "/tmp/prt-runs-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	return strdup(path);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	long n;
	char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* Result i of the scan, in a scattered order: every host's answers are
 * spread over the whole scan, so they land in many runs. Some hosts answer
 * with many closed ports (summarised), some open ports, some ICMP. */
static struct prt_result result_at(uint32_t i)
{
	uint32_t x = i * 2654435761u % (HOSTS * PORTS);
	uint32_t host = x % HOSTS, port = 1 + x / HOSTS;
	struct prt_result r = {.ts = TS + i, .proto = 6, .ttl = 64, .port = (uint16_t)port,
		.addr = prt_addr_from_v4(0xc6120000 + host * 7)};

	if ((host + port) % 9 == 0) {
		r.state = PRT_STATE_OPEN;
		r.reason = PRT_REASON_SYN_ACK;
	} else if (host % 5 == 0) {
		r.state = PRT_STATE_FILTERED;
		r.reason = PRT_REASON_ICMP;
		r.icmp_type = 3;
		r.icmp_code = 13;
	} else {
		r.state = PRT_STATE_CLOSED;
		r.reason = PRT_REASON_RST;
	}
	return r;
}

static struct prt_banner banner_of(uint32_t host)
{
	struct prt_banner b = {.ts = TS, .addr = prt_addr_from_v4(0xc6120000 + host * 7),
		.port = 9, .proto = 6};

	b.len = (uint16_t)snprintf((char *)b.data, sizeof(b.data), "SSH-2.0-host%u", host);
	return b;
}

struct writers {
	struct prt_output out;
	char *path[3];
};

static void open_writers(struct writers *w, size_t host_memory)
{
	struct prt_output_opts opts = {.version = "9.9", .cmdline = "dpdk-prtip -- runs",
		.scans = {{"syn", 6, NULL}}, .nscans = 1, .start_ns = TS, .host_memory = host_memory};
	const struct prt_writer_ops *ops[3] = {&prt_writer_normal, &prt_writer_xml,
		&prt_writer_grepable};

	assert_int_equal(prt_output_init(&w->out, &opts), 0);
	for (int i = 0; i < 3; i++) {
		w->path[i] = tmp_path();
		assert_int_equal(prt_output_add(&w->out, ops[i], w->path[i]), 0);
	}
}

/* Results [from, to) and a banner for every tenth host on the way. */
static void feed(struct writers *w, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		struct prt_result r = result_at(i);
		assert_int_equal(prt_output_write(&w->out, &r), 0);
		if (i % (PORTS * 10) == 0) {
			struct prt_banner b = banner_of(i / PORTS);
			assert_int_equal(prt_output_banner(&w->out, &b), 0);
		}
	}
}

/* Close both sets and compare every file. */
static void same_files(struct writers *a, struct writers *b)
{
	assert_int_equal(prt_output_close(&a->out, &summary), 0);
	assert_int_equal(prt_output_close(&b->out, &summary), 0);
	for (int i = 0; i < 3; i++) {
		char *ta = slurp(a->path[i]), *tb = slurp(b->path[i]);
		assert_true(strlen(ta) > 100000);
		assert_string_equal(ta, tb);
		free(ta);
		free(tb);
		unlink(a->path[i]);
		unlink(b->path[i]);
		free(a->path[i]);
		free(b->path[i]);
	}
}

/* Past its budget the table goes to disk, more than PRT_HOST_RUNS_MAX times
 * (so runs are merged on the way), yet prints what the unbounded one prints. */
static void spilled_table_prints_the_same(void **state)
{
	struct writers a, b;
	const size_t budget = 1 << 20;

	(void)state;
	open_writers(&a, 0);
	open_writers(&b, budget);
	for (uint32_t i = 0; i < HOSTS * PORTS; i += PORTS * 50) {
		feed(&a, i, i + PORTS * 50);
		feed(&b, i, i + PORTS * 50);
		assert_true(prt_hosts_bytes(prt_output_hosts(&b.out)) <= budget);
	}
	print_message("%llu spills, %u runs left\n",
		(unsigned long long)prt_output_hosts(&b.out)->spills, prt_output_hosts(&b.out)->nruns);
	assert_true(prt_output_hosts(&b.out)->spills > PRT_HOST_RUNS_MAX);
	assert_true(prt_hosts_bytes(prt_output_hosts(&a.out)) > 2 * budget);
	same_files(&a, &b);
}

/* A checkpoint taken with runs on disk holds every host once: restored into
 * an unbounded table, the scan's second half gives the same files. */
static void checkpoint_with_runs(void **state)
{
	struct writers a, b, c;
	FILE *ck = tmpfile();
	const uint32_t half = HOSTS * PORTS / 2;

	(void)state;
	open_writers(&a, 0);
	open_writers(&b, 1 << 20);
	feed(&a, 0, HOSTS * PORTS);
	feed(&b, 0, half);
	assert_true(prt_output_hosts(&b.out)->nruns > 0);
	assert_int_equal(prt_hosts_save(prt_output_hosts(&b.out), ck), 0);
	/* the scan goes on after its checkpoint, and its own files are the same */
	feed(&b, half, HOSTS * PORTS);
	rewind(ck);
	open_writers(&c, 0);
	assert_int_equal(prt_hosts_restore(prt_output_hosts(&c.out), ck), 0);
	feed(&c, half, HOSTS * PORTS);
	fclose(ck);
	struct writers a2;
	open_writers(&a2, 0);
	feed(&a2, 0, HOSTS * PORTS);
	same_files(&a, &b);
	same_files(&a2, &c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spilled_table_prints_the_same),
		cmocka_unit_test(checkpoint_with_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
