/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connections on an RX lcore (-sT, --banners): each RX lcore owns a lib/tcp
 * table and a lib/service conversation over it. A validated SYN-ACK opens a
 * connection instead of being reset; later segments of the flow go to it.
 * Its segments are framed here on the family's TCP template and leave
 * through the same reply ring as RSTs and ARP replies, so SYN pacing on the
 * TX queue is never blocked by them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include "prt_pipeline.h"

struct prt_conns {
	const struct prt_lcore_arg *a;
	struct prt_tcp *tcp;
	struct prt_service *svc;
	bool aborted; /**< the scan stopped: every connection was reset */
};

static void emit(void *ctx, const struct prt_tcp_key *k, const struct prt_tcp_seg *s)
{
	const struct prt_conns *cs = ctx;
	const struct prt_scan *scan = cs->a->scan;
	const struct prt_probe_tmpl *t = prt_addr_is_v4(&k->peer) ? &scan->rst_tmpl :
		&scan->rst_tmpl6;
	const struct prt_tcp_fields f = {
		.sport = k->our_port,
		.dport = k->peer_port,
		.seq = s->seq,
		.ack = s->ack,
		.ip_id = (uint16_t)s->seq,
	};
	struct rte_mbuf *m = rte_pktmbuf_alloc(scan->pool);
	uint16_t len;

	if (m == NULL) {
		PRT_STAT_ADD(cs->a->stats->no_mbuf, 1);
		return;
	}
	len = prt_probe_tcp_segment(t, rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_tailroom(m),
		&k->peer, &f, s->flags, s->win, s->mss, s->data, (uint16_t)s->len);
	m->data_len = m->pkt_len = len;
	if (len == 0 || rte_ring_enqueue(cs->a->replies, m) != 0) {
		PRT_STAT_ADD(cs->a->stats->reply_ring_full, 1);
		rte_pktmbuf_free(m);
	}
}

static void established(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	prt_service_established(((struct prt_conns *)ctx)->svc, c, now);
}

static void data(void *ctx, struct prt_tcp_conn *c, const uint8_t *d, uint32_t len,
	uint64_t now)
{
	prt_service_data(((struct prt_conns *)ctx)->svc, c, d, len, now);
}

static void wake(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	prt_service_wake(((struct prt_conns *)ctx)->svc, c, now);
}

static void closed(void *ctx, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	prt_service_closed(((struct prt_conns *)ctx)->svc, c, why);
}

static const struct prt_tcp_ops conn_ops = {
	.established = established,
	.data = data,
	.wake = wake,
	.closed = closed,
	.emit = emit,
};

/* A finished banner goes to main like a result; a full ring loses it (counted). */
static void report(void *ctx, struct prt_banner *b)
{
	const struct prt_conns *cs = ctx;

	if (rte_ring_enqueue_elem(cs->a->scan->banners, b, sizeof(*b)) != 0)
		PRT_STAT_ADD(cs->a->stats->result_ring_full, 1);
}

static struct prt_conns *conns_create(const struct prt_lcore_arg *a, unsigned id, int socket)
{
	const struct prt_scan *scan = a->scan;
	struct prt_service_conf sc = scan->service;
	struct prt_tcp_conf tc = scan->tcp;
	char name[32];
	struct prt_conns *cs = calloc(1, sizeof(*cs));

	if (cs == NULL)
		return NULL;
	cs->a = a;
	sc.report = report;
	sc.report_ctx = cs;
	cs->svc = prt_service_create(&sc);
	snprintf(name, sizeof(name), "prt_tcp_%u_%u", scan->port_id, id);
	tc.name = name;
	tc.socket = socket;
	tc.ops = &conn_ops;
	tc.ctx = cs;
	cs->tcp = cs->svc != NULL ? prt_tcp_create(&tc) : NULL;
	if (cs->tcp == NULL) {
		prt_service_free(cs->svc);
		free(cs);
		return NULL;
	}
	prt_service_attach(cs->svc, cs->tcp);
	return cs;
}

static void conns_free(struct prt_conns *cs)
{
	if (cs == NULL)
		return;
	prt_tcp_free(cs->tcp);
	prt_service_free(cs->svc);
	free(cs);
}

int prt_scan_conns_create(struct prt_scan *scan, int socket)
{
	char name[RTE_RING_NAMESIZE];

	if (!scan->sessions)
		return 0;
	snprintf(name, sizeof(name), "prt_banners_%u", scan->port_id);
	scan->banners = rte_ring_create_elem(name, sizeof(struct prt_banner), 4096, socket,
		RING_F_SC_DEQ);
	if (scan->banners == NULL)
		return -ENOMEM;
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		struct prt_lcore_arg *a = &scan->lcore[id];
		if (a->role != PRT_ROLE_RX)
			continue;
		a->conns = conns_create(a, id, socket);
		if (a->conns == NULL) {
			prt_scan_conns_free(scan);
			return -ENOMEM;
		}
	}
	return 0;
}

void prt_scan_conns_free(struct prt_scan *scan)
{
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		conns_free(scan->lcore[id].conns);
		scan->lcore[id].conns = NULL;
	}
	rte_ring_free(scan->banners);
	scan->banners = NULL;
}

bool prt_conns_input(const struct prt_lcore_arg *a, const struct prt_cls_out *o, uint64_t now)
{
	struct prt_conns *cs = a->conns;
	const struct prt_tcp_key k = {
		.peer = o->tcp.peer,
		.peer_port = o->tcp.peer_port,
		.our_port = o->tcp.our_port,
	};
	struct prt_tcp_conn *c;

	if (!o->tcp.valid)
		return false;
	c = prt_tcp_lookup(cs->tcp, &k);
	if (c == NULL)
		return false;
	const struct prt_tcp_seg s = {
		.seq = o->tcp.seq,
		.ack = o->tcp.ack,
		.win = o->tcp.win,
		.flags = o->tcp.flags,
		.data = o->tcp.data,
		.len = o->tcp.len,
	};
	prt_tcp_input(cs->tcp, c, &s, now);
	return true;
}

bool prt_conns_open(const struct prt_lcore_arg *a, const struct prt_cls_out *o, uint64_t now)
{
	struct prt_conns *cs = a->conns;
	const struct prt_tcp_key k = {
		.peer = o->result.addr,
		.peer_port = o->result.port,
		.our_port = o->our_port,
	};
	const struct prt_tcp_seg synack = {
		.seq = o->tcp.seq,
		.ack = o->tcp.ack,
		.win = o->tcp.win,
		.flags = o->tcp.flags,
		.mss = o->tcp.mss,
	};

	if (cs->aborted)
		return false;
	/* our SYN's sequence number is the one the SYN-ACK acknowledges, less one */
	return prt_tcp_open(cs->tcp, &k, o->rst_seq - 1, &synack, now) != NULL ||
		prt_tcp_lookup(cs->tcp, &k) != NULL;
}

void prt_conns_poll(const struct prt_lcore_arg *a, uint64_t now)
{
	struct prt_conns *cs = a->conns;

	if (!cs->aborted && __atomic_load_n(&a->scan->stop, __ATOMIC_RELAXED)) {
		cs->aborted = true;
		prt_service_stop(cs->svc);
		prt_tcp_abort_all(cs->tcp);
	}
	prt_tcp_expire(cs->tcp, now);
}

/* Add a block of u64 counters with one writer (an RX lcore) into @p dst. */
static void add_counters(uint64_t *dst, const void *src, size_t size)
{
	const uint64_t *c = src;

	for (size_t i = 0; i < size / sizeof(uint64_t); i++)
		dst[i] += __atomic_load_n(&c[i], __ATOMIC_RELAXED);
}

uint64_t prt_scan_conns_open(const struct prt_scan *scan)
{
	struct prt_tcp_stats t;

	prt_scan_conns_stats(scan, &t);
	return t.open;
}

void prt_scan_conns_stats(const struct prt_scan *scan, struct prt_tcp_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		if (scan->lcore[id].conns != NULL)
			add_counters((uint64_t *)sum, prt_tcp_stats(scan->lcore[id].conns->tcp),
				sizeof(*sum));
}

uint64_t prt_scan_banners_reported(const struct prt_scan *scan)
{
	uint64_t n = 0;

	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		if (scan->lcore[id].conns != NULL)
			n += prt_service_reported(scan->lcore[id].conns->svc);
	return n;
}

void prt_scan_service_stats(const struct prt_scan *scan, struct prt_service_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		if (scan->lcore[id].conns != NULL)
			add_counters((uint64_t *)sum, prt_service_stats(scan->lcore[id].conns->svc),
				sizeof(*sum));
}
