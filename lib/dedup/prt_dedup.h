/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_DEDUP_H
#define PRT_DEDUP_H

/**
 * @file
 * The first answer per pair in bounded memory (Internet mode, where a bit
 * per pair would not fit). A set-associative table of pair numbers: a
 * SipHash of the pair under a random key picks a bucket of eight slots (one
 * cache line), and the slot holds the pair itself, so two different pairs
 * never look alike: no false duplicates. A bucket is one cache line: a
 * counter and seven pairs, replaced first in, first out, so an answer is
 * forgotten only once seven newer ones fell into its bucket; a duplicate
 * that comes after that is reported again (a missed duplicate). With S
 * pair slots, a duplicate is recognised 99.97% of the time when S/8 newer
 * answers came between, 98.7% after S/4, 76% after S/2 (tests/unit/test_dedup.c measures the rates; docs/performance.md
 * lists them). Several RX lcores may share one table: slots are claimed
 * with compare-and-swap; two lcores adding the same pair at the same
 * instant may both see it as new (replies of one pair reach one queue).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_cookie.h"

#define PRT_DEDUP_WAYS 7 /* pairs per bucket, after the bucket's counter */

struct prt_dedup {
	/** buckets x (counter, PRT_DEDUP_WAYS pairs); a pair slot: 0 = empty, else pair + 1 */
	uint64_t *slots;
	uint64_t bucket_mask;   /**< buckets - 1 (a power of two) */
	struct prt_cookie_key key;
	uint64_t evictions;     /**< answers pushed out of a full bucket (relaxed) */
};

/**
 * A table of at most @p bytes (rounded down to a power of two of cache
 * lines, at least one bucket), under a random key.
 * @return 0, -ENOMEM or -EIO (no randomness)
 */
int prt_dedup_init(struct prt_dedup *d, size_t bytes);

void prt_dedup_free(struct prt_dedup *d);

/** Memory the table holds, in bytes. */
size_t prt_dedup_bytes(const struct prt_dedup *d);

/**
 * Add @p pair (below 2^63). @return true when it was not in the table: the
 * first answer, as far as the table remembers
 */
bool prt_dedup_add(struct prt_dedup *d, uint64_t pair);

/** Forget @p pair (its answer could not be passed on; a later one counts). */
void prt_dedup_forget(struct prt_dedup *d, uint64_t pair);

#endif
