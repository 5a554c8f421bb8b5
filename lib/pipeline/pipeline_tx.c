/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TX lcore: paced probe generation on its own queue. The TSC is read once
 * per loop; the bucket hands out a batch of tokens at a time, so pacing (and
 * the PMD's doorbell) costs per batch, not per packet.
 */
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "prt_pipeline.h"

#define MAX_BURST 512

/* Offer every mbuf until the queue took it: a probe is never skipped or
 * repeated. Only a stop request (SIGINT) may drop the remainder, so a queue
 * that stalls cannot hang shutdown. */
void prt_tx_send_all(const struct prt_lcore_arg *a, struct rte_mbuf **m, uint16_t n)
{
	struct prt_scan *scan = a->scan;
	uint16_t sent = 0;

	while (sent < n) {
		sent += rte_eth_tx_burst(scan->port_id, a->queue, m + sent, (uint16_t)(n - sent));
		if (sent < n) {
			PRT_STAT_ADD(a->stats->tx_busy, 1);
			if (__atomic_load_n(&scan->stop, __ATOMIC_RELAXED) ||
			    prt_scan_phase(scan) == PRT_PHASE_DONE) {
				rte_pktmbuf_free_bulk(m + sent, (unsigned)(n - sent));
				return;
			}
			rte_pause();
		}
	}
}

void prt_tx_drain_replies(const struct prt_lcore_arg *a)
{
	struct rte_mbuf *m[64];
	unsigned n = rte_ring_dequeue_burst(a->replies, (void **)m, RTE_DIM(m), NULL);

	if (n == 0)
		return;
	prt_tx_send_all(a, m, (uint16_t)n);
	PRT_STAT_ADD(a->stats->tx_replies, n);
}

/* The next up to n pairs of this pass (per-pair regime) into pair. */
static uint16_t walk_pairs(struct prt_lcore_arg *a, struct prt_walk *w, bool skip_answered,
	uint64_t *pair, uint16_t n, bool *exhausted)
{
	const struct prt_scan *scan = a->scan;
	uint64_t walked = 0;
	uint16_t k = 0;

	while (k < n && !*exhausted) {
		const uint16_t base = k;
		unsigned got = prt_walk_next_burst(w, pair + base, (unsigned)(n - base));

		*exhausted = got < (unsigned)(n - base);
		walked += got;
		if (!skip_answered) {
			k = (uint16_t)(base + got);
			continue;
		}
		for (unsigned j = 0; j < got; j++) /* compact in place: k <= base + j */
			if (!prt_scan_is_answered(scan, pair[base + j]))
				pair[k++] = pair[base + j];
	}
	PRT_STAT_ADD(a->stats->walked, walked);
	__atomic_store_n(&a->pass_steps, a->pass_steps + walked, __ATOMIC_RELAXED);
	return k;
}

/*
 * Craft the probes of k pairs into m. In stages over the whole burst (map
 * to address and port, cookie, frame), so independent per-probe work
 * overlaps in the CPU instead of waiting on one probe at a time.
 */
static void craft_pairs(struct prt_lcore_arg *a, const uint64_t *pair, struct rte_mbuf **m,
	uint16_t k)
{
	const struct prt_scan *scan = a->scan;
	const uint64_t total4 = scan->targets->total4;
	/* what each arm's probes need, looked up once a burst, not once a probe */
	const struct prt_probe_ops *probe_of[PRT_MAX_ARMS];
	uint8_t proto_of[PRT_MAX_ARMS];
	bool hw_of[PRT_MAX_ARMS];
	uint64_t ip_idx[MAX_BURST];
	uint8_t arm[MAX_BURST];
	uint32_t ip[MAX_BURST];
	uint16_t port[MAX_BURST];
	uint8_t proto[MAX_BURST];
	struct prt_cookie c[MAX_BURST];

	for (unsigned j = 0; j < scan->cls.narms; j++) {
		probe_of[j] = scan->cls.arm[j].probe;
		proto_of[j] = probe_of[j]->proto;
		/* the NIC checksums TCP probes (their templates were made so) */
		hw_of[j] = scan->hw_cksum && proto_of[j] == IPPROTO_TCP;
	}
	if (scan->cls.narms == 1) {
		/* one arm, the common case: its port list stays in registers */
		const struct prt_port_list *pl = scan->cls.arm[0].ports;
		const int32_t run = pl->run_first;
		for (uint16_t i = 0; i < k; i++) {
			ip_idx[i] = rte_reciprocal_divide_u64(pair[i], &scan->nports_recip);
			uint32_t idx = (uint32_t)(pair[i] - ip_idx[i] * scan->nports);
			port[i] = run >= 0 ? (uint16_t)(run + idx) : pl->ports[idx];
			arm[i] = 0;
		}
	} else {
		for (uint16_t i = 0; i < k; i++) {
			ip_idx[i] = rte_reciprocal_divide_u64(pair[i], &scan->nports_recip);
			arm[i] = (uint8_t)prt_scan_port_at(scan,
				(uint32_t)(pair[i] - ip_idx[i] * scan->nports), &port[i]);
		}
	}
	for (uint16_t i = 0; i < k; i++) {
		const bool v6 = ip_idx[i] >= total4; /* IPv6: its own cookie below */
		ip[i] = v6 ? 0 : prt_target_set_ip_at(scan->targets, ip_idx[i]);
		proto[i] = proto_of[arm[i]];
	}
	prt_cookie_v4_burst(&scan->key, scan->cls.keys.our_ip, ip, port, proto, k, scan->cls.keys.sport_base,
		scan->cls.keys.sport_count, c);
	for (uint16_t i = 0; i < k; i++) {
		const struct prt_probe_ops *probe = probe_of[arm[i]];
		uint8_t *frame = rte_pktmbuf_mtod(m[i], uint8_t *);
		uint16_t len;

		/* straight from the pool (see take_mbufs): the fields a TX frame needs */
		rte_pktmbuf_reset_headroom(m[i]);
		m[i]->ol_flags = 0;
		if (ip_idx[i] >= total4) {
			/* IPv6 targets: a rarer, separate path with complete checksums */
			struct prt_addr dst = prt_target_set_addr_at(scan->targets, ip_idx[i]);
			struct prt_cookie c6 = prt_cookie_v6(&scan->key, scan->cls.keys.our_ip6.b, dst.b,
				port[i], proto[i], scan->cls.keys.sport_base, scan->cls.keys.sport_count);
			len = probe->craft6(&scan->tmpl6[arm[i]], frame, &dst, port[i], &c6);
		} else {
			len = probe->craft(&scan->tmpl[arm[i]], frame, ip[i], port[i], &c[i]);
			if (hw_of[arm[i]]) {
				m[i]->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
					RTE_MBUF_F_TX_TCP_CKSUM;
				m[i]->tx_offload = rte_mbuf_tx_offload(sizeof(struct rte_ether_hdr),
					sizeof(struct rte_ipv4_hdr), 0, 0, 0, 0, 0);
			}
		}
		m[i]->data_len = len;
		m[i]->pkt_len = len;
	}
}

/*
 * Mbufs for probes straight from the pool, as testpmd's txonly takes them:
 * DPDK keeps pooled mbufs with one reference, one segment and no next (its
 * free path restores them), so craft_burst() writes only what a TX frame
 * needs (headroom, lengths, offload flags) instead of rte_pktmbuf_reset()'s
 * every field over both cache lines of the mbuf.
 */
static inline int take_mbufs(struct rte_mempool *pool, struct rte_mbuf **m, unsigned n)
{
	return rte_mempool_get_bulk(pool, (void **)m, n);
}

/* Send in batches of at least 100 us worth of tokens (up to a burst): at
 * 100 kpps that is 10 probes per tx_burst instead of 1. */
static uint32_t min_batch(uint64_t rate, uint16_t burst)
{
	uint64_t b = rate / 10000;

	return (uint32_t)RTE_MAX(RTE_MIN(b, (uint64_t)burst), 1u);
}

/* Credit for 100 ms (at least a burst): an lcore that shares its CPU, or a
 * VM whose vCPU is stolen for tens of ms, catches up instead of losing tokens,
 * so every 1-second window still carries the requested rate. */
static uint32_t credit(uint64_t share, uint16_t burst)
{
	return (uint32_t)RTE_MIN(RTE_MAX(share / 10, (uint64_t)burst), (uint64_t)UINT32_MAX);
}

/* Apply a rate change asked for over telemetry (or by main). */
static void follow_rate(struct prt_lcore_arg *a, uint32_t *gen, uint64_t now)
{
	uint32_t g = __atomic_load_n(&a->scan->rate_gen, __ATOMIC_ACQUIRE);
	uint64_t share;

	if (g == *gen)
		return;
	*gen = g;
	share = prt_scan_rate_share(__atomic_load_n(&a->scan->rate_request, __ATOMIC_RELAXED),
		a->slice, a->scan->n_tx);
	a->rl.burst_max = credit(share, a->scan->burst);
	prt_ratelim_set_rate(&a->rl, share, now);
}

/* Wait out the gap before a retry pass, still serving the reply ring. */
static void wait_gap(struct prt_lcore_arg *a, uint64_t until)
{
	struct prt_scan *scan = a->scan;

	while (rte_rdtsc() < until && !__atomic_load_n(&scan->stop, __ATOMIC_RELAXED) &&
	       !prt_scan_all_answered(scan)) {
		prt_tx_drain_replies(a);
		rte_pause();
	}
}

/* Where the pairs of a pass come from: the walk of a per-pair pass, or
 * Internet mode's lagged walks (a probe and its resends in one pass). */
struct pass_source {
	bool internet;
	bool skip_answered;
	bool retry;
	bool exhausted;
	struct prt_walk w;
	struct prt_lagged_walk lw;
};

/* Up to n pairs into pair; *cost gets the tokens they take. */
static uint16_t next_pairs(struct prt_lcore_arg *a, struct pass_source *src, uint64_t *pair,
	uint16_t n, uint32_t *cost)
{
	unsigned spent, resent, k;

	if (!src->internet) {
		k = walk_pairs(a, &src->w, src->skip_answered, pair, n, &src->exhausted);
		*cost = k;
		if (src->retry)
			PRT_STAT_ADD(a->stats->tx_retransmits, k);
		return (uint16_t)k;
	}
	k = prt_lagged_next_burst(&src->lw, pair, n, &spent, &resent);
	src->exhausted = prt_lagged_done(&src->lw);
	*cost = spent;
	PRT_STAT_ADD(a->stats->walked, k);
	PRT_STAT_ADD(a->stats->tx_retransmits, resent);
	/* a checkpoint keeps walk 0's position: resends before it are not made again */
	__atomic_store_n(&a->pass_steps, src->lw.steps[0], __ATOMIC_RELAXED);
	return (uint16_t)k;
}

/* One pass over this lcore's slice. A resumed scan starts its first pass
 * @p skip positions in and, like a retry pass, sends only to pairs that
 * have no answer yet (per-pair regime). */
static void run_pass(struct prt_lcore_arg *a, uint32_t *gen, bool retry, uint64_t skip)
{
	struct prt_scan *scan = a->scan;
	struct rte_mbuf *m[MAX_BURST];
	uint64_t pair[MAX_BURST];
	uint16_t burst = RTE_MIN(scan->burst, MAX_BURST);
	struct pass_source src = {
		.internet = scan->internet,
		.skip_answered = retry || scan->resumed,
		.retry = retry,
	};

	if (scan->internet)
		prt_lagged_init(&src.lw, &scan->perm, scan->shard, scan->nshards, a->slice,
			scan->n_tx, scan->passes, scan->retry_distance, skip);
	prt_walk_init(&src.w, &scan->perm, scan->shard, scan->nshards, a->slice, scan->n_tx);
	prt_walk_skip(&src.w, skip);
	__atomic_store_n(&a->pass_steps, skip, __ATOMIC_RELAXED);
	while (!src.exhausted && !__atomic_load_n(&scan->stop, __ATOMIC_RELAXED)) {
		uint64_t now = rte_rdtsc();
		uint32_t want, k, cost;

		prt_tx_drain_replies(a);
		follow_rate(a, gen, now);
		want = prt_ratelim_take_batch(&a->rl, now, min_batch(a->rl.rate, burst), burst);
		if (want == 0) {
			rte_pause();
			continue;
		}
		if (take_mbufs(scan->pool, m, want) != 0) {
			PRT_STAT_ADD(a->stats->no_mbuf, 1);
			prt_ratelim_give_back(&a->rl, want);
			continue;
		}
		k = next_pairs(a, &src, pair, (uint16_t)want, &cost);
		craft_pairs(a, pair, m, (uint16_t)k);
		if (k < want)
			rte_pktmbuf_free_bulk(m + k, want - k);
		if (cost < want)
			prt_ratelim_give_back(&a->rl, want - cost);
		if (k == 0)
			continue;
		prt_tx_send_all(a, m, (uint16_t)k);
		prt_scan_rtt_sent(scan, pair[0], now);
		PRT_STAT_ADD(a->stats->tx_bursts, 1);
		PRT_STAT_ADD(a->stats->tx_probes, k);
		PRT_STAT_ADD(a->stats->busy_tsc, rte_rdtsc() - now);
	}
}

int prt_tx_lcore_main(void *arg)
{
	struct prt_lcore_arg *a = arg;
	struct prt_scan *scan = a->scan;
	uint32_t gen = __atomic_load_n(&scan->rate_gen, __ATOMIC_ACQUIRE);
	uint64_t share = prt_scan_rate_share(scan->rate, a->slice, scan->n_tx);

	prt_ratelim_init(&a->rl, share, rte_get_tsc_hz(), credit(share, scan->burst), rte_rdtsc());
	if (scan->internet) /* one pass: the resends ride in it */
		run_pass(a, &gen, false, scan->resume_steps[a->slice]);
	for (uint32_t pass = scan->resume_pass[a->slice]; !scan->internet && pass < scan->passes;
	     pass++) {
		bool first = pass == scan->resume_pass[a->slice];
		if (!first) /* the measured timeout, at most the retry gap */
			wait_gap(a, rte_rdtsc() + (uint64_t)(prt_scan_timeout_s(scan,
				(double)scan->retry_gap_tsc / (double)rte_get_tsc_hz()) *
				(double)rte_get_tsc_hz()));
		if (__atomic_load_n(&scan->stop, __ATOMIC_RELAXED) || prt_scan_all_answered(scan))
			break;
		__atomic_store_n(&a->pass, pass, __ATOMIC_RELAXED);
		run_pass(a, &gen, pass > 0, first ? scan->resume_steps[a->slice] : 0);
	}
	__atomic_fetch_add(&scan->tx_finished, 1, __ATOMIC_RELEASE);
	while (prt_scan_phase(scan) != PRT_PHASE_DONE) {
		prt_tx_drain_replies(a);
		rte_pause();
	}
	prt_tx_drain_replies(a);
	return 0;
}
