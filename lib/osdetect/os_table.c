/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tries of many hosts on one lcore: a fixed table of host slots, each
 * with its own 21 source ports (so a TCP answer names its slot by the port
 * it comes to, as well as its probe), the echo identifiers drawn per host,
 * and a small open-addressed index by address for the ICMP answers. The
 * per-host numbers (ISN base, ACK, identifiers, IP IDs) come from SipHash
 * of the scan's key, so outsiders cannot guess them and a try is the same
 * when run again with the same key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prt_cookie.h"
#include "prt_osdetect.h"

#define PORTS_PER_HOST 21
#define TTL 64

struct prt_os_table {
	struct prt_os_table_conf conf;
	uint32_t active;
	uint32_t nindex;              /**< index slots: a power of two, twice the capacity */
	int32_t *index;               /**< slot + 1 by address hash, 0 empty, -1 deleted */
	bool *used;
	struct prt_os_host *hosts;
};

struct prt_os_table *prt_os_table_create(const struct prt_os_table_conf *c)
{
	struct prt_os_table *t = calloc(1, sizeof(*t));
	uint32_t cap = c->capacity;

	if (t == NULL)
		return NULL;
	if (cap > c->sport_count / PORTS_PER_HOST)
		cap = c->sport_count / PORTS_PER_HOST;
	t->conf = *c;
	t->conf.capacity = cap;
	for (t->nindex = 4; t->nindex < cap * 2; t->nindex *= 2)
		;
	t->index = calloc(t->nindex, sizeof(*t->index));
	t->used = calloc(cap ? cap : 1, sizeof(*t->used));
	t->hosts = calloc(cap ? cap : 1, sizeof(*t->hosts));
	if (cap == 0 || t->index == NULL || t->used == NULL || t->hosts == NULL) {
		prt_os_table_free(t);
		errno = cap == 0 ? EINVAL : ENOMEM;
		return NULL;
	}
	return t;
}

void prt_os_table_free(struct prt_os_table *t)
{
	if (t == NULL)
		return;
	free(t->index);
	free(t->used);
	free(t->hosts);
	free(t);
}

void prt_os_table_set_io(struct prt_os_table *t, void (*emit)(void *ctx, const uint8_t *ip,
	size_t len), void (*done)(void *ctx, const struct prt_os_host *h), void *ctx)
{
	t->conf.emit = emit;
	t->conf.done = done;
	t->conf.ctx = ctx;
}

uint32_t prt_os_table_active(const struct prt_os_table *t)
{
	return t->active;
}

static uint32_t hash_of(uint32_t addr)
{
	return (addr * 2654435761u) ^ (addr >> 16);
}

/* The index position of @p addr, or of the first free place for it. */
static uint32_t index_find(const struct prt_os_table *t, uint32_t addr, bool *found)
{
	uint32_t at = hash_of(addr) & (t->nindex - 1), free_at = UINT32_MAX;

	for (uint32_t n = 0; n < t->nindex; n++, at = (at + 1) & (t->nindex - 1)) {
		int32_t v = t->index[at];
		if (v == 0)
			break;
		if (v < 0) {
			if (free_at == UINT32_MAX)
				free_at = at;
			continue;
		}
		if (t->hosts[v - 1].conf.dst == addr) {
			*found = true;
			return at;
		}
	}
	*found = false;
	return free_at != UINT32_MAX ? free_at : at;
}

/* A host's numbers for try @p try, drawn from the key. */
static void draw(const struct prt_os_table *t, struct prt_os_host_conf *c, uint32_t try)
{
	const struct prt_cookie_key *k = &t->conf.key;
	uint64_t m = (uint64_t)c->dst << 32 | try;
	uint64_t a = prt_siphash13_2w(k, m, 1), b = prt_siphash13_2w(k, m, 2);
	uint64_t ids[4];

	c->seq_base = (uint32_t)a;
	c->ack = (uint32_t)(a >> 32);
	c->icmp_id = (uint16_t)b;
	c->icmp_seq = (uint16_t)(b >> 16);
	for (int i = 0; i < 4; i++)
		ids[i] = prt_siphash13_2w(k, m, 3 + (uint64_t)i);
	for (int p = 0; p < PRT_OS_PROBES; p++) {
		c->ipid[p] = (uint16_t)(ids[p / 4] >> (16 * (p % 4)));
		c->ttl[p] = TTL;
	}
	c->ipid[PRT_OS_U1] = 0x1042; /* nmap's, which some stacks are known to echo */
}

int prt_os_table_add(struct prt_os_table *t, const struct prt_os_target *target, uint64_t now_us)
{
	struct prt_os_host_conf c = {
		.src = t->conf.src, .dst = target->addr, .tcp_open = target->tcp_open,
		.tcp_closed = target->tcp_closed, .udp_closed = target->udp_closed,
		.distance = target->distance,
	};
	bool found;
	uint32_t at = index_find(t, target->addr, &found), slot;

	if (found)
		return -EEXIST;
	if (t->active == t->conf.capacity)
		return -ENOSPC;
	for (slot = 0; t->used[slot]; slot++)
		;
	c.sport_base = (uint16_t)(t->conf.sport_base + slot * PORTS_PER_HOST);
	draw(t, &c, target->try_no);
	prt_os_host_init(&t->hosts[slot], &c, now_us);
	t->used[slot] = true;
	t->index[at] = (int32_t)slot + 1;
	t->active++;
	return 0;
}

static void end_try(struct prt_os_table *t, uint32_t slot)
{
	bool found;
	uint32_t at = index_find(t, t->hosts[slot].conf.dst, &found);

	t->conf.done(t->conf.ctx, &t->hosts[slot]);
	if (found)
		t->index[at] = -1;
	t->used[slot] = false;
	t->active--;
}

void prt_os_table_poll(struct prt_os_table *t, uint64_t now_us)
{
	uint8_t frame[PRT_OS_PROBE_MAX];

	for (uint32_t slot = 0; slot < t->conf.capacity && t->active > 0; slot++) {
		struct prt_os_host *h = &t->hosts[slot];
		uint64_t next;
		int p, n;
		if (!t->used[slot])
			continue;
		while ((p = prt_os_host_due(h, now_us, &next)) >= 0 &&
		       (n = prt_os_host_probe(h, p, now_us, frame, sizeof(frame))) > 0)
			t->conf.emit(t->conf.ctx, frame, (size_t)n);
		if (prt_os_host_done(h, now_us))
			end_try(t, slot);
	}
}

int prt_os_table_input(struct prt_os_table *t, const uint8_t *ip, size_t len)
{
	bool found;
	uint32_t at;

	if (len < 20 || (ip[0] >> 4) != 4)
		return -EINVAL;
	at = index_find(t, (uint32_t)ip[12] << 24 | (uint32_t)ip[13] << 16 |
		(uint32_t)ip[14] << 8 | ip[15], &found);
	if (!found)
		return -ENOENT;
	return prt_os_host_answer(&t->hosts[t->index[at] - 1], ip, len) >= 0 ? 0 : -ENOENT;
}
