/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A fingerprint against the db, as nmap ranks: an attribute compares when
 * both sides have it, weighing its MatchPoints points; the OPS test and O
 * attributes allow bracketed parts. The list keeps one entry per OS name
 * (its best print), sorted by accuracy (equal ones in file order); once it
 * is full, a newcomer must beat its last entry.
 */
#include <string.h>

#include "os_priv.h"

/* The host's values in the db's slot order (NULL: the host has none). */
static void host_row(const struct prt_os_db *db, const struct prt_os_fp *fp, const char **row)
{
	memset(row, 0, sizeof(*row) * db->nslots);
	for (uint32_t i = 0; i < fp->n; i++) {
		int slot = os_slot(db, fp->v[i].test, strlen(fp->v[i].test), fp->v[i].attr,
			strlen(fp->v[i].attr));
		if (slot >= 0)
			row[slot] = fp->v[i].value;
	}
}

/* The most points a print can weigh for this host: those of every attribute it has. */
static uint64_t host_points(const struct prt_os_db *db, const char *const *host)
{
	uint64_t sum = 0;

	for (unsigned t = 0; t < db->ntests; t++)
		for (unsigned a = 0; a < db->tests[t].nattrs; a++)
			if (host[db->tests[t].base + a] != NULL)
				sum += db->tests[t].points[a];
	return sum;
}

/*
 * Print @p i's accuracy; -1 as soon as it cannot reach @p floor: its points
 * lost so far, over the most it can weigh (@p most), already cost more.
 * Most prints are another OS's and leave after a few tests.
 */
static double accuracy(const struct prt_os_db *db, uint32_t i, const char *const *host,
	uint64_t most, double floor)
{
	const uint32_t *ref = db->expr + (size_t)i * db->nslots;
	uint64_t total = 0, score = 0;
	const double may_lose = (1.0 - floor) * (double)most;

	for (unsigned t = 0; t < db->ntests; t++) {
		const struct os_test_def *d = &db->tests[t];
		bool ops = strcmp(d->name, "OPS") == 0;
		for (unsigned a = 0; a < d->nattrs; a++) {
			unsigned slot = d->base + a;
			if (ref[slot] == 0 || host[slot] == NULL)
				continue;
			total += d->points[a];
			if (prt_os_expr_match(host[slot], db->text + ref[slot] - 1,
				ops || strcmp(d->attr[a], "O") == 0))
				score += d->points[a];
			else if ((double)(total - score) > may_lose)
				return -1;
		}
	}
	return total ? (double)score / (double)total : 0;
}

double prt_os_accuracy(const struct prt_os_db *db, uint32_t i, const struct prt_os_fp *fp)
{
	const char *row[OS_TESTS_MAX * OS_ATTRS_MAX];

	if (i >= db->n)
		return 0;
	host_row(db, fp, row);
	return accuracy(db, i, row, host_points(db, row), 0);
}

static void drop(struct prt_os_result *r, uint32_t at)
{
	memmove(r->print + at, r->print + at + 1, sizeof(r->print[0]) * (r->n - at - 1));
	memmove(r->accuracy + at, r->accuracy + at + 1, sizeof(r->accuracy[0]) * (r->n - at - 1));
	r->n--;
}

/* Print @p i at accuracy @p acc into the list: after its equals, before worse ones. */
static void insert(struct prt_os_result *r, uint32_t i, double acc)
{
	uint32_t at = 0;

	while (at < r->n && r->accuracy[at] >= acc)
		at++;
	if (at == PRT_OS_MATCHES_MAX)
		return;
	if (r->n == PRT_OS_MATCHES_MAX)
		r->n--; /* the last one falls off */
	memmove(r->print + at + 1, r->print + at, sizeof(r->print[0]) * (r->n - at));
	memmove(r->accuracy + at + 1, r->accuracy + at, sizeof(r->accuracy[0]) * (r->n - at));
	r->print[at] = i;
	r->accuracy[at] = acc;
	r->n++;
}

/* Is a print of the same OS name already there? Keep the better of the two. */
static bool better_known(const struct prt_os_db *db, struct prt_os_result *r, uint32_t i,
	double acc)
{
	for (uint32_t k = 0; k < r->n; k++) {
		if (strcmp(db->prints[r->print[k]].name, db->prints[i].name) != 0)
			continue;
		if (r->accuracy[k] >= acc)
			return true;
		drop(r, k);
		return false;
	}
	return false;
}

void prt_os_match(const struct prt_os_db *db, const struct prt_os_fp *fp, double threshold,
	struct prt_os_result *r)
{
	const char *row[OS_TESTS_MAX * OS_ATTRS_MAX];
	double entrance = threshold;

	memset(r, 0, sizeof(*r));
	uint64_t most;

	host_row(db, fp, row);
	most = host_points(db, row);
	for (uint32_t i = 0; i < db->n; i++) {
		double acc = accuracy(db, i, row, most, entrance);
		if ((acc < entrance && acc != 1.0) || better_known(db, r, i, acc))
			continue;
		if (acc == 1.0 && r->perfect == PRT_OS_MATCHES_MAX) {
			r->too_many = true;
			return;
		}
		r->perfect += acc == 1.0;
		insert(r, i, acc);
		if (r->n == PRT_OS_MATCHES_MAX)
			entrance = r->accuracy[PRT_OS_MATCHES_MAX - 1] + 0.00001 < 1.0 ?
				r->accuracy[PRT_OS_MATCHES_MAX - 1] + 0.00001 : 1.0;
	}
}
