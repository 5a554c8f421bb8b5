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
 * Two state regimes, chosen before the scan (docs/architecture.md):
 *  - per pair, while two bits per pair fit --max-state-memory: pass 0
 *    probes every pair; each retry pass re-probes only pairs still
 *    unanswered, one retry gap after the previous pass ended; at the end the
 *    silent pairs are reported. The answered bitmap is owned by RX.
 *  - Internet mode beyond it: memory independent of the scan's size. One
 *    pass in which every probe is sent again retry_distance walk positions
 *    later (masscan's way); first answers are told from duplicates by a
 *    bounded table (lib/dedup); silent pairs are never reported.
 * The SYN path itself keeps no per-target state (cookies validate replies).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_reciprocal.h>

#include "prt_classify.h"
#include "prt_cookie.h"
#include "prt_dedup.h"
#include "prt_neigh.h"
#include "prt_osdetect.h"
#include "prt_probe.h"
#include "prt_ratelim.h"
#include "prt_result.h"
#include "prt_service.h"
#include "prt_stats.h"
#include "prt_target.h"
#include "prt_tcp.h"

struct rte_mempool;
struct rte_ring;

enum prt_phase {
	PRT_PHASE_SCANNING = 0, /**< TX lcores walk their slices */
	PRT_PHASE_COOLDOWN,     /**< all sent; waiting --wait for late replies */
	PRT_PHASE_DONE,         /**< lcores return */
};

#define PRT_MAX_TX_LCORES 32
#define PRT_MAX_RX_LCORES 32

enum prt_lcore_role {
	PRT_ROLE_NONE = 0,
	PRT_ROLE_TX,
	PRT_ROLE_RX,
};

struct prt_scan;
struct prt_conns;
struct prt_os_table;
struct prt_os_phase;
struct prt_udpv_phase;

/** What one TX or RX lcore runs on; the lcore writes only its own ratelim. */
struct prt_lcore_arg {
	struct prt_scan *scan;
	enum prt_lcore_role role;
	uint16_t queue;          /**< its own TX (TX role) or RX (RX role) queue */
	uint32_t slice;          /**< TX: walk slice number */
	struct rte_ring *replies;/**< TX: ring it drains; RX: ring it feeds */
	struct prt_stats_lcore *stats;
	struct prt_ratelim rl;   /**< TX: its token bucket (read by telemetry) */
	uint32_t pass;           /**< TX: the pass it is in (read by main for checkpoints) */
	uint64_t pass_steps;     /**< TX: walk positions consumed in that pass */
	struct prt_conns *conns; /**< RX with sessions: its connections (pipeline_conn.c) */
	struct prt_os_table *os; /**< TX in -O's phase: its hosts' tries (pipeline_os.c) */
} __rte_cache_aligned;

/** What /prtip/config reports: the scan's settings as the user gave them. */
struct prt_scan_info {
	char source_ip[16];
	char router[32];      /**< "198.18.0.1" or "mac 02:00:..." */
	char driver[64];
	uint64_t ips;
	uint32_t ports;
	uint64_t rate;        /**< --rate as given (pps) */
	uint64_t bandwidth;   /**< --bandwidth in bit/s, 0 = none */
	uint32_t max_retries;
	uint64_t wait_ms;
	uint64_t seed;
	bool seeded;
	uint64_t state_bytes; /**< per-pair state, or the dedup table in Internet mode */
};

/*
 * Round-trip times, measured as the scan runs: TX notes when it sent the
 * first probe of each burst in a slot chosen by the pair; RX, at a pair's
 * first answer, finds the pair there and takes the time since. The waits
 * (retry gap, cooldown) follow what was measured, as nmap's do.
 */
#define PRT_RTT_SLOTS 1024
#define PRT_RTT_MIN_TIMEOUT_S 0.25 /* a wait never shorter: replies queue on a busy path */
#define PRT_RTT_INITIAL_S 1.0      /* nmap's initial timeout, before any sample */

struct prt_rtt_slot {
	uint64_t pair1; /**< pair + 1 (0: empty), written after tsc */
	uint64_t tsc;
};

/** Everything the lcores share. Read-only after launch except where noted. */
struct prt_scan {
	struct prt_scan_info info;
	/* the arms (probe module, ports) are cls.arm[]; their templates here */
	struct prt_probe_tmpl tmpl[PRT_MAX_ARMS];
	struct prt_probe_tmpl tmpl6[PRT_MAX_ARMS]; /**< IPv6 targets (after the IPv4 ones) */
	struct prt_probe_tmpl rst_tmpl;
	struct prt_probe_tmpl rst_tmpl6;
	uint32_t nports;                    /**< ports per host over every arm */
	struct prt_cookie_key key;
	struct prt_cls_ctx cls;
	struct prt_neigh neigh; /**< RX lcore writes (gateway learning) */
	const struct prt_target_set *targets;
	struct prt_perm perm;
	uint64_t npairs;         /**< all pairs of the scan (every shard) */
	uint32_t shard;          /**< this machine's shard, 0-based */
	uint32_t nshards;        /**< 1 when not sharded */
	uint64_t shard_pairs;    /**< pairs this machine probes */
	bool internet;           /**< Internet mode: no per-pair state (see the top) */
	uint64_t retry_distance; /**< Internet mode: walk steps between a probe and its resend */
	struct rte_reciprocal_u64 nports_recip; /**< pair / nports without a divide */

	/* connections (-sT, --banners): each RX lcore gets a table made from these */
	bool sessions;
	struct prt_tcp_conf tcp;         /**< name, socket, ops and ctx are filled per lcore */
	struct prt_service_conf service; /**< report and report_ctx are filled per lcore */
	struct rte_ring *banners;        /**< RX -> main, struct prt_banner elements */

	/* -O's phase, after the port scan (pipeline_os.c); NULL in any other phase */
	struct prt_os_phase *os;
	uint64_t os_probes, os_answers, os_tries; /**< -O's counts (TX lcores, atomic adds) */

	/* -sV over UDP's phase, after the port scan (pipeline_udpv.c); NULL in any other */
	struct prt_udpv_phase *udpv;
	uint64_t udpv_probes;     /**< version probes sent (TX lcores, atomic adds) */
	uint64_t udpv_answers;    /**< their answers passed to main (RX lcores) */
	uint64_t udpv_ports_sent; /**< ports whose every probe went out (TX lcores) */

	uint16_t port_id;
	struct rte_mempool *pool;
	uint16_t burst;
	bool hw_cksum;           /**< probes leave their checksums to the NIC */
	uint64_t rate;           /**< total pps over all TX lcores at start; 0 = unlimited */
	uint64_t rate_cap;       /**< --bandwidth's pps: /prtip/rate may not exceed it (0: none) */
	uint32_t passes;         /**< 1 + --max-retries */
	uint64_t retry_gap_tsc;  /**< wait between passes */
	uint32_t n_tx;           /**< TX lcores = walk slices = TX queues */
	uint32_t n_rx;           /**< RX lcores */
	uint16_t nb_rxq;         /**< the port's RX queues: RX lcore i polls i, i + n_rx, ... */
	uint64_t perm_seed;      /**< the walk's key (a checkpoint keeps it) */
	bool resumed;            /**< started from a checkpoint: skip answered pairs */
	uint32_t resume_pass[PRT_MAX_TX_LCORES];  /**< per slice: the pass to start in */
	uint64_t resume_steps[PRT_MAX_TX_LCORES]; /**< per slice: positions already walked */
	struct prt_lcore_arg lcore[RTE_MAX_LCORE]; /**< by lcore id */

	/* shared, written by lcores */
	uint64_t *answered;      /**< bit per pair; RX sets it (atomic or); NULL in Internet mode */
	struct prt_dedup dedup;  /**< Internet mode: first answers, bounded */
	struct rte_ring *results;/**< RX -> main, struct prt_result elements */
	struct rte_ring *replies[PRT_MAX_TX_LCORES]; /**< RX -> TX lcore i, mbufs (RST, ARP) */
	uint32_t phase;          /**< enum prt_phase, set by main */
	uint32_t stop;           /**< set by main on SIGINT: stop sending */
	uint32_t tx_finished;    /**< TX lcores done with all passes */
	uint64_t answered_count; /**< pairs answered; all answered ends retries and cooldown */
	uint64_t rate_request;   /**< live rate change: new total pps (main/telemetry) */
	uint32_t rate_gen;       /**< bumped after rate_request is written */
	uint64_t start_tsc;      /**< launch time */
	uint64_t state_count[PRT_STATE_COUNT]; /**< results so far, written by main */
	uint64_t pps_now;        /**< probes/s over the last progress interval (main) */
	struct prt_rtt_slot rtt_sent[PRT_RTT_SLOTS]; /**< TX writes, RX reads */
	uint64_t rtt_max_tsc;    /**< the longest round trip measured (RX, atomic max) */
	uint64_t rtt_samples;    /**< how many were measured */
	struct prt_stats_lcore stats[RTE_MAX_LCORE];
};

/** The share of @p rate that TX slice @p slice of @p n_tx paces at (exact split). */
static inline uint64_t prt_scan_rate_share(uint64_t rate, uint32_t slice, uint32_t n_tx)
{
	uint64_t share = rate / n_tx + (slice < rate % n_tx);

	return rate == 0 ? 0 : (share ? share : 1);
}

/** Ask every TX lcore to pace at @p rate total pps from now on (0 = unlimited). */
static inline void prt_scan_set_rate(struct prt_scan *scan, uint64_t rate)
{
	__atomic_store_n(&scan->rate_request, rate, __ATOMIC_RELAXED);
	__atomic_fetch_add(&scan->rate_gen, 1, __ATOMIC_RELEASE);
}

/**
 * Allocate the bitmap and rings (after targets, ports, perm are set).
 * @return 0 or -ENOMEM/-rte_errno
 */
int prt_scan_alloc(struct prt_scan *scan, int socket);

/** Free what prt_scan_alloc() made, and any mbufs left on the reply rings. */
void prt_scan_release(struct prt_scan *scan);

/** Memory of the dedup table of Internet mode: 14.7 M answers (lib/dedup). */
#define PRT_INTERNET_DEDUP_BYTES (128u << 20)

/** Whether a pair of [@p from, @p to) was answered (not in --internet mode; @p from < @p to). */
static inline bool prt_scan_any_answered(const struct prt_scan *scan, uint64_t from, uint64_t to)
{
	const uint64_t *w = scan->answered;
	const uint64_t first = from >> 6, last = (to - 1) >> 6;
	const uint64_t head = ~0ULL << (from & 63), tail = ~0ULL >> (63 - ((to - 1) & 63));

	if (first == last)
		return (w[first] & head & tail) != 0;
	if (w[first] & head)
		return true;
	for (uint64_t i = first + 1; i < last; i++)
		if (w[i] != 0)
			return true;
	return (w[last] & tail) != 0;
}

/** Mark @p pair answered. @return true if this was the first answer */
static inline bool prt_scan_mark_answered(struct prt_scan *scan, uint64_t pair)
{
	uint64_t bit = 1ULL << (pair & 63);

	if (scan->internet) {
		if (!prt_dedup_add(&scan->dedup, pair))
			return false;
	} else if (__atomic_fetch_or(&scan->answered[pair >> 6], bit, __ATOMIC_RELAXED) & bit) {
		return false;
	}
	__atomic_fetch_add(&scan->answered_count, 1, __ATOMIC_RELAXED);
	return true;
}

static inline void prt_scan_unmark_answered(struct prt_scan *scan, uint64_t pair)
{
	if (scan->internet)
		prt_dedup_forget(&scan->dedup, pair);
	else
		__atomic_fetch_and(&scan->answered[pair >> 6], ~(1ULL << (pair & 63)),
			__ATOMIC_RELAXED);
	__atomic_fetch_sub(&scan->answered_count, 1, __ATOMIC_RELAXED);
}

/** Every pair has its answer: nothing left to retry or wait for (never
 * known in Internet mode, where answers are not kept per pair). */
static inline bool prt_scan_all_answered(const struct prt_scan *scan)
{
	return !scan->internet &&
		__atomic_load_n(&scan->answered_count, __ATOMIC_RELAXED) == scan->shard_pairs;
}

static inline bool prt_scan_is_answered(const struct prt_scan *scan, uint64_t pair)
{
	return (__atomic_load_n(&scan->answered[pair >> 6], __ATOMIC_RELAXED) >> (pair & 63)) & 1;
}

static inline uint32_t prt_scan_phase(const struct prt_scan *scan)
{
	return __atomic_load_n(&scan->phase, __ATOMIC_ACQUIRE);
}

/**
 * Port number @p idx of a host (0..nports-1), over the arms in order.
 * @return the arm that scans it (an index into cls.arm)
 */
static inline unsigned prt_scan_port_at(const struct prt_scan *scan, uint32_t idx,
	uint16_t *port)
{
	const struct prt_scan_arm *arm = scan->cls.arm;
	unsigned i = 0;

	while (i + 1 < scan->cls.narms && idx >= arm[i + 1].base)
		i++;
	idx -= arm[i].base;
	/* a run of ports needs no table load: the TX lcore asks per probe */
	*port = arm[i].ports->run_first >= 0 ? (uint16_t)(arm[i].ports->run_first + idx) :
		arm[i].ports->ports[idx];
	return i;
}

/** The address (either family), port and probe module of pair number @p pair. */
static inline const struct prt_probe_ops *prt_scan_pair_addr(const struct prt_scan *scan,
	uint64_t pair, struct prt_addr *addr, uint16_t *port)
{
	uint64_t ip_idx = rte_reciprocal_divide_u64(pair, &scan->nports_recip);

	*addr = prt_target_set_addr_at(scan->targets, ip_idx);
	return scan->cls.arm[prt_scan_port_at(scan, (uint32_t)(pair - ip_idx * scan->nports),
		port)].probe;
}

/** TX: the probe of @p pair left at @p tsc (called once per burst). */
static inline void prt_scan_rtt_sent(struct prt_scan *scan, uint64_t pair, uint64_t tsc)
{
	struct prt_rtt_slot *s = &scan->rtt_sent[pair % PRT_RTT_SLOTS];

	__atomic_store_n(&s->pair1, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->tsc, tsc, __ATOMIC_RELEASE);
	__atomic_store_n(&s->pair1, pair + 1, __ATOMIC_RELEASE);
}

/** RX: the first answer of @p pair came at @p now; a round trip when its probe was noted. */
void prt_scan_rtt_answered(struct prt_scan *scan, uint64_t pair, uint64_t now);

/**
 * How long to wait for the answer to a probe, from the round trips measured:
 * twice the longest, at least PRT_RTT_MIN_TIMEOUT_S, at most @p max_s;
 * PRT_RTT_INITIAL_S (or @p max_s if lower) before any was measured.
 * @return seconds
 */
double prt_scan_timeout_s(const struct prt_scan *scan, double max_s);

/** Walk positions of all passes: the 100% of progress. */
static inline uint64_t prt_scan_work_total(const struct prt_scan *scan)
{
	return scan->shard_pairs * scan->passes;
}

/**
 * Progress out of prt_scan_work_total() given the positions walked so far.
 * Retry passes skip answered pairs, so the scan is complete once every TX
 * lcore has finished, whatever was walked.
 */
static inline uint64_t prt_scan_work_done(const struct prt_scan *scan, uint64_t walked)
{
	uint64_t total = prt_scan_work_total(scan);

	if (__atomic_load_n(&scan->tx_finished, __ATOMIC_ACQUIRE) == scan->n_tx)
		return total;
	return walked < total ? walked : total;
}

/** Does @p pair belong to this machine's shard? */
static inline bool prt_scan_owns(const struct prt_scan *scan, uint64_t pair)
{
	return scan->nshards == 1 ||
		prt_shard_owns(prt_perm_position(&scan->perm, pair), scan->shard, scan->nshards);
}

/** Set the derived fields once targets, ports, shard and perm are final. */
void prt_scan_set_pairs(struct prt_scan *scan);

/**
 * Register the /prtip/ telemetry commands for @p scan (once per process;
 * later calls switch to the new scan). @return 0 or -errno
 */
int prt_telemetry_attach(struct prt_scan *scan);

/** Stop answering for the scan before it is freed (waits for a running command). */
void prt_telemetry_detach(void);

/**
 * Run @p fn with the scan telemetry serves (NULL when none runs), under the
 * lock teardown takes: the metrics endpoint reads through it too.
 */
void prt_telemetry_with_scan(void (*fn)(struct prt_scan *scan, void *arg), void *arg);

/* ---- the scan's counters, one list for telemetry and metrics (pipeline_counters.c) ---- */

enum prt_metric_kind { PRT_METRIC_COUNTER, PRT_METRIC_GAUGE };

/** A number the scan exports: /prtip/<cmd>'s key, a Prometheus series. */
struct prt_metric {
	const char *name;      /**< "probes_sent" (a label's value is appended for telemetry) */
	enum prt_metric_kind kind;
	const char *label;     /**< the label a sample's variant goes in ("reason"), or NULL */
	const char *help;
	/** Prometheus's name when its conventions want another ("elapsed_seconds"), and
	 * the factor from the telemetry value (0.001 from ms); NULL / 0: the same */
	const char *prom_name;
	double prom_scale;
};

/** One value of @p m; @p variant is the label's value (or NULL). */
typedef void (*prt_metric_fn)(void *arg, const struct prt_metric *m, const char *variant,
	uint64_t v);

/** /prtip/stats' numbers: progress, counts per state, rings, drops by verdict. */
void prt_scan_stats_each(struct prt_scan *scan, prt_metric_fn fn, void *arg);
/** /prtip/tcp's numbers: connections, TLS. */
void prt_scan_tcp_each(struct prt_scan *scan, prt_metric_fn fn, void *arg);
/** /prtip/match's numbers: -sV probes and matches. */
void prt_scan_match_each(struct prt_scan *scan, prt_metric_fn fn, void *arg);

/** One lcore's numbers (TX: probes, RX: packets received). */
struct prt_lcore_sample {
	unsigned lcore, queue;
	const char *role;      /**< "tx", "rx" */
	uint64_t packets, bursts, busy_pct, rate;
};

/** Every TX and RX lcore, in lcore order. */
void prt_scan_lcores_each(struct prt_scan *scan,
	void (*fn)(void *arg, const struct prt_lcore_sample *l), void *arg);

/**
 * Give each RX lcore its connection table and conversation (after the
 * lcores are wired), and make the banner ring. No-op without sessions.
 * @return 0 or -ENOMEM
 */
int prt_scan_conns_create(struct prt_scan *scan, int socket);
void prt_scan_conns_free(struct prt_scan *scan);

/** RX: a segment of an existing connection goes to it. @return true when it did */
bool prt_conns_input(const struct prt_lcore_arg *a, const struct prt_cls_out *o, uint64_t now);

/** RX: open a connection for a validated SYN-ACK. @return false: reset it instead */
bool prt_conns_open(const struct prt_lcore_arg *a, const struct prt_cls_out *o, uint64_t now);

/** RX: timers, and a reset of every connection once the scan is stopped. */
void prt_conns_poll(const struct prt_lcore_arg *a, uint64_t now);

/** Connections open on all RX lcores (main waits for none before DONE). */
uint64_t prt_scan_conns_open(const struct prt_scan *scan);

/** Banners the RX lcores handed to main. */
uint64_t prt_scan_banners_reported(const struct prt_scan *scan);

/** Sum of every RX lcore's -sV counters (zeros without -sV). */
void prt_scan_service_stats(const struct prt_scan *scan, struct prt_service_stats *sum);

/** Sum of every RX lcore's connection counters. */
void prt_scan_conns_stats(const struct prt_scan *scan, struct prt_tcp_stats *sum);

/** TX lcore entry (rte_eal_remote_launch). */
int prt_tx_lcore_main(void *arg);

/** RX lcore entry. */
int prt_rx_lcore_main(void *arg);

/**
 * Resolve scan->neigh.gw_ip by ARP before any lcore is launched: requests go
 * out on TX queue 0, replies are looked for on every RX queue (a PMD may
 * hash ARP to any of them); ARP requests for our address are answered.
 * @return 0 when learned, -ETIMEDOUT, or -ENOMEM
 */
int prt_scan_resolve_gateway(struct prt_scan *scan, double timeout_s);

/** TX: hand @p n frames to the NIC, offering each until taken (or the scan stops). */
void prt_tx_send_all(const struct prt_lcore_arg *a, struct rte_mbuf **m, uint16_t n);
/** TX: send what the RX side queued on this lcore's reply ring. */
void prt_tx_drain_replies(const struct prt_lcore_arg *a);

/* ---- -O: OS detection as a phase of its own (pipeline_os.c) ---- */

/** A host to try, main -> the TX lcore that owns it. */
struct prt_os_job {
	uint32_t addr;           /**< IPv4, host order */
	uint16_t tcp_open, tcp_closed, udp_closed;
	uint16_t try_no;
};

#define PRT_OS_TEXT_MAX 1536 /**< a fingerprint's tests as nmap prints them, unwrapped */

/** A try that ended, TX -> main. */
struct prt_os_outcome {
	uint32_t addr;
	int32_t distance;        /**< hops U1 told (1: our segment), 0 unknown */
	uint32_t answered;       /**< a bit per probe (enum prt_os_probe) */
	char text[PRT_OS_TEXT_MAX]; /**< "SEQ(...)OPS(...)...", "" when it did not fit */
	struct prt_os_seq_report seq; /**< what nmap reports beside the fingerprint */
};

/**
 * Set up -O's phase on @p scan (after its lcores are wired): a try table on
 * each TX lcore, over its share of the source ports, and the rings between
 * main, the RX and the TX lcores. @return 0 or -errno
 */
int prt_scan_os_create(struct prt_scan *scan, uint32_t src, uint16_t sport_base,
	uint32_t sport_count, uint32_t jobs, int socket);
void prt_scan_os_free(struct prt_scan *scan);

/** The TX lcore that owns the tries of @p addr. */
uint32_t prt_scan_os_owner(const struct prt_scan *scan, uint32_t addr);
/** Main: give a host to its lcore. @return 0, or -ENOBUFS (its queue is full; later) */
int prt_scan_os_submit(struct prt_scan *scan, const struct prt_os_job *job);
/** Main: the tries that ended. @return how many were put in @p out */
unsigned prt_scan_os_collect(struct prt_scan *scan, struct prt_os_outcome *out, unsigned n);
/** RX: an IPv4 frame goes to the tries of its source's lcore. @return true when taken */
bool prt_os_rx_input(const struct prt_lcore_arg *a, struct rte_mbuf *m);
/** TX lcore entry in -O's phase. */
int prt_os_tx_lcore_main(void *arg);

/* ---- -sV over UDP: a phase of its own (pipeline_udpv.c) ---- */

/** A port to probe, main -> a TX lcore. */
struct prt_udpv_job {
	struct prt_addr addr;
	uint16_t port;
	uint16_t pad;
};

/** An answer to a version probe, RX -> main. */
struct prt_udpv_reply {
	uint64_t ts;             /**< TSC on RX */
	struct prt_addr addr;
	uint16_t port;
	uint16_t at;             /**< the probe's index in the port's plan */
	uint8_t ttl;
	uint8_t pad;
	uint16_t len;
	uint8_t data[PRT_BANNER_MAX];
};

/**
 * Set up the phase on @p scan (its lcores wired, a -sU arm among its arms):
 * a queue of ports per TX lcore for @p jobs ports, the answers' ring to
 * main. @return 0 or -errno (-EINVAL: no UDP arm)
 */
int prt_scan_udpv_create(struct prt_scan *scan, const struct prt_sp_db *db, uint8_t intensity,
	uint32_t jobs, int socket);
void prt_scan_udpv_free(struct prt_scan *scan);
/** Main: a port to the next TX lcore. @return 0, or -ENOBUFS (its queue is full; later) */
int prt_scan_udpv_submit(struct prt_scan *scan, const struct prt_udpv_job *job);
/** Main: answers that came. @return how many were put in @p out */
unsigned prt_scan_udpv_collect(struct prt_scan *scan, struct prt_udpv_reply *out, unsigned n);
/** RX: a version probe's answer goes to main. @return true when taken */
bool prt_udpv_rx_input(const struct prt_lcore_arg *a, const uint8_t *frame, uint16_t len,
	uint64_t now);
/** TX lcore entry in the phase. */
int prt_udpv_tx_lcore_main(void *arg);

/** A locally built frame copied into a fresh mbuf, or NULL when the pool is empty. */
struct rte_mbuf *prt_scan_frame_mbuf(const struct prt_scan *scan, const uint8_t *frame,
	uint16_t len);

/** Hand a locally built frame to the TX side through the RX lcore's reply ring. */
void prt_scan_queue_reply(const struct prt_lcore_arg *a, const uint8_t *frame, uint16_t len);

#endif
