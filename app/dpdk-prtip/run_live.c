/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live-host set of a discovery: a bit per target address (a /16 is
 * 8 KiB, all of IPv4 512 MiB, within --max-state-memory by the option
 * checks), turned into the port scan's target set when it is done.
 */
#include <errno.h>
#include <stdlib.h>

#include "run.h"

int prt_live_init(struct prt_live_hosts *l, uint64_t nhosts, bool report)
{
	*l = (struct prt_live_hosts){.nhosts = nhosts, .report = report};
	l->up = calloc((size_t)(nhosts + 63) / 64 + 1, sizeof(uint64_t));
	return l->up != NULL ? 0 : -ENOMEM;
}

void prt_live_free(struct prt_live_hosts *l)
{
	free(l->up);
	l->up = NULL;
}

bool prt_live_answer_is_up(const struct prt_result *r)
{
	const bool v4 = prt_addr_is_v4(&r->addr);

	/* a port or protocol unreachable comes from the host itself (nmap's
	 * rule; it also checks the sender, which the result does not keep) */
	if (r->reason == PRT_REASON_ICMP)
		return v4 ? r->icmp_type == 3 && (r->icmp_code == 2 || r->icmp_code == 3) :
			r->icmp_type == 1 && r->icmp_code == 4;
	switch (r->state) {
	case PRT_STATE_OPEN:
	case PRT_STATE_CLOSED:
	case PRT_STATE_UNFILTERED:
	case PRT_STATE_UP:
		return true;
	default:
		return false;
	}
}

bool prt_live_mark(struct prt_live_hosts *l, uint64_t idx)
{
	if (idx >= l->nhosts || prt_live_is_up(l, idx))
		return false;
	l->up[idx / 64] |= 1ULL << (idx % 64);
	l->count++;
	return true;
}

int prt_live_targets(const struct prt_live_hosts *l, const struct prt_target_set *from,
	struct prt_target_set *to)
{
	prt_target_set_init(to);
	for (uint64_t w = 0; w < (l->nhosts + 63) / 64; w++)
		for (uint64_t bits = l->up[w]; bits != 0; bits &= bits - 1) {
			uint64_t idx = w * 64 + (uint64_t)__builtin_ctzll(bits);
			struct prt_addr a = prt_target_set_addr_at(from, idx);
			prt_u128 v = prt_u128_from_addr(&a);
			if (prt_target_set_add_range128(to, v, v) != 0)
				return -ENOMEM;
		}
	return prt_target_set_finalize(to, NULL) != 0 ? -ENOMEM : 0;
}
