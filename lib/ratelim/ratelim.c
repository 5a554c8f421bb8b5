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
