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
 * port. Past PRT_HOST_RUNS_MAX runs, the runs are merged into one first.
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

static int finish_run(struct prt_hosts *t, FILE *f)
{
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		return -EIO;
	}
	t->runs[t->nruns++] = f;
	return 0;
}

static int write_to_run(const struct prt_host *h, void *arg)
{
	FILE *f = arg;

	prt_host_write(h, f);
	return ferror(f) ? -EIO : 0;
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

static int merge_runs(struct prt_hosts *t, int (*fn)(const struct prt_host *h, void *arg),
	void *arg)
{
	struct prt_host heads[PRT_HOST_RUNS_MAX];
	bool live[PRT_HOST_RUNS_MAX] = {false};
	int rc = 0, min;

	t->up = 0;
	for (unsigned i = 0; i < t->nruns; i++) {
		if (rc == 0 && fseek(t->runs[i], 0, SEEK_SET) != 0)
			rc = -EIO;
		if (rc == 0)
			rc = advance(t->runs[i], &heads[i], &live[i]);
	}
	while (rc == 0 && (min = smallest(heads, live, t->nruns)) >= 0) {
		struct prt_host m = heads[min];

		rc = advance(t->runs[min], &heads[min], &live[min]);
		for (unsigned i = 0; rc == 0 && i < t->nruns; i++)
			while (rc == 0 && live[i] && prt_addr_cmp(&heads[i].addr, &m.addr) == 0) {
				rc = prt_host_merge(&m, &heads[i]);
				if (rc == 0)
					rc = advance(t->runs[i], &heads[i], &live[i]);
			}
		if (rc == 0) {
			t->up += prt_host_is_up(&m);
			rc = fn(&m, arg);
		}
		prt_host_release(&m);
	}
	for (unsigned i = 0; i < t->nruns; i++)
		if (live[i])
			prt_host_release(&heads[i]);
	return rc;
}

/* Too many runs: merge them into one. */
static int compact(struct prt_hosts *t)
{
	FILE *f = new_run();
	int rc;

	if (f == NULL)
		return -errno;
	rc = merge_runs(t, write_to_run, f);
	if (rc != 0) {
		fclose(f);
		return rc;
	}
	for (unsigned i = 0; i < t->nruns; i++)
		fclose(t->runs[i]);
	t->nruns = 0;
	return finish_run(t, f);
}

static int spill(struct prt_hosts *t)
{
	FILE *f;
	int rc;

	if (t->nruns == PRT_HOST_RUNS_MAX && (rc = compact(t)) != 0)
		return rc;
	f = new_run();
	if (f == NULL)
		return -errno;
	rc = prt_hosts_sort(t);
	for (size_t i = 0; rc == 0 && i < t->count; i++)
		rc = write_to_run(t->sorted[i], f);
	if (rc == 0)
		rc = finish_run(t, f);
	else
		fclose(f);
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
		return rc != 0 ? rc : merge_runs(t, fn, arg);
	}
	rc = prt_hosts_sort(t);
	for (size_t i = 0; rc == 0 && i < t->count; i++)
		rc = fn(t->sorted[i], arg);
	return rc;
}
