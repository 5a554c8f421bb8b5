/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What we send: ACKs, our data in segments of at most the MSS and within the
 * peer's window, the FIN after the data, and all of it again from the oldest
 * unacknowledged byte when the retransmission timer fires (go-back-N: the
 * peers we talk to get a few hundred bytes at most).
 */
#include <errno.h>

#include <rte_common.h>
#include <rte_tcp.h>

#include "tcp_priv.h"

void tcp_emit(struct prt_tcp *t, const struct prt_tcp_conn *c, uint8_t flags, uint32_t seq,
	const uint8_t *data, uint32_t len)
{
	const struct prt_tcp_seg s = {
		.seq = seq,
		.ack = c->rcv_nxt,
		.win = t->conf.rcv_window,
		.flags = flags,
		.mss = (flags & RTE_TCP_SYN_FLAG) ? t->conf.mss : 0,
		.data = data,
		.len = len,
	};

	t->conf.ops->emit(t->conf.ctx, &c->key, &s);
	TCP_STAT_ADD(t, bytes_out, len);
}

/* Our SYN carries the MSS we take; its sequence number is snd_una (nothing acked yet). */
void tcp_send_syn(struct prt_tcp *t, const struct prt_tcp_conn *c)
{
	tcp_emit(t, c, RTE_TCP_SYN_FLAG, c->snd_una, NULL, 0);
}

void tcp_send_ack(struct prt_tcp *t, const struct prt_tcp_conn *c)
{
	tcp_emit(t, c, RTE_TCP_ACK_FLAG, c->snd_nxt, NULL, 0);
}

static uint32_t data_end(const struct prt_tcp_conn *c)
{
	return c->data_seq + c->snd_len;
}

/* Everything we have to send (data, then the FIN if queued) is acknowledged. */
bool tcp_all_sent_acked(const struct prt_tcp_conn *c)
{
	return c->snd_una == data_end(c) + (c->fin_queued ? 1 : 0);
}

void tcp_transmit(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now)
{
	uint32_t end = data_end(c);
	uint32_t wnd = c->snd_wnd;

	if (wnd == 0 && c->window_probe)
		wnd = 1; /* a zero window is probed with one byte (RFC 9293 3.8.6.1) */
	c->window_probe = false;
	while (seq_lt(c->snd_nxt, end)) {
		uint32_t in_flight = c->snd_nxt - c->snd_una;
		uint32_t n = RTE_MIN(end - c->snd_nxt, (uint32_t)c->mss);

		if (in_flight >= wnd)
			break;
		n = RTE_MIN(n, wnd - in_flight);
		tcp_emit(t, c, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, c->snd_nxt,
			c->snd_buf + (c->snd_nxt - c->data_seq), n);
		c->snd_nxt += n;
	}
	if (c->fin_queued && c->snd_nxt == end) {
		tcp_emit(t, c, RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG, end, NULL, 0);
		c->snd_nxt = end + 1;
	}
	/* armed while something is in flight or waits for the window */
	if (!tcp_all_sent_acked(c)) {
		if (c->rto_at == 0)
			c->rto_at = now + c->rto;
	} else {
		c->rto_at = 0;
	}
	tcp_timer_update(t, c);
}

void tcp_retransmit(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now)
{
	if (c->retx >= t->conf.max_retx) {
		tcp_time_out(t, c);
		return;
	}
	c->retx++;
	c->rto *= 2;
	c->rto_at = 0;
	TCP_STAT_ADD(t, retransmits, 1);
	if (c->state == PRT_TCP_SYN_SENT) {
		tcp_send_syn(t, c);
		c->rto_at = now + c->rto;
		tcp_timer_update(t, c);
		return;
	}
	c->window_probe = true;
	c->snd_nxt = c->snd_una;
	tcp_transmit(t, c, now);
}

int prt_tcp_send(struct prt_tcp *t, struct prt_tcp_conn *c, const uint8_t *data, uint32_t len,
	uint64_t now)
{
	if (!tcp_alive(c) || c->fin_queued)
		return -EPIPE;
	if (c->state == PRT_TCP_SYN_SENT)
		return -EBUSY;
	if (c->snd_buf != NULL && seq_lt(c->snd_una, data_end(c)))
		return -EBUSY;
	c->snd_buf = data;
	c->snd_len = len;
	c->data_seq = c->snd_nxt;
	tcp_transmit(t, c, now);
	return 0;
}

void prt_tcp_close(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now)
{
	if (!tcp_alive(c) || c->fin_queued)
		return;
	if (c->state == PRT_TCP_SYN_SENT) {
		prt_tcp_abort(t, c); /* nothing was said yet: a reset ends it */
		return;
	}
	c->fin_queued = true;
	c->state = c->state == PRT_TCP_CLOSE_WAIT ? PRT_TCP_LAST_ACK : PRT_TCP_FIN_WAIT_1;
	tcp_transmit(t, c, now);
}
