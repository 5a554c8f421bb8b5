/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Results grouped by host for the formats that print one block per host
 * (the stdout table, -oN, -oG, -oX). Results arrive in scan (random) order,
 * so each host that answered keeps one group per kind of answer (state,
 * reason): a count, and the ports themselves while nmap would still list
 * them (open always, any other state up to 26). A scan of millions of
 * closed ports stays small. Hosts that never answered are only counted:
 * their no-response results arrive last, grouped by address.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "output_host_io.h"
#include "prt_common.h"
#include "prt_output.h"

/* All 128 bits mixed into the slot (MurmurHash3's 64-bit finaliser): the
 * addresses of a network differ only in their last bytes, which a plain
 * multiply would leave out of the low bits the slot is taken from. */
static size_t slot_of(const struct prt_hosts *t, const struct prt_addr *a)
{
	uint64_t hi, lo, x;

	memcpy(&hi, a->b, 8);
	memcpy(&lo, a->b + 8, 8);
	x = hi ^ (lo * 0x9e3779b97f4a7c15ULL);
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (size_t)x & (t->size - 1);
}

static struct prt_host *lookup(struct prt_hosts *t, const struct prt_addr *a)
{
	for (size_t i = slot_of(t, a);; i = (i + 1) & (t->size - 1))
		if (!t->slots[i].used || prt_addr_cmp(&t->slots[i].addr, a) == 0)
			return &t->slots[i];
}

static int grow(struct prt_hosts *t)
{
	struct prt_hosts bigger = *t;

	bigger.size = t->size * 2;
	bigger.slots = calloc(bigger.size, sizeof(*bigger.slots));
	if (bigger.slots == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].used)
			*lookup(&bigger, &t->slots[i].addr) = t->slots[i];
	free(t->slots);
	*t = bigger;
	return 0;
}

int prt_hosts_init(struct prt_hosts *t)
{
	memset(t, 0, sizeof(*t));
	t->size = 1024;
	t->slots = calloc(t->size, sizeof(*t->slots));
	return t->slots == NULL ? -ENOMEM : 0;
}

static struct prt_host_port port_of(const struct prt_result *r)
{
	return (struct prt_host_port){.port = r->port, .proto = r->proto, .state = r->state,
		.reason = r->reason, .icmp_type = r->icmp_type, .icmp_code = r->icmp_code,
		.ttl = r->ttl};
}

static bool same_kind(const struct prt_host_port *a, const struct prt_host_port *b)
{
	return a->state == b->state && a->reason == b->reason && a->proto == b->proto &&
		a->icmp_type == b->icmp_type && a->icmp_code == b->icmp_code;
}

/* The group of @p p's kind on @p h, added when new (a ninth kind is counted
 * with the last). */
static struct prt_host_group *group_of(struct prt_host *h, const struct prt_host_port *p)
{
	uint8_t i;

	for (i = 0; i < h->ngroups; i++)
		if (same_kind(&h->group[i].kind, p))
			return &h->group[i];
	if (h->ngroups == PRT_HOST_GROUPS)
		return &h->group[PRT_HOST_GROUPS - 1];
	memset(&h->group[h->ngroups], 0, sizeof(h->group[0]));
	h->group[h->ngroups].kind = *p;
	return &h->group[h->ngroups++];
}

/* Keep @p n ports in @p g while nmap may list them; @p heap counts what grew. */
static int keep_ports(struct prt_host_group *g, const struct prt_host_port *p, uint32_t n,
	size_t *heap)
{
	if (!prt_state_is_positive(g->kind.state) && g->n > PRT_HOST_MAX_LISTED)
		return 0; /* summarised anyway: keep the count only */
	if (!prt_state_is_positive(g->kind.state))
		n = PRT_MIN(n, PRT_HOST_MAX_LISTED + 1 - g->n);
	if (g->n + n > g->cap) {
		uint32_t cap = g->cap ? g->cap : 4;
		while (cap < g->n + n)
			cap *= 2;
		struct prt_host_port *v = realloc(g->ports, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		*heap += (cap - g->cap) * sizeof(*v);
		g->ports = v;
		g->cap = cap;
	}
	memcpy(g->ports + g->n, p, n * sizeof(*p));
	g->n += n;
	return 0;
}

static int add_to_group(struct prt_host *h, const struct prt_host_port *p, size_t *heap)
{
	struct prt_host_group *g = group_of(h, p);

	g->count++;
	return keep_ports(g, p, 1, heap);
}

int prt_host_merge(struct prt_host *dst, struct prt_host *src)
{
	size_t heap = 0;
	struct prt_host_banner *b;

	dst->first_ns = PRT_MIN(dst->first_ns, src->first_ns);
	dst->last_ns = PRT_MAX(dst->last_ns, src->last_ns);
	for (uint8_t i = 0; i < src->ngroups; i++) {
		struct prt_host_group *from = &src->group[i], *to = group_of(dst, &from->kind);
		int rc = keep_ports(to, from->ports, from->n, &heap);
		if (rc != 0)
			return rc;
		to->count += from->count;
	}
	if (src->nbanners > 0) {
		b = realloc(dst->banners, (dst->nbanners + src->nbanners) * sizeof(*b));
		if (b == NULL)
			return -ENOMEM;
		memcpy(b + dst->nbanners, src->banners, src->nbanners * sizeof(*b));
		dst->banners = b;
		dst->nbanners += src->nbanners;
		src->nbanners = 0; /* dst owns them now */
	}
	if (dst->os == NULL) { /* -O's result is kept in memory only, with one of them */
		dst->os = src->os;
		src->os = NULL;
	}
	prt_host_release(src);
	return 0;
}

bool prt_hosts_has(const struct prt_hosts *t, const struct prt_addr *a)
{
	return lookup((struct prt_hosts *)t, a)->used; /* lookup only reads */
}

struct prt_host *prt_hosts_get(struct prt_hosts *t, const struct prt_addr *a, uint64_t ts)
{
	struct prt_host *h = lookup(t, a);

	if (!h->used) {
		if (2 * (t->count + 1) > t->size) {
			if (grow(t) != 0)
				return NULL;
			h = lookup(t, a);
		}
		h->used = true;
		h->addr = *a;
		h->first_ns = ts;
		t->count++;
	}
	if (ts < h->first_ns)
		h->first_ns = ts;
	if (ts > h->last_ns)
		h->last_ns = ts;
	return h;
}

int prt_hosts_add(struct prt_hosts *t, const struct prt_result *r)
{
	struct prt_host *h = lookup(t, &r->addr);
	struct prt_host_port p = port_of(r);

	if (r->reason == PRT_REASON_NO_RESPONSE && !h->used) {
		if (!t->any_silent || prt_addr_cmp(&t->last_silent, &r->addr) != 0)
			t->silent++;
		t->any_silent = true;
		t->silent_state = r->state;
		t->last_silent = r->addr;
		return 0;
	}
	h = prt_hosts_get(t, &r->addr, r->ts);
	return h != NULL ? add_to_group(h, &p, &t->heap) : -ENOMEM;
}

bool prt_host_is_up(const struct prt_host *h)
{
	for (uint8_t g = 0; g < h->ngroups; g++)
		if (h->group[g].kind.state != PRT_STATE_DOWN)
			return true;
	return false;
}

static int by_ip(const void *a, const void *b)
{
	const struct prt_host *x = *(const struct prt_host *const *)a;
	const struct prt_host *y = *(const struct prt_host *const *)b;

	return prt_addr_cmp(&x->addr, &y->addr);
}

int prt_hosts_sort(struct prt_hosts *t)
{
	size_t n = 0;

	free(t->sorted);
	t->sorted = malloc((t->count + 1) * sizeof(*t->sorted));
	if (t->sorted == NULL)
		return -ENOMEM;
	t->up = 0;
	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].used) {
			t->sorted[n++] = &t->slots[i];
			t->up += prt_host_is_up(&t->slots[i]);
		}
	qsort(t->sorted, n, sizeof(*t->sorted), by_ip);
	return 0;
}

void prt_host_release(struct prt_host *h)
{
	for (uint8_t g = 0; g < h->ngroups; g++)
		free(h->group[g].ports);
	h->ngroups = 0;
	prt_host_banners_free(h);
	free(h->os);
	h->os = NULL;
}

int prt_hosts_clear(struct prt_hosts *t)
{
	struct prt_host *fresh = calloc(1024, sizeof(*fresh));

	if (fresh == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].used)
			prt_host_release(&t->slots[i]);
	free(t->slots);
	free(t->sorted);
	t->sorted = NULL;
	t->slots = fresh;
	t->size = 1024;
	t->count = 0;
	t->heap = 0;
	return 0;
}

size_t prt_hosts_bytes(const struct prt_hosts *t)
{
	return t->size * sizeof(*t->slots) + t->heap;
}

void prt_hosts_free(struct prt_hosts *t)
{
	for (size_t i = 0; t->slots != NULL && i < t->size; i++)
		if (t->slots[i].used)
			prt_host_release(&t->slots[i]);
	for (unsigned i = 0; i < t->nruns; i++)
		fclose(t->runs[i]);
	free(t->slots);
	free(t->sorted);
	memset(t, 0, sizeof(*t));
}

static int by_port(const void *a, const void *b)
{
	const struct prt_host_port *x = a, *y = b;

	if (x->port != y->port)
		return (int)x->port - (int)y->port;
	return (int)x->proto - (int)y->proto;
}

int prt_host_view_init(const struct prt_host *h, uint32_t states, bool only_open,
	struct prt_host_view *v)
{
	uint64_t per_state[PRT_STATE_COUNT] = {0};
	uint32_t n = 0;

	memset(v, 0, sizeof(*v));
	for (uint8_t g = 0; g < h->ngroups; g++)
		per_state[h->group[g].kind.state] += h->group[g].count;
	for (uint8_t g = 0; g < h->ngroups; g++) {
		const struct prt_host_group *grp = &h->group[g];
		/* nmap's rule: a state other than open with more than 25 ports is summarised */
		if ((!prt_state_is_positive(grp->kind.state) &&
		     per_state[grp->kind.state] > PRT_HOST_MAX_LISTED) ||
		    !(states & prt_output_state_bit(grp->kind.state, grp->kind.reason)) ||
		    (only_open && !prt_state_maybe_open(grp->kind.state))) {
			v->hidden[v->nhidden++] = grp;
			v->nhidden_ports += grp->count;
		} else {
			n += grp->n;
		}
	}
	v->listed = malloc((n + 1) * sizeof(*v->listed));
	if (v->listed == NULL)
		return -ENOMEM;
	for (unsigned i = 0, g = 0; g < h->ngroups; g++) {
		const struct prt_host_group *grp = &h->group[g];
		while (i < v->nhidden && v->hidden[i] < grp)
			i++;
		if ((i < v->nhidden && v->hidden[i] == grp) || grp->n == 0)
			continue; /* a restored group may keep a count and no port */
		memcpy(v->listed + v->nlisted, grp->ports, grp->n * sizeof(*grp->ports));
		v->nlisted += grp->n;
	}
	qsort(v->listed, v->nlisted, sizeof(*v->listed), by_port);
	return 0;
}

void prt_host_view_free(struct prt_host_view *v)
{
	free(v->listed);
	v->listed = NULL;
}

struct prt_result prt_host_port_result(const struct prt_host *h, const struct prt_host_port *p)
{
	return (struct prt_result){.addr = h->addr, .port = p->port, .proto = p->proto,
		.state = p->state, .reason = p->reason, .icmp_type = p->icmp_type,
		.icmp_code = p->icmp_code, .ttl = p->ttl};
}

/* A host's record: its address, times and groups with the ports kept, then
 * its banners. Native layout: a checkpoint is read by the same build. */
void prt_host_write(const struct prt_host *h, FILE *f)
{
	fwrite(&h->addr, sizeof(h->addr), 1, f);
	fwrite(&h->first_ns, sizeof(h->first_ns), 1, f);
	fwrite(&h->last_ns, sizeof(h->last_ns), 1, f);
	fwrite(&h->ngroups, sizeof(h->ngroups), 1, f);
	for (uint8_t g = 0; g < h->ngroups; g++) {
		const struct prt_host_group *grp = &h->group[g];
		fwrite(&grp->kind, sizeof(grp->kind), 1, f);
		fwrite(&grp->count, sizeof(grp->count), 1, f);
		fwrite(&grp->n, sizeof(grp->n), 1, f);
		fwrite(grp->ports, sizeof(*grp->ports), grp->n, f);
	}
	prt_host_banners_save(h, f);
}

static int write_one(const struct prt_host *h, void *arg)
{
	struct { FILE *f; uint64_t n; } *to = arg;

	prt_host_write(h, to->f);
	to->n++;
	return ferror(to->f) ? -EIO : 0;
}

/* Checkpoint form: the count of hosts, then their records by address. The
 * count goes first but is known last: it is written over a placeholder. */
int prt_hosts_save(struct prt_hosts *t, FILE *f)
{
	struct { FILE *f; uint64_t n; } to = {f, 0};
	long at = ftell(f), end;
	int rc;

	if (at < 0 || fwrite(&to.n, sizeof(to.n), 1, f) != 1)
		return -EIO;
	rc = prt_hosts_each(t, write_one, &to);
	if (rc != 0)
		return rc;
	end = ftell(f);
	if (end < 0 || fseek(f, at, SEEK_SET) != 0 || fwrite(&to.n, sizeof(to.n), 1, f) != 1 ||
	    fseek(f, end, SEEK_SET) != 0)
		return -EIO;
	return ferror(f) ? -EIO : 0;
}

static int read_exact(FILE *f, void *p, size_t size, size_t n)
{
	return fread(p, size, n, f) == n ? 0 : -EINVAL;
}

/* A kind of answer read back from a file: every field indexes a table somewhere. */
static bool valid_kind(const struct prt_host_port *p)
{
	return p->state < PRT_STATE_COUNT && p->reason < PRT_REASON_COUNT &&
		(p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP || p->proto == IPPROTO_SCTP ||
		 p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6 || p->proto == IPPROTO_IP);
}

/* One group: its kind, counts that agree with what add_to_group() keeps, and
 * ports of exactly that kind. */
static int read_group(struct prt_host_group *grp, FILE *f)
{
	uint32_t most;

	if (read_exact(f, &grp->kind, sizeof(grp->kind), 1) ||
	    read_exact(f, &grp->count, sizeof(grp->count), 1) ||
	    read_exact(f, &grp->n, sizeof(grp->n), 1) || !valid_kind(&grp->kind))
		return -EINVAL;
	most = prt_state_is_positive(grp->kind.state) ? 65536 * 2 : PRT_HOST_MAX_LISTED + 1;
	if (grp->n > grp->count || grp->n > most) {
		grp->n = 0;
		return -EINVAL;
	}
	grp->cap = grp->n;
	grp->ports = grp->n ? malloc(grp->n * sizeof(*grp->ports)) : NULL;
	if (grp->n && grp->ports == NULL)
		return -ENOMEM;
	if (read_exact(f, grp->ports, sizeof(*grp->ports), grp->n))
		return -EINVAL;
	for (uint32_t i = 0; i < grp->n; i++)
		if (!same_kind(&grp->ports[i], &grp->kind))
			return -EINVAL;
	return 0;
}

int prt_host_read(struct prt_host *h, FILE *f)
{
	uint8_t ngroups;

	memset(h, 0, sizeof(*h));
	if (fread(&h->addr, sizeof(h->addr), 1, f) != 1)
		return feof(f) && !ferror(f) ? 1 : -EINVAL;
	if (read_exact(f, &h->first_ns, 8, 1) || read_exact(f, &h->last_ns, 8, 1) ||
	    read_exact(f, &ngroups, 1, 1) || ngroups > PRT_HOST_GROUPS)
		return -EINVAL;
	h->used = true;
	for (uint8_t g = 0; g < ngroups; g++) {
		/* what was read is freed with the host; nothing after it is kept */
		h->ngroups = (uint8_t)(g + 1);
		int rc = read_group(&h->group[g], f);
		if (rc != 0)
			return rc;
	}
	return prt_host_banners_restore(h, f);
}

/* What a host holds outside its slot, for the table's budget. */
static size_t heap_of(const struct prt_host *h)
{
	size_t n = h->nbanners * sizeof(*h->banners);

	for (uint8_t g = 0; g < h->ngroups; g++)
		n += h->group[g].cap * sizeof(*h->group[g].ports);
	for (uint32_t i = 0; i < h->nbanners; i++)
		n += h->banners[i].len + (h->banners[i].svc ? sizeof(*h->banners[i].svc) : 0) +
			(h->banners[i].cert ? sizeof(*h->banners[i].cert) : 0);
	return n;
}

static int restore_host(struct prt_hosts *t, FILE *f)
{
	struct prt_host in, *h;
	int rc = prt_host_read(&in, f);

	if (rc == 1)
		rc = -EINVAL; /* fewer hosts than the count */
	if (rc == 0 && 2 * (t->count + 1) > t->size)
		rc = grow(t);
	h = rc == 0 ? lookup(t, &in.addr) : NULL;
	if (h != NULL && h->used)
		rc = -EINVAL; /* a host twice: damaged */
	if (rc != 0) {
		prt_host_release(&in);
		return rc;
	}
	*h = in;
	t->count++;
	t->heap += heap_of(h);
	return 0;
}

int prt_hosts_restore(struct prt_hosts *t, FILE *f)
{
	uint64_t n;
	int rc = 0;

	if (read_exact(f, &n, sizeof(n), 1) != 0 || n > (1ULL << 32))
		return -EINVAL;
	for (uint64_t i = 0; rc == 0 && i < n; i++) {
		rc = restore_host(t, f);
		if (rc == 0)
			rc = prt_hosts_fit(t); /* a table under a budget stays under it */
	}
	return rc;
}
