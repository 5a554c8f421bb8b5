/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_PIPELINE_H
#define PRT_PIPELINE_H

/**
 * @file
 * The lcore pipeline of a scan.
 *
 *   TX lcore i: tokens from its bucket -> next pairs of walk slice i -> craft
 *               from the template -> tx_burst on its own queue (untaken mbufs
 *               are offered again, never skipped) ; it also sends the RST/ARP
 *               frames the RX side queued on the reply ring.
 *   RX lcore:   rx_burst -> ARP (neigh) or classify -> first answer per pair
 *               (answered bitmap) -> result ring to main; RST for a SYN-ACK.
 *   main lcore: drains the result ring into the writers, progress, phases.
 *
 * Passes: pass 0 probes every pair; each retry pass re-probes only pairs
 * still unanswered, one retry gap after the previous pass ended. The answered
 * bitmap is result state owned by RX; the SYN path itself keeps no per-target
 * state (cookies validate replies).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "prt_classify.h"
#include "prt_cookie.h"
#include "prt_neigh.h"
#include "prt_probe.h"
#include "prt_result.h"
#include "prt_stats.h"
#include "prt_target.h"

struct rte_mempool;
struct rte_ring;

enum prt_phase {
	PRT_PHASE_SCANNING = 0, /**< TX lcores walk their slices */
	PRT_PHASE_COOLDOWN,     /**< all sent; waiting --wait for late replies */
	PRT_PHASE_DONE,         /**< lcores return */
};

/** Everything the lcores share. Read-only after launch except where noted. */
struct prt_scan {
	const struct prt_probe_ops *probe;
	struct prt_probe_tmpl probe_tmpl;
	struct prt_probe_tmpl rst_tmpl;
	struct prt_cookie_key key;
	struct prt_cls_ctx cls;
	struct prt_neigh neigh; /**< RX lcore writes (gateway learning) */
	const struct prt_target_set *targets;
	const struct prt_port_list *ports;
	struct prt_perm perm;
	uint64_t npairs;

	uint16_t port_id;
	struct rte_mempool *pool;
	uint16_t burst;
	uint64_t rate;           /**< total pps over all TX lcores; 0 = unlimited */
	uint32_t passes;         /**< 1 + --max-retries */
	uint64_t retry_gap_tsc;  /**< wait between passes */
	uint32_t n_tx;           /**< TX lcores = walk slices */

	/* shared, written by lcores */
	uint64_t *answered;      /**< bit per pair; RX sets it (atomic or) */
	struct rte_ring *results;/**< RX -> main, struct prt_result elements */
	struct rte_ring *replies;/**< RX -> TX, mbufs (RST, ARP replies) */
	uint32_t phase;          /**< enum prt_phase, set by main */
	uint32_t stop;           /**< set by main on SIGINT: stop sending */
	uint32_t tx_finished;    /**< TX lcores done with all passes */
	uint64_t answered_count; /**< pairs answered; all answered ends retries and cooldown */
	struct prt_stats_lcore stats[RTE_MAX_LCORE];
};

/** What one TX or RX lcore runs on. */
struct prt_lcore_arg {
	struct prt_scan *scan;
	uint16_t queue;
	uint32_t slice; /**< TX: walk slice number */
	struct prt_stats_lcore *stats;
};

/**
 * Allocate the bitmap and rings (after targets, ports, perm are set).
 * @return 0 or -ENOMEM/-rte_errno
 */
int prt_scan_alloc(struct prt_scan *scan, int socket);

/** Free what prt_scan_alloc() made, and any mbufs left on the reply ring. */
void prt_scan_release(struct prt_scan *scan);

/** Mark @p pair answered. @return true if this was the first answer */
static inline bool prt_scan_mark_answered(struct prt_scan *scan, uint64_t pair)
{
	uint64_t bit = 1ULL << (pair & 63);

	if (__atomic_fetch_or(&scan->answered[pair >> 6], bit, __ATOMIC_RELAXED) & bit)
		return false;
	__atomic_fetch_add(&scan->answered_count, 1, __ATOMIC_RELAXED);
	return true;
}

static inline void prt_scan_unmark_answered(struct prt_scan *scan, uint64_t pair)
{
	__atomic_fetch_and(&scan->answered[pair >> 6], ~(1ULL << (pair & 63)), __ATOMIC_RELAXED);
	__atomic_fetch_sub(&scan->answered_count, 1, __ATOMIC_RELAXED);
}

/** Every pair has its answer: nothing left to retry or wait for. */
static inline bool prt_scan_all_answered(const struct prt_scan *scan)
{
	return __atomic_load_n(&scan->answered_count, __ATOMIC_RELAXED) == scan->npairs;
}

static inline bool prt_scan_is_answered(const struct prt_scan *scan, uint64_t pair)
{
	return (__atomic_load_n(&scan->answered[pair >> 6], __ATOMIC_RELAXED) >> (pair & 63)) & 1;
}

static inline uint32_t prt_scan_phase(const struct prt_scan *scan)
{
	return __atomic_load_n(&scan->phase, __ATOMIC_ACQUIRE);
}

/** The address and port of pair number @p pair. */
static inline void prt_scan_pair(const struct prt_scan *scan, uint64_t pair, uint32_t *ip,
	uint16_t *port)
{
	*ip = prt_target_set_ip_at(scan->targets, pair / scan->ports->n);
	*port = scan->ports->ports[pair % scan->ports->n];
}

/** TX lcore entry (rte_eal_remote_launch). */
int prt_tx_lcore_main(void *arg);

/** RX lcore entry. */
int prt_rx_lcore_main(void *arg);

/**
 * Resolve scan->neigh.gw_ip by ARP on (port, queue 0) before any lcore is
 * launched, answering ARP requests for our address meanwhile.
 * @return 0 when learned, -ETIMEDOUT, or -ENOMEM
 */
int prt_scan_resolve_gateway(struct prt_scan *scan, double timeout_s);

/** Hand a locally built frame to the TX side through the reply ring. */
void prt_scan_queue_reply(struct prt_scan *scan, struct prt_stats_lcore *st, const uint8_t *frame,
	uint16_t len);

#endif
