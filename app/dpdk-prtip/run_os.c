/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -O's phase, run after the port scan on its port and lcores (the TX
 * lcores send the tries, lib/pipeline's pipeline_os.c). Main hands out the
 * hosts, reads each try's fingerprint back, matches it, and gives the host
 * another try while no print matches perfectly, up to --max-os-tries (two
 * when the fingerprint is not good enough to submit), as nmap does; the
 * try with the best top accuracy is the one reported.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_random.h>

#include "run.h"
#include "run_os.h"

#define STOP_DRAIN_S 3.0  /* after a signal: the tries running end within this */

/* One host's state on main. */
struct os_host {
	struct prt_os_job job;
	bool random_closed;      /* no closed TCP port was found: a random one is used */
	bool done;
	uint32_t tries;
	double best;             /* the best try's top accuracy, -1 before any */
	struct prt_os_outcome *kept; /* that try */
};

struct os_run {
	struct prt_scan *scan;
	const struct prt_app_conf *c;
	struct prt_output *out;
	struct os_host *h;
	size_t n, submitted, finished;
	size_t *again;           /* hosts waiting for their next try */
	size_t nagain;
	uint64_t perfect, write_failed;
};

/* nmap's stand-in for a port it did not find: a random one in 30000-44780. */
static uint16_t random_port(void)
{
	return (uint16_t)(30000 + rte_rand_max(14781));
}

static int host_of(const struct os_run *r, uint32_t addr)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->h[mid].job.addr == addr)
			return (int)mid;
		if (r->h[mid].job.addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void report(struct os_run *r, struct os_host *h)
{
	struct prt_os_verdict v;
	struct prt_host_os os;
	char reason[96];

	h->done = true;
	r->finished++;
	if (h->kept == NULL || prt_run_os_judge(r->c->os_db, h->kept, &v) != 0)
		return; /* no try came back whole (interrupted) */
	prt_run_os_reason(&h->job, h->kept, r->c, h->random_closed, reason, sizeof(reason));
	prt_run_os_report(r->c->os_db, &h->job, h->kept, &v, reason, r->c->osscan_guess,
		h->tries, &os);
	if (h->random_closed) /* nmap names only a port the scan found */
		os.closed_tcp = 0;
	r->perfect += os.nperfect > 0;
	if (prt_output_os(r->out, &os) != 0)
		r->write_failed++;
}

/* A try ended: keep it if it is the best yet; another try, or the verdict. */
static void ended(struct os_run *r, const struct prt_os_outcome *o)
{
	int i = host_of(r, o->addr);
	struct os_host *h;
	struct prt_os_verdict v;
	uint32_t max_tries;
	char reason[96];

	if (i < 0 || r->h[i].done)
		return;
	h = &r->h[i];
	h->tries++;
	if (prt_run_os_judge(r->c->os_db, o, &v) == 0 && v.best > h->best) {
		if (h->kept == NULL)
			h->kept = malloc(sizeof(*h->kept));
		if (h->kept != NULL)
			*h->kept = *o;
		h->best = v.best;
	}
	prt_run_os_reason(&h->job, o, r->c, h->random_closed, reason, sizeof(reason));
	max_tries = reason[0] != '\0' && r->c->max_os_tries > 2 ? 2 : r->c->max_os_tries;
	if (h->best >= 1.0 || h->tries >= max_tries || prt_signals_stop_requested()) {
		report(r, h);
		return;
	}
	h->job.try_no++;
	r->again[r->nagain++] = (size_t)i;
}

/* Hand out what waits: new hosts, then hosts due another try. */
static void submit(struct os_run *r)
{
	while (r->nagain > 0 &&
	       prt_scan_os_submit(r->scan, &r->h[r->again[r->nagain - 1]].job) == 0)
		r->nagain--;
	while (r->submitted < r->n && prt_scan_os_submit(r->scan, &r->h[r->submitted].job) == 0)
		r->submitted++;
}

static int init_hosts(struct os_run *r, struct prt_os_candidates *oc)
{
	struct prt_os_job *jobs;

	r->n = prt_run_os_jobs(oc, r->c->osscan_limit, &jobs);
	r->h = calloc(r->n ? r->n : 1, sizeof(*r->h));
	r->again = calloc(r->n ? r->n : 1, sizeof(*r->again));
	if (r->h == NULL || r->again == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		struct os_host *h = &r->h[i];
		h->job = jobs[i];
		h->best = -1;
		h->random_closed = h->job.tcp_closed == 0;
		if (h->random_closed)
			h->job.tcp_closed = random_port();
		if (h->job.udp_closed == 0)
			h->job.udp_closed = random_port();
	}
	return 0;
}

static void free_run(struct os_run *r)
{
	for (size_t i = 0; i < r->n && r->h != NULL; i++)
		free(r->h[i].kept);
	free(r->h);
	free(r->again);
}

/* Main's loop: until every host has its verdict, or a signal and the drain. */
static void run_tries(struct os_run *r)
{
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t stop_at = UINT64_MAX;
	struct prt_os_outcome o[8];

	while (r->finished < r->n) {
		unsigned got = prt_scan_os_collect(r->scan, o, RTE_DIM(o));
		for (unsigned i = 0; i < got; i++)
			ended(r, &o[i]);
		if (prt_signals_stop_requested() && stop_at == UINT64_MAX) {
			__atomic_store_n(&r->scan->stop, 1, __ATOMIC_RELEASE);
			stop_at = rte_rdtsc() + (uint64_t)(STOP_DRAIN_S * (double)hz);
			fprintf(stderr, "dpdk-prtip: -O interrupted: finishing the tries under way\n");
		}
		if (stop_at != UINT64_MAX) {
			if (rte_rdtsc() >= stop_at)
				break;
		} else {
			submit(r);
		}
		if (got == 0)
			usleep(1000);
	}
	/* the hosts not finished get what their tries so far tell */
	for (size_t i = 0; i < r->n; i++)
		if (!r->h[i].done && r->h[i].tries > 0)
			report(r, &r->h[i]);
}

int prt_run_os(struct prt_scan *scan, const struct prt_app_conf *c, struct prt_output *out,
	struct prt_os_candidates *oc)
{
	struct os_run r = {.scan = scan, .c = c, .out = out};
	const uint64_t t0 = rte_rdtsc();
	int rc;

	if (init_hosts(&r, oc) != 0) {
		fprintf(stderr, "dpdk-prtip: -O: out of memory for the hosts\n");
		free_run(&r);
		return 0;
	}
	if (r.n == 0) {
		fprintf(stderr, "dpdk-prtip: -O: no host with an open TCP port%s: no OS detection\n",
			c->osscan_limit ? " and a closed one (--osscan-limit)" : "");
		free_run(&r);
		return 0;
	}
	rc = prt_scan_os_create(scan, c->source_ip, c->sport_base, c->sport_count,
		(uint32_t)r.n, (int)rte_socket_id());
	if (rc != 0) {
		fprintf(stderr, "dpdk-prtip: -O: %s\n", strerror(-rc));
		free_run(&r);
		return 0;
	}
	fprintf(stderr, "dpdk-prtip: OS detection of %zu host%s\n", r.n, r.n == 1 ? "" : "s");
	prt_run_phase_launch(scan, prt_os_tx_lcore_main);
	run_tries(&r);
	__atomic_store_n(&scan->phase, PRT_PHASE_DONE, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();
	prt_scan_os_free(scan);
	fprintf(stderr, "dpdk-prtip: OS detection: %zu host%s, %llu with an exact match, in "
			"%.2f s (%llu probes, %llu answers)\n", r.finished, r.finished == 1 ? "" : "s",
		(unsigned long long)r.perfect, (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz(),
		(unsigned long long)scan->os_probes, (unsigned long long)scan->os_answers);
	if (r.write_failed)
		fprintf(stderr, "dpdk-prtip: -O: %llu host%s not written (out of memory or disk)\n",
			(unsigned long long)r.write_failed, r.write_failed == 1 ? "" : "s");
	free_run(&r);
	return prt_signals_stop_requested() ? PRT_EXIT_INTERRUPTED : 0;
}
