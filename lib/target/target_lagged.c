/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internet mode's retries (see struct prt_lagged_walk). A burst is shared
 * out in chunks: walk 0 takes a chunk of steps (pairs, or empty steps once
 * it has ended), then each later walk as many as its lag allows, so the
 * walks advance together and the distance between a probe and its resend
 * stays @p distance steps whatever the burst size.
 */
#include "prt_target.h"

void prt_lagged_init(struct prt_lagged_walk *lw, const struct prt_perm *perm, uint32_t shard,
	uint32_t nshards, uint32_t slice, uint32_t nslices, uint32_t nwalks, uint64_t distance,
	uint64_t start)
{
	memset(lw, 0, sizeof(*lw));
	lw->n = nwalks < 1 ? 1 : nwalks > PRT_LAGGED_MAX ? PRT_LAGGED_MAX : nwalks;
	lw->distance = distance < 1 ? 1 : distance;
	lw->clock = start;
	for (uint32_t r = 0; r < lw->n; r++) {
		prt_walk_init(&lw->w[r], perm, shard, nshards, slice, nslices);
		prt_walk_skip(&lw->w[r], start);
		lw->steps[r] = start;
	}
}

/* Steps walk r may take now: it stays r x distance behind the clock. */
static uint64_t allowed(const struct prt_lagged_walk *lw, uint32_t r)
{
	uint64_t lag = (uint64_t)r * lw->distance;

	if (lw->clock < lag || lw->clock - lag <= lw->steps[r])
		return 0;
	return lw->clock - lag - lw->steps[r];
}

/* Up to @p want steps of walk r into @p pairs. @return the pairs */
static unsigned take(struct prt_lagged_walk *lw, uint32_t r, uint64_t *pairs, uint64_t want)
{
	unsigned got;

	if (lw->ended[r] || want == 0)
		return 0;
	got = prt_walk_next_burst(&lw->w[r], pairs, (unsigned)want);
	lw->steps[r] += got;
	lw->ended[r] = got < want;
	return got;
}

unsigned prt_lagged_next_burst(struct prt_lagged_walk *lw, uint64_t *pairs, unsigned max,
	unsigned *cost, unsigned *resent)
{
	unsigned k = 0, used = 0;

	*resent = 0;
	while (used < max && !prt_lagged_done(lw)) {
		unsigned chunk = (max - used) / lw->n, got;

		chunk = chunk ? chunk : 1;
		if (!lw->ended[0]) {
			got = take(lw, 0, pairs + k, chunk);
			/* the steps past the end are empty ones */
			lw->clock += lw->ended[0] ? chunk : got;
			k += got;
			used += lw->ended[0] ? chunk : got;
		} else {
			lw->clock += chunk;
			used += chunk;
		}
		for (uint32_t r = 1; r < lw->n && used < max; r++) {
			uint64_t want = allowed(lw, r);
			got = take(lw, r, pairs + k, want < max - used ? want : max - used);
			k += got;
			used += got;
			*resent += got;
		}
		if (lw->n == 1 && lw->ended[0])
			break;
	}
	*cost = used > max ? max : used;
	return k;
}
