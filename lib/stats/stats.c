/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>

#include "prt_stats.h"

#define LOAD(f) __atomic_load_n(&(f), __ATOMIC_RELAXED)

void prt_stats_sum(const struct prt_stats_lcore *blocks, unsigned count,
	struct prt_stats_lcore *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < count; i++) {
		const struct prt_stats_lcore *b = &blocks[i];
		t->tx_probes += LOAD(b->tx_probes);
		t->tx_retransmits += LOAD(b->tx_retransmits);
		t->tx_bursts += LOAD(b->tx_bursts);
		t->tx_busy += LOAD(b->tx_busy);
		t->tx_replies += LOAD(b->tx_replies);
		t->walked += LOAD(b->walked);
		t->rx_packets += LOAD(b->rx_packets);
		t->rx_bursts += LOAD(b->rx_bursts);
		t->rx_results += LOAD(b->rx_results);
		t->rx_duplicates += LOAD(b->rx_duplicates);
		t->rx_arp += LOAD(b->rx_arp);
		for (int d = 0; d < PRT_STATS_DROP_MAX; d++)
			t->rx_drop[d] += LOAD(b->rx_drop[d]);
		t->reply_ring_full += LOAD(b->reply_ring_full);
		t->result_ring_full += LOAD(b->result_ring_full);
		t->no_mbuf += LOAD(b->no_mbuf);
		t->busy_tsc += LOAD(b->busy_tsc);
	}
}

uint64_t prt_stats_drops(const struct prt_stats_lcore *s)
{
	uint64_t n = 0;

	for (int d = 0; d < PRT_STATS_DROP_MAX; d++)
		n += s->rx_drop[d];
	return n;
}

static void format_duration(double s, char *buf, size_t len)
{
	unsigned long t = (unsigned long)(s + 0.5);

	snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
}

void prt_progress_format(const struct prt_progress *p, char *buf, size_t len)
{
	double pct = p->work_total ? 100.0 * (double)p->work_done / (double)p->work_total : 100.0;
	char eta[32] = "-", el[32];

	if (pct > 100.0)
		pct = 100.0;
	if (p->pps > 0 && p->work_done < p->work_total)
		format_duration((double)(p->work_total - p->work_done) / p->pps, eta, sizeof(eta));
	format_duration(p->elapsed_s, el, sizeof(el));
	snprintf(buf, len, "%s %s: sent %llu, %.0f pps, %.1f%% done, ETA %s, replies %llu, open %llu",
		el, p->phase, (unsigned long long)p->sent, p->pps, pct, eta,
		(unsigned long long)p->replies, (unsigned long long)p->open);
}
