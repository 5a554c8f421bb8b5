/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host table under a memory budget, for scans whose responders have no
 * bound (Internet mode). The nmap formats print one block per host in
 * address order, so every answer of a host must be together at the end, yet
 * a whole-Internet scan may find tens of millions of hosts. When the table
 * passes its budget it is sorted, written to an unlinked temporary file (a
 * run) and emptied; at the end, or for a checkpoint, the table becomes one
 * more run and the runs are merged by address, the records of one address
 * combined into one host (an external merge sort). Memory stays at the
 * budget plus one host per run; disk holds about 40 bytes per responding
 * port. Runs are merged as they come, like the carries of a binary counter:
 * a new run at least half as large as the one before it is merged with it,
 * so the runs grow geometrically, there are O(log spills) of them and each
 * host is rewritten O(log spills) times in all, never once per spill.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output_host_io.h"
#include "prt_common.h"
#include "prt_output.h"

#define RUN_BUFFER (1u << 18)

static FILE *new_run(void)
{
	FILE *f = prt_temp_file();

	if (f != NULL)
		setvbuf(f, NULL, _IOFBF, RUN_BUFFER);
	return f;
}

static int finish_run(struct prt_hosts *t, FILE *f, uint64_t hosts)
{
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		return -EIO;
	}
	t->runs[t->nruns] = f;
	t->run_hosts[t->nruns++] = hosts;
	return 0;
}

struct run_writer {
	FILE *f;
	uint64_t hosts;
};

static int write_to_run(const struct prt_host *h, void *arg)
{
	struct run_writer *w = arg;

	prt_host_write(h, w->f);
	w->hosts++;
	return ferror(w->f) ? -EIO : 0;
}

/* Read the next record of run @p i into heads[i]; live[i] says whether there was one. */
static int advance(FILE *run, struct prt_host *head, bool *live)
{
	int rc = prt_host_read(head, run);

	*live = rc == 0;
	if (rc != 0)
		prt_host_release(head);
	return rc < 0 ? rc : 0;
}

static int smallest(const struct prt_host *heads, const bool *live, unsigned n)
{
	int min = -1;

	for (unsigned i = 0; i < n; i++)
		if (live[i] && (min < 0 || prt_addr_cmp(&heads[i].addr, &heads[min].addr) < 0))
			min = (int)i;
	return min;
}

/* Merge runs [from, nruns) by address into @p fn. */
static int merge_runs(struct prt_hosts *t, unsigned from,
	int (*fn)(const struct prt_host *h, void *arg), void *arg)
{
	struct prt_host heads[PRT_HOST_RUNS_MAX];
	bool live[PRT_HOST_RUNS_MAX] = {false};
	FILE **runs = t->runs + from;
	const unsigned n = t->nruns - from;
	int rc = 0, min;

	t->up = 0;
	for (unsigned i = 0; i < n; i++) {
		if (rc == 0 && fseek(runs[i], 0, SEEK_SET) != 0)
			rc = -EIO;
		if (rc == 0)
			rc = advance(runs[i], &heads[i], &live[i]);
	}
	while (rc == 0 && (min = smallest(heads, live, n)) >= 0) {
		struct prt_host m = heads[min];

		rc = advance(runs[min], &heads[min], &live[min]);
		for (unsigned i = 0; rc == 0 && i < n; i++)
			while (rc == 0 && live[i] && prt_addr_cmp(&heads[i].addr, &m.addr) == 0) {
				rc = prt_host_merge(&m, &heads[i]);
				if (rc == 0)
					rc = advance(runs[i], &heads[i], &live[i]);
			}
		if (rc == 0) {
			t->up += prt_host_is_up(&m);
			rc = fn(&m, arg);
		}
		prt_host_release(&m);
	}
	for (unsigned i = 0; i < n; i++)
		if (live[i])
			prt_host_release(&heads[i]);
	return rc;
}

/* Runs [from, nruns) become one. */
static int compact(struct prt_hosts *t, unsigned from)
{
	struct run_writer w = {new_run(), 0};
	int rc;

	if (w.f == NULL)
		return -errno;
	rc = merge_runs(t, from, write_to_run, &w);
	if (rc != 0) {
		fclose(w.f);
		return rc;
	}
	for (unsigned i = from; i < t->nruns; i++)
		fclose(t->runs[i]);
	t->nruns = from;
	return finish_run(t, w.f, w.hosts);
}

static int spill(struct prt_hosts *t)
{
	struct run_writer w = {NULL, 0};
	int rc;

	if (t->nruns == PRT_HOST_RUNS_MAX && (rc = compact(t, 0)) != 0)
		return rc;
	w.f = new_run();
	if (w.f == NULL)
		return -errno;
	rc = prt_hosts_sort(t);
	for (size_t i = 0; rc == 0 && i < t->count; i++)
		rc = write_to_run(t->sorted[i], &w);
	if (rc == 0)
		rc = finish_run(t, w.f, w.hosts);
	else
		fclose(w.f);
	/* the binary counter's carries: the last two runs merge while they are alike */
	while (rc == 0 && t->nruns >= 2 &&
	       t->run_hosts[t->nruns - 1] >= t->run_hosts[t->nruns - 2] / 2)
		rc = compact(t, t->nruns - 2);
	t->spills += rc == 0;
	return rc != 0 ? rc : prt_hosts_clear(t);
}

int prt_hosts_fit(struct prt_hosts *t)
{
	return t->budget != 0 && prt_hosts_bytes(t) > t->budget ? spill(t) : 0;
}

int prt_hosts_each(struct prt_hosts *t, int (*fn)(const struct prt_host *h, void *arg),
	void *arg)
{
	int rc = 0;

	if (t->nruns > 0) {
		if (t->count > 0)
			rc = spill(t);
		return rc != 0 ? rc : merge_runs(t, 0, fn, arg);
	}
	rc = prt_hosts_sort(t);
	for (size_t i = 0; rc == 0 && i < t->count; i++)
		rc = fn(t->sorted[i], arg);
	return rc;
}
