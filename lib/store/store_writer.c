/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The store's writer thread: takes batches off the queue and loads them in
 * transactions. It is a plain thread, not an lcore: it blocks on the
 * database. Created by the main lcore, it inherits the main lcore's CPU
 * set, so it takes a datapath core's time only where the main lcore shares
 * one (a small machine). It keeps the normal priority: niced, on such a
 * machine it starved behind a polling lcore and dropped rows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_priv.h"

void store_batch_free(struct store_batch *b)
{
	if (b == NULL)
		return;
	for (unsigned i = 0; i < b->nban; i++)
		free(b->ban[i]);
	for (unsigned i = 0; i < b->nev; i++)
		free(b->ev[i].line);
	for (unsigned i = 0; i < b->nos; i++)
		free(b->os[i].os);
	free(b);
}

void store_lost(struct prt_store *s, uint64_t rows, const char *why)
{
	pthread_mutex_lock(&s->mu);
	s->stats.lost += rows;
	if (why != NULL && s->err[0] == '\0')
		snprintf(s->err, sizeof(s->err), "%s", why);
	pthread_mutex_unlock(&s->mu);
}

/* Load one batch's rows; @return its row count, or -1 with @p err set. */
static int64_t load_batch(struct prt_store *s, const struct store_batch *b, char *err,
	size_t errlen)
{
	struct store_rows rows;
	int rc = store_rows_build(b, s->scan, s->shard, &rows);

	if (rc != 0)
		snprintf(err, errlen, "out of memory building rows");
	for (unsigned t = 0; rc == 0 && t < STORE_NTABLES; t++)
		if (rows.set[t].n > 0)
			rc = s->ops->load(s->db, &rows.set[t], err, errlen);
	store_rows_free(&rows);
	return rc == 0 ? (int64_t)rows.count : -1;
}

void store_write_batches(struct prt_store *s, struct store_batch *chain)
{
	uint64_t stored = 0, all = 0;
	char err[256] = "";
	int rc;

	for (const struct store_batch *b = chain; b != NULL; b = b->next)
		all += store_batch_rows(b);
	rc = s->ops->exec(s->db, "BEGIN", err, sizeof(err));
	for (const struct store_batch *b = chain; rc == 0 && b != NULL; b = b->next) {
		int64_t n = load_batch(s, b, err, sizeof(err));
		rc = n < 0 ? -EIO : 0;
		stored += n < 0 ? 0 : (uint64_t)n;
	}
	if (rc == 0)
		rc = s->ops->exec(s->db, "COMMIT", err, sizeof(err));
	if (rc != 0) {
		char ignored[64];
		s->ops->exec(s->db, "ROLLBACK", ignored, sizeof(ignored));
		store_lost(s, all, err);
		return;
	}
	pthread_mutex_lock(&s->mu);
	s->stats.rows += stored;
	s->stats.batches++;
	pthread_mutex_unlock(&s->mu);
}

/* When the writer is behind, the batches waiting go in one transaction:
 * fewer commits (and WAL page writes) exactly when they cost the most. */
#define STORE_BATCHES_PER_TRANSACTION 16

void *store_writer_main(void *arg)
{
	struct prt_store *s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct store_batch *chain, *last;
		unsigned n = 1;
		while (s->head == NULL && !s->stop)
			pthread_cond_wait(&s->wake, &s->mu);
		if (s->head == NULL)
			break;
		chain = last = s->head;
		while (last->next != NULL && n < STORE_BATCHES_PER_TRANSACTION) {
			last = last->next;
			n++;
		}
		s->head = last->next;
		if (s->head == NULL)
			s->tail = NULL;
		last->next = NULL;
		s->queued -= n;
		pthread_mutex_unlock(&s->mu);

		store_write_batches(s, chain);
		while (chain != NULL) {
			struct store_batch *next = chain->next;
			store_batch_free(chain);
			chain = next;
		}

		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}
