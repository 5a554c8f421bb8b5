/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TCP_H
#define PRT_TCP_H

/**
 * @file
 * A userspace TCP for the connections the scanner opens (-sT, --banners,
 * -sV). One table per RX lcore, used by that lcore only (symmetric RSS keeps
 * a flow and its replies on one queue), so nothing here locks.
 *
 * A connection is created only from a SYN-ACK whose cookie the classifier
 * validated: the table never holds state for packets we did not ask for.
 * Received bytes are handed to the consumer in order as they arrive; a
 * segment that starts beyond the next expected byte is dropped and
 * re-acknowledged, so the peer retransmits it (no out-of-order queue: the
 * peers we talk to send little, and holding nothing keeps hostile input from
 * costing memory). Our data is sent from the consumer's own bytes (a probe
 * string, a TLS record buffer), which must stay valid until acknowledged.
 *
 * Time: every function takes `now` in TSC ticks; one timer wheel drives
 * retransmission, the consumer's wake-ups and the hard per-connection
 * timeout. Outgoing segments go through the emit callback, which frames
 * them; the library never touches mbufs.
 */

#include <stdbool.h>
#include <stdint.h>

#include "prt_result.h"

/** A connection's identity seen from our side. */
struct prt_tcp_key {
	struct prt_addr peer;
	uint16_t peer_port;
	uint16_t our_port;
};

/** One segment, in host order (payload points into the frame or our buffer). */
struct prt_tcp_seg {
	uint32_t seq;
	uint32_t ack;
	uint16_t win;
	uint8_t flags;      /**< RTE_TCP_*_FLAG bits */
	uint16_t mss;       /**< SYN's MSS option, 0 when absent */
	const uint8_t *data;
	uint32_t len;
};

enum prt_tcp_state {
	PRT_TCP_FREE = 0,
	PRT_TCP_SYN_SENT,    /**< our SYN is out (prt_tcp_connect) */
	PRT_TCP_ESTABLISHED,
	PRT_TCP_FIN_WAIT_1,  /**< our FIN sent, not acknowledged */
	PRT_TCP_FIN_WAIT_2,  /**< our FIN acknowledged, the peer's not yet seen */
	PRT_TCP_CLOSING,     /**< both FINs sent, ours not acknowledged */
	PRT_TCP_CLOSE_WAIT,  /**< the peer's FIN seen, ours not sent */
	PRT_TCP_LAST_ACK,    /**< the peer's FIN seen, ours sent */
};

/** How a connection ended (the consumer's closed callback is told). */
enum prt_tcp_end {
	PRT_TCP_END_CLOSED = 0, /**< both FINs exchanged and acknowledged */
	PRT_TCP_END_RESET,      /**< the peer reset it */
	PRT_TCP_END_TIMEOUT,    /**< hard timeout, or our data never acknowledged */
	PRT_TCP_END_ABORTED,    /**< we reset it (consumer abort, scan stop) */
};

struct prt_tcp;
struct prt_tcp_conn;

/** The consumer: what happens on a connection is told through these. */
struct prt_tcp_ops {
	/** The handshake is complete (our ACK of the SYN-ACK is out). */
	void (*established)(void *ctx, struct prt_tcp_conn *c, uint64_t now);
	/** In-order bytes from the peer; @p len 0 means the peer sent its FIN. */
	void (*data)(void *ctx, struct prt_tcp_conn *c, const uint8_t *d, uint32_t len,
		uint64_t now);
	/** The time the consumer asked for with prt_tcp_wake_at() has come. */
	void (*wake)(void *ctx, struct prt_tcp_conn *c, uint64_t now);
	/** The connection ends; it is freed when this returns. */
	void (*closed)(void *ctx, struct prt_tcp_conn *c, enum prt_tcp_end why);
	/** Put one segment on the wire (frame it, queue it for TX). */
	void (*emit)(void *ctx, const struct prt_tcp_key *k, const struct prt_tcp_seg *s);
};

struct prt_tcp_conf {
	const char *name;       /**< rte_hash name, unique in the process */
	uint32_t capacity;      /**< connections at most (the table is sized for them) */
	int socket;
	uint64_t hz;            /**< TSC ticks per second */
	uint32_t timeout_ms;    /**< hard limit on a connection's life */
	uint32_t rto_ms;        /**< first retransmission timeout (doubles each time) */
	uint32_t max_retx;      /**< retransmissions of one segment before giving up */
	uint16_t rcv_window;    /**< the window we advertise */
	uint16_t mss;           /**< the most we send in a segment (the peer's MSS caps it) */
	const struct prt_tcp_ops *ops;
	void *ctx;
};

/** Counters (one writer: the table's lcore; read with relaxed loads). */
struct prt_tcp_stats {
	uint64_t open;          /**< connections now */
	uint64_t created;
	uint64_t closed;        /**< ended gracefully */
	uint64_t reset;         /**< reset by the peer */
	uint64_t timed_out;
	uint64_t aborted;
	uint64_t table_full;    /**< SYN-ACKs refused a connection (reset instead) */
	uint64_t retransmits;   /**< our segments sent again */
	uint64_t out_of_order;  /**< segments dropped because they started past rcv_nxt */
	uint64_t challenge_acks; /**< RFC 5961 ACKs for in-window resets, SYNs, bad ACKs */
	uint64_t bytes_in;
	uint64_t bytes_out;
};

/** @return the table, or NULL with rte_errno set */
struct prt_tcp *prt_tcp_create(const struct prt_tcp_conf *conf);
void prt_tcp_free(struct prt_tcp *t);

const struct prt_tcp_stats *prt_tcp_stats(const struct prt_tcp *t);

/** The connection of @p k, or NULL. */
struct prt_tcp_conn *prt_tcp_lookup(struct prt_tcp *t, const struct prt_tcp_key *k);

/**
 * Open a connection from a validated SYN-ACK to our SYN whose sequence
 * number was @p iss: acknowledge it and tell the consumer. @return the
 * connection, or NULL when the table is full or the key exists (counted;
 * the caller resets the peer)
 */
struct prt_tcp_conn *prt_tcp_open(struct prt_tcp *t, const struct prt_tcp_key *k, uint32_t iss,
	const struct prt_tcp_seg *synack, uint64_t now);

/**
 * Open a connection ourselves (a later probe of -sV): a SYN with our MSS
 * from @p k->our_port with sequence number @p iss, retransmitted like data.
 * The established callback runs when the SYN-ACK comes; closed runs with
 * PRT_TCP_END_RESET when the port refuses, PRT_TCP_END_TIMEOUT when it
 * never answers. @return the connection, or NULL (table full, key in use)
 */
struct prt_tcp_conn *prt_tcp_connect(struct prt_tcp *t, const struct prt_tcp_key *k,
	uint32_t iss, uint64_t now);

/** Process one segment of connection @p c. */
void prt_tcp_input(struct prt_tcp *t, struct prt_tcp_conn *c, const struct prt_tcp_seg *s,
	uint64_t now);

/**
 * Send @p len bytes at @p data (kept by reference until acknowledged).
 * @return 0, -EBUSY while earlier data is unacknowledged, -EPIPE after close
 */
int prt_tcp_send(struct prt_tcp *t, struct prt_tcp_conn *c, const uint8_t *data, uint32_t len,
	uint64_t now);

/** Close our side once our data is out (FIN); the peer's side may still send. */
void prt_tcp_close(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t now);

/** Reset the connection and free it (the consumer's closed callback runs). */
void prt_tcp_abort(struct prt_tcp *t, struct prt_tcp_conn *c);

/** Reset every connection (the scan is stopping). */
void prt_tcp_abort_all(struct prt_tcp *t);

/** Call the consumer's wake callback at @p when (0 cancels). */
void prt_tcp_wake_at(struct prt_tcp *t, struct prt_tcp_conn *c, uint64_t when);

/** Run the timers due by @p now. Cheap when none are: call it every loop. */
void prt_tcp_expire(struct prt_tcp *t, uint64_t now);

/** Index 0..capacity-1 of @p c: consumers keep their per-connection state by it. */
uint32_t prt_tcp_conn_index(const struct prt_tcp *t, const struct prt_tcp_conn *c);

/** The connection at index @p idx (from prt_tcp_conn_index()). */
struct prt_tcp_conn *prt_tcp_conn_at(struct prt_tcp *t, uint32_t idx);

const struct prt_tcp_key *prt_tcp_conn_key(const struct prt_tcp_conn *c);
enum prt_tcp_state prt_tcp_conn_state(const struct prt_tcp_conn *c);

/** "established", "fin-wait-1", ... */
const char *prt_tcp_state_name(enum prt_tcp_state s);

#endif
