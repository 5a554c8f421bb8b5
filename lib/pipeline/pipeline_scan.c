/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "prt_pipeline.h"

#define RESULT_RING_SIZE (1u << 18)
#define REPLY_RING_SIZE 4096

int prt_scan_alloc(struct prt_scan *scan, int socket)
{
	size_t words = (size_t)((scan->npairs + 63) / 64);
	char name[RTE_RING_NAMESIZE];
	int rc;

	/* Plain memory: neither is touched by the NIC. The dedup table is
	 * written whole here, so the scan's memory does not grow as it fills. */
	if (scan->internet) {
		rc = prt_dedup_init(&scan->dedup, PRT_INTERNET_DEDUP_BYTES);
		if (rc != 0)
			return rc;
		scan->info.state_bytes = prt_dedup_bytes(&scan->dedup);
	} else {
		scan->answered = calloc(words, sizeof(uint64_t));
		if (scan->answered == NULL)
			return -ENOMEM;
		scan->info.state_bytes = words * sizeof(uint64_t) * 2; /* + main's reported bits */
	}
	scan->cls.answered = scan->answered; /* duplicates are known before the cookie */
	snprintf(name, sizeof(name), "prt_results_%u", scan->port_id);
	scan->results = rte_ring_create_elem(name, sizeof(struct prt_result), RESULT_RING_SIZE,
		socket, RING_F_SC_DEQ);
	if (scan->results == NULL)
		goto fail;
	for (uint32_t i = 0; i < scan->n_tx; i++) {
		/* several RX lcores may feed one TX lcore: multi-producer */
		snprintf(name, sizeof(name), "prt_replies_%u_%u", scan->port_id, i);
		scan->replies[i] = rte_ring_create(name, REPLY_RING_SIZE, socket, RING_F_SC_DEQ);
		if (scan->replies[i] == NULL)
			goto fail;
	}
	return 0;
fail:
	prt_scan_release(scan);
	return rte_errno ? -rte_errno : -ENOMEM;
}

void prt_scan_release(struct prt_scan *scan)
{
	void *m;

	for (uint32_t i = 0; i < PRT_MAX_TX_LCORES; i++) {
		if (scan->replies[i] == NULL)
			continue;
		while (rte_ring_dequeue(scan->replies[i], &m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(scan->replies[i]);
		scan->replies[i] = NULL;
	}
	rte_ring_free(scan->results);
	free(scan->answered);
	prt_dedup_free(&scan->dedup);
	scan->results = NULL;
	scan->answered = NULL;
	scan->cls.answered = NULL;
}

void prt_scan_set_pairs(struct prt_scan *scan)
{
	scan->nports = scan->cls.nports;
	scan->npairs = scan->targets->total * scan->nports;
	scan->nports_recip = rte_reciprocal_value_u64(scan->nports);
	if (scan->nshards == 0)
		scan->nshards = 1;
	scan->shard_pairs = prt_shard_size(scan->npairs, scan->shard, scan->nshards);
}

void prt_scan_rtt_answered(struct prt_scan *scan, uint64_t pair, uint64_t now)
{
	const struct prt_rtt_slot *s = &scan->rtt_sent[pair % PRT_RTT_SLOTS];
	uint64_t tsc, rtt, max;

	if (__atomic_load_n(&s->pair1, __ATOMIC_ACQUIRE) != pair + 1)
		return;
	tsc = __atomic_load_n(&s->tsc, __ATOMIC_ACQUIRE);
	/* re-read: a TX lcore may have reused the slot in between */
	if (__atomic_load_n(&s->pair1, __ATOMIC_ACQUIRE) != pair + 1 || now < tsc)
		return;
	rtt = now - tsc;
	if (rtt > 10 * rte_get_tsc_hz())
		return; /* an answer to an earlier pass's probe */
	max = __atomic_load_n(&scan->rtt_max_tsc, __ATOMIC_RELAXED);
	while (rtt > max && !__atomic_compare_exchange_n(&scan->rtt_max_tsc, &max, rtt, true,
		__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	__atomic_fetch_add(&scan->rtt_samples, 1, __ATOMIC_RELAXED);
}

double prt_scan_timeout_s(const struct prt_scan *scan, double max_s)
{
	double t;

	if (__atomic_load_n(&scan->rtt_samples, __ATOMIC_RELAXED) == 0)
		t = PRT_RTT_INITIAL_S;
	else
		t = RTE_MAX(2.0 * (double)__atomic_load_n(&scan->rtt_max_tsc, __ATOMIC_RELAXED) /
			(double)rte_get_tsc_hz(), PRT_RTT_MIN_TIMEOUT_S);
	return RTE_MIN(t, max_s);
}

struct rte_mbuf *prt_scan_frame_mbuf(const struct prt_scan *scan, const uint8_t *frame,
	uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(scan->pool);

	if (m == NULL)
		return NULL;
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), frame, len);
	m->data_len = len;
	m->pkt_len = len;
	return m;
}

void prt_scan_queue_reply(const struct prt_lcore_arg *a, const uint8_t *frame, uint16_t len)
{
	struct rte_mbuf *m = prt_scan_frame_mbuf(a->scan, frame, len);

	if (m == NULL) {
		PRT_STAT_ADD(a->stats->no_mbuf, 1);
		return;
	}
	if (rte_ring_enqueue(a->replies, m) != 0) {
		PRT_STAT_ADD(a->stats->reply_ring_full, 1);
		rte_pktmbuf_free(m);
	}
}
