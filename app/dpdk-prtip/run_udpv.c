/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV over UDP's phase, run after the port scan on its port and lcores
 * (lib/pipeline's pipeline_udpv.c sends, lib/service's prt_udp_version.h
 * decides). The ports go in windows of WINDOW, so memory stays flat however
 * many open|filtered pairs a scan leaves: each window's ports are handed to
 * the TX lcores, their answers matched as they come, and a port is named as
 * soon as nmap's sequential walk would have named it; the rest get their
 * verdict when the window's wait (the scan's measured timeout, at most
 * --wait) after its last probe is over.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "prt_udp_version.h"
#include "run.h"
#include "run_udpv.h"

#define WINDOW 65536

struct prt_udpv_candidates {
	struct prt_udpv_job *open; /* the open ports the port scan found */
	size_t n, cap;
	bool failed;
	bool probing;              /* the phase runs: what it finds is not noted again */
};

/* A port of the window. */
struct wport {
	struct prt_udpv_job job;
	bool was_open;             /* the port scan found it open */
	bool decided;
	struct prt_udpv_answers a;
};

struct udpv_run {
	struct prt_scan *scan;
	const struct prt_app_conf *c;
	struct prt_output *out;
	struct prt_udpv *u;
	prt_udpv_found_fn found;
	void *ctx;
	struct wport *w;
	size_t n;                  /* ports in the window */
	size_t next_open;          /* the candidates' cursor */
	uint64_t next_pair;        /* the silent pairs' cursor */
	uint64_t ports, answered, named, write_failed;
};

struct prt_udpv_candidates *prt_run_udpv_candidates(const struct prt_app_conf *c)
{
	struct prt_udpv_candidates *uc;

	if (!c->version_udp)
		return NULL;
	uc = calloc(1, sizeof(*uc));
	if (uc == NULL)
		fprintf(stderr, "dpdk-prtip: -sV: out of memory for the UDP ports\n");
	return uc;
}

void prt_run_udpv_note(struct prt_udpv_candidates *uc, const struct prt_result *r)
{
	struct prt_udpv_job *bigger;

	if (uc == NULL || r->proto != IPPROTO_UDP || r->state != PRT_STATE_OPEN || uc->failed ||
	    uc->probing)
		return;
	if (uc->n == uc->cap) {
		size_t cap = uc->cap ? uc->cap * 2 : 256;
		bigger = realloc(uc->open, cap * sizeof(*bigger));
		if (bigger == NULL) {
			uc->failed = true;
			fprintf(stderr, "dpdk-prtip: -sV: out of memory: open UDP ports from now "
					"on are not probed\n");
			return;
		}
		uc->open = bigger;
		uc->cap = cap;
	}
	uc->open[uc->n++] = (struct prt_udpv_job){.addr = r->addr, .port = r->port};
}

void prt_run_udpv_candidates_free(struct prt_udpv_candidates *uc)
{
	if (uc != NULL)
		free(uc->open);
	free(uc);
}

static int wport_cmp(const void *x, const void *y)
{
	const struct wport *a = x, *b = y;
	int c = prt_addr_cmp(&a->job.addr, &b->job.addr);

	return c != 0 ? c : (int)a->job.port - (int)b->job.port;
}

static struct wport *find(const struct udpv_run *r, const struct prt_addr *addr, uint16_t port)
{
	struct wport key = {.job = {.addr = *addr, .port = port}};

	return bsearch(&key, r->w, r->n, sizeof(*r->w), wport_cmp);
}

/* The next silent pair of the -sU arm this machine owns, or false at the end. */
static bool next_silent(struct udpv_run *r, struct prt_udpv_job *job)
{
	const struct prt_scan *s = r->scan;

	if (s->answered == NULL)
		return false; /* Internet mode keeps no silence: the open ports only */
	for (; r->next_pair < s->npairs; r->next_pair++) {
		uint64_t pair = r->next_pair;
		if (prt_scan_is_answered(s, pair) || !prt_scan_owns(s, pair))
			continue;
		if (prt_scan_pair_addr(s, pair, &job->addr, &job->port)->proto != IPPROTO_UDP)
			continue;
		r->next_pair++;
		return true;
	}
	return false;
}

/* The next window: open ports first, then the silent ones. @return its size */
static size_t fill(struct udpv_run *r, struct prt_udpv_candidates *uc)
{
	r->n = 0;
	while (r->n < WINDOW) {
		struct wport *p = &r->w[r->n];
		memset(p, 0, sizeof(*p));
		if (r->next_open < uc->n) {
			p->job = uc->open[r->next_open++];
			p->was_open = true;
		} else if (!next_silent(r, &p->job)) {
			break;
		}
		r->n++;
	}
	qsort(r->w, r->n, sizeof(*r->w), wport_cmp);
	return r->n;
}

/* A verdict: a port silent so far is open now, and its answer goes out. */
static void report(struct udpv_run *r, struct wport *p, bool final)
{
	struct prt_banner b;

	if (!prt_udpv_pick(r->u, &p->a, p->job.port, final, &b))
		return;
	p->decided = true;
	if (p->a.n > 0) {
		r->answered++;
		r->named += b.has_svc;
		if (!p->was_open) {
			struct prt_result res = {
				.ts = prt_run_realtime_ns(), .addr = p->job.addr,
				.port = p->job.port, .proto = IPPROTO_UDP, .state = PRT_STATE_OPEN,
				.reason = PRT_REASON_UDP_RESPONSE, .ttl = p->a.e[0].ttl,
			};
			r->found(r->ctx, &res);
		}
		b.ts = prt_run_realtime_ns();
		b.addr = p->job.addr;
		if (prt_output_banner(r->out, &b) != 0)
			r->write_failed++;
	}
	prt_udpv_answers_free(&p->a);
}

static size_t take_answers(struct udpv_run *r)
{
	static struct prt_udpv_reply in[16];
	unsigned got = prt_scan_udpv_collect(r->scan, in, RTE_DIM(in));
	size_t decided = 0;

	for (unsigned i = 0; i < got; i++) {
		struct wport *p = find(r, &in[i].addr, in[i].port);
		if (p == NULL || p->decided ||
		    prt_udpv_add(r->u, &p->a, p->job.port, in[i].at, in[i].ttl, in[i].data,
			    in[i].len) != 0)
			continue;
		report(r, p, false);
		decided += p->decided;
	}
	return decided;
}

/* One window from its first probe to its verdicts. */
static void run_window(struct udpv_run *r, double wait_s)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t sent_before = __atomic_load_n(&r->scan->udpv_ports_sent, __ATOMIC_ACQUIRE);
	uint64_t deadline = 0;
	size_t submitted = 0, decided = 0;

	while (decided < r->n) {
		uint64_t now = rte_rdtsc();
		size_t got = take_answers(r);

		decided += got;
		while (submitted < r->n && prt_scan_udpv_submit(r->scan, &r->w[submitted].job) == 0)
			submitted++;
		if (deadline == 0 && submitted == r->n &&
		    __atomic_load_n(&r->scan->udpv_ports_sent, __ATOMIC_ACQUIRE) - sent_before ==
			    r->n)
			deadline = now + (uint64_t)(wait_s * (double)hz);
		if ((deadline != 0 && now >= deadline) || prt_signals_stop_requested())
			break;
		if (got == 0)
			usleep(1000);
	}
	if (prt_signals_stop_requested())
		__atomic_store_n(&r->scan->stop, 1, __ATOMIC_RELEASE);
	/* ports named early may still have probes going out: the next window's
	 * count of ports sent starts after them */
	while (__atomic_load_n(&r->scan->udpv_ports_sent, __ATOMIC_ACQUIRE) - sent_before <
		       submitted && !prt_signals_stop_requested())
		usleep(100);
	for (size_t i = 0; i < r->n; i++)
		if (!r->w[i].decided)
			report(r, &r->w[i], true);
	r->ports += r->n;
}

static void free_run(struct udpv_run *r)
{
	for (size_t i = 0; r->w != NULL && i < r->n; i++)
		prt_udpv_answers_free(&r->w[i].a);
	free(r->w);
	prt_udpv_free(r->u);
}

int prt_run_udpv(struct prt_scan *scan, const struct prt_app_conf *c, struct prt_output *out,
	struct prt_udpv_candidates *uc, prt_udpv_found_fn found, void *ctx)
{
	struct udpv_run r = {.scan = scan, .c = c, .out = out, .found = found, .ctx = ctx};
	const double wait_s = prt_scan_timeout_s(scan, c->wait_s);
	const uint64_t t0 = rte_rdtsc();
	char enterprises[512];
	int rc;

	snprintf(enterprises, sizeof(enterprises), "%s/nselib/data/enterprise_numbers.txt",
		c->datadir);
	r.u = prt_udpv_create(&c->service_probes, c->matcher, c->intensity, enterprises);
	r.w = malloc(sizeof(*r.w) * WINDOW);
	if (r.u == NULL || r.w == NULL) {
		fprintf(stderr, "dpdk-prtip: -sV: out of memory for UDP version detection\n");
		free_run(&r);
		return 0;
	}
	rc = prt_scan_udpv_create(scan, &c->service_probes, c->intensity, WINDOW,
		(int)rte_socket_id());
	if (rc != 0) {
		fprintf(stderr, "dpdk-prtip: -sV over UDP: %s\n", strerror(-rc));
		free_run(&r);
		return 0;
	}
	uc->probing = true;
	prt_run_phase_launch(scan, prt_udpv_tx_lcore_main);
	while (!prt_signals_stop_requested() && fill(&r, uc) > 0)
		run_window(&r, wait_s);
	__atomic_store_n(&scan->phase, PRT_PHASE_DONE, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();
	prt_scan_udpv_free(scan);
	fprintf(stderr, "dpdk-prtip: UDP version detection: %llu port%s, %llu answered, %llu "
			"named, in %.2f s (%llu probes, %llu answers)\n",
		(unsigned long long)r.ports, r.ports == 1 ? "" : "s",
		(unsigned long long)r.answered, (unsigned long long)r.named,
		(double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz(),
		(unsigned long long)scan->udpv_probes, (unsigned long long)scan->udpv_answers);
	if (r.write_failed)
		fprintf(stderr, "dpdk-prtip: -sV: %llu UDP answer%s not written (out of memory or "
				"disk)\n", (unsigned long long)r.write_failed,
			r.write_failed == 1 ? "" : "s");
	free_run(&r);
	return prt_signals_stop_requested() ? PRT_EXIT_INTERRUPTED : 0;
}
