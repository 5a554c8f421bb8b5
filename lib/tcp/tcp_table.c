/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection table: an rte_hash from the flow's key to a position, and
 * the connections in an array by that position, so a lookup is one hash
 * probe and no connection is ever allocated on the data path.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_malloc.h>
#include <rte_tcp.h>

#include "tcp_priv.h"

#define WHEEL_TICK_MS 10

static uint32_t wheel_slots(uint32_t timeout_ms)
{
	uint32_t n = 64;

	/* one turn covers the hard timeout, so most deadlines fire on their first visit */
	while (n < 65536 && (uint64_t)n * WHEEL_TICK_MS < timeout_ms)
		n <<= 1;
	return n;
}

struct prt_tcp *prt_tcp_create(const struct prt_tcp_conf *conf)
{
	struct rte_hash_parameters hp = {
		.name = conf->name,
		.entries = conf->capacity < 8 ? 8 : conf->capacity,
		.key_len = sizeof(struct prt_tcp_key),
		.hash_func = rte_jhash,
		.socket_id = conf->socket,
	};
	struct prt_tcp *t;

	if (conf->ops == NULL || conf->ops->emit == NULL || conf->hz == 0 || conf->capacity == 0 ||
	    conf->mss == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc_socket("prt_tcp", sizeof(*t), RTE_CACHE_LINE_SIZE, conf->socket);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	t->conf = *conf;
	t->timeout_ticks = conf->hz * conf->timeout_ms / 1000;
	t->rto_ticks = conf->hz * conf->rto_ms / 1000;
	t->tick = conf->hz * WHEEL_TICK_MS / 1000;
	if (t->tick == 0)
		t->tick = 1;
	t->nslots = wheel_slots(conf->timeout_ms);
	t->hash = rte_hash_create(&hp);
	/* rte_hash positions run 0..entries-1 (one spare for safety) */
	t->nconns = hp.entries + 1;
	t->conns = rte_zmalloc_socket("prt_tcp_conns", sizeof(*t->conns) * t->nconns,
		RTE_CACHE_LINE_SIZE, conf->socket);
	/* one more list than slots: the due list of visit_slot() */
	t->wheel = rte_malloc_socket("prt_tcp_wheel", sizeof(*t->wheel) * (t->nslots + 1), 0,
		conf->socket);
	if (t->hash == NULL || t->conns == NULL || t->wheel == NULL) {
		prt_tcp_free(t);
		rte_errno = ENOMEM;
		return NULL;
	}
	for (uint32_t i = 0; i <= t->nslots; i++)
		t->wheel[i] = TCP_NO_LINK;
	return t;
}

void prt_tcp_free(struct prt_tcp *t)
{
	if (t == NULL)
		return;
	rte_hash_free(t->hash);
	rte_free(t->conns);
	rte_free(t->wheel);
	rte_free(t);
}

const struct prt_tcp_stats *prt_tcp_stats(const struct prt_tcp *t)
{
	return &t->stats;
}

struct prt_tcp_conn *prt_tcp_lookup(struct prt_tcp *t, const struct prt_tcp_key *k)
{
	int32_t pos = rte_hash_lookup(t->hash, k);

	return pos < 0 ? NULL : &t->conns[pos];
}

/* A free slot for @p k, zeroed, on no list; NULL (counted) when there is none. */
static struct prt_tcp_conn *new_conn(struct prt_tcp *t, const struct prt_tcp_key *k,
	uint32_t iss, uint64_t now)
{
	struct prt_tcp_conn *c;
	int32_t pos;

	if (t->stats.open >= t->conf.capacity || rte_hash_lookup(t->hash, k) >= 0) {
		TCP_STAT_ADD(t, table_full, 1);
		return NULL;
	}
	pos = rte_hash_add_key(t->hash, k);
	if (pos < 0) {
		TCP_STAT_ADD(t, table_full, 1);
		return NULL;
	}
	tcp_timer_start(t, now);
	c = &t->conns[pos];
	memset(c, 0, sizeof(*c));
	c->key = *k;
	c->snd_una = c->snd_nxt = c->data_seq = iss + 1;
	c->rto = t->rto_ticks;
	c->hard_at = now + t->timeout_ticks;
	c->slot = TCP_NO_LINK;
	TCP_STAT_ADD(t, created, 1);
	TCP_STAT_ADD(t, open, 1);
	return c;
}

void tcp_establish(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *synack,
	uint64_t now)
{
	c->state = PRT_TCP_ESTABLISHED;
	c->snd_wnd = synack->win;
	c->rcv_nxt = synack->seq + 1;
	/* without the option the peer takes 536 (RFC 9293 3.7.1) */
	c->mss = RTE_MIN(t->conf.mss, synack->mss ? synack->mss : 536);
	c->retx = 0;
	c->rto = t->rto_ticks;
	c->rto_at = 0;
	tcp_send_ack(t, c);
	tcp_timer_update(t, c);
	if (t->conf.ops->established != NULL)
		t->conf.ops->established(t->conf.ctx, c, now);
}

struct prt_tcp_conn *prt_tcp_open(struct prt_tcp *t, const struct prt_tcp_key *k, uint32_t iss,
	const struct prt_tcp_seg *synack, uint64_t now)
{
	struct prt_tcp_conn *c = new_conn(t, k, iss, now);

	if (c == NULL)
		return NULL;
	tcp_establish(t, c, synack, now);
	return tcp_alive(c) ? c : NULL;
}

struct prt_tcp_conn *prt_tcp_connect(struct prt_tcp *t, const struct prt_tcp_key *k,
	uint32_t iss, uint64_t now)
{
	struct prt_tcp_conn *c = new_conn(t, k, iss, now);

	if (c == NULL)
		return NULL;
	c->state = PRT_TCP_SYN_SENT;
	c->snd_una = iss;
	c->mss = t->conf.mss;
	tcp_send_syn(t, c);
	c->rto_at = now + c->rto;
	tcp_timer_update(t, c);
	return c;
}

void tcp_release(struct prt_tcp *t, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	if (!tcp_alive(c))
		return;
	switch (why) {
	case PRT_TCP_END_CLOSED:
		TCP_STAT_ADD(t, closed, 1);
		break;
	case PRT_TCP_END_RESET:
		TCP_STAT_ADD(t, reset, 1);
		break;
	case PRT_TCP_END_TIMEOUT:
		TCP_STAT_ADD(t, timed_out, 1);
		break;
	case PRT_TCP_END_ABORTED:
		TCP_STAT_ADD(t, aborted, 1);
		break;
	}
	tcp_timer_cancel(t, c);
	/* FREE before the callback: whatever the consumer calls on it is a no-op */
	c->state = PRT_TCP_FREE;
	if (t->conf.ops->closed != NULL)
		t->conf.ops->closed(t->conf.ctx, c, why);
	rte_hash_del_key(t->hash, &c->key);
	TCP_STAT_ADD(t, open, -1);
}

static void reset_and_release(struct prt_tcp *t, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	if (!tcp_alive(c))
		return;
	tcp_emit(t, c, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, c->snd_nxt, NULL, 0);
	tcp_release(t, c, why);
}

void prt_tcp_abort(struct prt_tcp *t, struct prt_tcp_conn *c)
{
	reset_and_release(t, c, PRT_TCP_END_ABORTED);
}

void tcp_time_out(struct prt_tcp *t, struct prt_tcp_conn *c)
{
	reset_and_release(t, c, PRT_TCP_END_TIMEOUT);
}

void prt_tcp_abort_all(struct prt_tcp *t)
{
	for (uint32_t i = 0; i < t->nconns && t->stats.open > 0; i++)
		prt_tcp_abort(t, &t->conns[i]);
}

uint32_t prt_tcp_conn_index(const struct prt_tcp *t, const struct prt_tcp_conn *c)
{
	return (uint32_t)(c - t->conns);
}

struct prt_tcp_conn *prt_tcp_conn_at(struct prt_tcp *t, uint32_t idx)
{
	return &t->conns[idx];
}

const struct prt_tcp_key *prt_tcp_conn_key(const struct prt_tcp_conn *c)
{
	return &c->key;
}

enum prt_tcp_state prt_tcp_conn_state(const struct prt_tcp_conn *c)
{
	return (enum prt_tcp_state)c->state;
}

const char *prt_tcp_state_name(enum prt_tcp_state s)
{
	static const char *const names[] = {
		[PRT_TCP_FREE] = "free",
		[PRT_TCP_SYN_SENT] = "syn-sent",
		[PRT_TCP_ESTABLISHED] = "established",
		[PRT_TCP_FIN_WAIT_1] = "fin-wait-1",
		[PRT_TCP_FIN_WAIT_2] = "fin-wait-2",
		[PRT_TCP_CLOSING] = "closing",
		[PRT_TCP_CLOSE_WAIT] = "close-wait",
		[PRT_TCP_LAST_ACK] = "last-ack",
	};

	return (unsigned)s < RTE_DIM(names) ? names[s] : "?";
}
