/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The /prtip/ commands on the DPDK telemetry socket. DPDK 22.11's callbacks take
 * no user argument, so the scan being served is kept here, behind a lock
 * that teardown takes before the scan is freed. Counters are read with
 * atomic loads from the telemetry thread; nothing here writes to the data
 * path except /prtip/rate, which publishes a request the TX lcores pick up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "prt_common.h"
#include "prt_pipeline.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

static rte_spinlock_t tel_lock = RTE_SPINLOCK_INITIALIZER;
static struct prt_scan *tel_scan;
static bool registered;

static const char *phase_name(uint32_t phase)
{
	switch (phase) {
	case PRT_PHASE_SCANNING:
		return "scanning";
	case PRT_PHASE_COOLDOWN:
		return "waiting";
	default:
		return "done";
	}
}

static uint64_t ms_since(const struct prt_scan *s, uint64_t now)
{
	return (now - s->start_tsc) * 1000 / rte_get_tsc_hz();
}

/* 22.11 nests only arrays, so drops are flat keys: "drop_bad_checksum". */
static void add_drops(struct rte_tel_data *d, const struct prt_stats_lcore *t)
{
	for (int v = 1; v < PRT_CLS_VERDICT_COUNT; v++) {
		char key[48];
		if (v == PRT_CLS_DUPLICATE)
			continue; /* not a drop: "duplicates" */
		snprintf(key, sizeof(key), "drop_%s", prt_cls_verdict_name((enum prt_cls_verdict)v));
		for (char *c = key; *c; c++)
			if (*c == '-')
				*c = '_';
		rte_tel_data_add_dict_u64(d, key, t->rx_drop[v]);
	}
}

/* A u64 array under @p name, filled by @p get for every lcore with @p role
 * (PRT_ROLE_NONE: any role). */
static void add_column(struct rte_tel_data *d, const char *name, const struct prt_scan *s,
	enum prt_lcore_role role, uint64_t (*get)(const struct prt_scan *s, unsigned id))
{
	struct rte_tel_data *col = rte_tel_data_alloc();

	if (col == NULL)
		return;
	rte_tel_data_start_array(col, RTE_TEL_U64_VAL);
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		enum prt_lcore_role r = s->lcore[id].role;
		if (r != PRT_ROLE_NONE && (role == PRT_ROLE_NONE || r == role))
			rte_tel_data_add_array_u64(col, get(s, id));
	}
	rte_tel_data_add_dict_container(d, name, col, 0);
}

static uint64_t col_lcore(const struct prt_scan *s, unsigned id)
{
	(void)s;
	return id;
}

static uint64_t col_queue(const struct prt_scan *s, unsigned id)
{
	return s->lcore[id].queue;
}

/* TX lcores: probes sent; RX lcores: packets received. */
static uint64_t col_packets(const struct prt_scan *s, unsigned id)
{
	const struct prt_stats_lcore *st = &s->stats[id];

	return s->lcore[id].role == PRT_ROLE_TX ? LOAD(st->tx_probes) : LOAD(st->rx_packets);
}

static uint64_t col_bursts(const struct prt_scan *s, unsigned id)
{
	const struct prt_stats_lcore *st = &s->stats[id];

	return s->lcore[id].role == PRT_ROLE_TX ? LOAD(st->tx_bursts) : LOAD(st->rx_bursts);
}

static uint64_t col_busy_pct(const struct prt_scan *s, unsigned id)
{
	uint64_t elapsed = rte_rdtsc() - s->start_tsc;

	return elapsed ? LOAD(s->stats[id].busy_tsc) * 100 / elapsed : 0;
}

static uint64_t col_rate(const struct prt_scan *s, unsigned id)
{
	return LOAD(s->lcore[id].rl.rate);
}

static uint64_t col_granted(const struct prt_scan *s, unsigned id)
{
	return LOAD(s->lcore[id].rl.granted);
}

static int stats_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	struct prt_stats_lcore t;
	uint64_t now = rte_rdtsc(), pps = LOAD(s->pps_now);
	uint64_t total = prt_scan_work_total(s), walked, eta_ms = 0;

	(void)params;
	prt_stats_sum(s->stats, RTE_MAX_LCORE, &t);
	walked = prt_scan_work_done(s, t.walked);
	if (pps > 0 && walked < total)
		eta_ms = (total - walked) * 1000 / pps;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "phase", phase_name(prt_scan_phase(s)));
	rte_tel_data_add_dict_u64(d, "pairs_total", s->shard_pairs);
	rte_tel_data_add_dict_u64(d, "pairs_answered", LOAD(s->answered_count));
	rte_tel_data_add_dict_u64(d, "work_total", total);
	rte_tel_data_add_dict_u64(d, "work_done", walked);
	rte_tel_data_add_dict_u64(d, "probes_sent", t.tx_probes);
	rte_tel_data_add_dict_u64(d, "retransmits", t.tx_retransmits);
	rte_tel_data_add_dict_u64(d, "replies", t.rx_results + t.rx_duplicates);
	rte_tel_data_add_dict_u64(d, "duplicates", t.rx_duplicates);
	rte_tel_data_add_dict_u64(d, "open", LOAD(s->state_count[PRT_STATE_OPEN]));
	rte_tel_data_add_dict_u64(d, "closed", LOAD(s->state_count[PRT_STATE_CLOSED]));
	rte_tel_data_add_dict_u64(d, "filtered", LOAD(s->state_count[PRT_STATE_FILTERED]));
	rte_tel_data_add_dict_u64(d, "open_filtered",
		LOAD(s->state_count[PRT_STATE_OPEN_FILTERED]));
	rte_tel_data_add_dict_u64(d, "unfiltered", LOAD(s->state_count[PRT_STATE_UNFILTERED]));
	rte_tel_data_add_dict_u64(d, "hosts_up", LOAD(s->state_count[PRT_STATE_UP]));
	rte_tel_data_add_dict_u64(d, "hosts_down", LOAD(s->state_count[PRT_STATE_DOWN]));
	rte_tel_data_add_dict_u64(d, "pps", pps);
	rte_tel_data_add_dict_u64(d, "elapsed_ms", ms_since(s, now));
	rte_tel_data_add_dict_u64(d, "eta_ms", eta_ms);
	rte_tel_data_add_dict_u64(d, "tx_bursts", t.tx_bursts);
	rte_tel_data_add_dict_u64(d, "rx_bursts", t.rx_bursts);
	rte_tel_data_add_dict_u64(d, "rx_packets", t.rx_packets);
	rte_tel_data_add_dict_u64(d, "tx_busy_retries", t.tx_busy);
	rte_tel_data_add_dict_u64(d, "no_mbuf", t.no_mbuf);
	rte_tel_data_add_dict_u64(d, "reply_ring_full", t.reply_ring_full);
	rte_tel_data_add_dict_u64(d, "result_ring_full", t.result_ring_full);
	add_drops(d, &t);
	return 0;
}

static int config_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	const struct prt_scan_info *i = &s->info;

	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "source_ip", i->source_ip);
	rte_tel_data_add_dict_string(d, "router", i->router);
	rte_tel_data_add_dict_string(d, "driver", i->driver);
	rte_tel_data_add_dict_string(d, "probe", s->cls.arm[0].probe->name);
	rte_tel_data_add_dict_u64(d, "ips", i->ips);
	rte_tel_data_add_dict_u64(d, "ports", i->ports);
	rte_tel_data_add_dict_u64(d, "pairs", s->shard_pairs);
	rte_tel_data_add_dict_string(d, "state", s->internet ? "internet" : "per-pair");
	rte_tel_data_add_dict_u64(d, "state_bytes", i->state_bytes);
	if (s->internet)
		rte_tel_data_add_dict_u64(d, "retry_distance", s->retry_distance);
	rte_tel_data_add_dict_u64(d, "shard", s->shard);
	rte_tel_data_add_dict_u64(d, "shards", s->nshards);
	rte_tel_data_add_dict_u64(d, "rate", i->rate);
	rte_tel_data_add_dict_u64(d, "bandwidth_bps", i->bandwidth);
	rte_tel_data_add_dict_u64(d, "source_port_first", s->cls.keys.sport_base);
	rte_tel_data_add_dict_u64(d, "source_ports", s->cls.keys.sport_count);
	rte_tel_data_add_dict_u64(d, "max_retries", i->max_retries);
	rte_tel_data_add_dict_u64(d, "wait_ms", i->wait_ms);
	if (i->seeded)
		rte_tel_data_add_dict_u64(d, "seed", i->seed);
	rte_tel_data_add_dict_u64(d, "tx_lcores", s->n_tx);
	rte_tel_data_add_dict_u64(d, "rx_lcores", s->n_rx);
	rte_tel_data_add_dict_u64(d, "burst", s->burst);
	return 0;
}

/* One column per field, one row per lcore (22.11 nests arrays only). */
static int lcores_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *roles = rte_tel_data_alloc();

	(void)params;
	rte_tel_data_start_dict(d);
	add_column(d, "lcore", s, PRT_ROLE_NONE, col_lcore);
	if (roles != NULL) {
		rte_tel_data_start_array(roles, RTE_TEL_STRING_VAL);
		for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
			if (s->lcore[id].role != PRT_ROLE_NONE)
				rte_tel_data_add_array_string(roles,
					s->lcore[id].role == PRT_ROLE_TX ? "tx" : "rx");
		rte_tel_data_add_dict_container(d, "role", roles, 0);
	}
	add_column(d, "queue", s, PRT_ROLE_NONE, col_queue);
	add_column(d, "packets", s, PRT_ROLE_NONE, col_packets);
	add_column(d, "bursts", s, PRT_ROLE_NONE, col_bursts);
	add_column(d, "busy_pct", s, PRT_ROLE_NONE, col_busy_pct);
	return 0;
}

static int ratelim_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	uint64_t total = 0;

	(void)params;
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		if (s->lcore[id].role == PRT_ROLE_TX)
			total += LOAD(s->lcore[id].rl.rate);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "rate", total);
	rte_tel_data_add_dict_u64(d, "rate_requested", LOAD(s->rate_request));
	rte_tel_data_add_dict_u64(d, "pps", LOAD(s->pps_now));
	add_column(d, "tx_lcore", s, PRT_ROLE_TX, col_lcore);
	add_column(d, "tx_rate", s, PRT_ROLE_TX, col_rate);
	add_column(d, "tx_granted_since_change", s, PRT_ROLE_TX, col_granted);
	return 0;
}

static int rate_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	uint64_t rate;

	rte_tel_data_start_dict(d);
	if (params == NULL || prt_parse_si(params, 1, 1000000000ULL, &rate) != 0) {
		rte_tel_data_add_dict_string(d, "error",
			"usage: /prtip/rate,PPS with PPS 1-1G (k/M/G suffixes allowed)");
		return 0;
	}
	if (s->rate_cap != 0 && rate > s->rate_cap) {
		char why[96];
		snprintf(why, sizeof(why), "%llu pps is above --bandwidth's %llu pps",
			(unsigned long long)rate, (unsigned long long)s->rate_cap);
		rte_tel_data_add_dict_string(d, "error", why);
		return 0;
	}
	prt_scan_set_rate(s, rate);
	rte_tel_data_add_dict_u64(d, "rate", rate);
	return 0;
}

/* Connections of -sT / --banners over every RX lcore (zeros without them). */
static int tcp_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	struct prt_tcp_stats t;
	struct prt_service_stats sv;
	uint64_t banners = 0;

	(void)params;
	prt_scan_conns_stats(s, &t);
	prt_scan_service_stats(s, &sv);
	banners = prt_scan_banners_reported(s);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", !s->sessions ? "off" :
		s->service.matcher != NULL ? "version" : s->service.grab ? "banners" : "connect");
	rte_tel_data_add_dict_u64(d, "open", t.open);
	rte_tel_data_add_dict_u64(d, "created", t.created);
	rte_tel_data_add_dict_u64(d, "closed", t.closed);
	rte_tel_data_add_dict_u64(d, "reset_by_peer", t.reset);
	rte_tel_data_add_dict_u64(d, "timed_out", t.timed_out);
	rte_tel_data_add_dict_u64(d, "aborted", t.aborted);
	rte_tel_data_add_dict_u64(d, "table_full", t.table_full);
	rte_tel_data_add_dict_u64(d, "retransmits", t.retransmits);
	rte_tel_data_add_dict_u64(d, "out_of_order", t.out_of_order);
	rte_tel_data_add_dict_u64(d, "challenge_acks", t.challenge_acks);
	rte_tel_data_add_dict_u64(d, "bytes_in", t.bytes_in);
	rte_tel_data_add_dict_u64(d, "bytes_out", t.bytes_out);
	rte_tel_data_add_dict_u64(d, "banners", banners);
	rte_tel_data_add_dict_u64(d, "tls_live", sv.tls_live);
	rte_tel_data_add_dict_u64(d, "tls_refused", sv.tls_refused);
	rte_tel_data_add_dict_u64(d, "tls_max_per_lcore", s->service.tls_max);
	rte_tel_data_add_dict_u64(d, "capacity_per_lcore", s->sessions ? s->tcp.capacity : 0);
	return 0;
}

/* -sV: what the probes found, and how the matcher was loaded. */
static int match_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	const struct prt_matcher *m = s->service.matcher;
	struct prt_service_stats v;

	(void)params;
	prt_scan_service_stats(s, &v);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", m != NULL ? "version" : "off");
	rte_tel_data_add_dict_u64(d, "ports", v.ports);
	rte_tel_data_add_dict_u64(d, "probes_sent", v.probes_sent);
	rte_tel_data_add_dict_u64(d, "matched", v.matched);
	rte_tel_data_add_dict_u64(d, "soft", v.soft);
	rte_tel_data_add_dict_u64(d, "unmatched", v.unmatched);
	rte_tel_data_add_dict_u64(d, "tcpwrapped", v.tcpwrapped);
	rte_tel_data_add_dict_u64(d, "jobs_full", v.jobs_full);
	rte_tel_data_add_dict_u64(d, "match_tries", v.match_tries);
	rte_tel_data_add_dict_u64(d, "match_limit_hits", v.match_limit_hits);
	if (m != NULL) {
		const struct prt_matcher_stats *ms = prt_matcher_stats(m);
		rte_tel_data_add_dict_u64(d, "patterns", ms->patterns);
		rte_tel_data_add_dict_u64(d, "prefilter", ms->prefilter);
		rte_tel_data_add_dict_u64(d, "db_load_ms", (uint64_t)ms->load_ms);
		rte_tel_data_add_dict_string(d, "db_from_cache", ms->from_cache ? "yes" : "no");
	}
	return 0;
}

typedef int (*scan_cmd_fn)(struct prt_scan *s, const char *params, struct rte_tel_data *d);

/* Every command runs under the lock, so teardown cannot free the scan under it. */
static int run_locked(scan_cmd_fn fn, const char *params, struct rte_tel_data *d)
{
	int rc;

	rte_spinlock_lock(&tel_lock);
	if (tel_scan == NULL) {
		rte_tel_data_start_dict(d);
		rte_tel_data_add_dict_string(d, "error", "no scan running");
		rc = 0;
	} else {
		rc = fn(tel_scan, params, d);
	}
	rte_spinlock_unlock(&tel_lock);
	return rc;
}

#define TEL_CMD(name, fn) \
	static int name(const char *cmd, const char *params, struct rte_tel_data *d) \
	{ \
		(void)cmd; \
		return run_locked(fn, params, d); \
	}

TEL_CMD(tel_stats, stats_cmd)
TEL_CMD(tel_config, config_cmd)
TEL_CMD(tel_lcores, lcores_cmd)
TEL_CMD(tel_ratelim, ratelim_cmd)
TEL_CMD(tel_rate, rate_cmd)
TEL_CMD(tel_tcp, tcp_cmd)
TEL_CMD(tel_match, match_cmd)

int prt_telemetry_attach(struct prt_scan *scan)
{
	static const struct {
		const char *path;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{"/prtip/stats", tel_stats, "Scan progress and counters. No parameters"},
		{"/prtip/config", tel_config, "The scan's settings. No parameters"},
		{"/prtip/lcores", tel_lcores, "Per-lcore role, queue, counters, busy %. No parameters"},
		{"/prtip/ratelim", tel_ratelim, "Token buckets of the TX lcores. No parameters"},
		{"/prtip/rate", tel_rate, "Change the total rate now. Parameter: PPS (1-1G)"},
		{"/prtip/tcp", tel_tcp, "Connections of -sT/--banners/-sV. No parameters"},
		{"/prtip/match", tel_match, "-sV: probes, matches, the matcher. No parameters"},
	};

	if (!registered) {
		for (size_t i = 0; i < PRT_ARRAY_SIZE(cmds); i++) {
			int rc = rte_telemetry_register_cmd(cmds[i].path, cmds[i].fn, cmds[i].help);
			if (rc != 0)
				return rc;
		}
		registered = true;
	}
	rte_spinlock_lock(&tel_lock);
	tel_scan = scan;
	rte_spinlock_unlock(&tel_lock);
	return 0;
}

void prt_telemetry_detach(void)
{
	rte_spinlock_lock(&tel_lock);
	tel_scan = NULL;
	rte_spinlock_unlock(&tel_lock);
}
