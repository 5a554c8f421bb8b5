/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV's walk, as nmap's service scan walks: the plan (which probes, in which
 * order), an answer matched against its probe's lines, its fallbacks' and the
 * NULL probe's, and the rule that names the port once the entries it needs
 * are final (the first hard match; after a softmatch only probes that can
 * name that service count). No connection is touched here.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "version_pick.h"
#include "version_priv.h"

static int32_t probe_named(const struct prt_sp_db *db, const char *name, size_t len)
{
	for (uint32_t i = 0; i < db->nprobes; i++)
		if (db->probes[i].proto == IPPROTO_TCP && strlen(db->probes[i].name) == len &&
		    strncmp(db->probes[i].name, name, len) == 0)
			return (int32_t)i;
	return -1;
}

int plan_resolve_fallbacks(struct prt_service *s)
{
	const struct prt_sp_db *db = s->conf.probes;

	s->fallbacks = malloc(sizeof(*s->fallbacks) * (db->nprobes + 1));
	if (s->fallbacks == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < db->nprobes; i++) {
		const char *fb = db->probes[i].fallback;
		int k = 0;

		while (fb != NULL && *fb != '\0' && k < FALLBACK_MAX) {
			size_t n = strcspn(fb, ",");
			int32_t f = probe_named(db, fb, n);
			if (f >= 0)
				s->fallbacks[i][k++] = (int16_t)f;
			fb += n + (fb[n] == ',');
		}
		while (k < FALLBACK_MAX)
			s->fallbacks[i][k++] = -1;
	}
	return 0;
}

uint32_t plan_wait_ms(const struct prt_service *s, uint32_t probe)
{
	uint32_t w = s->conf.probes->probes[probe].totalwaitms;

	return w ? w : DEFAULT_WAIT_MS;
}

void plan_make(const struct prt_service *s, struct vjob *j)
{
	const struct prt_sp_db *db = s->conf.probes;

	j->nplan = 0;
	if (s->null_probe != UINT32_MAX)
		j->plan[j->nplan++] = (uint16_t)s->null_probe;
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < db->nprobes && j->nplan < PLAN_MAX; i++) {
			const struct prt_sp_probe *p = &db->probes[i];
			bool listed = prt_sp_port_in(j->tunnel ? p->sslports : p->ports, j->port);
			if (p->proto != IPPROTO_TCP || p->len == 0 || i == s->null_probe)
				continue;
			if (pass == 0 ? listed : (!listed && p->rarity <= s->conf.intensity))
				j->plan[j->nplan++] = (uint16_t)i;
		}
}

/* One probe's lines; a hard match ends the chain, the first softmatch is kept. */
static bool try_lines(struct prt_service *s, uint32_t probe, const uint8_t *d, size_t len,
	struct prt_service_info *out, enum prt_match_result *best, struct prt_service_info *soft)
{
	enum prt_match_result r = prt_match(s->conf.matcher, s->scratch, probe, d, len, NULL, out);

	__atomic_store_n(&s->vstats.match_limit_hits, prt_match_limit_hits(s->scratch),
		__ATOMIC_RELAXED);
	if (r == PRT_MATCH_SOFT && *best == PRT_MATCH_NONE) {
		*soft = *out;
		*best = PRT_MATCH_SOFT;
	}
	return r == PRT_MATCH_HARD;
}

enum prt_match_result plan_match(struct prt_service *s, uint32_t probe,
	const uint8_t *d, size_t len, struct prt_service_info *out)
{
	enum prt_match_result best = PRT_MATCH_NONE;
	struct prt_service_info soft;

	if (len == 0)
		return PRT_MATCH_NONE;
	STAT_ADD(s, match_tries);
	if (try_lines(s, probe, d, len, out, &best, &soft))
		return PRT_MATCH_HARD;
	for (int k = 0; k < FALLBACK_MAX && s->fallbacks[probe][k] >= 0; k++)
		if (try_lines(s, (uint32_t)s->fallbacks[probe][k], d, len, out, &best, &soft))
			return PRT_MATCH_HARD;
	if (probe != s->null_probe && s->null_probe != UINT32_MAX &&
	    try_lines(s, s->null_probe, d, len, out, &best, &soft))
		return PRT_MATCH_HARD;
	if (best == PRT_MATCH_SOFT)
		*out = soft;
	return best;
}

static struct pick_entry job_entry(const void *ctx, uint16_t i)
{
	const struct ventry *e = &((const struct vjob *)ctx)->e[i];

	return (struct pick_entry){
		.done = e->status == E_DONE,
		.kind = e->kind,
		.service = e->info != NULL ? e->info->service : NULL,
	};
}

int plan_evaluate(const struct prt_service *s, const struct vjob *j, bool *decided)
{
	return version_pick(s->conf.probes, j->plan, j->nplan, job_entry, j, decided);
}
