/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Gateway resolution runs on the main lcore before the workers start, so it
 * may use the queues without sharing them with anybody.
 */
#include <errno.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "prt_pipeline.h"

static int send_frame(struct prt_scan *scan, const uint8_t *frame, uint16_t len)
{
	struct rte_mbuf *m = prt_scan_frame_mbuf(scan, frame, len);

	if (m == NULL)
		return -ENOMEM;
	if (rte_eth_tx_burst(scan->port_id, 0, &m, 1) != 1)
		rte_pktmbuf_free(m);
	return 0;
}

/* Still waiting for the IPv4 (ARP) or the IPv6 (NDP) router? */
static bool unresolved4(const struct prt_neigh *n)
{
	return n->gw_ip != 0 && !n->gw_known;
}

static bool unresolved6(const struct prt_neigh *n)
{
	return n->gw6_wanted && !n->gw6_known;
}

int prt_scan_resolve_gateway(struct prt_scan *scan, double timeout_s)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t deadline = rte_rdtsc() + (uint64_t)(timeout_s * (double)hz);
	uint64_t next_request = 0;
	uint8_t frame[PRT_NEIGH_FRAME_MAX];

	while (unresolved4(&scan->neigh) || unresolved6(&scan->neigh)) {
		struct rte_mbuf *pkts[32];
		uint64_t now = rte_rdtsc();
		uint16_t n;

		if (now >= deadline)
			return -ETIMEDOUT;
		if (now >= next_request) {
			size_t len;
			if (unresolved4(&scan->neigh)) {
				len = prt_neigh_build_request(&scan->neigh, scan->neigh.gw_ip, frame);
				if (send_frame(scan, frame, (uint16_t)len) != 0)
					return -ENOMEM;
			}
			if (unresolved6(&scan->neigh)) {
				len = prt_neigh_build_solicit(&scan->neigh, &scan->neigh.gw_ip6, frame);
				if (send_frame(scan, frame, (uint16_t)len) != 0)
					return -ENOMEM;
			}
			next_request = now + hz / 4;
		}
		n = 0;
		for (uint16_t q = 0; q < scan->nb_rxq; q++) {
			uint16_t got = rte_eth_rx_burst(scan->port_id, q, pkts, RTE_DIM(pkts));
			for (uint16_t i = 0; i < got; i++) {
				size_t rlen = 0;
				if (prt_neigh_input(&scan->neigh, rte_pktmbuf_mtod(pkts[i], uint8_t *),
					    rte_pktmbuf_data_len(pkts[i]), frame, &rlen) ==
				    PRT_NEIGH_REPLY)
					send_frame(scan, frame, (uint16_t)rlen);
			}
			rte_pktmbuf_free_bulk(pkts, got);
			n += got;
		}
		if (n == 0)
			rte_delay_us_sleep(1000);
	}
	return 0;
}
