/* SPDX-License-Identifier: BSD-3-Clause */
#include "decide.h"

#define BP 10000u

int rsp_world_init(struct rsp_world *w, uint64_t seed, const uint32_t share[RSP_SILENT],
	const uint32_t hostile[RSP_HOSTILE_COUNT])
{
	uint32_t sum = 0;

	prt_cookie_key_from_seed(&w->key, seed ^ 0x5253504e44455221ULL);
	for (int i = 0; i < RSP_SILENT; i++) {
		w->share[i] = share[i];
		sum += share[i];
	}
	for (int i = 0; i < RSP_HOSTILE_COUNT; i++) {
		if (hostile[i] > BP)
			return -1;
		w->hostile[i] = hostile[i];
	}
	return sum > BP ? -1 : 0;
}

uint64_t rsp_pair_hash(const struct rsp_world *w, uint32_t ip, uint16_t port, uint32_t salt)
{
	return prt_siphash13_2w(&w->key, (uint64_t)ip << 16 | port, salt);
}

enum rsp_verdict rsp_decide(const struct rsp_world *w, uint32_t ip, uint16_t port)
{
	uint32_t r = (uint32_t)(rsp_pair_hash(w, ip, port, 0) % BP);

	for (int v = 0; v < RSP_SILENT; v++) {
		if (r < w->share[v])
			return (enum rsp_verdict)v;
		r -= w->share[v];
	}
	return RSP_SILENT;
}

bool rsp_hostile(const struct rsp_world *w, uint32_t ip, uint16_t port, enum rsp_hostile kind)
{
	return w->hostile[kind] != 0 &&
		rsp_pair_hash(w, ip, port, 1 + (uint32_t)kind) % BP < w->hostile[kind];
}

const char *rsp_verdict_words(enum rsp_verdict v)
{
	static const char *const words[] = {
		[RSP_OPEN] = "open syn-ack",
		[RSP_CLOSED] = "closed reset",
		[RSP_UNREACH] = "filtered port-unreach",
		[RSP_SILENT] = "filtered no-response",
	};

	return words[v];
}
