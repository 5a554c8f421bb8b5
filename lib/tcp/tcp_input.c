/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One received segment of a connection (RFC 9293 3.10.7.4, reduced to what a
 * client that sends little and closes first needs): reset, acknowledgment,
 * in-order data, FIN. The consumer's callbacks may close or abort the
 * connection; after each one, a freed connection is left alone.
 */
#include <rte_tcp.h>

#include "tcp_priv.h"

/* Challenge ACKs (RFC 5961 7): at most this many a second per table, so a
 * flood of in-window resets or SYNs cannot make us a reflector. */
#define CHALLENGE_ACKS_PER_S 1000

static bool in_window(const struct prt_tcp *t, const struct prt_tcp_conn *c, uint32_t seq)
{
	return seq_le(c->rcv_nxt, seq) && seq_lt(seq, c->rcv_nxt + t->conf.rcv_window);
}

/* "I expect rcv_nxt": the peer, if real, answers with the exact reset. */
static void challenge_ack(struct prt_tcp *t, const struct prt_tcp_conn *c, uint64_t now)
{
	if (now - t->challenge_since >= t->conf.hz) {
		t->challenge_since = now;
		t->challenge_sent = 0;
	}
	if (t->challenge_sent >= CHALLENGE_ACKS_PER_S)
		return;
	t->challenge_sent++;
	TCP_STAT_ADD(t, challenge_acks, 1);
	tcp_send_ack(t, c);
}

/* RFC 5961 3.2: a reset ends the connection only at exactly rcv_nxt; elsewhere
 * in the window it gets a challenge ACK; outside it is dropped. */
static void process_rst(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *s,
	uint64_t now)
{
	if (s->seq == c->rcv_nxt)
		tcp_release(t, c, PRT_TCP_END_RESET);
	else if (in_window(t, c, s->seq))
		challenge_ack(t, c, now);
}

/* RFC 5961 5.2 / RFC 9293 3.10.7.4: an ACK is acceptable between what the
 * peer's largest window allows before snd_una and snd_nxt. We offer no window
 * scaling, so that window is at most 65535. */
static bool ack_acceptable(const struct prt_tcp_conn *c, uint32_t ack)
{
	return seq_le(ack, c->snd_nxt) && seq_le(c->snd_una - 65535u, ack);
}

static bool our_fin_acked(const struct prt_tcp_conn *c)
{
	return c->fin_queued && tcp_all_sent_acked(c);
}

/* @return false when the connection ended */
static bool process_ack(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *s,
	uint64_t now)
{
	if (seq_le(c->snd_una, s->ack))
		c->snd_wnd = s->win;
	if (seq_lt(c->snd_una, s->ack)) {
		c->snd_una = s->ack;
		c->retx = 0;
		c->rto = t->rto_ticks;
		c->rto_at = 0;
	}
	if (our_fin_acked(c)) {
		switch (c->state) {
		case PRT_TCP_FIN_WAIT_1:
			c->state = PRT_TCP_FIN_WAIT_2;
			break;
		case PRT_TCP_CLOSING:
		case PRT_TCP_LAST_ACK:
			tcp_release(t, c, PRT_TCP_END_CLOSED);
			return false;
		default:
			break;
		}
	}
	/* the window may have opened, or the ACK freed room for more */
	tcp_transmit(t, c, now);
	return true;
}

static bool takes_data(const struct prt_tcp_conn *c)
{
	return c->state == PRT_TCP_ESTABLISHED || c->state == PRT_TCP_FIN_WAIT_1 ||
		c->state == PRT_TCP_FIN_WAIT_2;
}

/* The peer's FIN, all data before it received. @return false when the connection ended */
static bool process_fin(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now)
{
	c->rcv_nxt++;
	switch (c->state) {
	case PRT_TCP_ESTABLISHED:
		c->state = PRT_TCP_CLOSE_WAIT;
		break;
	case PRT_TCP_FIN_WAIT_1:
		c->state = PRT_TCP_CLOSING;
		break;
	default: /* FIN_WAIT_2: both sides done; no TIME-WAIT, our ports are per target */
		tcp_send_ack(t, c);
		tcp_release(t, c, PRT_TCP_END_CLOSED);
		return false;
	}
	tcp_send_ack(t, c);
	if (t->conf.ops->data != NULL)
		t->conf.ops->data(t->conf.ctx, c, NULL, 0, now);
	return tcp_alive(c);
}

/* Our SYN is out: a SYN-ACK acknowledging it establishes, a reset that
 * acknowledges it refuses (RFC 9293 3.10.7.3); anything else is ignored. */
static void syn_sent(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *s,
	uint64_t now)
{
	if (!(s->flags & RTE_TCP_ACK_FLAG) || s->ack != c->snd_una + 1)
		return;
	if (s->flags & RTE_TCP_RST_FLAG) {
		tcp_release(t, c, PRT_TCP_END_RESET);
		return;
	}
	if (!(s->flags & RTE_TCP_SYN_FLAG))
		return;
	c->snd_una = c->snd_nxt = c->data_seq = s->ack;
	tcp_establish(t, c, s, now);
}

void prt_tcp_input(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *s,
	uint64_t now)
{
	uint32_t skip, fresh;

	if (!tcp_alive(c))
		return;
	if (c->state == PRT_TCP_SYN_SENT) {
		syn_sent(t, c, s, now);
		return;
	}
	if (s->flags & RTE_TCP_RST_FLAG) {
		process_rst(t, c, s, now);
		return;
	}
	if (s->flags & RTE_TCP_SYN_FLAG) {
		/* RFC 5961 4.2: a SYN now gets our ACK (also when ours of the
		 * SYN-ACK was lost), never a reset or a new connection */
		challenge_ack(t, c, now);
		return;
	}
	if (!(s->flags & RTE_TCP_ACK_FLAG))
		return;
	if (!ack_acceptable(c, s->ack)) {
		/* it acknowledges what we never sent (or long ago): drop it, data too */
		challenge_ack(t, c, now);
		return;
	}
	if (!process_ack(t, c, s, now))
		return;
	if (s->len == 0 && !(s->flags & RTE_TCP_FIN_FLAG))
		return;
	if (!takes_data(c) || seq_lt(c->rcv_nxt, s->seq)) {
		/* after the peer's FIN, or a gap before it: say what we expect */
		if (seq_lt(c->rcv_nxt, s->seq))
			TCP_STAT_ADD(t, out_of_order, 1);
		tcp_send_ack(t, c);
		return;
	}
	skip = c->rcv_nxt - s->seq;
	fresh = s->len > skip ? s->len - skip : 0;
	if (fresh > 0) {
		c->rcv_nxt += fresh;
		TCP_STAT_ADD(t, bytes_in, fresh);
		if (t->conf.ops->data != NULL)
			t->conf.ops->data(t->conf.ctx, c, s->data + skip, fresh, now);
		if (!tcp_alive(c))
			return;
	}
	if ((s->flags & RTE_TCP_FIN_FLAG) && s->seq + s->len == c->rcv_nxt) {
		process_fin(t, c, now);
		return;
	}
	tcp_send_ack(t, c);
}
