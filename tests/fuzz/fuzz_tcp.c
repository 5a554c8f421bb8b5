/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: lib/tcp driven by a hostile peer. The input is a
 * program of 12-byte steps over 8 connections: open one (from a SYN-ACK or
 * our own SYN), feed it a segment (any flags, sequence and ACK numbers near
 * ours or not, any length), send, close, set a wake-up, or let time pass.
 * The consumer's callbacks abort or close other connections, as -sV's
 * sibling probes do. The open count must always equal the live connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>

#include "prt_tcp.h"

#define NCONN 8
#define HZ 1000000ULL
#define ISS 1000u
#define PEER_ISS 50000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct prt_tcp *t;
static struct prt_tcp_conn *conn[NCONN];
static uint8_t victim_of_data, victim_of_wake; /* which sibling a callback aborts */
static uint8_t payload[1500];

static int slot_of(const struct prt_tcp_conn *c)
{
	for (int i = 0; i < NCONN; i++)
		if (conn[i] == c)
			return i;
	return -1;
}

static void hit_sibling(uint8_t which, uint64_t now)
{
	struct prt_tcp_conn *o = conn[which % NCONN];

	if (o == NULL)
		return;
	if (which & 0x80)
		prt_tcp_close(t, o, now);
	else
		prt_tcp_abort(t, o);
}

static void on_data(void *ctx, struct prt_tcp_conn *c, const uint8_t *d, uint32_t len,
	uint64_t now)
{
	(void)ctx, (void)c, (void)d, (void)len;
	hit_sibling(victim_of_data, now);
}

static void on_wake(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	(void)ctx, (void)c;
	hit_sibling(victim_of_wake, now);
}

static void on_closed(void *ctx, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	int i = slot_of(c);

	(void)ctx, (void)why;
	if (i >= 0)
		conn[i] = NULL;
}

static void on_emit(void *ctx, const struct prt_tcp_key *k, const struct prt_tcp_seg *s)
{
	(void)ctx, (void)k, (void)s;
}

static const struct prt_tcp_ops ops = {
	.data = on_data, .wake = on_wake, .closed = on_closed, .emit = on_emit,
};

static void init_once(void)
{
	char prefix[64];
	char *argv[] = {"fuzz_tcp", "--no-pci", "--no-huge", "-m", "64", "--no-shconf",
		"--log-level=1", "-l", "0", "--file-prefix", prefix, "--no-telemetry"};
	struct prt_tcp_conf conf = {.name = "fuzz_tcp", .capacity = NCONN, .hz = HZ,
		.timeout_ms = 10000, .rto_ms = 200, .max_retx = 3, .rcv_window = 8192, .mss = 1460,
		.ops = &ops};

	snprintf(prefix, sizeof(prefix), "prt-fuzz-tcp-%d", (int)getpid());
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])), argv) < 0)
		abort();
	t = prt_tcp_create(&conf);
	if (t == NULL)
		abort();
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
}

static struct prt_tcp_key key_of(int i)
{
	struct prt_tcp_key k = {.peer = prt_addr_from_v4(0xc6130005), .peer_port = (uint16_t)(80 + i),
		.our_port = 40000};
	return k;
}

static uint32_t u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One step: op, connection, flags, two bytes of length, four of sequence, two of ACK offset */
static void step(const uint8_t *p, uint64_t *now)
{
	const int i = p[1] % NCONN;
	struct prt_tcp_key k = key_of(i);
	struct prt_tcp_seg s = {.flags = p[2], .win = (uint16_t)(p[3] << 8 | p[4]),
		.mss = (uint16_t)(p[5] * 8)};
	uint32_t len = (uint32_t)(p[3] | p[4] << 8) % sizeof(payload);

	switch (p[0] % 8) {
	case 0: /* a SYN-ACK to our SYN opens it */
		if (conn[i] == NULL) {
			s.seq = PEER_ISS;
			s.ack = ISS + 1;
			conn[i] = prt_tcp_open(t, &k, ISS, &s, *now);
		}
		break;
	case 1:
		if (conn[i] == NULL)
			conn[i] = prt_tcp_connect(t, &k, ISS, *now);
		break;
	case 2: /* a segment near what we expect (or anywhere, by the high bit) */
	case 3:
		if (conn[i] == NULL)
			break;
		s.seq = p[6] & 0x80 ? u32(p + 6) : PEER_ISS + 1 + (uint32_t)(int8_t)p[7] * 16;
		s.ack = ISS + 1 + (uint32_t)(int16_t)(p[10] | p[11] << 8);
		s.data = payload;
		s.len = len;
		prt_tcp_input(t, conn[i], &s, *now);
		break;
	case 4:
		if (conn[i] != NULL)
			prt_tcp_send(t, conn[i], payload, len, *now);
		break;
	case 5:
		if (conn[i] != NULL)
			prt_tcp_close(t, conn[i], *now);
		break;
	case 6:
		if (conn[i] != NULL)
			prt_tcp_wake_at(t, conn[i], *now + (uint64_t)p[6] * HZ / 100);
		victim_of_wake = p[7];
		victim_of_data = p[8];
		break;
	default: /* time passes: timers, retransmissions, timeouts */
		*now += (uint64_t)(p[6] | p[7] << 8) * (HZ / 1000);
		prt_tcp_expire(t, *now);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	uint64_t now = 1;
	unsigned live = 0;

	if (!ready) {
		init_once();
		ready = true;
	}
	victim_of_data = victim_of_wake = 0xff;
	for (size_t at = 0; at + 12 <= size; at += 12)
		step(data + at, &now);
	for (int i = 0; i < NCONN; i++)
		live += conn[i] != NULL;
	if (prt_tcp_stats(t)->open != live)
		abort(); /* a connection freed twice, or one lost */
	prt_tcp_abort_all(t);
	if (prt_tcp_stats(t)->open != 0)
		abort();
	return 0;
}
