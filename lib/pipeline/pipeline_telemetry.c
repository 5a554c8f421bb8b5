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

/* A number of the scan's lists as a dict key: a variant is appended
 * ("drop_bad_checksum": 22.11 nests only arrays). */
static void add_metric(void *arg, const struct prt_metric *m, const char *variant, uint64_t v)
{
	char key[64];

	snprintf(key, sizeof(key), "%s%s%s", m->name, variant ? "_" : "", variant ? variant : "");
	rte_tel_data_add_dict_u64(arg, key, v);
}

static int stats_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "phase", phase_name(prt_scan_phase(s)));
	prt_scan_stats_each(s, add_metric, d);
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
struct columns {
	struct rte_tel_data *col[6];
};

static void add_row(void *arg, const struct prt_lcore_sample *l)
{
	struct columns *c = arg;
	const uint64_t v[] = {l->lcore, l->queue, l->packets, l->bursts, l->busy_pct};

	if (c->col[5] != NULL)
		rte_tel_data_add_array_string(c->col[5], l->role);
	for (int i = 0; i < 5; i++)
		if (c->col[i] != NULL)
			rte_tel_data_add_array_u64(c->col[i], v[i]);
}

static int lcores_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	static const char *const names[] = {"lcore", "queue", "packets", "bursts", "busy_pct",
		"role"};
	static const int order[] = {0, 5, 1, 2, 3, 4};
	struct columns c;

	(void)params;
	rte_tel_data_start_dict(d);
	for (int i = 0; i < 6; i++) {
		c.col[i] = rte_tel_data_alloc();
		if (c.col[i] != NULL)
			rte_tel_data_start_array(c.col[i],
				i == 5 ? RTE_TEL_STRING_VAL : RTE_TEL_U64_VAL);
	}
	prt_scan_lcores_each(s, add_row, &c);
	for (int i = 0; i < 6; i++) /* lcore, role, queue, ...: the order it always had */
		if (c.col[order[i]] != NULL)
			rte_tel_data_add_dict_container(d, names[order[i]], c.col[order[i]], 0);
	return 0;
}

/* A u64 array under @p name, filled by @p get for every TX lcore. */
static void add_tx_column(struct rte_tel_data *d, const char *name, const struct prt_scan *s,
	uint64_t (*get)(const struct prt_scan *s, unsigned id))
{
	struct rte_tel_data *col = rte_tel_data_alloc();

	if (col == NULL)
		return;
	rte_tel_data_start_array(col, RTE_TEL_U64_VAL);
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		if (s->lcore[id].role == PRT_ROLE_TX)
			rte_tel_data_add_array_u64(col, get(s, id));
	rte_tel_data_add_dict_container(d, name, col, 0);
}

static uint64_t col_lcore(const struct prt_scan *s, unsigned id)
{
	(void)s;
	return id;
}

static uint64_t col_rate(const struct prt_scan *s, unsigned id)
{
	return LOAD(s->lcore[id].rl.rate);
}

static uint64_t col_granted(const struct prt_scan *s, unsigned id)
{
	return LOAD(s->lcore[id].rl.granted);
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
	add_tx_column(d, "tx_lcore", s, col_lcore);
	add_tx_column(d, "tx_rate", s, col_rate);
	add_tx_column(d, "tx_granted_since_change", s, col_granted);
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
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", !s->sessions ? "off" :
		s->service.matcher != NULL ? "version" : s->service.grab ? "banners" : "connect");
	prt_scan_tcp_each(s, add_metric, d);
	rte_tel_data_add_dict_u64(d, "tls_max_per_lcore", s->service.tls_max);
	rte_tel_data_add_dict_u64(d, "capacity_per_lcore", s->sessions ? s->tcp.capacity : 0);
	return 0;
}

/* -sV: what the probes found, and how the matcher was loaded. */
static int match_cmd(struct prt_scan *s, const char *params, struct rte_tel_data *d)
{
	const struct prt_matcher *m = s->service.matcher;

	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "mode", m != NULL ? "version" : "off");
	prt_scan_match_each(s, add_metric, d);
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

void prt_telemetry_with_scan(void (*fn)(struct prt_scan *scan, void *arg), void *arg)
{
	rte_spinlock_lock(&tel_lock);
	fn(tel_scan, arg);
	rte_spinlock_unlock(&tel_lock);
}

void prt_telemetry_detach(void)
{
	rte_spinlock_lock(&tel_lock);
	tel_scan = NULL;
	rte_spinlock_unlock(&tel_lock);
}
