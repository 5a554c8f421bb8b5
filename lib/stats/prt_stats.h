/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_STATS_H
#define PRT_STATS_H

/**
 * @file
 * Per-lcore counters. Each lcore writes only its own cache-aligned block with
 * relaxed atomic stores (one writer, no lock); the main lcore (and later the
 * telemetry thread) reads them with relaxed atomic loads and sums.
 */

#include <stdint.h>

#include <rte_common.h>

#define PRT_STATS_DROP_MAX 16

struct prt_stats_lcore {
	uint64_t tx_probes;       /**< probes handed to the NIC, all passes */
	uint64_t tx_retransmits;  /**< of which in a retry pass */
	uint64_t tx_bursts;
	uint64_t tx_busy;         /**< tx_burst calls that took less than offered */
	uint64_t tx_replies;      /**< RST and ARP frames sent for the RX side */
	uint64_t walked;          /**< walk positions consumed, all passes */
	uint64_t rx_packets;
	uint64_t rx_bursts;
	uint64_t rx_results;      /**< first answers for a pair */
	uint64_t rx_duplicates;   /**< later answers for an answered pair */
	uint64_t rx_arp;
	uint64_t rx_drop[PRT_STATS_DROP_MAX]; /**< by classifier verdict */
	uint64_t reply_ring_full; /**< RST/ARP dropped: TX side too slow */
	uint64_t result_ring_full;/**< answers lost to a full ring (retried later) */
	uint64_t no_mbuf;
	uint64_t busy_tsc;        /**< TSC ticks spent in loop passes that did work */
} __rte_cache_aligned;

/** Add @p n to a counter of the calling lcore's own block. */
#define PRT_STAT_ADD(field, n) \
	__atomic_store_n(&(field), (field) + (n), __ATOMIC_RELAXED)

/** Sum @p count blocks into @p total (reads are atomic per counter). */
void prt_stats_sum(const struct prt_stats_lcore *blocks, unsigned count,
	struct prt_stats_lcore *total);

/** Total of the rx_drop counters. */
uint64_t prt_stats_drops(const struct prt_stats_lcore *s);

/** Inputs of the progress line. */
struct prt_progress {
	double elapsed_s;
	double pps;        /**< over the last interval */
	uint64_t sent;
	uint64_t work_done;  /**< walk positions consumed */
	uint64_t work_total; /**< positions of all passes (upper bound) */
	uint64_t replies;
	uint64_t open;
	const char *phase;
};

/** Format the one-line progress report. */
void prt_progress_format(const struct prt_progress *p, char *buf, size_t len);

#endif
