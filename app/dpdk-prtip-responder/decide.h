/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_RESPONDER_DECIDE_H
#define PRT_RESPONDER_DECIDE_H

/*
 * The synthetic Internet's ground truth: a keyed hash of (address, port)
 * decides what a probe gets, so the responder needs no state and can print
 * the truth of any target set without running. Proportions are in basis
 * points (1/100 of a percent).
 */

#include <stdbool.h>
#include <stdint.h>

#include "prt_cookie.h"

enum rsp_verdict {
	RSP_OPEN,     /* SYN-ACK acknowledging the probe */
	RSP_CLOSED,   /* RST-ACK */
	RSP_UNREACH,  /* ICMP destination unreachable, port (3/3) */
	RSP_SILENT,   /* nothing */
};

/* What else a probe brings on, each independently, in basis points. */
enum rsp_hostile {
	RSP_BAD_CHECKSUM, /* first a copy of the reply with a broken TCP/ICMP checksum */
	RSP_DUPLICATE,    /* the reply twice */
	RSP_LATE,         /* the reply held back late_ms */
	RSP_GARBAGE,      /* a malformed frame: truncated headers, bogus lengths */
	RSP_FORGED,       /* a silent pair: a SYN-ACK whose ack is not the probe's */
	RSP_HOSTILE_COUNT,
};

struct rsp_world {
	struct prt_cookie_key key;
	uint32_t share[RSP_SILENT];        /* open, closed, unreach; silent is the rest */
	uint32_t hostile[RSP_HOSTILE_COUNT];
};

/** A world from its seed and proportions. @return 0, or -1 when they exceed 100% */
int rsp_world_init(struct rsp_world *w, uint64_t seed, const uint32_t share[RSP_SILENT],
	const uint32_t hostile[RSP_HOSTILE_COUNT]);

/** What a probe to @p ip (host order), @p port gets. */
enum rsp_verdict rsp_decide(const struct rsp_world *w, uint32_t ip, uint16_t port);

/** Does this probe bring on @p kind (on top of its verdict)? */
bool rsp_hostile(const struct rsp_world *w, uint32_t ip, uint16_t port, enum rsp_hostile kind);

/** A per-pair number for the replies' own fields (sequence numbers, garbage). */
uint64_t rsp_pair_hash(const struct rsp_world *w, uint32_t ip, uint16_t port, uint32_t salt);

/** "open syn-ack", "closed reset", "filtered port-unreach": the scanner's words. */
const char *rsp_verdict_words(enum rsp_verdict v);

#endif
