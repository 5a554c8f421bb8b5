/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A hashed timer wheel: a connection sits in the slot of its earliest
 * deadline (hard timeout, retransmission, consumer wake-up). Each call to
 * prt_tcp_expire() visits only the slots whose time has come since the last
 * call, so an idle table costs a compare; a deadline more than
 * one turn away is simply passed over until its turn.
 */
#include "tcp_priv.h"

static uint64_t earliest(const struct prt_tcp_conn *c)
{
	uint64_t d = c->hard_at;

	if (c->rto_at != 0 && c->rto_at < d)
		d = c->rto_at;
	if (c->wake_at != 0 && c->wake_at < d)
		d = c->wake_at;
	return d;
}

void tcp_timer_start(struct prt_tcp *t, uint64_t now)
{
	if (t->clock_started)
		return;
	t->last_tick = now / t->tick;
	t->clock_started = true;
}

void tcp_timer_cancel(struct prt_tcp *t, struct prt_tcp_conn *c)
{
	if (c->slot == TCP_NO_LINK)
		return;
	if (c->prev != TCP_NO_LINK)
		t->conns[c->prev].next = c->next;
	else
		t->wheel[c->slot] = c->next;
	if (c->next != TCP_NO_LINK)
		t->conns[c->next].prev = c->prev;
	c->slot = TCP_NO_LINK;
}

void tcp_timer_update(struct prt_tcp *t, struct prt_tcp_conn *c)
{
	uint64_t when = earliest(c) / t->tick;
	uint32_t idx = (uint32_t)(c - t->conns), slot;

	/* a deadline already past goes to the next slot to be visited */
	if (when <= t->last_tick)
		when = t->last_tick + 1;
	slot = (uint32_t)(when & (t->nslots - 1));
	if (c->slot == slot)
		return;
	tcp_timer_cancel(t, c);
	c->slot = slot;
	c->prev = TCP_NO_LINK;
	c->next = t->wheel[slot];
	if (c->next != TCP_NO_LINK)
		t->conns[c->next].prev = idx;
	t->wheel[slot] = idx;
}

void prt_tcp_wake_at(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t when)
{
	if (!tcp_alive(c))
		return;
	c->wake_at = when;
	tcp_timer_update(t, c);
}

static void fire(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now)
{
	if (now >= c->hard_at) {
		tcp_time_out(t, c);
		return;
	}
	if (c->rto_at != 0 && now >= c->rto_at) {
		tcp_retransmit(t, c, now);
		if (!tcp_alive(c))
			return;
	}
	if (c->wake_at != 0 && now >= c->wake_at) {
		c->wake_at = 0;
		if (t->conf.ops->wake != NULL)
			t->conf.ops->wake(t->conf.ctx, c, now);
		if (!tcp_alive(c))
			return;
	}
	tcp_timer_update(t, c);
}

/*
 * The slot's list is first moved to the "due" list (wheel[nslots]) and then
 * taken one connection at a time from its head. A callback may abort, move or
 * open any connection, including the ones still waiting in the due list:
 * tcp_timer_cancel() unlinks them from it like from any slot, so the loop
 * never follows a link read before a callback ran (a freed connection would
 * otherwise be fired, retransmitted from a freed buffer and re-queued).
 */
static void visit_slot(struct prt_tcp *t, uint32_t slot, uint64_t now)
{
	const uint32_t due = t->nslots;
	uint32_t i;

	t->wheel[due] = t->wheel[slot];
	t->wheel[slot] = TCP_NO_LINK;
	for (i = t->wheel[due]; i != TCP_NO_LINK; i = t->conns[i].next)
		t->conns[i].slot = due;
	while ((i = t->wheel[due]) != TCP_NO_LINK) {
		struct prt_tcp_conn *c = &t->conns[i];

		tcp_timer_cancel(t, c);
		if (earliest(c) <= now)
			fire(t, c, now);
		else
			tcp_timer_update(t, c); /* later in this tick, or a turn away */
	}
}

void prt_tcp_expire(struct prt_tcp *t, uint64_t now)
{
	uint64_t now_tick, from;

	/* called on every RX poll: a compare until the next tick begins */
	if (!t->clock_started || now < (t->last_tick + 1) * t->tick)
		return;
	now_tick = now / t->tick;
	/* after a long pause one turn visits every slot once */
	from = now_tick - t->last_tick > t->nslots ? now_tick - t->nslots + 1 : t->last_tick + 1;
	for (uint64_t k = from; k <= now_tick; k++) {
		t->last_tick = k;
		visit_slot(t, (uint32_t)(k & (t->nslots - 1)), now);
	}
}
