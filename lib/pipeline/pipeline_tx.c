/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TX lcore: paced probe generation on its own queue. The TSC is read once
 * per loop; the bucket hands out a burst's worth of tokens at a time, so
 * pacing costs per burst, not per packet.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "prt_pipeline.h"
#include "prt_ratelim.h"

#define MAX_BURST 512

/* Offer every mbuf until the queue took it: a probe is never skipped or
 * repeated. Only a stop request (SIGINT) may drop the remainder. */
static void send_all(struct prt_scan *scan, uint16_t queue, struct rte_mbuf **m, uint16_t n,
	struct prt_stats_lcore *st)
{
	uint16_t sent = 0;

	while (sent < n) {
		sent += rte_eth_tx_burst(scan->port_id, queue, m + sent, (uint16_t)(n - sent));
		if (sent < n) {
			PRT_STAT_ADD(st->tx_busy, 1);
			if (__atomic_load_n(&scan->stop, __ATOMIC_RELAXED)) {
				rte_pktmbuf_free_bulk(m + sent, (unsigned)(n - sent));
				return;
			}
			rte_pause();
		}
	}
}

static void drain_replies(struct prt_scan *scan, uint16_t queue, struct prt_stats_lcore *st)
{
	struct rte_mbuf *m[64];
	unsigned n = rte_ring_dequeue_burst(scan->replies, (void **)m, RTE_DIM(m), NULL);

	if (n == 0)
		return;
	send_all(scan, queue, m, (uint16_t)n, st);
	PRT_STAT_ADD(st->tx_replies, n);
}

/* Craft up to n probes of this pass into m; returns how many were made. */
static uint16_t craft_burst(struct prt_scan *scan, struct prt_walk *w, bool retry,
	struct rte_mbuf **m, uint16_t n, struct prt_stats_lcore *st, bool *exhausted)
{
	uint16_t k = 0;
	uint64_t pair, walked = 0;

	while (k < n) {
		uint32_t ip;
		uint16_t port;
		struct prt_cookie c;
		uint8_t *frame;

		if (!prt_walk_next(w, &pair)) {
			*exhausted = true;
			break;
		}
		walked++;
		if (retry && prt_scan_is_answered(scan, pair))
			continue;
		prt_scan_pair(scan, pair, &ip, &port);
		c = prt_cookie_v4(&scan->key, scan->cls.our_ip, ip, port, scan->probe->proto,
			scan->cls.sport_base, scan->cls.sport_count);
		frame = rte_pktmbuf_mtod(m[k], uint8_t *);
		scan->probe->craft(&scan->probe_tmpl, frame, ip, port, &c);
		m[k]->data_len = scan->probe_tmpl.len;
		m[k]->pkt_len = scan->probe_tmpl.len;
		k++;
	}
	PRT_STAT_ADD(st->walked, walked);
	return k;
}

/* Wait out the gap before a retry pass, still serving the reply ring. */
static void wait_gap(struct prt_scan *scan, uint16_t queue, struct prt_stats_lcore *st,
	uint64_t until)
{
	while (rte_rdtsc() < until && !__atomic_load_n(&scan->stop, __ATOMIC_RELAXED) &&
	       !prt_scan_all_answered(scan)) {
		drain_replies(scan, queue, st);
		rte_pause();
	}
}

/* Send in batches of at least 100 us worth of tokens (up to a burst): at
 * 100 kpps that is 10 probes per tx_burst instead of 1. */
static uint32_t min_batch(uint64_t rate, uint16_t burst)
{
	uint64_t b = rate / 10000;

	return (uint32_t)RTE_MAX(RTE_MIN(b, (uint64_t)burst), 1u);
}

static void run_pass(struct prt_scan *scan, const struct prt_lcore_arg *a, struct prt_ratelim *rl,
	bool retry)
{
	struct rte_mbuf *m[MAX_BURST];
	uint16_t burst = RTE_MIN(scan->burst, MAX_BURST);
	uint32_t batch = min_batch(rl->rate, burst);
	struct prt_walk w;
	bool exhausted = false;

	prt_walk_init(&w, &scan->perm, a->slice, scan->n_tx);
	while (!exhausted && !__atomic_load_n(&scan->stop, __ATOMIC_RELAXED)) {
		uint64_t now = rte_rdtsc();
		uint32_t want, k;

		drain_replies(scan, a->queue, a->stats);
		want = prt_ratelim_take_batch(rl, now, batch, burst);
		if (want == 0) {
			rte_pause();
			continue;
		}
		if (rte_pktmbuf_alloc_bulk(scan->pool, m, want) != 0) {
			PRT_STAT_ADD(a->stats->no_mbuf, 1);
			prt_ratelim_give_back(rl, want);
			continue;
		}
		k = craft_burst(scan, &w, retry, m, (uint16_t)want, a->stats, &exhausted);
		if (k < want) {
			rte_pktmbuf_free_bulk(m + k, want - k);
			prt_ratelim_give_back(rl, want - k);
		}
		if (k == 0)
			continue;
		send_all(scan, a->queue, m, (uint16_t)k, a->stats);
		PRT_STAT_ADD(a->stats->tx_bursts, 1);
		PRT_STAT_ADD(a->stats->tx_probes, k);
		if (retry)
			PRT_STAT_ADD(a->stats->tx_retransmits, k);
	}
}

int prt_tx_lcore_main(void *arg)
{
	const struct prt_lcore_arg *a = arg;
	struct prt_scan *scan = a->scan;
	uint64_t share = scan->rate / scan->n_tx + (a->slice < scan->rate % scan->n_tx);
	struct prt_ratelim rl;

	/* the global rate split exactly: shares differ by at most one pps */
	prt_ratelim_init(&rl, scan->rate ? RTE_MAX(share, 1u) : 0, rte_get_tsc_hz(), scan->burst,
		rte_rdtsc());
	for (uint32_t pass = 0; pass < scan->passes; pass++) {
		if (pass > 0)
			wait_gap(scan, a->queue, a->stats, rte_rdtsc() + scan->retry_gap_tsc);
		if (__atomic_load_n(&scan->stop, __ATOMIC_RELAXED) || prt_scan_all_answered(scan))
			break;
		run_pass(scan, a, &rl, pass > 0);
	}
	__atomic_fetch_add(&scan->tx_finished, 1, __ATOMIC_RELEASE);
	while (prt_scan_phase(scan) != PRT_PHASE_DONE) {
		drain_replies(scan, a->queue, a->stats);
		rte_pause();
	}
	drain_replies(scan, a->queue, a->stats);
	return 0;
}
