/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The scripted peer of lib/tcp's unit tests: every segment the table emits
 * is recorded in R, the peer's segments are built by hand, and time is
 * injected (1 tick = 1 us). The table uses rte_hash, so the EAL runs (no
 * hugepages, no PCI, in memory).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_tcp.h>

#include "cmocka_common.h"
#include "tcp_peer.h"

struct tcp_recorder R;

static void on_established(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	(void)ctx, (void)c, (void)now;
	R.established++;
}

static void on_data(void *ctx, struct prt_tcp_conn *c, const uint8_t *d, uint32_t len,
	uint64_t now)
{
	(void)ctx;
	if (len == 0) {
		R.fins++;
		return;
	}
	assert_true(R.nrx + len <= sizeof(R.rx));
	memcpy(R.rx + R.nrx, d, len);
	R.nrx += len;
	if (R.abort_on_data)
		prt_tcp_abort(R.t, c);
	else if (R.close_on_data)
		prt_tcp_close(R.t, c, now);
}

static void on_wake(void *ctx, struct prt_tcp_conn *c, uint64_t now)
{
	struct prt_tcp_conn *other = c == R.siblings[0] ? R.siblings[1] : R.siblings[0];

	(void)ctx, (void)now;
	R.wakes++;
	if (other != NULL && other != c) {
		R.siblings[0] = R.siblings[1] = NULL;
		prt_tcp_abort(R.t, other);
	}
}

static void on_closed(void *ctx, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	(void)ctx, (void)c;
	R.closed++;
	R.why = why;
}

static void on_emit(void *ctx, const struct prt_tcp_key *k, const struct prt_tcp_seg *s)
{
	(void)ctx, (void)k;
	/* a ring: the many-connection test emits more than the tests look at */
	R.seg[R.nseg % MAX_SEGS] = *s;
	if (s->len > 0)
		memcpy(R.bytes[R.nseg % MAX_SEGS], s->data, s->len < 64 ? s->len : 64);
	R.nseg++;
}

static const struct prt_tcp_ops ops = {
	.established = on_established,
	.data = on_data,
	.wake = on_wake,
	.closed = on_closed,
	.emit = on_emit,
};

struct prt_tcp *table(uint32_t capacity)
{
	static unsigned n;
	char name[32];
	struct prt_tcp_conf conf = {
		.name = name,
		.capacity = capacity,
		.socket = 0,
		.hz = HZ,
		.timeout_ms = 10000,
		.rto_ms = 200,
		.max_retx = 3,
		.rcv_window = 8192,
		.mss = 1460,
		.ops = &ops,
	};

	snprintf(name, sizeof(name), "test_tcp_%u", n++);
	memset(&R, 0, sizeof(R));
	R.t = prt_tcp_create(&conf);
	assert_non_null(R.t);
	return R.t;
}

struct prt_tcp_key key(uint16_t port)
{
	struct prt_tcp_key k = {.peer = prt_addr_from_v4(0xc6120002), .peer_port = port,
		.our_port = 40000};
	return k;
}

struct prt_tcp_seg seg(uint32_t seq, uint32_t ack, uint8_t flags, const char *data)
{
	struct prt_tcp_seg s = {.seq = seq, .ack = ack, .win = 65535, .flags = flags,
		.data = (const uint8_t *)data, .len = data ? (uint32_t)strlen(data) : 0};
	return s;
}

struct prt_tcp_conn *connect_one(struct prt_tcp *t, uint16_t port, uint16_t mss)
{
	struct prt_tcp_seg synack = seg(PEER_ISS, ISS + 1, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG,
		NULL);
	struct prt_tcp_key k = key(port);

	synack.mss = mss;
	return prt_tcp_open(t, &k, ISS, &synack, 0);
}

const struct prt_tcp_seg *last(void)
{
	assert_true(R.nseg > 0);
	return &R.seg[(R.nseg - 1) % MAX_SEGS];
}

int eal_up(void **state)
{
	char prefix[64];
	char *argv[] = {"test_tcp", "--no-pci", "--no-huge", "-m", "128", "--no-shconf",
		"--log-level=3", "-l", "0", "--file-prefix", prefix};

	(void)state;
	snprintf(prefix, sizeof(prefix), "prt-unit-tcp-%d", (int)getpid());
	return rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])), argv) < 0 ? -1 : 0;
}

int eal_down(void **state)
{
	(void)state;
	rte_eal_cleanup();
	return 0;
}
