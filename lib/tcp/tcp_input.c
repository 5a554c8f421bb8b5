/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One received segment of a connection (RFC 9293 3.10.7.4, reduced to what a
 * client that sends little and closes first needs): reset, acknowledgment,
 * in-order data, FIN. The consumer's callbacks may close or abort the
 * connection; after each one, a freed connection is left alone.
 */
#include <rte_tcp.h>

#include "tcp_priv.h"

/* A reset counts only inside our receive window (RFC 5961 3: blind resets
 * with a guessed sequence number are ignored). */
static bool rst_acceptable(const struct prt_tcp *t, const struct prt_tcp_conn *c,
	const struct prt_tcp_seg *s)
{
	return seq_le(c->rcv_nxt, s->seq) && seq_lt(s->seq, c->rcv_nxt + t->conf.rcv_window);
}

static bool our_fin_acked(const struct prt_tcp_conn *c)
{
	return c->fin_queued && tcp_all_sent_acked(c);
}

/* @return false when the connection ended */
static bool process_ack(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *s,
	uint64_t now)
{
	if (seq_lt(c->snd_nxt, s->ack))
		return true; /* acknowledges what we never sent: ignore it */
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
		if (rst_acceptable(t, c, s))
			tcp_release(t, c, PRT_TCP_END_RESET);
		return;
	}
	if (s->flags & RTE_TCP_SYN_FLAG) {
		/* our ACK of the SYN-ACK was lost: say it again */
		if (s->seq + 1 == c->rcv_nxt)
			tcp_send_ack(t, c);
		return;
	}
	if (!(s->flags & RTE_TCP_ACK_FLAG) || !process_ack(t, c, s, now))
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
