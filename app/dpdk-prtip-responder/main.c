/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip-responder: a synthetic Internet. One lcore polls DPDK port 0
 * (net_memif to a scanner in another process, or any port), answers each
 * SYN as rsp_decide() says, adds the configured hostility, and answers ARP
 * for every address. It keeps no state per pair: the truth of any target
 * set is the same hash, printed by --truth without starting DPDK.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "options.h"
#include "prt_common.h"
#include "reply.h"

#define BURST 64
#define LATE_SLOTS 65536

struct counters {
	uint64_t rx, probes, arp, other;
	uint64_t verdict[RSP_SILENT + 1];
	uint64_t hostile[RSP_HOSTILE_COUNT];
	uint64_t tx, tx_dropped, no_mbuf;
};

/* Answers held back (--late): a FIFO, since every one waits the same time. */
struct late_queue {
	struct rte_mbuf *m[LATE_SLOTS];
	uint64_t due[LATE_SLOTS];
	uint32_t head, tail;
};

struct responder {
	const struct rsp_options *o;
	struct rsp_world world;
	uint16_t port;
	struct rte_mempool *pool;
	uint8_t mac[6];
	struct rte_mbuf *out[BURST * 8];
	unsigned nout;
	struct late_queue late;
	uint64_t late_tsc;
	struct counters c;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int print_truth(const struct rsp_options *o)
{
	struct rsp_world w;
	uint64_t counts[RSP_SILENT + 1] = {0};

	if (rsp_world_init(&w, o->seed, o->share, o->hostile) != 0)
		return 2;
	for (uint64_t i = 0; i < o->targets.total4; i++) {
		uint32_t ip = prt_target_set_ip_at(&o->targets, i);
		char addr[16];
		prt_ipv4_str(ip, addr, sizeof(addr));
		for (uint32_t k = 0; k < o->ports.n; k++) {
			enum rsp_verdict v = rsp_decide(&w, ip, o->ports.ports[k]);
			counts[v]++;
			if (v != RSP_SILENT)
				printf("%s %u %s\n", addr, o->ports.ports[k], rsp_verdict_words(v));
		}
	}
	fprintf(stderr, "dpdk-prtip-responder: truth: %llu open, %llu closed, %llu unreachable, "
			"%llu silent\n", (unsigned long long)counts[RSP_OPEN],
		(unsigned long long)counts[RSP_CLOSED], (unsigned long long)counts[RSP_UNREACH],
		(unsigned long long)counts[RSP_SILENT]);
	return fflush(stdout) == 0 ? 0 : 1;
}

static void flush_out(struct responder *r)
{
	unsigned sent = 0;

	while (sent < r->nout) {
		uint16_t n = rte_eth_tx_burst(r->port, 0, r->out + sent, (uint16_t)(r->nout - sent));
		if (n == 0)
			break;
		sent += n;
	}
	r->c.tx += sent;
	r->c.tx_dropped += r->nout - sent;
	if (sent < r->nout)
		rte_pktmbuf_free_bulk(r->out + sent, r->nout - sent);
	r->nout = 0;
}

static struct rte_mbuf *frame(struct responder *r, const uint8_t *data, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(r->pool);

	if (m == NULL) {
		r->c.no_mbuf++;
		return NULL;
	}
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), data, len);
	m->data_len = m->pkt_len = len;
	return m;
}

static void send_frame(struct responder *r, const uint8_t *data, uint16_t len)
{
	struct rte_mbuf *m;

	if (r->nout == RTE_DIM(r->out))
		flush_out(r);
	m = frame(r, data, len);
	if (m != NULL)
		r->out[r->nout++] = m;
}

static void hold_frame(struct responder *r, const uint8_t *data, uint16_t len, uint64_t now)
{
	struct late_queue *q = &r->late;
	struct rte_mbuf *m;

	if (q->tail - q->head == LATE_SLOTS) { /* full: this one is not late after all */
		send_frame(r, data, len);
		return;
	}
	m = frame(r, data, len);
	if (m == NULL)
		return;
	q->m[q->tail % LATE_SLOTS] = m;
	q->due[q->tail % LATE_SLOTS] = now + r->late_tsc;
	q->tail++;
}

static void release_late(struct responder *r, uint64_t now)
{
	struct late_queue *q = &r->late;

	while (q->head != q->tail && q->due[q->head % LATE_SLOTS] <= now) {
		if (r->nout == RTE_DIM(r->out))
			flush_out(r);
		r->out[r->nout++] = q->m[q->head % LATE_SLOTS];
		q->head++;
	}
}

static bool hostile(struct responder *r, const struct rsp_probe *p, enum rsp_hostile kind)
{
	bool yes = rsp_hostile(&r->world, p->daddr, p->dport, kind);

	r->c.hostile[kind] += yes;
	return yes;
}

static void answer(struct responder *r, const struct rsp_probe *p, uint64_t now)
{
	enum rsp_verdict v = rsp_decide(&r->world, p->daddr, p->dport);
	uint8_t out[RSP_FRAME_MAX];
	uint16_t len;

	r->c.probes++;
	r->c.verdict[v]++;
	if (v == RSP_SILENT) {
		if (hostile(r, p, RSP_FORGED))
			send_frame(r, out, rsp_reply(&r->world, RSP_OPEN, p, false, true, out));
		return;
	}
	if (hostile(r, p, RSP_BAD_CHECKSUM))
		send_frame(r, out, rsp_reply(&r->world, v, p, true, false, out));
	len = rsp_reply(&r->world, v, p, false, false, out);
	if (hostile(r, p, RSP_LATE))
		hold_frame(r, out, len, now);
	else
		send_frame(r, out, len);
	if (hostile(r, p, RSP_DUPLICATE))
		send_frame(r, out, len);
	if (hostile(r, p, RSP_GARBAGE))
		send_frame(r, out, rsp_garbage(&r->world, p, out));
}

static void handle(struct responder *r, const uint8_t *d, uint16_t len, uint64_t now)
{
	uint8_t out[RSP_FRAME_MAX];
	struct rsp_probe p;
	uint16_t n;

	if (rsp_parse_syn(d, len, &p)) {
		answer(r, &p, now);
	} else if ((n = rsp_arp_reply(d, len, r->mac, out)) != 0) {
		r->c.arp++;
		send_frame(r, out, n);
	} else {
		r->c.other++; /* the scanner's RSTs, and anything else */
	}
}

static void print_counters(const struct counters *c)
{
	fprintf(stderr, "dpdk-prtip-responder: rx %llu, probes %llu: %llu open, %llu closed, %llu "
			"unreachable, %llu silent; hostile: %llu bad checksums, %llu duplicates, "
			"%llu late, %llu garbage, %llu forged; arp %llu, other %llu; tx %llu, "
			"tx dropped %llu, no mbuf %llu\n",
		(unsigned long long)c->rx, (unsigned long long)c->probes,
		(unsigned long long)c->verdict[RSP_OPEN], (unsigned long long)c->verdict[RSP_CLOSED],
		(unsigned long long)c->verdict[RSP_UNREACH],
		(unsigned long long)c->verdict[RSP_SILENT],
		(unsigned long long)c->hostile[RSP_BAD_CHECKSUM],
		(unsigned long long)c->hostile[RSP_DUPLICATE],
		(unsigned long long)c->hostile[RSP_LATE], (unsigned long long)c->hostile[RSP_GARBAGE],
		(unsigned long long)c->hostile[RSP_FORGED], (unsigned long long)c->arp,
		(unsigned long long)c->other, (unsigned long long)c->tx,
		(unsigned long long)c->tx_dropped, (unsigned long long)c->no_mbuf);
}

static void run(struct responder *r)
{
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t next_stats = r->o->stats_every_s > 0 ? rte_rdtsc() + (uint64_t)(r->o->stats_every_s *
		(double)hz) : UINT64_MAX;
	struct rte_mbuf *pkts[BURST];

	while (!stop) {
		uint16_t n = rte_eth_rx_burst(r->port, 0, pkts, BURST);
		uint64_t now = rte_rdtsc();

		r->c.rx += n;
		for (uint16_t i = 0; i < n; i++)
			handle(r, rte_pktmbuf_mtod(pkts[i], const uint8_t *),
				rte_pktmbuf_data_len(pkts[i]), now);
		if (n > 0)
			rte_pktmbuf_free_bulk(pkts, n);
		release_late(r, now);
		if (r->nout > 0)
			flush_out(r);
		if (now >= next_stats) {
			print_counters(&r->c);
			next_stats = now + (uint64_t)(r->o->stats_every_s * (double)hz);
		}
	}
}

static int setup_port(struct responder *r)
{
	struct rte_eth_conf conf = {0};
	struct rte_ether_addr mac;

	if (rte_eth_dev_count_avail() == 0) {
		fprintf(stderr, "dpdk-prtip-responder: no DPDK port: add one with --vdev "
				"(e.g. net_memif0,role=server,socket=/tmp/prtip.sock)\n");
		return -1;
	}
	r->port = 0;
	r->pool = rte_pktmbuf_pool_create("rsp_pool", 32767, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		(int)rte_socket_id());
	if (r->pool == NULL || rte_eth_dev_configure(r->port, 1, 1, &conf) != 0 ||
	    rte_eth_rx_queue_setup(r->port, 0, 1024, rte_socket_id(), NULL, r->pool) != 0 ||
	    rte_eth_tx_queue_setup(r->port, 0, 1024, rte_socket_id(), NULL) != 0 ||
	    rte_eth_dev_start(r->port) != 0 || rte_eth_macaddr_get(r->port, &mac) != 0) {
		fprintf(stderr, "dpdk-prtip-responder: cannot set up DPDK port 0\n");
		return -1;
	}
	rte_eth_promiscuous_enable(r->port);
	memcpy(r->mac, mac.addr_bytes, 6);
	return 0;
}

/* --truth needs no EAL: find it among the options after "--". */
static int truth_only(int argc, char **argv, struct rsp_options *o)
{
	int i = 1;

	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	for (int j = i + 1; j < argc; j++)
		if (strcmp(argv[j], "--truth") == 0)
			return rsp_options_parse(argc - i, argv + i, o) == 0 ? 0 : -1;
	return 1;
}

int main(int argc, char **argv)
{
	static struct responder r;
	struct rsp_options o;
	int rc = truth_only(argc, argv, &o);

	if (rc <= 0) {
		rc = rc == 0 ? print_truth(&o) : 2;
		rsp_options_free(&o);
		return rc;
	}
	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "dpdk-prtip-responder: EAL init failed\n");
		return 1;
	}
	rc = rsp_options_parse(argc - rc, argv + rc, &o);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	r.o = &o;
	r.late_tsc = (uint64_t)(o.late_ms / 1000 * (double)rte_get_tsc_hz());
	if (rsp_world_init(&r.world, o.seed, o.share, o.hostile) != 0 || setup_port(&r) != 0)
		return 1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "dpdk-prtip-responder: answering on port 0 (%02x:%02x:%02x:%02x:%02x:%02x)\n",
		r.mac[0], r.mac[1], r.mac[2], r.mac[3], r.mac[4], r.mac[5]);
	run(&r);
	print_counters(&r.c);
	rte_eth_dev_stop(r.port);
	rsp_options_free(&o);
	rte_eal_cleanup();
	return 0;
}
