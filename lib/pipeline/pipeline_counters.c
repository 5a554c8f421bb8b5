/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scan's numbers, listed once: /prtip/stats, /prtip/tcp, /prtip/match
 * and /prtip/lcores (pipeline_telemetry.c) and the Prometheus endpoint
 * (--metrics: prtip_NAME, prtip_tcp_NAME, prtip_match_NAME) walk the same
 * lists, so a counter added here is in both.
 * Everything is read with relaxed atomic loads from a non-datapath thread.
 */
#include <rte_cycles.h>

#include "prt_common.h"
#include "prt_pipeline.h"

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

#define COUNTER(id, n, h) static const struct prt_metric id = {n, PRT_METRIC_COUNTER, NULL, h}
#define GAUGE(id, n, h) static const struct prt_metric id = {n, PRT_METRIC_GAUGE, NULL, h}

static const struct prt_metric M_PAIRS_TOTAL = {"pairs_total", PRT_METRIC_GAUGE, NULL,
	"(ip, port) pairs of this shard", "pairs", 0};
COUNTER(M_PAIRS_ANSWERED, "pairs_answered", "pairs with an answer");
static const struct prt_metric M_WORK_TOTAL = {"work_total", PRT_METRIC_GAUGE, NULL,
	"walk positions of all passes (an upper bound)", "work_positions", 0};
COUNTER(M_WORK_DONE, "work_done", "walk positions consumed");
COUNTER(M_PROBES, "probes_sent", "probes handed to the NIC, all passes");
COUNTER(M_RETRANS, "retransmits", "probes sent in a retry pass");
COUNTER(M_REPLIES, "replies", "answers received, duplicates included");
COUNTER(M_DUPS, "duplicates", "later answers for an answered pair");
COUNTER(M_OPEN, "open", "pairs found open");
COUNTER(M_CLOSED, "closed", "pairs found closed");
COUNTER(M_FILTERED, "filtered", "pairs found filtered");
COUNTER(M_OPEN_FILTERED, "open_filtered", "pairs found open|filtered");
COUNTER(M_UNFILTERED, "unfiltered", "pairs found unfiltered");
COUNTER(M_HOSTS_UP, "hosts_up", "hosts discovery found up");
COUNTER(M_HOSTS_DOWN, "hosts_down", "hosts discovery found down");
GAUGE(M_PPS, "pps", "probes per second over the last interval");
static const struct prt_metric M_ELAPSED = {"elapsed_ms", PRT_METRIC_GAUGE, NULL,
	"time since the scan phase started", "elapsed_seconds", 0.001};
static const struct prt_metric M_ETA = {"eta_ms", PRT_METRIC_GAUGE, NULL,
	"time left at the current rate", "eta_seconds", 0.001};
COUNTER(M_TX_BURSTS, "tx_bursts", "tx_burst calls");
COUNTER(M_RX_BURSTS, "rx_bursts", "rx_burst calls that returned packets");
COUNTER(M_RX_PACKETS, "rx_packets", "packets the RX lcores received");
COUNTER(M_TX_BUSY, "tx_busy_retries", "tx_burst calls that took less than offered");
COUNTER(M_NO_MBUF, "no_mbuf", "probes not built for want of an mbuf");
COUNTER(M_REPLY_RING, "reply_ring_full", "resets and ARP replies dropped: TX too slow");
COUNTER(M_RESULT_RING, "result_ring_full", "answers lost to a full ring (retried later)");
COUNTER(M_OS_PROBES, "os_probes", "-O: probes sent");
COUNTER(M_OS_ANSWERS, "os_answers", "-O: answers taken by a try");
COUNTER(M_OS_TRIES, "os_tries", "-O: tries ended (a host has up to --max-os-tries)");
COUNTER(M_UDPV_PROBES, "udp_version_probes", "-sV over UDP: version probes sent");
COUNTER(M_UDPV_ANSWERS, "udp_version_answers", "-sV over UDP: answers to version probes");
static const struct prt_metric M_DROP = {"drop", PRT_METRIC_COUNTER, "reason",
	"received packets dropped by the classifier, by verdict"};

void prt_scan_stats_each(struct prt_scan *s, prt_metric_fn fn, void *arg)
{
	struct prt_stats_lcore t;
	uint64_t pps = LOAD(s->pps_now), total = prt_scan_work_total(s), walked, eta_ms = 0;

	prt_stats_sum(s->stats, RTE_MAX_LCORE, &t);
	walked = prt_scan_work_done(s, t.walked);
	if (pps > 0 && walked < total)
		eta_ms = (total - walked) * 1000 / pps;
	fn(arg, &M_PAIRS_TOTAL, NULL, s->shard_pairs);
	fn(arg, &M_PAIRS_ANSWERED, NULL, LOAD(s->answered_count));
	fn(arg, &M_WORK_TOTAL, NULL, total);
	fn(arg, &M_WORK_DONE, NULL, walked);
	fn(arg, &M_PROBES, NULL, t.tx_probes);
	fn(arg, &M_RETRANS, NULL, t.tx_retransmits);
	fn(arg, &M_REPLIES, NULL, t.rx_results + t.rx_duplicates);
	fn(arg, &M_DUPS, NULL, t.rx_duplicates);
	fn(arg, &M_OPEN, NULL, LOAD(s->state_count[PRT_STATE_OPEN]));
	fn(arg, &M_CLOSED, NULL, LOAD(s->state_count[PRT_STATE_CLOSED]));
	fn(arg, &M_FILTERED, NULL, LOAD(s->state_count[PRT_STATE_FILTERED]));
	fn(arg, &M_OPEN_FILTERED, NULL, LOAD(s->state_count[PRT_STATE_OPEN_FILTERED]));
	fn(arg, &M_UNFILTERED, NULL, LOAD(s->state_count[PRT_STATE_UNFILTERED]));
	fn(arg, &M_HOSTS_UP, NULL, LOAD(s->state_count[PRT_STATE_UP]));
	fn(arg, &M_HOSTS_DOWN, NULL, LOAD(s->state_count[PRT_STATE_DOWN]));
	fn(arg, &M_PPS, NULL, pps);
	fn(arg, &M_ELAPSED, NULL, (rte_rdtsc() - s->start_tsc) * 1000 / rte_get_tsc_hz());
	fn(arg, &M_ETA, NULL, eta_ms);
	fn(arg, &M_TX_BURSTS, NULL, t.tx_bursts);
	fn(arg, &M_RX_BURSTS, NULL, t.rx_bursts);
	fn(arg, &M_RX_PACKETS, NULL, t.rx_packets);
	fn(arg, &M_TX_BUSY, NULL, t.tx_busy);
	fn(arg, &M_NO_MBUF, NULL, t.no_mbuf);
	fn(arg, &M_REPLY_RING, NULL, t.reply_ring_full);
	fn(arg, &M_RESULT_RING, NULL, t.result_ring_full);
	fn(arg, &M_OS_PROBES, NULL, LOAD(s->os_probes));
	fn(arg, &M_OS_ANSWERS, NULL, LOAD(s->os_answers));
	fn(arg, &M_OS_TRIES, NULL, LOAD(s->os_tries));
	fn(arg, &M_UDPV_PROBES, NULL, LOAD(s->udpv_probes));
	fn(arg, &M_UDPV_ANSWERS, NULL, LOAD(s->udpv_answers));
	for (int v = 1; v < PRT_CLS_VERDICT_COUNT; v++) {
		char name[40];
		if (v == PRT_CLS_DUPLICATE)
			continue; /* not a drop: "duplicates" */
		/* 22.11 telemetry nests only arrays: the verdict becomes part of a flat key */
		snprintf(name, sizeof(name), "%s", prt_cls_verdict_name((enum prt_cls_verdict)v));
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		fn(arg, &M_DROP, name, t.rx_drop[v]);
	}
}

GAUGE(M_CONN_OPEN, "open", "connections open now");
COUNTER(M_CONN_CREATED, "created", "connections opened");
COUNTER(M_CONN_CLOSED, "closed", "connections closed");
COUNTER(M_CONN_RESET, "reset_by_peer", "connections the peer reset");
COUNTER(M_CONN_TIMEOUT, "timed_out", "connections that timed out");
COUNTER(M_CONN_ABORTED, "aborted", "connections aborted");
COUNTER(M_CONN_FULL, "table_full", "connections refused: table full");
COUNTER(M_CONN_RETRANS, "retransmits", "TCP segments retransmitted");
COUNTER(M_CONN_OOO, "out_of_order", "segments received out of order");
COUNTER(M_CONN_CHALLENGE, "challenge_acks", "challenge ACKs sent (RFC 5961)");
COUNTER(M_CONN_IN, "bytes_in", "bytes received on connections");
COUNTER(M_CONN_OUT, "bytes_out", "bytes sent on connections");
COUNTER(M_BANNERS, "banners", "banners reported");
GAUGE(M_TLS_LIVE, "tls_live", "TLS sessions live now");
COUNTER(M_TLS_REFUSED, "tls_refused", "TLS sessions refused: at the per-lcore limit");
COUNTER(M_JARM, "jarm", "TLS ports given a JARM (--jarm)");
COUNTER(M_JARM_SKIPPED, "jarm_skipped", "TLS ports reported without a JARM: jobs busy, scan "
	"stopping");

void prt_scan_tcp_each(struct prt_scan *s, prt_metric_fn fn, void *arg)
{
	struct prt_tcp_stats t;
	struct prt_service_stats sv;

	prt_scan_conns_stats(s, &t);
	prt_scan_service_stats(s, &sv);
	fn(arg, &M_CONN_OPEN, NULL, t.open);
	fn(arg, &M_CONN_CREATED, NULL, t.created);
	fn(arg, &M_CONN_CLOSED, NULL, t.closed);
	fn(arg, &M_CONN_RESET, NULL, t.reset);
	fn(arg, &M_CONN_TIMEOUT, NULL, t.timed_out);
	fn(arg, &M_CONN_ABORTED, NULL, t.aborted);
	fn(arg, &M_CONN_FULL, NULL, t.table_full);
	fn(arg, &M_CONN_RETRANS, NULL, t.retransmits);
	fn(arg, &M_CONN_OOO, NULL, t.out_of_order);
	fn(arg, &M_CONN_CHALLENGE, NULL, t.challenge_acks);
	fn(arg, &M_CONN_IN, NULL, t.bytes_in);
	fn(arg, &M_CONN_OUT, NULL, t.bytes_out);
	fn(arg, &M_BANNERS, NULL, prt_scan_banners_reported(s));
	fn(arg, &M_TLS_LIVE, NULL, sv.tls_live);
	fn(arg, &M_TLS_REFUSED, NULL, sv.tls_refused);
	fn(arg, &M_JARM, NULL, sv.jarm);
	fn(arg, &M_JARM_SKIPPED, NULL, sv.jarm_skipped);
}

COUNTER(M_SV_PORTS, "ports", "ports probed");
COUNTER(M_SV_PROBES, "probes_sent", "probes sent");
COUNTER(M_SV_MATCHED, "matched", "ports a match line identified");
COUNTER(M_SV_SOFT, "soft", "ports only a softmatch named");
COUNTER(M_SV_UNMATCHED, "unmatched", "ports no line matched");
COUNTER(M_SV_WRAPPED, "tcpwrapped", "ports that closed at once (tcpwrapped)");
COUNTER(M_SV_JOBS_FULL, "jobs_full", "ports not probed: job table full");
COUNTER(M_SV_TRIES, "match_tries", "PCRE2 confirmations tried");
COUNTER(M_SV_LIMIT, "match_limit_hits", "PCRE2 runs stopped at the match limit");
COUNTER(M_SV_SERIAL, "serial", "ports probed one connection at a time");

void prt_scan_match_each(struct prt_scan *s, prt_metric_fn fn, void *arg)
{
	struct prt_service_stats v;

	prt_scan_service_stats(s, &v);
	fn(arg, &M_SV_PORTS, NULL, v.ports);
	fn(arg, &M_SV_PROBES, NULL, v.probes_sent);
	fn(arg, &M_SV_MATCHED, NULL, v.matched);
	fn(arg, &M_SV_SOFT, NULL, v.soft);
	fn(arg, &M_SV_UNMATCHED, NULL, v.unmatched);
	fn(arg, &M_SV_WRAPPED, NULL, v.tcpwrapped);
	fn(arg, &M_SV_JOBS_FULL, NULL, v.jobs_full);
	fn(arg, &M_SV_TRIES, NULL, v.match_tries);
	fn(arg, &M_SV_LIMIT, NULL, v.match_limit_hits);
	fn(arg, &M_SV_SERIAL, NULL, v.serial);
}

void prt_scan_lcores_each(struct prt_scan *s,
	void (*fn)(void *arg, const struct prt_lcore_sample *l), void *arg)
{
	uint64_t elapsed = rte_rdtsc() - s->start_tsc;

	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		const struct prt_stats_lcore *st = &s->stats[id];
		enum prt_lcore_role r = s->lcore[id].role;
		struct prt_lcore_sample l = {.lcore = id, .queue = s->lcore[id].queue};

		if (r == PRT_ROLE_NONE)
			continue;
		l.role = r == PRT_ROLE_TX ? "tx" : "rx";
		l.packets = r == PRT_ROLE_TX ? LOAD(st->tx_probes) : LOAD(st->rx_packets);
		l.bursts = r == PRT_ROLE_TX ? LOAD(st->tx_bursts) : LOAD(st->rx_bursts);
		l.busy_pct = elapsed ? LOAD(st->busy_tsc) * 100 / elapsed : 0;
		l.rate = r == PRT_ROLE_TX ? LOAD(s->lcore[id].rl.rate) : 0;
		fn(arg, &l);
	}
}
