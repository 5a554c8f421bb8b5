/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV over UDP as a phase after the port scan. Main hands the ports out to
 * the TX lcores in turn; a TX lcore sends every probe of a port's plan at
 * once, paced by its token bucket, each from the source port that names it
 * (lib/probe's prt_udpv_sport), and keeps nothing. An RX lcore knows a
 * version probe's answer by that port alone and passes it to main, which
 * matches it and decides (lib/service's prt_udp_version.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "prt_pipeline.h"
#include "prt_udp_version.h"

#define ANSWER_RING 1024
#define FRAME_MAX 1600  /* the probe files' longest UDP payload is well under it */

struct prt_udpv_phase {
	const struct prt_sp_db *db;
	uint8_t intensity;
	unsigned arm;                              /* the -sU arm: its templates */
	struct rte_ring *todo[PRT_MAX_TX_LCORES];  /* main -> TX: struct prt_udpv_job */
	struct rte_ring *answers;                  /* RX -> main: struct prt_udpv_reply */
	uint32_t next;                             /* main: the TX lcore of the next port */
};

static struct rte_ring *ring(const char *what, unsigned i, unsigned count, unsigned esize,
	unsigned flags, int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "prt_udpv_%s%u", what, i);
	return rte_ring_create_elem(name, esize, count, socket, flags);
}

int prt_scan_udpv_create(struct prt_scan *scan, const struct prt_sp_db *db, uint8_t intensity,
	uint32_t jobs, int socket)
{
	struct prt_udpv_phase *p = rte_zmalloc_socket("prt_udpv", sizeof(*p), RTE_CACHE_LINE_SIZE,
		socket);
	unsigned todo = rte_align32pow2(jobs + 1);

	if (p == NULL)
		return -ENOMEM;
	scan->udpv = p;
	p->db = db;
	p->intensity = intensity;
	p->arm = UINT32_MAX;
	for (unsigned i = 0; i < scan->cls.narms; i++)
		if (scan->cls.arm[i].probe->proto == IPPROTO_UDP && p->arm == UINT32_MAX)
			p->arm = i;
	if (p->arm == UINT32_MAX) {
		prt_scan_udpv_free(scan);
		return -EINVAL;
	}
	if (todo > 65536)
		todo = 65536;
	p->answers = ring("answers", 0, ANSWER_RING, sizeof(struct prt_udpv_reply),
		RING_F_SC_DEQ, socket);
	if (p->answers == NULL)
		goto fail;
	for (unsigned i = 0; i < scan->n_tx; i++) {
		p->todo[i] = ring("todo", i, todo, sizeof(struct prt_udpv_job),
			RING_F_SP_ENQ | RING_F_SC_DEQ, socket);
		if (p->todo[i] == NULL)
			goto fail;
	}
	return 0;
fail:
	prt_scan_udpv_free(scan);
	return -ENOMEM;
}

void prt_scan_udpv_free(struct prt_scan *scan)
{
	struct prt_udpv_phase *p = scan->udpv;

	if (p == NULL)
		return;
	for (unsigned i = 0; i < PRT_MAX_TX_LCORES; i++)
		rte_ring_free(p->todo[i]);
	rte_ring_free(p->answers);
	rte_free(p);
	scan->udpv = NULL;
}

int prt_scan_udpv_submit(struct prt_scan *scan, const struct prt_udpv_job *job)
{
	struct prt_udpv_phase *p = scan->udpv;
	struct prt_udpv_job copy = *job; /* DPDK 22.11 takes it non-const */

	if (rte_ring_enqueue_elem(p->todo[p->next], &copy, sizeof(copy)) != 0)
		return -ENOBUFS;
	p->next = (p->next + 1) % scan->n_tx;
	return 0;
}

unsigned prt_scan_udpv_collect(struct prt_scan *scan, struct prt_udpv_reply *out, unsigned n)
{
	return rte_ring_dequeue_burst_elem(scan->udpv->answers, out, sizeof(*out), n, NULL);
}

bool prt_udpv_rx_input(const struct prt_lcore_arg *a, const uint8_t *frame, uint16_t len,
	uint64_t now)
{
	struct prt_scan *scan = a->scan;
	struct prt_ip_view v;
	struct prt_udpv_reply r;
	const uint8_t *data;
	size_t dlen;
	int at;

	if (prt_cls_ip_view(&scan->cls, frame, len, &v) != PRT_CLS_RESULT ||
	    v.proto != IPPROTO_UDP)
		return false;
	at = prt_udpv_answer(&scan->cls.keys, &v, PRT_UDPV_PLAN_MAX, &r.port, &data, &dlen);
	if (at < 0)
		return false; /* the port scan's late answer, or not ours: classified as ever */
	r.ts = now;
	r.addr = v.src;
	r.at = (uint16_t)at;
	r.ttl = v.ttl;
	/* a longer answer is matched on what a banner holds */
	r.len = (uint16_t)(dlen < PRT_BANNER_MAX ? dlen : PRT_BANNER_MAX);
	memcpy(r.data, data, r.len);
	if (rte_ring_mp_enqueue_elem(scan->udpv->answers, &r, sizeof(r)) != 0)
		PRT_STAT_ADD(a->stats->result_ring_full, 1);
	else
		__atomic_fetch_add(&scan->udpv_answers, 1, __ATOMIC_RELAXED);
	return true;
}

/* One probe of the plan: crafted, and sent when @p out fills. */
static void send_probe(const struct prt_lcore_arg *a, const struct prt_udpv_job *j,
	const struct prt_sp_probe *probe, uint32_t at, struct rte_mbuf **out, uint16_t *n)
{
	const struct prt_scan *scan = a->scan;
	const struct prt_udpv_phase *p = scan->udpv;
	const struct prt_probe_tmpl *t = prt_addr_is_v4(&j->addr) ? &scan->tmpl[p->arm] :
		&scan->tmpl6[p->arm];
	uint16_t sport = prt_udpv_sport(&scan->cls.keys, &j->addr, j->port, at);
	uint8_t frame[FRAME_MAX];
	uint16_t len = prt_udpv_craft(t, frame, sizeof(frame), &j->addr, sport, j->port,
		(uint16_t)(sport ^ at), probe->data, (uint16_t)probe->len);
	struct rte_mbuf *m;

	if (len == 0)
		return;
	m = prt_scan_frame_mbuf(scan, frame, len);
	if (m == NULL) {
		PRT_STAT_ADD(a->stats->no_mbuf, 1);
		return;
	}
	out[(*n)++] = m;
}

/* The port being sent on a TX lcore: its plan and how far it got. */
struct udpv_cursor {
	struct prt_udpv_job job;
	uint16_t plan[PRT_UDPV_PLAN_MAX];
	uint32_t nplan, next;
	bool busy;
};

static void next_job(const struct prt_lcore_arg *a, struct udpv_cursor *c)
{
	const struct prt_udpv_phase *p = a->scan->udpv;

	if (rte_ring_dequeue_elem(p->todo[a->slice], &c->job, sizeof(c->job)) != 0)
		return;
	c->nplan = prt_udpv_plan(p->db, c->job.port, p->intensity, c->plan, PRT_UDPV_PLAN_MAX);
	c->next = 0;
	c->busy = true;
}

int prt_udpv_tx_lcore_main(void *arg)
{
	struct prt_lcore_arg *a = arg;
	struct prt_scan *scan = a->scan;
	const uint64_t hz = rte_get_tsc_hz();
	struct udpv_cursor c = {.busy = false};
	struct rte_mbuf *out[32];

	prt_ratelim_init(&a->rl, prt_scan_rate_share(scan->rate, a->slice, scan->n_tx), hz,
		RTE_DIM(out), rte_rdtsc());
	while (prt_scan_phase(scan) != PRT_PHASE_DONE) {
		uint16_t n = 0;
		uint32_t budget;

		prt_tx_drain_replies(a);
		if (!c.busy && __atomic_load_n(&scan->stop, __ATOMIC_RELAXED) == 0)
			next_job(a, &c);
		if (!c.busy) {
			rte_pause();
			continue;
		}
		budget = prt_ratelim_take(&a->rl, rte_rdtsc(), RTE_DIM(out));
		while (n < budget && c.next < c.nplan) {
			send_probe(a, &c.job, &scan->udpv->db->probes[c.plan[c.next]], c.next,
				out, &n);
			c.next++;
		}
		prt_ratelim_give_back(&a->rl, budget - n);
		if (n > 0) {
			prt_tx_send_all(a, out, n);
			__atomic_fetch_add(&scan->udpv_probes, n, __ATOMIC_RELAXED);
		}
		if (c.next == c.nplan) {
			c.busy = false;
			__atomic_fetch_add(&scan->udpv_ports_sent, 1, __ATOMIC_RELEASE);
		}
	}
	return 0;
}
