/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tcp, how connections end: graceful and simultaneous closes, resets,
 * timeouts, a full table, and random hostile segments.
 * Against the scripted peer of tcp_peer.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_tcp.h>

#include "cmocka_common.h"
#include "tcp_peer.h"

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

/* RFC 5961: a reset ends the connection only at exactly rcv_nxt; in the
 * window it earns a challenge ACK, outside it nothing. */
static void reset_only_at_rcv_nxt(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 6379, 0);
	struct prt_tcp_seg s;
	unsigned before;

	(void)state;
	/* a blind reset far outside the window is ignored */
	before = R.nseg;
	s = seg(PEER_ISS + 1 + 100000, 0, RTE_TCP_RST_FLAG, NULL);
	prt_tcp_input(t, c, &s, 1);
	assert_int_equal(R.closed, 0);
	assert_int_equal(R.nseg, before);
	/* inside the window but not exact: a challenge ACK, the connection stays */
	s = seg(PEER_ISS + 1 + 100, 0, RTE_TCP_RST_FLAG, NULL);
	prt_tcp_input(t, c, &s, 1);
	assert_int_equal(R.closed, 0);
	assert_int_equal(R.nseg, before + 1);
	assert_int_equal(last()->flags, RTE_TCP_ACK_FLAG);
	assert_int_equal(last()->ack, PEER_ISS + 1);
	assert_int_equal(prt_tcp_stats(t)->challenge_acks, 1);
	/* a SYN on the open connection: a challenge ACK too */
	s = seg(PEER_ISS + 7, 0, RTE_TCP_SYN_FLAG, NULL);
	prt_tcp_input(t, c, &s, 1);
	assert_int_equal(R.nseg, before + 2);
	assert_int_equal(last()->flags, RTE_TCP_ACK_FLAG);
	s = seg(PEER_ISS + 1, 0, RTE_TCP_RST_FLAG, NULL);
	prt_tcp_input(t, c, &s, 2);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_RESET);
	assert_int_equal(prt_tcp_stats(t)->reset, 1);
	assert_null(prt_tcp_lookup(t, &(struct prt_tcp_key){0}));
	prt_tcp_free(t);
}

/* Data whose ACK covers bytes we never sent is not taken (RFC 9293 3.10.7.4):
 * the peer, or someone guessing, gets our ACK and nothing else happens. */
static void data_with_an_ack_beyond_snd_nxt_is_dropped(void **state)
{
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *c = connect_one(t, 21, 0);
	struct prt_tcp_seg s;

	(void)state;
	s = seg(PEER_ISS + 1, ISS + 1 + 500, RTE_TCP_ACK_FLAG, "220 forged\r\n");
	prt_tcp_input(t, c, &s, 1);
	assert_int_equal(R.nrx, 0);
	assert_int_equal(last()->flags, RTE_TCP_ACK_FLAG);
	assert_int_equal(last()->ack, PEER_ISS + 1);
	/* an ACK from far before snd_una likewise */
	s = seg(PEER_ISS + 1, ISS + 1 - 70000, RTE_TCP_ACK_FLAG, "220 forged\r\n");
	prt_tcp_input(t, c, &s, 2);
	assert_int_equal(R.nrx, 0);
	/* the real one is taken */
	s = seg(PEER_ISS + 1, ISS + 1, RTE_TCP_ACK_FLAG, "220 ftp\r\n");
	prt_tcp_input(t, c, &s, 3);
	assert_int_equal(R.nrx, 9);
	assert_memory_equal(R.rx, "220 ftp\r\n", 9);
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
		int32_t near = (int32_t)(rand_r(&seed) % 4096) - 2048;

		now += (uint64_t)(rand_r(&seed) % 20) * MS;
		if (c == NULL) {
			if (rand_r(&seed) % 2)
				connect_one(t, port, (uint16_t)(rand_r(&seed) % 3000));
			else
				prt_tcp_connect(t, &k, ISS, now);
			continue;
		}
		/* exact, near (either side) or anywhere; resets count only when exact */
		s.seq = rand_r(&seed) % 8 == 0 ? PEER_ISS + 1 : rand_r(&seed) % 4 ?
			PEER_ISS + 1 + (uint32_t)near : (uint32_t)rand_r(&seed);
		s.ack = rand_r(&seed) % 4 ? ISS + 1 + (uint32_t)(near / 16) : (uint32_t)rand_r(&seed);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(graceful_close_we_first),
		cmocka_unit_test(graceful_close_peer_first),
		cmocka_unit_test(simultaneous_close),
		cmocka_unit_test(reset_only_at_rcv_nxt),
		cmocka_unit_test(data_with_an_ack_beyond_snd_nxt_is_dropped),
		cmocka_unit_test(hard_timeout_and_wake),
		cmocka_unit_test(full_table_and_many_connections),
		cmocka_unit_test(random_segments_never_break_it),
	};

	return cmocka_run_group_tests_name("tcp_close", tests, eal_up, eal_down);
}
