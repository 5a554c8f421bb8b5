/* SPDX-License-Identifier: BSD-3-Clause */
#include "prt_ratelim.h"

void prt_ratelim_init(struct prt_ratelim *rl, uint64_t rate, uint64_t hz, uint32_t burst_max,
	uint64_t now)
{
	rl->hz = hz;
	rl->burst_max = burst_max ? burst_max : 1;
	prt_ratelim_set_rate(rl, rate, now);
}

void prt_ratelim_set_rate(struct prt_ratelim *rl, uint64_t rate, uint64_t now)
{
	rl->rate = rate;
	rl->epoch = now;
	rl->granted = 0;
}

uint64_t prt_ratelim_wait_ticks(const struct prt_ratelim *rl, uint64_t now)
{
	uint64_t due;

	if (rl->rate == 0)
		return 0;
	/* first tick at which allowed reaches granted + 1 */
	due = rl->epoch + (uint64_t)(((unsigned __int128)(rl->granted + 1) * rl->hz + rl->rate - 1) /
		rl->rate);
	return due > now ? due - now : 0;
}
