/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The store's writer thread: takes batches off the queue and loads each in
 * one transaction. It is a plain thread, not an lcore: it blocks on the
 * database and must never take a datapath core's time.
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
	free(b);
}

static void failed(struct prt_store *s, uint64_t rows, const char *why)
{
	pthread_mutex_lock(&s->mu);
	s->stats.lost += rows;
	if (s->err[0] == '\0')
		snprintf(s->err, sizeof(s->err), "%s", why);
	pthread_mutex_unlock(&s->mu);
}

void store_write_batch(struct prt_store *s, struct store_batch *b)
{
	struct store_rows rows;
	char err[256] = "";
	int rc;

	if (store_rows_build(b, s->scan, s->shard, &rows) != 0) {
		store_rows_free(&rows);
		failed(s, store_batch_rows(b), "out of memory building rows");
		return;
	}
	rc = s->ops->exec(s->db, "BEGIN", err, sizeof(err));
	for (unsigned t = 0; rc == 0 && t < STORE_NTABLES; t++)
		if (rows.set[t].n > 0)
			rc = s->ops->load(s->db, &rows.set[t], err, sizeof(err));
	if (rc == 0)
		rc = s->ops->exec(s->db, "COMMIT", err, sizeof(err));
	if (rc != 0) {
		char ignored[64];
		s->ops->exec(s->db, "ROLLBACK", ignored, sizeof(ignored));
		failed(s, rows.count, err);
	} else {
		pthread_mutex_lock(&s->mu);
		s->stats.rows += rows.count;
		s->stats.batches++;
		pthread_mutex_unlock(&s->mu);
	}
	store_rows_free(&rows);
}

void *store_writer_main(void *arg)
{
	struct prt_store *s = arg;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		struct store_batch *b;
		while (s->head == NULL && !s->stop)
			pthread_cond_wait(&s->wake, &s->mu);
		if (s->head == NULL)
			break;
		b = s->head;
		s->head = b->next;
		if (s->head == NULL)
			s->tail = NULL;
		s->queued--;
		s->busy = true;
		pthread_mutex_unlock(&s->mu);

		store_write_batch(s, b);
		store_batch_free(b);

		pthread_mutex_lock(&s->mu);
		s->busy = false;
		if (s->head == NULL)
			pthread_cond_broadcast(&s->idle);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}
