/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tcp against a scripted peer: every segment we emit is recorded, the
 * peer's segments are built by hand, and time is injected (1 tick = 1 us).
 * The table uses rte_hash, so the EAL runs (no hugepages, no PCI, in memory).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_tcp.h>

#include "cmocka_common.h"
#include "prt_tcp.h"

#define HZ 1000000ULL
#define MS (HZ / 1000)
#define ISS 1000u
#define PEER_ISS 50000u
#define MAX_SEGS 4096

static struct recorder {
	struct prt_tcp_seg seg[MAX_SEGS];
	uint8_t bytes[MAX_SEGS][64];
	unsigned nseg;
	uint8_t rx[8192];
	uint32_t nrx;
	unsigned established, fins, wakes, closed;
	enum prt_tcp_end why;
	bool abort_on_data, close_on_data;
	struct prt_tcp *t;
} R;

static void on_established(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	(void)ctx, (void)c, (void)now;
	R.established++;
}

static void on_data(void *ctx, struct prt_tcp_conn *c, const uint8_t *d, uint32_t len,
	uint64_t now)
{
	(void)ctx;
	if (len == 0) {
		R.fins++;
		return;
	}
	assert_true(R.nrx + len <= sizeof(R.rx));
	memcpy(R.rx + R.nrx, d, len);
	R.nrx += len;
	if (R.abort_on_data)
		prt_tcp_abort(R.t, c);
	else if (R.close_on_data)
		prt_tcp_close(R.t, c, now);
}

static void on_wake(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	(void)ctx, (void)c, (void)now;
	R.wakes++;
}

static void on_closed(void *ctx, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	(void)ctx, (void)c;
	R.closed++;
	R.why = why;
}

static void on_emit(void *ctx, const struct prt_tcp_key *k, const struct prt_tcp_seg *s)
{
	(void)ctx, (void)k;
	/* a ring: the many-connection test emits more than the tests look at */
	R.seg[R.nseg % MAX_SEGS] = *s;
	if (s->len > 0)
		memcpy(R.bytes[R.nseg % MAX_SEGS], s->data, s->len < 64 ? s->len : 64);
	R.nseg++;
}

static const struct prt_tcp_ops ops = {
	.established = on_established,
	.data = on_data,
	.wake = on_wake,
	.closed = on_closed,
	.emit = on_emit,
};

static struct prt_tcp *table(uint32_t capacity)
{
	static unsigned n;
	char name[32];
	struct prt_tcp_conf conf = {
		.name = name,
		.capacity = capacity,
		.socket = 0,
		.hz = HZ,
		.timeout_ms = 10000,
		.rto_ms = 200,
		.max_retx = 3,
		.rcv_window = 8192,
		.mss = 1460,
		.ops = &ops,
	};

	snprintf(name, sizeof(name), "test_tcp_%u", n++);
	memset(&R, 0, sizeof(R));
	R.t = prt_tcp_create(&conf);
	assert_non_null(R.t);
	return R.t;
}

static struct prt_tcp_key key(uint16_t port)
{
	struct prt_tcp_key k = {.peer = prt_addr_from_v4(0xc6120002), .peer_port = port,
		.our_port = 40000};
	return k;
}

static struct prt_tcp_seg seg(uint32_t seq, uint32_t ack, uint8_t flags, const char *data)
{
	struct prt_tcp_seg s = {.seq = seq, .ack = ack, .win = 65535, .flags = flags,
		.data = (const uint8_t *)data, .len = data ? (uint32_t)strlen(data) : 0};
	return s;
}

static struct prt_tcp_conn *connect_one(struct prt_tcp *t, uint16_t port, uint16_t mss)
{
	struct prt_tcp_seg synack = seg(PEER_ISS, ISS + 1, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG,
		NULL);
	struct prt_tcp_key k = key(port);

	synack.mss = mss;
	return prt_tcp_open(t, &k, ISS, &synack, 0);
}

static const struct prt_tcp_seg *last(void)
{
	assert_true(R.nseg > 0);
	return &R.seg[(R.nseg - 1) % MAX_SEGS];
}

static void handshake_acks_the_syn_ack(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 80, 0);

	(void)state;
	assert_non_null(c);
	assert_int_equal(R.established, 1);
	assert_int_equal(R.nseg, 1);
	assert_int_equal(last()->flags, RTE_TCP_ACK_FLAG);
	assert_int_equal(last()->seq, ISS + 1);
	assert_int_equal(last()->ack, PEER_ISS + 1);
	assert_int_equal(prt_tcp_stats(t)->open, 1);
	assert_ptr_equal(prt_tcp_lookup(t, prt_tcp_conn_key(c)), c);
	/* a second SYN-ACK of the same flow makes no second connection */
	assert_null(connect_one(t, 80, 0));
	assert_int_equal(prt_tcp_stats(t)->table_full, 1);
	/* the SYN-ACK again (our ACK was lost): ACKed again */
	struct prt_tcp_seg again = seg(PEER_ISS, ISS + 1, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG,
		NULL);
	prt_tcp_input(t, c, &again, 1);
	assert_int_equal(R.nseg, 2);
	assert_int_equal(last()->ack, PEER_ISS + 1);
	prt_tcp_free(t);
}

static void data_in_order_only(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 22, 0);
	struct prt_tcp_seg s;

	(void)state;
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, "SSH-2.0-");
	prt_tcp_input(t, c, &s, 10);
	assert_int_equal(last()->ack, PEER_ISS + 1 + 8);
	/* a gap: dropped, counted, and the ACK says what we expect */
	s = seg(PEER_ISS + 1 + 12, ISS + 1, RTE_TCP_ACK_FLAG, "late");
	prt_tcp_input(t, c, &s, 20);
	assert_int_equal(prt_tcp_stats(t)->out_of_order, 1);
	assert_int_equal(last()->ack, PEER_ISS + 1 + 8);
	/* a retransmission overlapping what we have: only the new bytes */
	s = seg(PEER_ISS + 1 + 4, ISS + 1, RTE_TCP_ACK_FLAG, "2.0-OpenSSH");
	prt_tcp_input(t, c, &s, 30);
	assert_int_equal(R.nrx, 15);
	assert_memory_equal(R.rx, "SSH-2.0-OpenSSH", 15);
	/* an old duplicate delivers nothing */
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG, "SSH");
	prt_tcp_input(t, c, &s, 40);
	assert_int_equal(R.nrx, 15);
	assert_int_equal(prt_tcp_stats(t)->bytes_in, 15);
	/* a segment without ACK is not accepted after the handshake */
	s = seg(PEER_ISS + 16, 0, RTE_TCP_PSH_FLAG, "x");
	prt_tcp_input(t, c, &s, 50);
	assert_int_equal(R.nrx, 15);
	prt_tcp_free(t);
}

static void send_segments_by_mss_and_window(void **state)
{
	static uint8_t probe[3000];
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 80, 1000);
	struct prt_tcp_seg s;
	unsigned before;

	(void)state;
	for (unsigned i = 0; i < sizeof(probe); i++)
		probe[i] = (uint8_t)i;
	/* the peer's window: 2500 bytes */
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG, NULL);
	s.win = 2500;
	prt_tcp_input(t, c, &s, 1);
	before = R.nseg;
	assert_int_equal(prt_tcp_send(t, c, probe, sizeof(probe), 2), 0);
	assert_int_equal(R.nseg - before, 3); /* 1000 + 1000 + 500 */
	assert_int_equal(R.seg[before].len, 1000);
	assert_int_equal(R.seg[before + 2].len, 500);
	assert_int_equal(R.seg[before + 1].seq, ISS + 1 + 1000);
	assert_int_equal(R.bytes[before + 1][0], (uint8_t)1000);
	assert_int_equal(prt_tcp_send(t, c, probe, 10, 3), -EBUSY);
	/* acknowledging 2500 opens room for the last 500 */
	s = seg(PEER_ISS + 1, ISS + 1 + 2500, RTE_TCP_ACK_FLAG, NULL);
	s.win = 2500;
	before = R.nseg;
	prt_tcp_input(t, c, &s, 4);
	assert_int_equal(R.nseg - before, 1);
	assert_int_equal(last()->len, 500);
	assert_int_equal(last()->seq, ISS + 1 + 2500);
	/* all acknowledged: the next send is taken */
	s = seg(PEER_ISS + 1, ISS + 1 + 3000, RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 5);
	assert_int_equal(prt_tcp_send(t, c, probe, 10, 6), 0);
	assert_int_equal(last()->seq, ISS + 1 + 3000);
	assert_int_equal(prt_tcp_stats(t)->bytes_out, 3010);
	prt_tcp_free(t);
}

static void retransmits_then_gives_up(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 80, 0);
	const uint8_t get[] = "GET / HTTP/1.0\r\n\r\n";
	unsigned sends = 0;

	(void)state;
	assert_int_equal(prt_tcp_send(t, c, get, sizeof(get) - 1, 0), 0);
	/* RTO 200 ms doubling: resent at 200, 600, 1400 ms; gives up at 3000 */
	for (uint64_t now = 0; now <= 5000 * MS; now += MS)
		prt_tcp_expire(t, now);
	for (unsigned i = 0; i < R.nseg; i++)
		sends += R.seg[i].len == sizeof(get) - 1;
	assert_int_equal(sends, 4);
	assert_int_equal(prt_tcp_stats(t)->retransmits, 3);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_TIMEOUT);
	assert_true(last()->flags & RTE_TCP_RST_FLAG);
	assert_int_equal(prt_tcp_stats(t)->open, 0);
	prt_tcp_free(t);
}

static void graceful_close_we_first(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 21, 0);
	struct prt_tcp_seg s;

	(void)state;
	prt_tcp_close(t, c, 1);
	assert_int_equal(last()->flags, RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG);
	assert_int_equal(last()->seq, ISS + 1);
	assert_int_equal(prt_tcp_conn_state(c), PRT_TCP_FIN_WAIT_1);
	s = seg(PEER_ISS + 1, ISS + 2, RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 2);
	assert_int_equal(prt_tcp_conn_state(c), PRT_TCP_FIN_WAIT_2);
	/* the peer may still talk before its FIN */
	s = seg(PEER_ISS + 1, ISS + 2, RTE_TCP_ACK_FLAG | RTE_TCP_FIN_FLAG, "bye");
	prt_tcp_input(t, c, &s, 3);
	assert_int_equal(R.nrx, 3);
	assert_int_equal(last()->ack, PEER_ISS + 1 + 3 + 1);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_CLOSED);
	assert_int_equal(prt_tcp_stats(t)->open, 0);
	assert_int_equal(prt_tcp_stats(t)->closed, 1);
	prt_tcp_free(t);
}

static void graceful_close_peer_first(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 25, 0);
	struct prt_tcp_seg s;

	(void)state;
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG | RTE_TCP_FIN_FLAG, "220 hi\r\n");
	prt_tcp_input(t, c, &s, 1);
	assert_int_equal(R.fins, 1);
	assert_int_equal(prt_tcp_conn_state(c), PRT_TCP_CLOSE_WAIT);
	prt_tcp_close(t, c, 2);
	assert_int_equal(prt_tcp_conn_state(c), PRT_TCP_LAST_ACK);
	s = seg(PEER_ISS + 10, ISS + 2, RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 3);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_CLOSED);
	prt_tcp_free(t);
}

static void simultaneous_close(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 25, 0);
	struct prt_tcp_seg s;

	(void)state;
	prt_tcp_close(t, c, 1);
	/* the peer's FIN crosses ours */
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG | RTE_TCP_FIN_FLAG, NULL);
	prt_tcp_input(t, c, &s, 2);
	assert_int_equal(prt_tcp_conn_state(c), PRT_TCP_CLOSING);
	s = seg(PEER_ISS + 2, ISS + 2, RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 3);
	assert_int_equal(R.why, PRT_TCP_END_CLOSED);
	assert_int_equal(prt_tcp_stats(t)->open, 0);
	prt_tcp_free(t);
}

static void reset_only_in_window(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 6379, 0);
	struct prt_tcp_seg s;

	(void)state;
	/* a blind reset far outside the window is ignored */
	s = seg(PEER_ISS + 1 + 100000, 0, RTE_TCP_RST_FLAG, NULL);
	prt_tcp_input(t, c, &s, 1);
	assert_int_equal(R.closed, 0);
	s = seg(PEER_ISS + 1, 0, RTE_TCP_RST_FLAG, NULL);
	prt_tcp_input(t, c, &s, 2);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_RESET);
	assert_int_equal(prt_tcp_stats(t)->reset, 1);
	assert_null(prt_tcp_lookup(t, &(struct prt_tcp_key){0}));
	prt_tcp_free(t);
}

static void hard_timeout_and_wake(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 443, 0);

	(void)state;
	prt_tcp_wake_at(t, c, 1500 * MS);
	for (uint64_t now = 0; now < 1499 * MS; now += 7 * MS)
		prt_tcp_expire(t, now);
	assert_int_equal(R.wakes, 0);
	prt_tcp_expire(t, 1510 * MS);
	assert_int_equal(R.wakes, 1);
	/* a silent peer: cut at the hard timeout (10 s), not before */
	prt_tcp_expire(t, 9990 * MS);
	assert_int_equal(R.closed, 0);
	prt_tcp_expire(t, 10020 * MS);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_TIMEOUT);
	assert_true(last()->flags & RTE_TCP_RST_FLAG);
	prt_tcp_free(t);
}

static void zero_window_is_probed(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 80, 0);
	const uint8_t req[] = "HELP\r\n";
	struct prt_tcp_seg s;
	unsigned before;

	(void)state;
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG, NULL);
	s.win = 0;
	prt_tcp_input(t, c, &s, 1);
	before = R.nseg;
	assert_int_equal(prt_tcp_send(t, c, req, 6, 2), 0);
	assert_int_equal(R.nseg, before); /* nothing fits */
	prt_tcp_expire(t, 250 * MS);
	assert_int_equal(R.nseg, before + 1);
	assert_int_equal(last()->len, 1);
	/* the window opens: the rest goes */
	s = seg(PEER_ISS + 1, ISS + 2, RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 300 * MS);
	assert_int_equal(last()->len, 5);
	assert_int_equal(last()->seq, ISS + 2);
	prt_tcp_free(t);
}

static void consumer_may_abort_inside_a_callback(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 80, 0);
	struct prt_tcp_seg s;

	(void)state;
	R.abort_on_data = true;
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG | RTE_TCP_FIN_FLAG, "garbage");
	prt_tcp_input(t, c, &s, 1);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_ABORTED);
	assert_true(last()->flags & RTE_TCP_RST_FLAG);
	/* later segments of the flow find nothing; calls on the freed one do nothing */
	assert_null(prt_tcp_lookup(t, prt_tcp_conn_key(c)));
	prt_tcp_input(t, c, &s, 2);
	prt_tcp_close(t, c, 2);
	assert_int_equal(prt_tcp_send(t, c, (const uint8_t *)"x", 1, 2), -EPIPE);
	assert_int_equal(R.closed, 1);
	prt_tcp_free(t);
}

static void full_table_and_many_connections(void **state)
{
	struct prt_tcp *t = table(10000);

	(void)state;
	for (uint32_t i = 0; i < 10000; i++) {
		struct prt_tcp_key k = key((uint16_t)(i % 60000 + 1));
		struct prt_tcp_seg synack = seg(PEER_ISS, ISS + 1,
			RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, NULL);
		k.our_port = (uint16_t)(40000 + i / 60000);
		k.peer = prt_addr_from_v4(0xc6120000 + i);
		assert_non_null(prt_tcp_open(t, &k, ISS, &synack, i));
	}
	assert_int_equal(prt_tcp_stats(t)->open, 10000);
	assert_null(connect_one(t, 9, 0));
	assert_int_equal(prt_tcp_stats(t)->table_full, 1);
	/* every one times out on the wheel, and the table is empty again */
	for (uint64_t now = 0; now <= 11000 * MS; now += 50 * MS)
		prt_tcp_expire(t, now);
	assert_int_equal(prt_tcp_stats(t)->timed_out, 10000);
	assert_int_equal(prt_tcp_stats(t)->open, 0);
	/* the slots are reusable */
	assert_non_null(connect_one(t, 9, 0));
	prt_tcp_abort_all(t);
	assert_int_equal(prt_tcp_stats(t)->open, 0);
	assert_int_equal(prt_tcp_stats(t)->aborted, 1);
	prt_tcp_free(t);
}

/* Our own connection: SYN with MSS, retransmitted, then the SYN-ACK or a refusal. */
static void active_open(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_key k = key(8080);
	struct prt_tcp_conn *c = prt_tcp_connect(t, &k, ISS, 0);
	struct prt_tcp_seg s;

	(void)state;
	assert_non_null(c);
	assert_int_equal(prt_tcp_conn_state(c), PRT_TCP_SYN_SENT);
	assert_int_equal(last()->flags, RTE_TCP_SYN_FLAG);
	assert_int_equal(last()->seq, ISS);
	assert_int_equal(last()->mss, 1460);
	assert_int_equal(prt_tcp_send(t, c, (const uint8_t *)"x", 1, 1), -EBUSY);
	prt_tcp_expire(t, 250 * MS); /* the SYN again after the RTO */
	assert_int_equal(R.nseg, 2);
	assert_int_equal(last()->flags, RTE_TCP_SYN_FLAG);
	/* a SYN-ACK for another SYN is ignored */
	s = seg(PEER_ISS, ISS + 7, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 260 * MS);
	assert_int_equal(R.established, 0);
	s = seg(PEER_ISS, ISS + 1, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, NULL);
	s.mss = 1000;
	prt_tcp_input(t, c, &s, 270 * MS);
	assert_int_equal(R.established, 1);
	assert_int_equal(prt_tcp_conn_state(c), PRT_TCP_ESTABLISHED);
	assert_int_equal(last()->flags, RTE_TCP_ACK_FLAG);
	assert_int_equal(last()->ack, PEER_ISS + 1);
	assert_int_equal(prt_tcp_send(t, c, (const uint8_t *)"GET", 3, 280 * MS), 0);
	assert_int_equal(last()->seq, ISS + 1);
	s = seg(PEER_ISS + 1, ISS + 4, RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 290 * MS);
	/* a refused one */
	k = key(81);
	c = prt_tcp_connect(t, &k, ISS, 300 * MS);
	s = seg(0, ISS + 1, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, NULL);
	prt_tcp_input(t, c, &s, 301 * MS);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_RESET);
	/* a silent one gives up after its retransmissions */
	k = key(82);
	c = prt_tcp_connect(t, &k, ISS, 400 * MS);
	for (uint64_t now = 400 * MS; now < 9000 * MS; now += 10 * MS)
		prt_tcp_expire(t, now);
	assert_int_equal(R.closed, 2);
	assert_int_equal(R.why, PRT_TCP_END_TIMEOUT);
	prt_tcp_free(t);
}

/* Hostile peers: random segments (flags, numbers near and far from ours,
 * payloads up to 2 KiB) against live connections, with timers running.
 * Nothing may crash or leak a slot, and the open count must match the table. */
static void random_segments_never_break_it(void **state)
{
	static uint8_t junk[2048];
	struct prt_tcp *t = table(64);
	unsigned int seed = 7;
	uint64_t now = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)rand_r(&seed);
	for (int round = 0; round < 200000; round++) {
		uint16_t port = (uint16_t)(1 + rand_r(&seed) % 48);
		struct prt_tcp_key k = key(port);
		struct prt_tcp_conn *c = prt_tcp_lookup(t, &k);
		struct prt_tcp_seg s;
		uint32_t near = (uint32_t)(rand_r(&seed) % 4096) - 2048;

		now += (uint64_t)(rand_r(&seed) % 20) * MS;
		if (c == NULL) {
			if (rand_r(&seed) % 2)
				connect_one(t, port, (uint16_t)(rand_r(&seed) % 3000));
			else
				prt_tcp_connect(t, &k, ISS, now);
			continue;
		}
		s.seq = rand_r(&seed) % 4 ? PEER_ISS + 1 + near : (uint32_t)rand_r(&seed);
		s.ack = rand_r(&seed) % 4 ? ISS + 1 + near / 16 : (uint32_t)rand_r(&seed);
		s.win = (uint16_t)rand_r(&seed);
		s.flags = (uint8_t)rand_r(&seed);
		s.mss = (uint16_t)rand_r(&seed);
		s.len = rand_r(&seed) % 3 ? 0 : (uint32_t)(rand_r(&seed) % sizeof(junk));
		s.data = junk;
		switch (rand_r(&seed) % 16) {
		case 0:
			prt_tcp_send(t, c, junk, (uint32_t)(rand_r(&seed) % sizeof(junk)), now);
			break;
		case 1:
			prt_tcp_close(t, c, now);
			break;
		case 2:
			prt_tcp_wake_at(t, c, now + (uint64_t)(rand_r(&seed) % 5000) * MS);
			break;
		default:
			prt_tcp_input(t, c, &s, now);
		}
		prt_tcp_expire(t, now);
		R.nrx = 0; /* the recorder keeps no more than a test needs */
	}
	assert_true(prt_tcp_stats(t)->open <= 64);
	/* the storm did reach every path: connections came and went every way */
	printf("storm: %lu created, %lu closed, %lu reset, %lu timed out, %lu aborted, "
		"%lu bytes in\n", (unsigned long)prt_tcp_stats(t)->created,
		(unsigned long)prt_tcp_stats(t)->closed, (unsigned long)prt_tcp_stats(t)->reset,
		(unsigned long)prt_tcp_stats(t)->timed_out, (unsigned long)prt_tcp_stats(t)->aborted,
		(unsigned long)prt_tcp_stats(t)->bytes_in);
	assert_true(prt_tcp_stats(t)->created > 1000 && prt_tcp_stats(t)->reset > 100 &&
		prt_tcp_stats(t)->timed_out > 100 && prt_tcp_stats(t)->bytes_in > 0);
	assert_int_equal(prt_tcp_stats(t)->created, prt_tcp_stats(t)->open +
		prt_tcp_stats(t)->closed + prt_tcp_stats(t)->reset +
		prt_tcp_stats(t)->timed_out + prt_tcp_stats(t)->aborted);
	prt_tcp_abort_all(t);
	assert_int_equal(prt_tcp_stats(t)->open, 0);
	prt_tcp_free(t);
}

static int eal_up(void **state)
{
	char prefix[64];
	char *argv[] = {"test_tcp", "--no-pci", "--no-huge", "-m", "128", "--no-shconf",
		"--log-level=3", "-l", "0", "--file-prefix", prefix};

	(void)state;
	snprintf(prefix, sizeof(prefix), "prt-unit-tcp-%d", (int)getpid());
	return rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])), argv) < 0 ? -1 : 0;
}

static int eal_down(void **state)
{
	(void)state;
	rte_eal_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(handshake_acks_the_syn_ack),
		cmocka_unit_test(data_in_order_only),
		cmocka_unit_test(send_segments_by_mss_and_window),
		cmocka_unit_test(retransmits_then_gives_up),
		cmocka_unit_test(graceful_close_we_first),
		cmocka_unit_test(graceful_close_peer_first),
		cmocka_unit_test(simultaneous_close),
		cmocka_unit_test(reset_only_in_window),
		cmocka_unit_test(hard_timeout_and_wake),
		cmocka_unit_test(zero_window_is_probed),
		cmocka_unit_test(consumer_may_abort_inside_a_callback),
		cmocka_unit_test(full_table_and_many_connections),
		cmocka_unit_test(active_open),
		cmocka_unit_test(random_segments_never_break_it),
	};

	return cmocka_run_group_tests(tests, eal_up, eal_down);
}
