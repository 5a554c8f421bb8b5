/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A batch as text rows, in the column order of store_schema.c. Done on the
 * writer thread, so the main lcore only copies records. Strings of a service
 * or a certificate come cleaned (prt_output_banner cleans them first);
 * a banner's raw bytes are escaped as every format escapes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_output.h"
#include "store_priv.h"

#define ARENA_CHUNK (256u << 10)

struct store_arena {
	struct store_arena *next;
	size_t used, cap;
	char data[];
};

static char *arena_alloc(struct store_arena **a, size_t n)
{
	struct store_arena *c = *a;

	if (c == NULL || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (c == NULL)
			return NULL;
		c->next = *a;
		c->used = 0;
		c->cap = cap;
		*a = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

/* Decimal text of @p v (printf's machinery costs more than the database here). */
static const char *arena_u64(struct store_arena **a, uint64_t v)
{
	char digits[20], *s;
	unsigned n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	s = arena_alloc(a, n + 1);
	if (s == NULL)
		return NULL;
	for (unsigned i = 0; i < n; i++)
		s[i] = digits[n - 1 - i];
	s[n] = '\0';
	return s;
}

static const char *arena_ip(struct store_arena **a, const struct prt_addr *addr)
{
	char *s = arena_alloc(a, PRT_ADDR_STRLEN);

	return s != NULL ? prt_addr_str(addr, s, PRT_ADDR_STRLEN) : NULL;
}

/* Fill one row: values in column order; a NULL from the arena means no memory. */
struct row {
	const char **v;
	unsigned i;
	bool nomem;
};

static void put(struct row *r, const char *v)
{
	r->v[r->i++] = v;
}

static void put_num(struct row *r, struct store_arena **a, uint64_t v)
{
	const char *s = arena_u64(a, v);

	r->nomem |= s == NULL;
	put(r, s);
}

/* scan, ip, proto: how every row but the events' begins */
static void put_host(struct row *r, struct store_rows *rows, const char *scan,
	const struct prt_addr *addr, uint8_t proto)
{
	const char *ip = arena_ip(&rows->arena, addr);

	r->nomem |= ip == NULL;
	put(r, scan);
	put(r, ip);
	put_num(r, &rows->arena, proto);
}

/* scan, ip, proto, port: the key of every per-port table */
static void put_where(struct row *r, struct store_rows *rows, const char *scan,
	const struct prt_addr *addr, uint8_t proto, uint16_t port)
{
	put_host(r, rows, scan, addr, proto);
	put_num(r, &rows->arena, port);
}

static struct row next_row(struct store_rows *rows, enum store_table_id t)
{
	struct store_rowset *set = &rows->set[t];
	struct row r = {.v = set->v + (size_t)set->n * set->t->ncol};

	set->n++;
	rows->count++;
	return r;
}

static bool add_result(struct store_rows *rows, const char *scan, const struct prt_result *res)
{
	/* a discovery's answer is about the host; a port scan's about a port */
	bool host = res->state == PRT_STATE_UP || res->state == PRT_STATE_DOWN;
	struct row r = next_row(rows, host ? STORE_HOSTS : STORE_PORTS);

	/* the hosts table is the ports table without the port */
	if (host)
		put_host(&r, rows, scan, &res->addr, res->proto);
	else
		put_where(&r, rows, scan, &res->addr, res->proto, res->port);
	put(&r, prt_state_name(res->state));
	put(&r, prt_reason_name(res));
	put_num(&r, &rows->arena, res->ttl);
	put_num(&r, &rows->arena, res->icmp_type);
	put_num(&r, &rows->arena, res->icmp_code);
	put_num(&r, &rows->arena, res->ts);
	return !r.nomem;
}

static bool add_service(struct store_rows *rows, const char *scan, const struct prt_banner *b)
{
	const struct prt_service_info *v = &b->svc;
	struct row r = next_row(rows, STORE_SERVICES);
	size_t cap = sizeof(v->cpe) + 4;
	char *cpe = arena_alloc(&rows->arena, cap);

	r.nomem |= cpe == NULL;
	put_where(&r, rows, scan, &b->addr, b->proto, b->port);
	put(&r, v->service);
	put(&r, v->product);
	put(&r, v->version);
	put(&r, v->info);
	put(&r, v->hostname);
	put(&r, v->ostype);
	put(&r, v->devicetype);
	if (cpe != NULL) {
		cpe[0] = '\0';
		for (unsigned i = 0; i < v->ncpe && i < 4; i++)
			snprintf(cpe + strlen(cpe), cap - strlen(cpe), "%s%s", i ? " " : "",
				v->cpe[i]);
	}
	put(&r, cpe);
	put(&r, v->tunnel);
	put(&r, v->soft ? "soft" : "hard");
	put_num(&r, &rows->arena, b->ts);
	return !r.nomem;
}

static bool add_cert(struct store_rows *rows, const char *scan, const struct prt_banner *b)
{
	const struct prt_cert_info *c = &b->cert;
	struct row r = next_row(rows, STORE_CERTS);

	put_where(&r, rows, scan, &b->addr, b->proto, b->port);
	put_num(&r, &rows->arena, c->ok);
	put(&r, c->ok ? NULL : c->error);
	put(&r, c->tls_version);
	put(&r, c->subject);
	put(&r, c->issuer);
	put(&r, c->san);
	put(&r, c->not_before);
	put(&r, c->not_after);
	put(&r, c->key_type);
	put_num(&r, &rows->arena, c->key_bits);
	put(&r, c->sig_alg);
	put(&r, c->md5);
	put(&r, c->sha1);
	put(&r, c->ja4s);
	put(&r, c->jarm);
	put_num(&r, &rows->arena, b->ts);
	return !r.nomem;
}

static bool add_banner(struct store_rows *rows, const char *scan, const struct prt_banner *b)
{
	bool ok = true;

	if (b->len > 0) {
		struct row r = next_row(rows, STORE_BANNERS);
		char *text = arena_alloc(&rows->arena, PRT_BANNER_TEXT_MAX);
		r.nomem |= text == NULL;
		put_where(&r, rows, scan, &b->addr, b->proto, b->port);
		put_num(&r, &rows->arena, b->probed);
		put(&r, text != NULL ? prt_banner_escape(b->data, b->len, NULL, text,
						 PRT_BANNER_TEXT_MAX) : NULL);
		put_num(&r, &rows->arena, b->ts);
		ok = !r.nomem;
	}
	if (b->has_svc)
		ok &= add_service(rows, scan, b);
	if (b->has_cert)
		ok &= add_cert(rows, scan, b);
	return ok;
}

static bool add_event(struct store_rows *rows, const char *scan, const char *shard,
	const struct store_event *e)
{
	struct row r = next_row(rows, STORE_EVENTS);

	put(&r, scan);
	put(&r, shard);
	put_num(&r, &rows->arena, e->ts_ns);
	put_num(&r, &rows->arena, e->seq);
	put(&r, e->type);
	put(&r, e->line);
	return !r.nomem;
}

/* An empty string of @p cap bytes in the arena, or NULL. */
static char *arena_text(struct store_arena **a, size_t cap)
{
	char *s = arena_alloc(a, cap);

	if (s != NULL)
		s[0] = '\0';
	return s;
}

/* "name (96%); name (94%)": the guesses as nmap's line lists them */
static const char *os_guesses(struct store_arena **a, const struct prt_host_os *os)
{
	const size_t cap = PRT_OS_OUT_MATCHES * (sizeof(os->m[0].name) + 8);
	char *s = arena_text(a, cap);
	size_t len = 0;

	for (unsigned i = 0; s != NULL && i < os->nmatches && len < cap; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s%s (%d%%)", i ? "; " : "",
			os->m[i].name, (int)(os->m[i].accuracy * 100));
	return s;
}

/* The best guess's CPEs, space-separated as nmap's "OS CPE:" line has them. */
static const char *os_cpes(struct store_arena **a, const struct prt_os_out_match *m)
{
	const size_t cap = PRT_OS_OUT_CLASSES * (sizeof(m->c[0].cpe) + 1);
	char *s = arena_text(a, cap);
	size_t len = 0;

	for (unsigned c = 0; s != NULL && c < m->nclasses; c++)
		if (m->c[c].cpe[0] != '\0' && strstr(s, m->c[c].cpe) == NULL)
			len += (size_t)snprintf(s + len, cap - len, "%s%s", len ? " " : "",
				m->c[c].cpe);
	return s;
}

static bool add_os(struct store_rows *rows, const char *scan, const struct store_os *o)
{
	const struct prt_host_os *os = o->os;
	const struct prt_os_out_match *best = os->nmatches > 0 ? &os->m[0] : NULL;
	struct row r = next_row(rows, STORE_OS);
	const char *ip = arena_ip(&rows->arena, &os->addr), *guesses, *cpe = NULL;

	guesses = os_guesses(&rows->arena, os);
	if (best != NULL)
		cpe = os_cpes(&rows->arena, best);
	r.nomem |= ip == NULL || guesses == NULL || (best != NULL && cpe == NULL);
	put(&r, scan);
	put(&r, ip);
	put_num(&r, &rows->arena, os->nperfect);
	put(&r, best != NULL ? best->name : NULL);
	if (best != NULL)
		put_num(&r, &rows->arena, (uint64_t)(best->accuracy * 100));
	else
		put(&r, NULL);
	put(&r, best != NULL && best->nclasses > 0 ? best->c[0].type : NULL);
	put(&r, cpe);
	put(&r, guesses);
	if (os->distance >= 0)
		put_num(&r, &rows->arena, (uint64_t)os->distance);
	else
		put(&r, NULL);
	put_num(&r, &rows->arena, os->tries);
	put(&r, os->fingerprint[0] != '\0' ? os->fingerprint : NULL);
	put_num(&r, &rows->arena, o->ts_ns);
	return !r.nomem;
}

static int alloc_sets(const struct store_batch *b, struct store_rows *out)
{
	const unsigned most[STORE_NTABLES] = {
		[STORE_HOSTS] = b->nres, [STORE_PORTS] = b->nres,
		[STORE_SERVICES] = b->nban, [STORE_CERTS] = b->nban, [STORE_BANNERS] = b->nban,
		[STORE_EVENTS] = b->nev, [STORE_OS] = b->nos,
	};

	for (unsigned t = 0; t < STORE_NTABLES; t++) {
		out->set[t].t = &store_tables[t];
		if (most[t] == 0)
			continue;
		out->set[t].v = calloc((size_t)most[t] * store_tables[t].ncol, sizeof(char *));
		if (out->set[t].v == NULL)
			return -ENOMEM;
	}
	return 0;
}

int store_rows_build(const struct store_batch *b, const char *scan, const char *shard,
	struct store_rows *out)
{
	bool ok = true;

	memset(out, 0, sizeof(*out));
	if (alloc_sets(b, out) != 0)
		return -ENOMEM;
	for (unsigned i = 0; i < b->nres; i++)
		ok &= add_result(out, scan, &b->res[i]);
	for (unsigned i = 0; i < b->nban; i++)
		ok &= add_banner(out, scan, b->ban[i]);
	for (unsigned i = 0; i < b->nev; i++)
		ok &= add_event(out, scan, shard, &b->ev[i]);
	for (unsigned i = 0; i < b->nos; i++)
		ok &= add_os(out, scan, &b->os[i]);
	return ok ? 0 : -ENOMEM;
}

void store_rows_free(struct store_rows *rows)
{
	for (unsigned t = 0; t < STORE_NTABLES; t++)
		free(rows->set[t].v);
	while (rows->arena != NULL) {
		struct store_arena *next = rows->arena->next;
		free(rows->arena);
		rows->arena = next;
	}
}
