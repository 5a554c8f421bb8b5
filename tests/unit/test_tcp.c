/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tcp, a connection's life while open: the handshake, data in and out,
 * retransmission, the zero window, a consumer that aborts, our own SYN.
 * Against the scripted peer of tcp_peer.c.
 */
#include <errno.h>
#include <string.h>

#include <rte_tcp.h>

#include "cmocka_common.h"
#include "tcp_peer.h"

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

/*
 * Two connections due in the same wheel slot; the first one woken aborts the
 * other (as -sV stops a port's sibling probes). The aborted one, already
 * freed, must not be woken, retransmitted from its freed buffer or put back
 * on the wheel.
 */
static void wake_may_abort_a_connection_due_in_the_same_slot(void **state)
{
	static const uint8_t probe[] = "GET / HTTP/1.0\r\n\r\n";
	struct prt_tcp *t = table(16);
	struct prt_tcp_conn *a = connect_one(t, 80, 0);
	struct prt_tcp_conn *b = connect_one(t, 81, 0);
	unsigned after_abort;

	(void)state;
	/* both have data in flight: a stale visit would retransmit it */
	assert_int_equal(prt_tcp_send(t, a, probe, sizeof(probe) - 1, 1), 0);
	assert_int_equal(prt_tcp_send(t, b, probe, sizeof(probe) - 1, 1), 0);
	R.siblings[0] = a;
	R.siblings[1] = b;
	prt_tcp_wake_at(t, a, 50 * MS);
	prt_tcp_wake_at(t, b, 50 * MS);
	prt_tcp_expire(t, 55 * MS);
	assert_int_equal(R.wakes, 1);
	assert_int_equal(R.closed, 1);
	assert_int_equal(R.why, PRT_TCP_END_ABORTED);
	assert_true(last()->flags & RTE_TCP_RST_FLAG);
	after_abort = R.nseg;
	/* the survivor retransmits once at its RTO; the aborted one never again */
	for (uint64_t now = 60 * MS; now <= 260 * MS; now += 10 * MS)
		prt_tcp_expire(t, now);
	assert_int_equal(R.nseg, after_abort + 1);
	assert_int_equal(R.wakes, 1);
	assert_int_equal(prt_tcp_stats(t)->open, 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(handshake_acks_the_syn_ack),
		cmocka_unit_test(data_in_order_only),
		cmocka_unit_test(send_segments_by_mss_and_window),
		cmocka_unit_test(retransmits_then_gives_up),
		cmocka_unit_test(zero_window_is_probed),
		cmocka_unit_test(consumer_may_abort_inside_a_callback),
		cmocka_unit_test(wake_may_abort_a_connection_due_in_the_same_slot),
		cmocka_unit_test(active_open),
	};

	return cmocka_run_group_tests_name("tcp", tests, eal_up, eal_down);
}
