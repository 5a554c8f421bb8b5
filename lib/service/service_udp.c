/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV over UDP on main (prt_udp_version.h). A port's answers are few (one
 * per probe a service understands), so each is matched when it comes and
 * kept whole; the verdict walks the plan as nmap's sequential walk would
 * have, although every probe went out at once.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "prt_snmp_info.h"
#include "prt_udp_version.h"
#include "version_pick.h"

#define PORTS 65536

struct prt_udpv {
	const struct prt_sp_db *db;
	const struct prt_matcher *m;
	struct prt_match_scratch *scratch;
	uint8_t intensity;
	struct prt_enterprises *enterprises; /**< snmp-info's names (NULL: numbers) */
	uint64_t match_tries;
	uint16_t *plan[PORTS];   /**< a port's plan, made when first asked for */
	uint8_t nplan[PORTS];
};

struct prt_udpv *prt_udpv_create(const struct prt_sp_db *db, const struct prt_matcher *m,
	uint8_t intensity, const char *enterprises)
{
	struct prt_udpv *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return NULL;
	u->db = db;
	u->m = m;
	u->intensity = intensity;
	u->scratch = prt_match_scratch_create(m);
	if (u->scratch == NULL) {
		free(u);
		errno = ENOMEM;
		return NULL;
	}
	if (enterprises != NULL)
		prt_enterprises_load(&u->enterprises, enterprises); /* missing: numbers */
	return u;
}

void prt_udpv_free(struct prt_udpv *u)
{
	if (u == NULL)
		return;
	for (uint32_t p = 0; p < PORTS; p++)
		free(u->plan[p]);
	prt_match_scratch_free(u->scratch);
	prt_enterprises_free(u->enterprises);
	free(u);
}

uint32_t prt_udpv_plan(const struct prt_sp_db *db, uint16_t port, uint8_t intensity,
	uint16_t *plan, uint32_t max)
{
	uint32_t n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < db->nprobes && n < max; i++) {
			const struct prt_sp_probe *p = &db->probes[i];
			bool listed = prt_sp_port_in(p->ports, port);
			if (p->proto != IPPROTO_UDP || p->len == 0)
				continue;
			if (pass == 0 ? listed : (!listed && p->rarity <= intensity))
				plan[n++] = (uint16_t)i;
		}
	return n;
}

uint32_t prt_udpv_plan_of(struct prt_udpv *u, uint16_t port, const uint16_t **plan)
{
	if (u->plan[port] == NULL) {
		uint16_t tmp[PRT_UDPV_PLAN_MAX];
		uint32_t n = prt_udpv_plan(u->db, port, u->intensity, tmp, PRT_UDPV_PLAN_MAX);
		u->plan[port] = malloc(sizeof(tmp[0]) * (n ? n : 1));
		if (u->plan[port] == NULL) {
			*plan = NULL;
			return 0;
		}
		memcpy(u->plan[port], tmp, sizeof(tmp[0]) * n);
		u->nplan[port] = (uint8_t)n;
	}
	*plan = u->plan[port];
	return u->nplan[port];
}

const struct prt_sp_probe *prt_udpv_probe(const struct prt_udpv *u, uint16_t port, uint32_t at)
{
	return at < u->nplan[port] && u->plan[port] != NULL ? &u->db->probes[u->plan[port][at]] :
		NULL;
}

static const struct prt_udpv_entry *entry_at(const struct prt_udpv_answers *a, uint32_t at)
{
	for (uint8_t i = 0; i < a->n; i++)
		if (a->e[i].at == at)
			return &a->e[i];
	return NULL;
}

int prt_udpv_add(struct prt_udpv *u, struct prt_udpv_answers *a, uint16_t port, uint32_t at,
	uint8_t ttl, const uint8_t *d, size_t len)
{
	const uint16_t *plan;
	uint32_t n = prt_udpv_plan_of(u, port, &plan);
	struct prt_udpv_entry *e;

	if (at >= n)
		return -EINVAL;
	if (entry_at(a, at) != NULL || a->n == UINT8_MAX)
		return 0;
	e = realloc(a->e, sizeof(*e) * (a->n + 1u));
	if (e == NULL)
		return -ENOMEM;
	a->e = e;
	e = &e[a->n++];
	memset(e, 0, offsetof(struct prt_udpv_entry, data));
	e->at = (uint16_t)at;
	e->ttl = ttl;
	e->len = (uint16_t)(len < PRT_BANNER_MAX ? len : PRT_BANNER_MAX);
	memcpy(e->data, d, e->len);
	u->match_tries++;
	/* the whole answer is matched; only what a banner holds is kept */
	e->kind = len == 0 ? PRT_MATCH_NONE :
		(uint8_t)prt_match(u->m, u->scratch, plan[at], d, len, NULL, &e->info);
	return 0;
}

/* nmap's snmp-info runs on port 161 and wherever the walk said snmp: the
 * engine's enterprise from the SNMPv3GetRequest probe's answer, if any. */
static void snmp_info(const struct prt_udpv *u, const struct prt_udpv_answers *a,
	const uint16_t *plan, struct prt_banner *b)
{
	uint32_t enterprise;

	if (b->port != 161 && !(b->has_svc && strcmp(b->svc.service, "snmp") == 0))
		return;
	for (uint8_t i = 0; i < a->n; i++) {
		const struct prt_udpv_entry *e = &a->e[i];
		if (strcmp(u->db->probes[plan[e->at]].name, "SNMPv3GetRequest") != 0 ||
		    prt_snmp_engine_enterprise(e->data, e->len, &enterprise) != 0)
			continue;
		if (!b->has_svc) {
			memset(&b->svc, 0, sizeof(b->svc));
			b->has_svc = 1;
		}
		if (b->len == 0) {
			b->probed = 1;
			b->len = e->len;
			memcpy(b->data, e->data, e->len);
		}
		prt_snmp_info_apply(enterprise, prt_enterprise_name(u->enterprises, enterprise),
			&b->svc);
		return;
	}
}

/* snmp-info will read the SNMPv3GetRequest probe's answer: a port it runs
 * on is not named before that answer came or its wait is over. */
static bool snmp_info_waits(const struct prt_udpv *u, const struct prt_udpv_answers *a,
	const uint16_t *plan, uint32_t n, uint16_t port, const struct prt_udpv_entry *named)
{
	if (port != 161 && !(named != NULL && strcmp(named->info.service, "snmp") == 0))
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(u->db->probes[plan[i]].name, "SNMPv3GetRequest") == 0)
			return entry_at(a, i) == NULL;
	return false;
}

struct pick_ctx {
	const struct prt_udpv_answers *a;
	bool final;
};

static struct pick_entry answer_entry(const void *ctx, uint16_t i)
{
	const struct pick_ctx *c = ctx;
	const struct prt_udpv_entry *e = entry_at(c->a, i);

	if (e == NULL)
		return (struct pick_entry){.done = c->final, .kind = PRT_MATCH_NONE};
	return (struct pick_entry){.done = true, .kind = e->kind, .service = e->info.service};
}

bool prt_udpv_pick(struct prt_udpv *u, const struct prt_udpv_answers *a, uint16_t port,
	bool final, struct prt_banner *b)
{
	const struct pick_ctx c = {.a = a, .final = final};
	const uint16_t *plan;
	uint32_t n = prt_udpv_plan_of(u, port, &plan);
	const struct prt_udpv_entry *shown;
	bool decided;
	int at = version_pick(u->db, plan, (uint16_t)n, answer_entry, &c, &decided);

	if (!decided || (!final && snmp_info_waits(u, a, plan, n, port,
		at >= 0 ? entry_at(a, (uint32_t)at) : NULL)))
		return false;
	/* the entry that named the port, else the first answer (nmap's fingerprint) */
	shown = at >= 0 ? entry_at(a, (uint32_t)at) : a->n > 0 ? &a->e[0] : NULL;
	memset(b, 0, offsetof(struct prt_banner, data));
	b->port = port;
	b->proto = IPPROTO_UDP;
	if (shown == NULL)
		return true; /* nothing answered: nothing for snmp-info either */
	b->probed = 1;
	b->len = shown->len;
	memcpy(b->data, shown->data, shown->len);
	b->has_svc = at >= 0;
	if (at >= 0)
		b->svc = shown->info;
	snmp_info(u, a, plan, b);
	return true;
}

void prt_udpv_answers_free(struct prt_udpv_answers *a)
{
	free(a->e);
	a->e = NULL;
	a->n = 0;
}

uint64_t prt_udpv_match_tries(const struct prt_udpv *u)
{
	return u->match_tries;
}
