/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prt_dedup.h"

#define LINE 64

int prt_dedup_init(struct prt_dedup *d, size_t bytes)
{
	size_t buckets = 1;

	memset(d, 0, sizeof(*d));
	while (buckets * 2 * LINE <= bytes)
		buckets *= 2;
	if (prt_cookie_key_random(&d->key) != 0)
		return -EIO;
	d->slots = aligned_alloc(LINE, buckets * LINE);
	if (d->slots == NULL)
		return -ENOMEM;
	memset(d->slots, 0, buckets * LINE);
	d->bucket_mask = buckets - 1;
	return 0;
}

void prt_dedup_free(struct prt_dedup *d)
{
	free(d->slots);
	d->slots = NULL;
}

size_t prt_dedup_bytes(const struct prt_dedup *d)
{
	return d->slots == NULL ? 0 : (size_t)(d->bucket_mask + 1) * LINE;
}

static inline uint64_t *bucket_of(const struct prt_dedup *d, uint64_t pair, uint64_t *h)
{
	*h = prt_siphash13_2w(&d->key, pair, 0);
	return d->slots + (*h & d->bucket_mask) * (PRT_DEDUP_WAYS + 1);
}

bool prt_dedup_add(struct prt_dedup *d, uint64_t pair)
{
	uint64_t h, *b = bucket_of(d, pair, &h), want = pair + 1, at;

	for (int i = 1; i <= PRT_DEDUP_WAYS; i++)
		if (__atomic_load_n(&b[i], __ATOMIC_RELAXED) == want)
			return false;
	/* first in, first out: the oldest answer of the bucket makes room */
	at = __atomic_fetch_add(&b[0], 1, __ATOMIC_RELAXED);
	if (at >= PRT_DEDUP_WAYS)
		__atomic_fetch_add(&d->evictions, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&b[1 + at % PRT_DEDUP_WAYS], want, __ATOMIC_RELAXED);
	return true;
}

/* The slot is freed, and when it held the bucket's newest answer (the usual
 * case: an answer is forgotten right after it was added, when the result
 * ring was full) the bucket's counter steps back too. Without that, a pair
 * added and forgotten again and again would advance the FIFO and push out
 * answers far younger than the window promises, whose duplicates would then
 * be reported twice. */
void prt_dedup_forget(struct prt_dedup *d, uint64_t pair)
{
	uint64_t h, *b = bucket_of(d, pair, &h), want = pair + 1;

	for (int i = 1; i <= PRT_DEDUP_WAYS; i++) {
		uint64_t v = want;
		if (!__atomic_compare_exchange_n(&b[i], &v, 0, false, __ATOMIC_RELAXED,
			__ATOMIC_RELAXED))
			continue;
		uint64_t at = __atomic_load_n(&b[0], __ATOMIC_RELAXED);
		/* an add in between keeps the counter where it is: only a slot is lost */
		if (at > 0 && 1 + (at - 1) % PRT_DEDUP_WAYS == (uint64_t)i)
			__atomic_compare_exchange_n(&b[0], &at, at - 1, false, __ATOMIC_RELAXED,
				__ATOMIC_RELAXED);
		return;
	}
}
