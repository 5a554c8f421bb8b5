/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TARGET_H
#define PRT_TARGET_H

/**
 * @file
 * What to scan: sets of IPv4 addresses and TCP ports, and the seeded
 * pseudo-random walk over their product (ip x port) that visits every pair
 * exactly once, split into disjoint slices for the TX lcores.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>

#include "prt_bswap.h"
#include "prt_result.h"

/** A 128-bit address as a number: IPv6, and IPv4 as ::ffff:a.b.c.d. */
typedef unsigned __int128 prt_u128;

/** Inclusive range of addresses of one family (a v4 range stays in ::ffff:0:0/96). */
struct prt_addr_range {
	prt_u128 first;
	prt_u128 last;
};

/**
 * A set of IPv4 and IPv6 addresses as ranges of 128-bit numbers (IPv4
 * mapped, RFC 4291 2.5.5.2), so one sorted list indexes both families:
 * the IPv4 addresses come first. Built by adding specs, then finalized
 * (sorted, merged, exclusions removed) so it can be indexed.
 */
struct prt_target_set {
	struct prt_addr_range *ranges;
	size_t n;
	size_t cap;
	uint64_t *before; /**< after finalize: addresses in ranges[0..i) */
	uint64_t total;   /**< after finalize: number of addresses (UINT64_MAX: more) */
	uint64_t total4;  /**< after finalize: of which IPv4 (indexes 0..total4-1) */
};

/* Big-endian 64-bit load and store: every reply's source address is looked
 * up through these, so two byte swaps rather than sixteen 128-bit shifts. */
static inline uint64_t prt_load_be64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return prt_be64(v);
}

static inline void prt_store_be64(uint8_t *p, uint64_t v)
{
	v = prt_be64(v);
	memcpy(p, &v, 8);
}

static inline prt_u128 prt_u128_from_addr(const struct prt_addr *a)
{
	return (prt_u128)prt_load_be64(a->b) << 64 | prt_load_be64(a->b + 8);
}

static inline struct prt_addr prt_addr_from_u128(prt_u128 v)
{
	struct prt_addr a;

	prt_store_be64(a.b, (uint64_t)(v >> 64));
	prt_store_be64(a.b + 8, (uint64_t)v);
	return a;
}

#define PRT_V4_MAPPED ((prt_u128)0xffff << 32)

/** Add an inclusive range of 128-bit addresses. @return 0 or -ENOMEM */
int prt_target_set_add_range128(struct prt_target_set *set, prt_u128 first, prt_u128 last);

void prt_target_set_init(struct prt_target_set *set);
void prt_target_set_free(struct prt_target_set *set);

/** Add one inclusive range of IPv4 addresses (host order). @return 0 or -ENOMEM */
int prt_target_set_add_range(struct prt_target_set *set, uint32_t first, uint32_t last);

/**
 * Add one target spec: "a.b.c.d", "a.b.c.d/n", "a.b.c.d-e.f.g.h", nmap
 * octet ranges such as "198.18.0-3.1-254" or "198.18.1,3.*", or an IPv6
 * address, prefix or range.
 * @param err receives a one-line reason on failure
 * @return 0, -EINVAL (bad spec) or -ENOMEM
 */
int prt_target_set_add_spec(struct prt_target_set *set, const char *spec, char *err,
	size_t errlen);

/** Add an IPv6 spec: "2001:2::5", "2001:2::/120", "2001:2::1-2001:2::ff". Same returns. */
int prt_target_set_add_spec6(struct prt_target_set *set, const char *spec, char *err,
	size_t errlen);

/** Add every comma-separated spec of @p list. Same returns as add_spec. */
int prt_target_set_add_list(struct prt_target_set *set, const char *list, char *err,
	size_t errlen);

/**
 * Add whitespace-separated specs read from a stream ('#' starts a comment),
 * as -iL and --excludefile read them. @p name is used in error messages.
 */
int prt_target_set_add_stream(struct prt_target_set *set, FILE *f, const char *name, char *err,
	size_t errlen);

/**
 * Sort and merge the ranges, remove every address of @p exclude (may be
 * NULL; it is finalized too) and build the index.
 * @return 0 or -ENOMEM
 */
int prt_target_set_finalize(struct prt_target_set *set, struct prt_target_set *exclude);

/**
 * Add the IANA special-purpose IPv4 ranges (private, loopback, link local,
 * documentation, benchmarking, multicast, reserved...) to @p set, to be
 * used as exclusions. @return 0 or -1 (out of memory)
 */
int prt_target_set_add_special(struct prt_target_set *set);

/** prt_target_set_ip_at() by binary search over the ranges. */
uint32_t prt_target_set_ip_search(const struct prt_target_set *set, uint64_t idx);

/** IPv4 address number @p idx (0 <= idx < total4) of a finalized set. */
static inline uint32_t prt_target_set_ip_at(const struct prt_target_set *set, uint64_t idx)
{
	/* one range (a CIDR block) needs no search: the TX lcore asks per probe */
	if (set->n == 1)
		return (uint32_t)(set->ranges[0].first + idx);
	return prt_target_set_ip_search(set, idx);
}

/** Address number @p idx, of either family. */
struct prt_addr prt_target_set_addr_at(const struct prt_target_set *set, uint64_t idx);

/** prt_target_set_index_of_addr() by binary search over the ranges. */
int64_t prt_target_set_index_search(const struct prt_target_set *set, prt_u128 v);

/** Index of the address numbered @p v (IPv4 as PRT_V4_MAPPED | ip), or -1. */
static inline int64_t prt_target_set_index_of_u128(const struct prt_target_set *set,
	prt_u128 v)
{
	/* one range needs no search: the RX lcore asks for every reply */
	if (set->n == 1)
		return v >= set->ranges[0].first && v <= set->ranges[0].last ?
			(int64_t)(v - set->ranges[0].first) : -1;
	return prt_target_set_index_search(set, v);
}

/** Index of IPv4 address @p ip (host order) in a finalized set, or -1 when it is not a member. */
static inline int64_t prt_target_set_index_of(const struct prt_target_set *set, uint32_t ip)
{
	return prt_target_set_index_of_u128(set, PRT_V4_MAPPED | ip);
}

/** Index of an address of either family, or -1. */
static inline int64_t prt_target_set_index_of_addr(const struct prt_target_set *set,
	const struct prt_addr *a)
{
	return prt_target_set_index_of_u128(set, prt_u128_from_addr(a));
}

/** A set of ports, kept as a bitmap while built, then as a sorted list. */
struct prt_port_list {
	uint8_t bits[65536 / 8];
	uint16_t *ports;   /**< after finalize: sorted ascending */
	uint32_t n;        /**< after finalize: number of ports */
	int32_t *index_of; /**< after finalize: port -> position, or -1 */
	/** after finalize: ports[0] when the ports are one run of consecutive
	 * numbers (ports[i] == run_first + i, as with -p 1-65535), else -1 */
	int32_t run_first;
};

void prt_port_list_init(struct prt_port_list *pl);
void prt_port_list_free(struct prt_port_list *pl);

/**
 * Add a port spec: "22,80,1000-2000", "-" (1-65535), "-1024", "60000-",
 * an optional "T:" prefix on items. @return 0 or -EINVAL with @p err set.
 */
int prt_port_list_add_spec(struct prt_port_list *pl, const char *spec, char *err,
	size_t errlen);

/** One line of nmap-services: "name port/proto frequency". */
struct prt_service_entry {
	char name[64];
	char proto[8];
	uint16_t port;
	double freq;
};

typedef int (*prt_service_fn)(const struct prt_service_entry *e, void *arg);

/**
 * Call @p fn for every entry of an nmap-services file, in file order, until
 * it returns non-zero. @return 0, -errno when the file cannot be read, or
 * what @p fn returned
 */
int prt_services_foreach(const char *path, prt_service_fn fn, void *arg);

#define PRT_SERVICE_PROTOS 4 /**< TCP, UDP and SCTP (nmap-services), IP protocols (nmap-protocols) */

/** Port -> service name, as nmap's "SERVICE" column ("http", "ssh"). */
struct prt_service_names {
	char *pool;       /**< NUL-terminated names one after another */
	size_t pool_len, pool_cap;
	uint32_t *offset[PRT_SERVICE_PROTOS]; /**< [tcp, udp, sctp, ip][port]: offset + 1
						* into pool, 0 = none */
};

/** Load the names of nmap-services. @return 0 or -errno (the table stays empty) */
int prt_service_names_load(struct prt_service_names *n, const char *path);

/** Add the IP protocols' names of nmap-protocols (-sO's "ports", proto IPPROTO_IP).
 * @return 0 or -errno */
int prt_service_names_add_protocols(struct prt_service_names *n, const char *path);

/** The name of @p port over @p proto (IPPROTO_TCP/UDP/SCTP/IP). @return NULL when unknown */
const char *prt_service_name(const struct prt_service_names *n, uint8_t proto, uint16_t port);

void prt_service_names_free(struct prt_service_names *n);

/**
 * Add the @p count most frequent ports over @p proto (IPPROTO_TCP, UDP or
 * SCTP) of an nmap-services file.
 * @return 0, -ENOENT/-errno when the file cannot be read, -EINVAL when it
 * has no TCP port entries; @p err says which.
 */
int prt_port_list_add_top(struct prt_port_list *pl, const char *services_path, uint8_t proto,
	uint32_t count, char *err, size_t errlen);

/** Remove every port of @p exclude, then build the sorted list. @return 0 or -ENOMEM */
int prt_port_list_finalize(struct prt_port_list *pl, const struct prt_port_list *exclude);

static inline bool prt_port_list_has(const struct prt_port_list *pl, uint16_t port)
{
	return (pl->bits[port >> 3] >> (port & 7)) & 1;
}

#define PRT_PERM_ROUNDS 4

/**
 * A keyed bijection on [0, n): a Feistel network on Z_a x Z_b, a the
 * ceiling of sqrt(n) and b = ceil(n / a), as masscan's BlackRock splits its
 * domain. Its domain a * b exceeds n by less than a, so the cycle walk back
 * into range is rare for every n (under one step in b): the cost per probe
 * does not depend on the scan's shape, where a balanced network on 2^(2h)
 * values re-encrypts up to 3 times in 4 for an odd bit count. A value x is
 * (hi, lo) = (x / b, x % b); even rounds add F(lo) to hi mod a, odd rounds
 * F(hi) to lo mod b. F is a keyed 32-bit multiply whose top bits are scaled
 * into [0, m) by a multiply-high (no division). The order only has to look
 * random and differ per seed; the cookie, not the order, is what a forger
 * would have to guess.
 */
struct prt_perm {
	uint64_t n;
	uint32_t a;  /**< hi's range: ceil(sqrt(n)) */
	uint32_t b;  /**< lo's range: ceil(n / a) */
	uint32_t round_key[PRT_PERM_ROUNDS];
	uint32_t round_mul[PRT_PERM_ROUNDS]; /* odd */
};

/** @return 0, or -EINVAL when n is 0 or above PRT_PERM_MAX */
int prt_perm_init(struct prt_perm *perm, uint64_t n, uint64_t seed);

/** The largest domain: a and b stay below 2^31. */
#define PRT_PERM_MAX (1ULL << 62)

/* F_r(v) in [0, m). */
static inline uint32_t prt_perm_round(const struct prt_perm *perm, int r, uint32_t v, uint32_t m)
{
	uint32_t h = (v ^ perm->round_key[r]) * perm->round_mul[r];

	return (uint32_t)(((uint64_t)h * m) >> 32);
}

/* x + y mod m, both already below m (m < 2^31). */
static inline uint32_t prt_perm_addmod(uint32_t x, uint32_t y, uint32_t m)
{
	uint32_t s = x + y;

	return s >= m ? s - m : s;
}

/** One pass of the network over (hi, lo), in place. */
static inline void prt_perm_encrypt(const struct prt_perm *perm, uint32_t *hi, uint32_t *lo)
{
	for (int r = 0; r < PRT_PERM_ROUNDS; r += 2) {
		*hi = prt_perm_addmod(*hi, prt_perm_round(perm, r, *lo, perm->a), perm->a);
		*lo = prt_perm_addmod(*lo, prt_perm_round(perm, r + 1, *hi, perm->b), perm->b);
	}
}

/** Image of (hi, lo) = position hi * b + lo (below n): encrypt until back in range. */
static inline uint64_t prt_perm_at_split(const struct prt_perm *perm, uint32_t hi, uint32_t lo)
{
	uint64_t x;

	do {
		prt_perm_encrypt(perm, &hi, &lo);
		x = (uint64_t)hi * perm->b + lo;
	} while (x >= perm->n);
	return x;
}

/** Image of @p i (0 <= i < n). */
static inline uint64_t prt_perm_at(const struct prt_perm *perm, uint64_t i)
{
	return prt_perm_at_split(perm, (uint32_t)(i / perm->b), (uint32_t)(i % perm->b));
}

/** The position whose image is @p v (0 <= v < n): the inverse of prt_perm_at(). */
uint64_t prt_perm_position(const struct prt_perm *perm, uint64_t v);

/**
 * Shards split a scan across machines, slices across the TX lcores of one:
 * position p belongs to shard p % nshards, and within it to slice
 * (p / nshards) % nslices. Any two (shard, slice) are disjoint; all of them
 * cover [0, n); the same seed gives every machine the same positions.
 */
static inline bool prt_shard_owns(uint64_t position, uint32_t shard, uint32_t nshards)
{
	return position % nshards == shard;
}

/** Positions of [0, n) in @p shard of @p nshards. */
static inline uint64_t prt_shard_size(uint64_t n, uint32_t shard, uint32_t nshards)
{
	return n > shard ? (n - shard + nshards - 1) / nshards : 0;
}

/**
 * One lcore's slice of the walk (see prt_shard_owns): positions
 * shard + nshards * (slice + nslices * k) < n.
 */
struct prt_walk {
	const struct prt_perm *perm;
	uint64_t pos;
	uint64_t stride;
};

static inline void prt_walk_init(struct prt_walk *w, const struct prt_perm *perm,
	uint32_t shard, uint32_t nshards, uint32_t slice, uint32_t nslices)
{
	w->perm = perm;
	w->pos = shard + (uint64_t)nshards * slice;
	w->stride = (uint64_t)nshards * nslices;
}

/** Skip the next @p steps positions of the walk (resuming a pass). */
static inline void prt_walk_skip(struct prt_walk *w, uint64_t steps)
{
	uint64_t left = w->pos < w->perm->n ? (w->perm->n - w->pos + w->stride - 1) / w->stride : 0;

	w->pos += (steps < left ? steps : left) * w->stride;
}

/**
 * The next up to @p max pair numbers of the slice into @p pairs, the same as
 * as many prt_walk_next() calls. @return how many: fewer than @p max only at
 * the end
 */
unsigned prt_walk_next_burst(struct prt_walk *w, uint64_t *pairs, unsigned max);

/** Most walks of a lagged walk: a probe and up to 10 resends (--max-retries). */
#define PRT_LAGGED_MAX 11

/**
 * Internet mode's retries (masscan's way): walk r of a slice visits the same
 * positions as walk 0, r x @p distance steps behind it, so every probe is
 * sent again a fixed distance later in the walk, without remembering what
 * answered. The clock counts walk 0's steps and, once it has ended, steps
 * that send nothing but still cost a token, so the last resends keep their
 * distance in time as well.
 */
struct prt_lagged_walk {
	struct prt_walk w[PRT_LAGGED_MAX];
	uint64_t steps[PRT_LAGGED_MAX]; /**< positions walk r has taken */
	bool ended[PRT_LAGGED_MAX];
	uint64_t clock;
	uint64_t distance;
	uint32_t n;                     /**< walks: 1 + retries */
};

/**
 * Start the lagged walk of one slice, @p start positions in (resuming: the
 * resends of positions before it are not made again).
 */
void prt_lagged_init(struct prt_lagged_walk *lw, const struct prt_perm *perm, uint32_t shard,
	uint32_t nshards, uint32_t slice, uint32_t nslices, uint32_t nwalks, uint64_t distance,
	uint64_t start);

/**
 * Up to @p max pair numbers, walk 0's first, into @p pairs. @p cost gets
 * the tokens they take (the pairs and the empty steps after walk 0's end),
 * @p resent how many are resends. @return the pairs
 */
unsigned prt_lagged_next_burst(struct prt_lagged_walk *lw, uint64_t *pairs, unsigned max,
	unsigned *cost, unsigned *resent);

/** Every walk has ended. */
static inline bool prt_lagged_done(const struct prt_lagged_walk *lw)
{
	return lw->ended[lw->n - 1];
}

/** Next pair number of the slice into @p pair. @return false when done */
static inline bool prt_walk_next(struct prt_walk *w, uint64_t *pair)
{
	if (w->pos >= w->perm->n)
		return false;
	*pair = prt_perm_at(w->perm, w->pos);
	w->pos += w->stride;
	return true;
}

#endif
