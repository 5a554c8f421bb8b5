/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compiling nmap-service-probes: PCRE2 for every line (it decides every
 * match), and per probe one Hyperscan database of its lines that tells
 * which of them can match at all. Lines Hyperscan cannot run exactly
 * (lookaround, back-references: hs_expression_info() says so) go in with
 * HS_FLAG_PREFILTER, which matches a superset. Hyperscan's compile is the
 * slow part (tens of seconds for nmap's file): probes are spread over one
 * thread per CPU, and the result is cached.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "match_priv.h"

unsigned match_hs_flags(const struct prt_sp_match *m)
{
	return HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY |
		(m->flags & PRT_SP_CASELESS ? HS_FLAG_CASELESS : 0) |
		(m->flags & PRT_SP_DOTALL ? HS_FLAG_DOTALL : 0);
}

int match_hs_compile(struct probe_re *pr, const struct prt_sp_probe *p, char *err,
	size_t errlen)
{
	const char **expr = calloc(p->nmatches, sizeof(*expr));
	unsigned *flags = calloc(p->nmatches, sizeof(*flags));
	unsigned *ids = calloc(p->nmatches, sizeof(*ids));
	hs_compile_error_t *e = NULL;
	int rc = 0;

	if (expr == NULL || flags == NULL || ids == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < p->nmatches; i++) {
		expr[i] = p->matches[i].pattern;
		flags[i] = match_hs_flags(&p->matches[i]) | (pr->prefilter[i] ? HS_FLAG_PREFILTER : 0);
		ids[i] = i;
	}
	if (hs_compile_multi(expr, flags, ids, p->nmatches, HS_MODE_BLOCK, NULL, &pr->hs, &e) !=
	    HS_SUCCESS) {
		snprintf(err, errlen, "Hyperscan cannot compile line %u of probe %s: %s",
			e->expression >= 0 ? p->matches[e->expression].line : p->line, p->name,
			e->message);
		hs_free_compile_error(e);
		rc = -EINVAL;
	}
out:
	free(expr);
	free(flags);
	free(ids);
	return rc;
}

/* PCRE2 for every line. */
static int compile_pcre(struct probe_re *pr, const struct prt_sp_probe *p, char *err,
	size_t errlen)
{
	pr->n = p->nmatches;
	pr->re = calloc(p->nmatches + 1, sizeof(*pr->re));
	pr->prefilter = calloc(p->nmatches + 1, 1);
	if (pr->re == NULL || pr->prefilter == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < p->nmatches; i++) {
		const struct prt_sp_match *m = &p->matches[i];
		uint32_t opts = (m->flags & PRT_SP_CASELESS ? PCRE2_CASELESS : 0) |
			(m->flags & PRT_SP_DOTALL ? PCRE2_DOTALL : 0);
		PCRE2_SIZE off;
		int code;

		pr->re[i] = pcre2_compile((PCRE2_SPTR)m->pattern, PCRE2_ZERO_TERMINATED, opts,
			&code, &off, NULL);
		if (pr->re[i] == NULL) {
			PCRE2_UCHAR msg[120];
			pcre2_get_error_message(code, msg, sizeof(msg));
			snprintf(err, errlen, "line %u: PCRE2 cannot compile the pattern: %s at "
					"offset %zu", m->line, (const char *)msg, (size_t)off);
			return -EINVAL;
		}
		/* JIT where the CPU has it (several times faster); the interpreter otherwise */
		pcre2_jit_compile(pr->re[i], PCRE2_JIT_COMPLETE);
	}
	return 0;
}

/* Which lines Hyperscan only prefilters (a compile's; the cache keeps them). */
static void mark_prefilter(struct probe_re *pr, const struct prt_sp_probe *p)
{
	for (uint32_t i = 0; i < p->nmatches; i++) {
		hs_expr_info_t *info = NULL;
		hs_compile_error_t *e = NULL;

		pr->prefilter[i] = hs_expression_info(p->matches[i].pattern,
			match_hs_flags(&p->matches[i]), &info, &e) != HS_SUCCESS;
		free(info);
		hs_free_compile_error(e);
	}
}

struct compile_job {
	struct prt_matcher *m;
	uint32_t next;          /**< the next probe to take (atomic) */
	int rc;
	char err[256];
	pthread_mutex_t lock;   /**< for the first error */
};

static void *compile_worker(void *arg)
{
	struct compile_job *j = arg;
	char err[256];

	for (;;) {
		uint32_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
		int rc;

		if (i >= j->m->db->nprobes)
			return NULL;
		if (j->m->db->probes[i].nmatches == 0)
			continue;
		rc = match_hs_compile(&j->m->probes[i], &j->m->db->probes[i], err, sizeof(err));
		if (rc != 0) {
			pthread_mutex_lock(&j->lock);
			if (j->rc == 0) {
				j->rc = rc;
				snprintf(j->err, sizeof(j->err), "%s", err);
			}
			pthread_mutex_unlock(&j->lock);
		}
	}
}

static int compile_all_hs(struct prt_matcher *m, char *err, size_t errlen)
{
	struct compile_job j = {.m = m, .lock = PTHREAD_MUTEX_INITIALIZER};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t t[16];
	unsigned n = (unsigned)(ncpu < 1 ? 1 : ncpu > 16 ? 16 : ncpu), started = 0;

	for (unsigned i = 0; i < n; i++)
		if (pthread_create(&t[started], NULL, compile_worker, &j) == 0)
			started++;
	if (started == 0)
		compile_worker(&j);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	if (j.rc != 0)
		snprintf(err, errlen, "%s", j.err);
	return j.rc;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int prt_matcher_create(const struct prt_sp_db *db, const char *cache_dir,
	struct prt_matcher **out, char *err, size_t errlen)
{
	struct prt_matcher *m = calloc(1, sizeof(*m));
	char path[1024] = "";
	uint8_t sha[32];
	struct timespec t0;
	int rc = 0;

	*out = NULL;
	if (m == NULL)
		return -ENOMEM;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	m->db = db;
	m->probes = calloc(db->nprobes + 1, sizeof(*m->probes));
	if (m->probes == NULL) {
		free(m);
		return -ENOMEM;
	}
	for (uint32_t i = 0; rc == 0 && i < db->nprobes; i++) {
		rc = compile_pcre(&m->probes[i], &db->probes[i], err, errlen);
		if (db->probes[i].nmatches > m->max_lines)
			m->max_lines = db->probes[i].nmatches;
		for (uint32_t k = 0; rc == 0 && k < m->probes[i].n; k++) {
			uint32_t groups = 0;
			pcre2_pattern_info(m->probes[i].re[k], PCRE2_INFO_CAPTURECOUNT, &groups);
			if (groups > m->max_captures)
				m->max_captures = groups;
		}
	}
	if (rc == 0 && cache_dir != NULL && db->path != NULL &&
	    match_file_sha256(db->path, sha) == 0) {
		snprintf(path, sizeof(path), "%s/service-probes-%02x%02x%02x%02x%02x%02x%02x%02x.hsdb",
			cache_dir, sha[0], sha[1], sha[2], sha[3], sha[4], sha[5], sha[6], sha[7]);
		m->stats.from_cache = match_cache_read(m, path, sha) == 0;
	}
	if (rc == 0 && !m->stats.from_cache) {
		for (uint32_t i = 0; i < db->nprobes; i++)
			mark_prefilter(&m->probes[i], &db->probes[i]);
		rc = compile_all_hs(m, err, errlen);
		/* a cache that cannot be written costs the next run a compile, nothing more */
		if (rc == 0 && path[0] != '\0')
			match_cache_write(m, path, sha);
	}
	if (rc != 0) {
		prt_matcher_free(m);
		return rc;
	}
	for (uint32_t i = 0; i < db->nprobes; i++) {
		m->stats.patterns += m->probes[i].n;
		m->stats.databases += m->probes[i].hs != NULL;
		for (uint32_t k = 0; k < m->probes[i].n; k++)
			m->stats.prefilter += m->probes[i].prefilter[k];
	}
	m->stats.load_ms = ms_since(&t0);
	*out = m;
	return 0;
}

void prt_matcher_free(struct prt_matcher *m)
{
	if (m == NULL)
		return;
	for (uint32_t i = 0; m->probes != NULL && i < m->db->nprobes; i++) {
		struct probe_re *pr = &m->probes[i];
		hs_free_database(pr->hs);
		for (uint32_t k = 0; pr->re != NULL && k < pr->n; k++)
			pcre2_code_free(pr->re[k]);
		free(pr->re);
		free(pr->prefilter);
	}
	free(m->probes);
	free(m);
}

const struct prt_matcher_stats *prt_matcher_stats(const struct prt_matcher *m)
{
	return &m->stats;
}
