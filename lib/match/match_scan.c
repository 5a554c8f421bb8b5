/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Matching one answer: one hs_scan over the probe's database marks the
 * lines that can match; PCRE2 then tries only those, in file order, and the
 * first match line that matches wins (a softmatch before it is kept only
 * if no match line follows). The answer is the one nmap's rules give, at
 * the cost of a few PCRE2 runs instead of hundreds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_priv.h"

struct prt_match_scratch *prt_match_scratch_create(const struct prt_matcher *m)
{
	struct prt_match_scratch *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->cand = calloc(m->max_lines / 8 + 1, 1);
	/* every pattern's groups fit: a 16th group no longer turns a match into "too small" */
	s->md = pcre2_match_data_create(m->max_captures + 1, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	if (s->cand == NULL || s->md == NULL || s->mctx == NULL) {
		prt_match_scratch_free(s);
		return NULL;
	}
	pcre2_set_match_limit(s->mctx, MATCH_PCRE2_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mctx, MATCH_PCRE2_DEPTH_LIMIT);
	pcre2_set_heap_limit(s->mctx, MATCH_PCRE2_HEAP_LIMIT);
	for (uint32_t i = 0; i < m->db->nprobes; i++)
		if (m->probes[i].hs != NULL &&
		    hs_alloc_scratch(m->probes[i].hs, &s->hs) != HS_SUCCESS) {
			prt_match_scratch_free(s);
			return NULL;
		}
	return s;
}

void prt_match_scratch_free(struct prt_match_scratch *s)
{
	if (s == NULL)
		return;
	hs_free_scratch(s->hs);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	free(s->cand);
	free(s);
}

uint64_t prt_match_limit_hits(const struct prt_match_scratch *s)
{
	return s->limit_hits;
}

static int on_candidate(unsigned int id, unsigned long long from, unsigned long long to,
	unsigned int flags, void *ctx)
{
	uint8_t *cand = ctx;

	(void)from, (void)to, (void)flags;
	cand[id >> 3] |= (uint8_t)(1u << (id & 7));
	return 0;
}

/* PCRE2 on line @p k; fill @p out from its template when it matches. */
static bool confirm(const struct probe_re *pr, const struct prt_sp_match *line, uint32_t k,
	struct prt_match_scratch *s, const uint8_t *data, size_t len,
	struct prt_service_info *out)
{
	int rc = pcre2_match(pr->re[k], data, len, 0, 0, s->md, s->mctx);
	size_t ovec[20];
	PCRE2_SIZE *o;
	uint32_t n;

	if (rc < 0) {
		/* a limit hit is "no match", counted so a slow pattern shows */
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
			s->limit_hits++;
		return false;
	}
	o = pcre2_get_ovector_pointer(s->md);
	n = (uint32_t)(rc > 10 ? 10 : rc);
	for (uint32_t i = 0; i < 2 * n; i++)
		ovec[i] = o[i] == PCRE2_UNSET ? (size_t)-1 : (size_t)o[i];
	memset(out, 0, sizeof(*out));
	snprintf(out->service, sizeof(out->service), "%s", line->service);
	out->soft = line->soft;
	out->line = line->line;
	if (!line->soft)
		prt_match_fill_version(line->info, data, ovec, n, out);
	return true;
}

enum prt_match_result prt_match(const struct prt_matcher *m, struct prt_match_scratch *s,
	uint32_t probe, const uint8_t *data, size_t len, const char *only_service,
	struct prt_service_info *out)
{
	const struct probe_re *pr = &m->probes[probe];
	const struct prt_sp_probe *p = &m->db->probes[probe];
	struct prt_service_info soft;
	bool have_soft = false;

	if (pr->hs == NULL)
		return PRT_MATCH_NONE;
	memset(s->cand, 0, pr->n / 8 + 1);
	if (hs_scan(pr->hs, (const char *)data, (unsigned int)len, 0, s->hs, on_candidate,
		    s->cand) != HS_SUCCESS)
		return PRT_MATCH_NONE;
	for (uint32_t k = 0; k < pr->n; k++) {
		const struct prt_sp_match *line = &p->matches[k];
		if (!((s->cand[k >> 3] >> (k & 7)) & 1))
			continue;
		if (only_service != NULL && strcmp(line->service, only_service) != 0)
			continue;
		if (line->soft) {
			if (!have_soft && confirm(pr, line, k, s, data, len, &soft))
				have_soft = true;
			continue;
		}
		if (confirm(pr, line, k, s, data, len, out)) {
			snprintf(out->probe, sizeof(out->probe), "%s", p->name);
			return PRT_MATCH_HARD;
		}
	}
	if (!have_soft)
		return PRT_MATCH_NONE;
	*out = soft;
	snprintf(out->probe, sizeof(out->probe), "%s", p->name);
	return PRT_MATCH_SOFT;
}
