/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_RATELIM_H
#define PRT_RATELIM_H

/**
 * @file
 * Token bucket on TSC ticks. Tokens are computed from the absolute time since
 * the bucket's epoch (tokens = elapsed * rate / hz), not accumulated per call,
 * so rounding never drifts over a long run. Unused credit is capped at one
 * burst so an idle lcore cannot flood afterwards. Callers pass `now`, which
 * keeps the bucket a pure function of time (unit tests inject the clock).
 */

#include <stdint.h>

struct prt_ratelim {
	uint64_t hz;        /**< clock ticks per second */
	uint64_t rate;      /**< packets per second; 0 = unlimited */
	uint64_t epoch;     /**< tick at which counting started */
	uint64_t granted;   /**< tokens handed out since epoch */
	uint32_t burst_max; /**< most unused credit kept */
};

/** Start a bucket at @p now that grants @p rate tokens per second. */
void prt_ratelim_init(struct prt_ratelim *rl, uint64_t rate, uint64_t hz, uint32_t burst_max,
	uint64_t now);

/** Change the rate from @p now on (credit is reset). */
void prt_ratelim_set_rate(struct prt_ratelim *rl, uint64_t rate, uint64_t now);

/**
 * Take between @p min and @p max tokens at time @p now: none until @p min
 * are available, so a caller can pace whole bursts (the cost of pacing and of
 * a TX doorbell is then per burst, not per packet).
 * @return number granted: 0 or min..max
 */
static inline uint32_t prt_ratelim_take_batch(struct prt_ratelim *rl, uint64_t now, uint32_t min,
	uint32_t max)
{
	uint64_t allowed, avail;

	if (rl->rate == 0)
		return max;
	allowed = (uint64_t)((unsigned __int128)(now - rl->epoch) * rl->rate / rl->hz);
	if (allowed - rl->granted > rl->burst_max)
		rl->granted = allowed - rl->burst_max;
	avail = allowed - rl->granted;
	if (avail < min)
		return 0;
	if (avail > max)
		avail = max;
	rl->granted += avail;
	return (uint32_t)avail;
}

/** Take up to @p want tokens at time @p now. @return number granted (0..want) */
static inline uint32_t prt_ratelim_take(struct prt_ratelim *rl, uint64_t now, uint32_t want)
{
	return prt_ratelim_take_batch(rl, now, 1, want);
}

/** Return @p n tokens taken but not used (e.g. nothing left to send). */
static inline void prt_ratelim_give_back(struct prt_ratelim *rl, uint32_t n)
{
	rl->granted -= n < rl->granted ? n : rl->granted;
}

#endif
