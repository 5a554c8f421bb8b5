/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TEST_TCP_PEER_H
#define PRT_TEST_TCP_PEER_H

/* The scripted peer shared by test_tcp.c and test_tcp_close.c (tcp_peer.c). */

#include <stdbool.h>
#include <stdint.h>

#include "prt_tcp.h"

#define HZ 1000000ULL
#define MS (HZ / 1000)
#define ISS 1000u
#define PEER_ISS 50000u
#define MAX_SEGS 4096

/** What the table did: the segments it emitted (a ring) and its callbacks. */
struct tcp_recorder {
	struct prt_tcp_seg seg[MAX_SEGS];
	uint8_t bytes[MAX_SEGS][64];
	unsigned nseg;
	uint8_t rx[8192];
	uint32_t nrx;
	unsigned established, fins, wakes, closed;
	enum prt_tcp_end why;
	bool abort_on_data, close_on_data;
	/* a wake-up of one of these aborts the other (once): -sV's sibling probes */
	struct prt_tcp_conn *siblings[2];
	struct prt_tcp *t;
};

extern struct tcp_recorder R;

/** A new table of @p capacity connections recording into R (R is cleared). */
struct prt_tcp *table(uint32_t capacity);

/** The flow to the peer's @p port. */
struct prt_tcp_key key(uint16_t port);

/** A peer segment; @p data is a C string or NULL. */
struct prt_tcp_seg seg(uint32_t seq, uint32_t ack, uint8_t flags, const char *data);

/** Open a connection to @p port from the peer's SYN-ACK (with @p mss). */
struct prt_tcp_conn *connect_one(struct prt_tcp *t, uint16_t port, uint16_t mss);

/** The last segment the table emitted. */
const struct prt_tcp_seg *last(void);

/** cmocka group setup and teardown: the EAL, in memory. */
int eal_up(void **state);
int eal_down(void **state);

#endif
