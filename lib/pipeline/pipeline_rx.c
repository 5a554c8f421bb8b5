/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RX lcore: every frame is either ARP (answered or learned), a result
 * (first answer per pair goes to main), or a counted drop.
 */
#include <assert.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "prt_classify_quick.h"
#include "prt_pipeline.h"

#define RX_BURST 64
#define PREFETCH_AHEAD 2

static_assert(PRT_CLS_VERDICT_COUNT <= PRT_STATS_DROP_MAX, "a drop counter per verdict");

static void send_rst(const struct prt_lcore_arg *a, const struct prt_cls_out *o)
{
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	const struct prt_addr *dst = &o->result.addr;
	const struct prt_tcp_fields f = {
		.daddr = prt_addr_is_v4(dst) ? prt_addr_v4(dst) : 0,
		.sport = o->our_port,
		.dport = o->result.port,
		.seq = o->rst_seq,
	};

	if (prt_addr_is_v4(dst)) {
		prt_probe_tcp_craft(&a->scan->rst_tmpl, frame, &f);
		prt_scan_queue_reply(a, frame, a->scan->rst_tmpl.len);
	} else {
		prt_probe_tcp6_craft(&a->scan->rst_tmpl6, frame, dst, &f);
		prt_scan_queue_reply(a, frame, a->scan->rst_tmpl6.len);
	}
}

static void handle_result(const struct prt_lcore_arg *a, struct prt_cls_out *o, uint64_t now)
{
	struct prt_scan *scan = a->scan;
	struct prt_stats_lcore *st = a->stats;

	if (!prt_scan_mark_answered(scan, o->pair)) {
		if (o->send_rst)
			send_rst(a, o);
		PRT_STAT_ADD(st->rx_duplicates, 1);
		return;
	}
	/* with sessions, the first SYN-ACK of a pair opens a connection instead */
	if (o->send_rst && !(a->conns != NULL && prt_conns_open(a, o, now)))
		send_rst(a, o);
	prt_scan_rtt_answered(scan, o->pair, now);
	o->result.ts = now;
	if (rte_ring_enqueue_elem(scan->results, &o->result, sizeof(o->result)) != 0) {
		/* main is behind: forget the answer so a retry pass asks again */
		prt_scan_unmark_answered(scan, o->pair);
		PRT_STAT_ADD(st->result_ring_full, 1);
		return;
	}
	PRT_STAT_ADD(st->rx_results, 1);
}

static inline bool is_ipv4(const uint8_t *data, uint16_t len)
{
	return len >= sizeof(struct rte_ether_hdr) &&
		((const struct rte_ether_hdr *)data)->ether_type ==
			rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
}

static void handle_frame(const struct prt_lcore_arg *a, const uint8_t *data, uint16_t len,
	uint64_t now)
{
	struct prt_scan *scan = a->scan;
	uint8_t reply[PRT_NEIGH_FRAME_MAX];
	size_t reply_len = 0;
	struct prt_cls_out o;
	enum prt_neigh_verdict nv;
	enum prt_cls_verdict v;

	/* ARP and IPv6 neighbour discovery go to lib/neigh; an IPv4 frame, the
	 * common case, skips the call */
	nv = is_ipv4(data, len) ? PRT_NEIGH_NOT_ARP :
		prt_neigh_input(&scan->neigh, data, len, reply, &reply_len);
	if (nv != PRT_NEIGH_NOT_ARP) {
		PRT_STAT_ADD(a->stats->rx_arp, 1);
		if (nv == PRT_NEIGH_REPLY)
			prt_scan_queue_reply(a, reply, (uint16_t)reply_len);
		/* -PR: a well-formed ARP or NDP message (lib/neigh checked its
		 * headers, and for NDP its checksum) is the classifier's too */
		if (nv == PRT_NEIGH_REPLY || nv == PRT_NEIGH_BOGUS ||
		    prt_cls_link_arm(&scan->cls, RTE_ETHER_TYPE_ARP) == NULL)
			return;
	}
	v = prt_classify(&scan->cls, data, len, &o);
	if (a->conns != NULL && prt_conns_input(a, &o, now))
		return;
	/* another shard's pair (same seed and source address elsewhere): not ours */
	if (v == PRT_CLS_RESULT && !prt_scan_owns(scan, o.pair))
		v = PRT_CLS_NOT_TARGET;
	if (v == PRT_CLS_RESULT)
		handle_result(a, &o, now);
	else if (v == PRT_CLS_DUPLICATE)
		PRT_STAT_ADD(a->stats->rx_duplicates, 1);
	else
		PRT_STAT_ADD(a->stats->rx_drop[v], 1);
}

int prt_rx_lcore_main(void *arg)
{
	const struct prt_lcore_arg *a = arg;
	struct prt_scan *scan = a->scan;
	struct prt_stats_lcore *st = a->stats;
	struct rte_mbuf *pkts[RX_BURST];
	const bool quick = prt_cls_quick_applies(&scan->cls);
	uint16_t q = a->queue;

	while (prt_scan_phase(scan) != PRT_PHASE_DONE) {
		uint16_t n = rte_eth_rx_burst(scan->port_id, q, pkts, RX_BURST);
		uint64_t now, duplicates = 0;

		/* its queues in turn: its own, and those beyond the RX lcores' count
		 * that the port has (each is polled by one lcore only) */
		q = (uint16_t)(q + scan->n_rx < scan->nb_rxq ? q + scan->n_rx : a->queue);
		if (n == 0) {
			if (a->conns != NULL)
				prt_conns_poll(a, rte_rdtsc());
			rte_pause();
			continue;
		}
		now = rte_rdtsc();
		if (a->conns != NULL)
			prt_conns_poll(a, now);
		PRT_STAT_ADD(st->rx_bursts, 1);
		PRT_STAT_ADD(st->rx_packets, n);
		for (uint16_t i = 0; i < n; i++) {
			/* headers are in the first segment; a chained frame fails its
			 * L4 checksum and is counted, never read past its end */
			const uint8_t *data = rte_pktmbuf_mtod(pkts[i], const uint8_t *);
			uint16_t len = rte_pktmbuf_data_len(pkts[i]);

			/* the next frame's headers load while this one is classified */
			if (i + PREFETCH_AHEAD < n)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
			/* -O's phase: its answers go to the tries' lcores */
			if (scan->os != NULL && prt_os_rx_input(a, pkts[i]))
				continue;
			/* -sV over UDP's phase: its answers go to main */
			if (scan->udpv != NULL && prt_udpv_rx_input(a, data, len, now))
				continue;
			if (quick && prt_cls_quick_duplicate(&scan->cls, data, len))
				duplicates++;
			else
				handle_frame(a, data, len, now);
		}
		PRT_STAT_ADD(st->rx_duplicates, duplicates);
		rte_pktmbuf_free_bulk(pkts, n);
		PRT_STAT_ADD(st->busy_tsc, rte_rdtsc() - now);
	}
	return 0;
}
