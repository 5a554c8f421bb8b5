/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address sets as sorted, merged ranges with a prefix count, so that the
 * walk can turn a pair number into an address (binary search) and the RX
 * path can turn a reply's address back into its number.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prt_target.h"

void prt_target_set_init(struct prt_target_set *set)
{
	memset(set, 0, sizeof(*set));
}

void prt_target_set_free(struct prt_target_set *set)
{
	free(set->ranges);
	free(set->before);
	prt_target_set_init(set);
}

int prt_target_set_add_range(struct prt_target_set *set, uint32_t first, uint32_t last)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct prt_ipv4_range *r = realloc(set->ranges, cap * sizeof(*r));
		if (r == NULL)
			return -ENOMEM;
		set->ranges = r;
		set->cap = cap;
	}
	set->ranges[set->n].first = first;
	set->ranges[set->n].last = last;
	set->n++;
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const struct prt_ipv4_range *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

static void sort_and_merge(struct prt_target_set *set)
{
	size_t out = 0;

	if (set->n == 0)
		return;
	qsort(set->ranges, set->n, sizeof(set->ranges[0]), range_cmp);
	for (size_t i = 1; i < set->n; i++) {
		struct prt_ipv4_range *cur = &set->ranges[out];
		const struct prt_ipv4_range *r = &set->ranges[i];
		/* overlapping or adjacent (cur->last + 1 without overflow) */
		if (r->first <= cur->last || (cur->last != UINT32_MAX && r->first == cur->last + 1)) {
			if (r->last > cur->last)
				cur->last = r->last;
		} else {
			set->ranges[++out] = *r;
		}
	}
	set->n = out + 1;
}

/* Both sets sorted and merged: keep only what is not in ex. */
static int subtract(struct prt_target_set *set, const struct prt_target_set *ex)
{
	struct prt_target_set out;
	size_t j = 0;

	prt_target_set_init(&out);
	for (size_t i = 0; i < set->n; i++) {
		uint64_t first = set->ranges[i].first;
		const uint64_t last = set->ranges[i].last;

		while (j < ex->n && ex->ranges[j].last < first)
			j++;
		for (size_t k = j; k < ex->n && ex->ranges[k].first <= last && first <= last; k++) {
			if (ex->ranges[k].first > first &&
			    prt_target_set_add_range(&out, (uint32_t)first, ex->ranges[k].first - 1))
				goto nomem;
			first = (uint64_t)ex->ranges[k].last + 1;
		}
		if (first <= last && prt_target_set_add_range(&out, (uint32_t)first, (uint32_t)last))
			goto nomem;
	}
	free(set->ranges);
	set->ranges = out.ranges;
	set->n = out.n;
	set->cap = out.cap;
	return 0;
nomem:
	prt_target_set_free(&out);
	return -ENOMEM;
}

int prt_target_set_finalize(struct prt_target_set *set, struct prt_target_set *exclude)
{
	uint64_t total = 0;

	sort_and_merge(set);
	if (exclude != NULL) {
		sort_and_merge(exclude);
		if (subtract(set, exclude) != 0)
			return -ENOMEM;
	}
	free(set->before);
	set->before = malloc((set->n + 1) * sizeof(*set->before));
	if (set->before == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < set->n; i++) {
		set->before[i] = total;
		total += (uint64_t)set->ranges[i].last - set->ranges[i].first + 1;
	}
	set->before[set->n] = total;
	set->total = total;
	return 0;
}

uint32_t prt_target_set_ip_at(const struct prt_target_set *set, uint64_t idx)
{
	size_t lo = 0, hi = set->n; /* find the last range with before <= idx */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->before[mid] <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return set->ranges[lo].first + (uint32_t)(idx - set->before[lo]);
}

int64_t prt_target_set_index_of(const struct prt_target_set *set, uint32_t ip)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->ranges[mid].last < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == set->n || ip < set->ranges[lo].first)
		return -1;
	return (int64_t)(set->before[lo] + (ip - set->ranges[lo].first));
}
