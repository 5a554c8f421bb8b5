/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -O's phase. After the port scan, the hosts to fingerprint are shared out
 * among the TX lcores by a hash of their address; each TX lcore keeps the
 * tries of its hosts in a lib/osdetect table over its own share of the
 * source ports, sends their probes on its own queue, paced by its token
 * bucket, and gets their answers from the RX lcores through a ring of its
 * own (RSS may put a host's ICMP and TCP answers on different queues, so
 * the answers are routed by their source, not by the queue). A try that
 * ends goes to main as its fingerprint's text; main matches it against
 * nmap-os-db and decides whether the host gets another try.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include "prt_osdetect.h"
#include "prt_pipeline.h"

#define TABLE_HOSTS 1024   /* tries at once per TX lcore (also bound by its ports) */
#define ANSWER_RING 4096
#define EMIT_BATCH 32

struct prt_os_phase {
	struct prt_os_table *table[PRT_MAX_TX_LCORES];
	struct rte_ring *todo[PRT_MAX_TX_LCORES]; /* main -> TX: struct prt_os_job */
	struct rte_ring *in[PRT_MAX_TX_LCORES];   /* RX -> TX: answer mbufs */
	struct rte_ring *done;                    /* TX -> main: struct prt_os_outcome */
};

/* What a TX lcore's table callbacks work on. */
struct os_lcore {
	const struct prt_lcore_arg *a;
	struct rte_mbuf *out[EMIT_BATCH];
	uint16_t n;
	uint32_t budget;           /* tokens left for this poll */
};

static uint32_t addr_hash(uint32_t addr)
{
	return (addr * 0x9e3779b1u) >> 7;
}

uint32_t prt_scan_os_owner(const struct prt_scan *scan, uint32_t addr)
{
	return addr_hash(addr) % scan->n_tx;
}

static struct rte_ring *ring(const char *what, unsigned i, unsigned count, unsigned esize,
	int socket)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "prt_os_%s%u", what, i);
	return esize == 0 ? rte_ring_create(name, count, socket, RING_F_SC_DEQ) :
		rte_ring_create_elem(name, esize, count, socket, RING_F_SC_DEQ);
}

int prt_scan_os_create(struct prt_scan *scan, uint32_t src, uint16_t sport_base,
	uint32_t sport_count, uint32_t jobs, int socket)
{
	struct prt_os_phase *p = rte_zmalloc_socket("prt_os", sizeof(*p), RTE_CACHE_LINE_SIZE,
		socket);
	const uint32_t share = sport_count / scan->n_tx;
	uint32_t todo = rte_align32pow2(jobs + 1);

	if (p == NULL)
		return -ENOMEM;
	scan->os = p;
	if (todo > 65536)
		todo = 65536;
	p->done = ring("done", 0, 1024, sizeof(struct prt_os_outcome), socket);
	if (p->done == NULL)
		goto fail;
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		struct prt_lcore_arg *a = &scan->lcore[id];
		const uint32_t i = a->slice;
		struct prt_os_table_conf tc = {
			.capacity = TABLE_HOSTS, .src = src, .key = scan->key,
			.sport_base = (uint16_t)(sport_base + i * share), .sport_count = share,
		};
		if (a->role != PRT_ROLE_TX)
			continue;
		p->todo[i] = ring("todo", i, todo, sizeof(struct prt_os_job), socket);
		p->in[i] = ring("in", i, ANSWER_RING, 0, socket);
		p->table[i] = prt_os_table_create(&tc);
		if (p->todo[i] == NULL || p->in[i] == NULL || p->table[i] == NULL)
			goto fail;
		a->os = p->table[i];
	}
	return 0;
fail:
	prt_scan_os_free(scan);
	return -ENOMEM;
}

void prt_scan_os_free(struct prt_scan *scan)
{
	struct prt_os_phase *p = scan->os;
	struct rte_mbuf *m;

	if (p == NULL)
		return;
	for (unsigned i = 0; i < PRT_MAX_TX_LCORES; i++) {
		while (p->in[i] != NULL && rte_ring_dequeue(p->in[i], (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(p->in[i]);
		rte_ring_free(p->todo[i]);
		prt_os_table_free(p->table[i]);
	}
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++)
		scan->lcore[id].os = NULL;
	rte_ring_free(p->done);
	rte_free(p);
	scan->os = NULL;
}

int prt_scan_os_submit(struct prt_scan *scan, const struct prt_os_job *job)
{
	struct rte_ring *r = scan->os->todo[prt_scan_os_owner(scan, job->addr)];

	struct prt_os_job copy = *job; /* DPDK 22.11 takes it non-const */

	return rte_ring_enqueue_elem(r, &copy, sizeof(copy)) == 0 ? 0 : -ENOBUFS;
}

unsigned prt_scan_os_collect(struct prt_scan *scan, struct prt_os_outcome *out, unsigned n)
{
	return rte_ring_dequeue_burst_elem(scan->os->done, out, sizeof(*out), n, NULL);
}

static const struct rte_ipv4_hdr *ipv4_of(const struct rte_mbuf *m, uint16_t *len)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (rte_pktmbuf_data_len(m) < sizeof(*eth) + 20 ||
	    eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return NULL;
	*len = (uint16_t)(rte_pktmbuf_data_len(m) - sizeof(*eth));
	return (const struct rte_ipv4_hdr *)(eth + 1);
}

bool prt_os_rx_input(const struct prt_lcore_arg *a, struct rte_mbuf *m)
{
	struct prt_scan *scan = a->scan;
	uint16_t len;
	const struct rte_ipv4_hdr *ip = ipv4_of(m, &len);
	struct rte_ring *r;

	if (ip == NULL)
		return false;
	r = scan->os->in[prt_scan_os_owner(scan, rte_be_to_cpu_32(ip->src_addr))];
	/* the RX loop frees its burst: this reference is the TX lcore's */
	rte_mbuf_refcnt_update(m, 1);
	if (rte_ring_enqueue(r, m) != 0) {
		rte_mbuf_refcnt_update(m, -1);
		PRT_STAT_ADD(a->stats->reply_ring_full, 1);
	}
	return true;
}

static void flush(struct os_lcore *l)
{
	prt_tx_send_all(l->a, l->out, l->n); /* os_probes, not the port scan's tx_probes */
	__atomic_fetch_add(&l->a->scan->os_probes, l->n, __ATOMIC_RELAXED);
	l->n = 0;
}

/* A probe from the table: on the wire behind the scan's Ethernet header. */
static void emit(void *ctx, const uint8_t *ip, size_t len)
{
	struct os_lcore *l = ctx;
	uint8_t frame[RTE_ETHER_HDR_LEN + PRT_OS_PROBE_MAX];
	struct rte_mbuf *m;

	memcpy(frame, l->a->scan->rst_tmpl.frame, RTE_ETHER_HDR_LEN);
	memcpy(frame + RTE_ETHER_HDR_LEN, ip, len);
	m = prt_scan_frame_mbuf(l->a->scan, frame, (uint16_t)(RTE_ETHER_HDR_LEN + len));
	if (m == NULL) {
		PRT_STAT_ADD(l->a->stats->no_mbuf, 1);
		return;
	}
	l->out[l->n++] = m;
	if (l->budget > 0)
		l->budget--;
	if (l->n == EMIT_BATCH)
		flush(l);
}

/* A try ended: its fingerprint to main (which waits for every one). */
static void done(void *ctx, const struct prt_os_host *h)
{
	struct os_lcore *l = ctx;
	struct prt_scan *scan = l->a->scan;
	struct prt_os_outcome o = {.addr = h->conf.dst, .answered = h->answered};
	struct prt_os_seq seq;
	struct prt_os_fp fp;

	__atomic_fetch_add(&scan->os_tries, 1, __ATOMIC_RELAXED);
	o.distance = prt_os_host_finish(h, &fp);
	if (prt_os_fp_format(&fp, o.text, sizeof(o.text)) < 0)
		o.text[0] = '\0';
	prt_os_host_seq(h, &seq);
	prt_os_seq_report(&seq, &o.seq);
	while (rte_ring_mp_enqueue_elem(scan->os->done, &o, sizeof(o)) != 0 &&
	       prt_scan_phase(scan) != PRT_PHASE_DONE)
		rte_pause();
}

/* A SYN-ACK to one of our SYNs is reset, as the kernel under nmap resets it:
 * left half open, the host would answer the next try's SYN from the same
 * port with a challenge ACK instead of a SYN-ACK. */
static void reset_syn_ack(struct os_lcore *l, const struct rte_ipv4_hdr *ip, uint16_t len)
{
	const size_t hl = (size_t)(ip->version_ihl & 0x0f) * 4;
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)((const uint8_t *)ip + hl);
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	struct prt_tcp_fields f;
	struct rte_mbuf *m;

	if (ip->next_proto_id != IPPROTO_TCP || len < hl + sizeof(*tcp) ||
	    (tcp->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) !=
		(RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG))
		return;
	f = (struct prt_tcp_fields){
		.daddr = rte_be_to_cpu_32(ip->src_addr),
		.sport = rte_be_to_cpu_16(tcp->dst_port),
		.dport = rte_be_to_cpu_16(tcp->src_port),
		.seq = rte_be_to_cpu_32(tcp->recv_ack),
	};
	prt_probe_tcp_craft(&l->a->scan->rst_tmpl, frame, &f);
	m = prt_scan_frame_mbuf(l->a->scan, frame, l->a->scan->rst_tmpl.len);
	if (m == NULL) {
		PRT_STAT_ADD(l->a->stats->no_mbuf, 1);
		return;
	}
	prt_tx_send_all(l->a, &m, 1);
	PRT_STAT_ADD(l->a->stats->tx_replies, 1);
}

static void take_answers(struct os_lcore *l, struct prt_os_table *t)
{
	const struct prt_lcore_arg *a = l->a;
	struct rte_mbuf *m[32];
	unsigned n = rte_ring_dequeue_burst(a->scan->os->in[a->slice], (void **)m, RTE_DIM(m), NULL);
	uint64_t taken = 0;

	for (unsigned i = 0; i < n; i++) {
		uint16_t len;
		const struct rte_ipv4_hdr *ip = ipv4_of(m[i], &len);
		if (ip != NULL && prt_os_table_input(t, (const uint8_t *)ip, len) == 0) {
			taken++;
			reset_syn_ack(l, ip, len);
		}
	}
	if (n > 0)
		rte_pktmbuf_free_bulk(m, n);
	if (taken > 0)
		__atomic_fetch_add(&a->scan->os_answers, taken, __ATOMIC_RELAXED);
}

/* New hosts while the table has room (a host never has two tries at once:
 * main gives it its next one only after the last ended). */
static void take_jobs(const struct prt_lcore_arg *a, struct prt_os_table *t, uint64_t now_us)
{
	struct prt_os_job j;

	while (prt_os_table_active(t) < TABLE_HOSTS &&
	       rte_ring_dequeue_elem(a->scan->os->todo[a->slice], &j, sizeof(j)) == 0) {
		struct prt_os_target target = {
			.addr = j.addr, .tcp_open = j.tcp_open, .tcp_closed = j.tcp_closed,
			.udp_closed = j.udp_closed, .try_no = j.try_no,
		};
		if (prt_os_table_add(t, &target, now_us) != 0) {
			struct prt_os_outcome o = {.addr = j.addr}; /* no room: an empty try */
			while (rte_ring_mp_enqueue_elem(a->scan->os->done, &o, sizeof(o)) != 0 &&
			       prt_scan_phase(a->scan) != PRT_PHASE_DONE)
				rte_pause();
		}
	}
}

int prt_os_tx_lcore_main(void *arg)
{
	struct prt_lcore_arg *a = arg;
	struct prt_scan *scan = a->scan;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t share = prt_scan_rate_share(scan->rate, a->slice, scan->n_tx);
	struct prt_os_table *t = a->os;
	struct os_lcore l = {.a = a};

	prt_os_table_set_io(t, emit, done, &l);
	prt_ratelim_init(&a->rl, share, hz, EMIT_BATCH, rte_rdtsc());
	while (prt_scan_phase(scan) != PRT_PHASE_DONE) {
		const uint64_t now = rte_rdtsc();
		const uint64_t now_us = (uint64_t)((unsigned __int128)(now - scan->start_tsc) *
			1000000 / hz);

		prt_tx_drain_replies(a);
		take_answers(&l, t);
		if (__atomic_load_n(&scan->stop, __ATOMIC_RELAXED) == 0)
			take_jobs(a, t, now_us);
		/* the table sends what is due when the bucket has tokens for it */
		l.budget = prt_ratelim_take(&a->rl, now, EMIT_BATCH);
		if (l.budget > 0) {
			prt_os_table_poll(t, now_us);
			prt_ratelim_give_back(&a->rl, l.budget);
		}
		if (l.n > 0)
			flush(&l);
		rte_pause();
	}
	return 0;
}
