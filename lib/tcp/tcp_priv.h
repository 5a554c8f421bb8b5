/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TCP_PRIV_H
#define TCP_PRIV_H

#include <rte_common.h>

#include "prt_tcp.h"

#define TCP_NO_LINK UINT32_MAX

struct prt_tcp_conn {
	struct prt_tcp_key key;
	uint8_t state;          /**< enum prt_tcp_state */
	bool fin_queued;        /**< close asked: FIN follows our data */
	bool window_probe;      /**< the next transmission may send 1 byte into a zero window */
	uint8_t retx;           /**< retransmissions of what is in flight */
	uint16_t mss;           /**< our segment size: min(ours, the peer's) */
	uint32_t snd_una;       /**< oldest unacknowledged sequence number */
	uint32_t snd_nxt;       /**< next sequence number to send */
	uint32_t snd_wnd;       /**< the peer's window */
	uint32_t data_seq;      /**< sequence number of snd_buf[0] */
	const uint8_t *snd_buf; /**< the consumer's bytes being sent (NULL: none) */
	uint32_t snd_len;
	uint32_t rcv_nxt;       /**< next sequence number expected from the peer */
	uint64_t hard_at;       /**< the connection dies at this tick */
	uint64_t rto_at;        /**< retransmit at this tick (0: nothing in flight) */
	uint64_t wake_at;       /**< the consumer's wake-up (0: none) */
	uint64_t rto;           /**< current retransmission timeout, in ticks */
	uint32_t prev, next;    /**< timer wheel list links (indexes) */
	uint32_t slot;          /**< wheel slot, TCP_NO_LINK when not on the wheel */
};

struct prt_tcp {
	struct prt_tcp_conf conf;
	struct rte_hash *hash;
	struct prt_tcp_conn *conns; /**< by rte_hash position */
	uint32_t nconns;
	struct prt_tcp_stats stats;
	uint64_t timeout_ticks;
	uint64_t rto_ticks;
	/* timer wheel: slots of `tick` ticks; later deadlines wait a turn */
	uint32_t *wheel;        /**< nslots slots, then the due list being visited */
	uint32_t nslots;        /**< a power of two */
	uint64_t tick;
	uint64_t last_tick;     /**< the last wheel tick processed */
	bool clock_started;
	uint64_t challenge_since; /**< start of this second's challenge-ACK budget */
	uint32_t challenge_sent;
};

/** Counters have one writer; relaxed stores keep telemetry's reads whole. */
#define TCP_STAT_ADD(t, field, n) \
	__atomic_store_n(&(t)->stats.field, (t)->stats.field + (n), __ATOMIC_RELAXED)

/* tcp_table.c */
void tcp_release(struct prt_tcp *t, struct prt_tcp_conn *c, enum prt_tcp_end why);
/** Reset a connection that ran out of time. */
void tcp_time_out(struct prt_tcp *t, struct prt_tcp_conn *c);

/** Take a connection to ESTABLISHED on the SYN-ACK: ACK it, tell the consumer. */
void tcp_establish(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *synack,
	uint64_t now);

/* tcp_output.c */
void tcp_send_syn(struct prt_tcp *t, const struct prt_tcp_conn *c);
void tcp_emit(struct prt_tcp *t, const struct prt_tcp_conn *c, uint8_t flags, uint32_t seq,
	const uint8_t *data, uint32_t len);
void tcp_send_ack(struct prt_tcp *t, const struct prt_tcp_conn *c);
void tcp_transmit(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now);
void tcp_retransmit(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now);
bool tcp_all_sent_acked(const struct prt_tcp_conn *c);

/* tcp_timer.c */
void tcp_timer_start(struct prt_tcp *t, uint64_t now);
void tcp_timer_update(struct prt_tcp *t, struct prt_tcp_conn *c);
void tcp_timer_cancel(struct prt_tcp *t, struct prt_tcp_conn *c);

/** Sequence-space order (RFC 9293 3.4): a before b. */
static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool tcp_alive(const struct prt_tcp_conn *c)
{
	return c->state != PRT_TCP_FREE;
}

#endif
