/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Address sets as sorted, merged ranges of 128-bit numbers with a prefix
 * count, so that the walk can turn a pair number into an address (binary
 * search) and the RX path can turn a reply's address back into its number.
 * IPv4 lives in ::ffff:0:0/96, so both families share one list and IPv4
 * sorts first.
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
	return prt_target_set_add_range128(set, PRT_V4_MAPPED | first, PRT_V4_MAPPED | last);
}

int prt_target_set_add_range128(struct prt_target_set *set, prt_u128 first, prt_u128 last)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct prt_addr_range *r = realloc(set->ranges, cap * sizeof(*r));
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
	const struct prt_addr_range *x = a, *y = b;

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
		struct prt_addr_range *cur = &set->ranges[out];
		const struct prt_addr_range *r = &set->ranges[i];
		/* overlapping or adjacent (cur->last + 1 without overflow) */
		if (r->first <= cur->last || (cur->last != ~(prt_u128)0 && r->first == cur->last + 1)) {
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
		prt_u128 first = set->ranges[i].first;
		const prt_u128 last = set->ranges[i].last;
		bool left = true; /* something of this range is still left at first..last */

		while (j < ex->n && ex->ranges[j].last < first)
			j++;
		for (size_t k = j; k < ex->n && ex->ranges[k].first <= last && left; k++) {
			if (ex->ranges[k].first > first &&
			    prt_target_set_add_range128(&out, first, ex->ranges[k].first - 1))
				goto nomem;
			if (ex->ranges[k].last >= last)
				left = false;
			else
				first = ex->ranges[k].last + 1;
		}
		if (left && prt_target_set_add_range128(&out, first, last))
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

/* Addresses in a range, saturated at 2^64 - 1 (a /64 holds 2^64). */
static uint64_t range_size(const struct prt_addr_range *r)
{
	prt_u128 n = r->last - r->first;

	return n >= UINT64_MAX ? UINT64_MAX : (uint64_t)n + 1;
}

static bool is_v4(prt_u128 v)
{
	return (v >> 32) == 0xffff;
}

int prt_target_set_finalize(struct prt_target_set *set, struct prt_target_set *exclude)
{
	uint64_t total = 0, total4 = 0;

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
		uint64_t size = range_size(&set->ranges[i]);
		set->before[i] = total;
		total = total > UINT64_MAX - size ? UINT64_MAX : total + size;
		if (is_v4(set->ranges[i].first))
			total4 += size;
	}
	set->before[set->n] = total;
	set->total = total;
	set->total4 = total4;
	return 0;
}

static prt_u128 at(const struct prt_target_set *set, uint64_t idx)
{
	size_t lo = 0, hi = set->n; /* find the last range with before <= idx */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->before[mid] <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return set->ranges[lo].first + (idx - set->before[lo]);
}

static int64_t index_of(const struct prt_target_set *set, prt_u128 v)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->ranges[mid].last < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == set->n || v < set->ranges[lo].first)
		return -1;
	return (int64_t)(set->before[lo] + (uint64_t)(v - set->ranges[lo].first));
}

uint32_t prt_target_set_ip_search(const struct prt_target_set *set, uint64_t idx)
{
	return (uint32_t)at(set, idx);
}

struct prt_addr prt_target_set_addr_at(const struct prt_target_set *set, uint64_t idx)
{
	return prt_addr_from_u128(at(set, idx));
}

int64_t prt_target_set_index_search(const struct prt_target_set *set, prt_u128 v)
{
	return index_of(set, v);
}
