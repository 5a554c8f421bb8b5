/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The store's front (prt_store.h): the backend chosen by the URL, the run's
 * row in scans, and the main lcore's side of the queue. Queueing is a copy
 * into the current batch; a full batch costs one mutex and a signal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_priv.h"

static uint64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool prt_store_url_is_pg(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

/* The run's row: written at the start ("running") and again at the end. */
static int write_scan_row(struct prt_store *s, uint64_t end_ns, const char *status,
	uint64_t probes, uint64_t replies, char *err, size_t errlen)
{
	char start[24], end[24], np[24], nr[24], nt[24], nports[24];
	const char *v[11];
	struct store_rowset rows = {&store_tables[STORE_SCANS], 1, v};
	int rc;

	snprintf(start, sizeof(start), "%llu", (unsigned long long)s->start_ns);
	snprintf(end, sizeof(end), "%llu", (unsigned long long)end_ns);
	snprintf(np, sizeof(np), "%llu", (unsigned long long)probes);
	snprintf(nr, sizeof(nr), "%llu", (unsigned long long)replies);
	v[0] = s->scan;
	v[1] = s->shard;
	v[2] = start;
	v[3] = end_ns ? end : NULL;
	v[4] = status;
	v[5] = s->cmdline;
	v[6] = s->version;
	v[7] = np;
	v[8] = nr;
	snprintf(nt, sizeof(nt), "%llu", (unsigned long long)s->targets);
	snprintf(nports, sizeof(nports), "%u", s->ports);
	v[9] = nt;
	v[10] = nports;
	rc = s->ops->exec(s->db, "BEGIN", err, errlen);
	if (rc == 0)
		rc = s->ops->load(s->db, &rows, err, errlen);
	if (rc == 0)
		rc = s->ops->exec(s->db, "COMMIT", err, errlen);
	if (rc != 0) {
		char ignored[64];
		s->ops->exec(s->db, "ROLLBACK", ignored, sizeof(ignored));
	}
	return rc;
}

static int start_writer(struct prt_store *s)
{
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->wake, NULL);
	if (pthread_create(&s->thread, NULL, store_writer_main, s) != 0)
		return -EAGAIN;
	s->writing = true;
	return 0;
}

int prt_store_open(struct prt_store **out, const char *url, const struct prt_store_scan *scan,
	char *err, size_t errlen)
{
	struct prt_store *s = calloc(1, sizeof(*s));
	char ddl[STORE_DDL_MAX];
	int rc;

	*out = NULL;
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->ops = prt_store_url_is_pg(url) ? &store_pg : &store_sqlite;
	s->db = s->ops->connect(url, scan != NULL, err, errlen);
	if (s->db == NULL) {
		free(s);
		return -EIO;
	}
	rc = store_schema_ddl(s->ops->table_options, ddl, sizeof(ddl)) < 0 ? -EINVAL :
	     s->ops->create(s->db, ddl, err, errlen);
	if (rc == 0)
		rc = store_upgrade(s->ops, s->db, err, errlen);
	if (rc == 0 && scan != NULL) {
		snprintf(s->scan, sizeof(s->scan), "%s", scan->id);
		snprintf(s->shard, sizeof(s->shard), "%s", scan->shard);
		s->start_ns = scan->start_ns;
		s->targets = scan->targets;
		s->ports = scan->ports;
		s->cmdline = strdup(scan->cmdline != NULL ? scan->cmdline : "");
		s->version = strdup(scan->version != NULL ? scan->version : "");
		rc = s->cmdline != NULL && s->version != NULL ? 0 : -ENOMEM;
		if (rc == 0)
			rc = write_scan_row(s, 0, "running", 0, 0, err, errlen);
		if (rc == 0 && start_writer(s) != 0) {
			snprintf(err, errlen, "cannot start the store's writer thread");
			rc = -EAGAIN;
		}
	}
	if (rc != 0) {
		prt_store_close_reader(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* Hand the current batch to the writer; drop it when the writer is that far behind. */
static void enqueue(struct prt_store *s)
{
	struct store_batch *b = s->cur;

	if (b == NULL)
		return;
	s->cur = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->queued >= STORE_QUEUE_BATCHES) {
		s->stats.queue_full++;
		pthread_mutex_unlock(&s->mu);
		store_lost(s, store_batch_rows(b), NULL);
		store_batch_free(b);
		return;
	}
	b->next = NULL;
	if (s->tail != NULL)
		s->tail->next = b;
	else
		s->head = b;
	s->tail = b;
	s->queued++;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->mu);
}

/* The batch to add to, or NULL (no memory: the row is counted lost). */
static struct store_batch *batch(struct prt_store *s)
{
	if (s->cur == NULL) {
		s->cur = malloc(sizeof(*s->cur));
		if (s->cur == NULL) {
			store_lost(s, 1, "out of memory");
			return NULL;
		}
		s->cur->nres = s->cur->nban = s->cur->nev = s->cur->nos = 0;
		s->cur->born_ns = coarse_ns();
	}
	return s->cur;
}

/* Full, or old enough (the clock is read every 256 results: a vDSO call,
 * but still not one per result). */
static void full_check(struct prt_store *s)
{
	const struct store_batch *b = s->cur;

	if (b == NULL)
		return;
	if (b->nres == STORE_BATCH_RESULTS || b->nban == STORE_BATCH_BANNERS ||
	    b->nev == STORE_BATCH_EVENTS || b->nos == STORE_BATCH_OS ||
	    ((b->nres % 256 == 0 || b->nev > 0 || b->nban > 0 || b->nos > 0) &&
	     coarse_ns() - b->born_ns >= STORE_BATCH_AGE_NS))
		enqueue(s);
}

void prt_store_result(struct prt_store *s, const struct prt_result *r)
{
	struct store_batch *b = batch(s);

	if (b == NULL)
		return;
	b->res[b->nres++] = *r;
	full_check(s);
}

void prt_store_banner(struct prt_store *s, const struct prt_banner *in)
{
	struct store_batch *b = batch(s);
	struct prt_banner *copy;

	if (b == NULL)
		return;
	copy = malloc(sizeof(*copy));
	if (copy == NULL) {
		store_lost(s, 3, "out of memory");
		return;
	}
	*copy = *in;
	b->ban[b->nban++] = copy;
	full_check(s);
}

void prt_store_event(struct prt_store *s, uint64_t ts_ns, const char *type, const char *json,
	size_t len)
{
	struct store_batch *b = batch(s);
	struct store_event *e;

	if (b == NULL)
		return;
	e = &b->ev[b->nev];
	e->line = strndup(json, len);
	if (e->line == NULL) {
		store_lost(s, 1, "out of memory");
		return;
	}
	e->ts_ns = ts_ns;
	e->seq = s->seq++;
	snprintf(e->type, sizeof(e->type), "%s", type);
	b->nev++;
	full_check(s);
}

void prt_store_os(struct prt_store *s, const struct prt_host_os *os)
{
	struct store_batch *b = batch(s);
	struct timespec now;

	if (b == NULL)
		return;
	b->os[b->nos].os = malloc(sizeof(*os));
	if (b->os[b->nos].os == NULL) {
		store_lost(s, 1, "out of memory");
		return;
	}
	*b->os[b->nos].os = *os;
	clock_gettime(CLOCK_REALTIME, &now);
	b->os[b->nos++].ts_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	full_check(s);
}

void prt_store_flush(struct prt_store *s)
{
	if (s != NULL && s->writing)
		enqueue(s);
}

/* Let the writer finish what is queued, then stop it. */
static void stop_writer(struct prt_store *s)
{
	enqueue(s);
	pthread_mutex_lock(&s->mu);
	s->stop = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	s->writing = false;
}

int prt_store_close(struct prt_store *s, uint64_t end_ns, const char *status, uint64_t probes,
	uint64_t replies, struct prt_store_stats *stats, char *err, size_t errlen)
{
	int rc = 0;

	if (s->writing)
		stop_writer(s);
	if (s->scan[0] != '\0') {
		rc = write_scan_row(s, end_ns, status, probes, replies, err, errlen);
	}
	if (stats != NULL)
		*stats = s->stats;
	if (rc == 0 && s->stats.lost > 0) {
		snprintf(err, errlen, "%llu rows could not be stored: %s",
			(unsigned long long)s->stats.lost,
			s->err[0] ? s->err : "the writer fell behind and its queue was full");
		rc = -EIO;
	}
	prt_store_close_reader(s);
	return rc;
}

void prt_store_get_stats(struct prt_store *s, struct prt_store_stats *stats)
{
	pthread_mutex_lock(&s->mu);
	*stats = s->stats;
	pthread_mutex_unlock(&s->mu);
}

void prt_store_close_reader(struct prt_store *s)
{
	if (s == NULL)
		return;
	if (s->writing)
		stop_writer(s);
	s->ops->disconnect(s->db);
	free(s->cmdline);
	free(s->version);
	free(s);
}

int prt_store_query(struct prt_store *s, const char *sql, const char *const *params,
	unsigned nparams, prt_store_row_fn fn, void *arg, char *err, size_t errlen)
{
	return s->ops->query(s->db, sql, params, nparams, fn, arg, err, errlen);
}
