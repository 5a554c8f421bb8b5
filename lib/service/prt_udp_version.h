/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_UDP_VERSION_H
#define PRT_UDP_VERSION_H

/**
 * @file
 * -sV over UDP, main's side: which of nmap-service-probes' UDP probes a port
 * gets and in which order (nmap's: those whose ports line lists it, then
 * the others up to --version-intensity's rarity), each answer matched
 * against its probe's lines, and nmap's naming rule over the answers
 * (version_pick.h). The probes all leave at once, each from a source port
 * of its own (lib/probe's prt_udpv_sport), so nothing here knows of frames
 * or time: the caller says when silence is final.
 */

#include <stdbool.h>
#include <stdint.h>

#include "prt_match.h"
#include "prt_result.h"

#define PRT_UDPV_PLAN_MAX 64 /**< probes of one port (nmap 7.93 has 48 UDP probes) */

struct prt_udpv;

/** One answer to one probe of a port's plan. */
struct prt_udpv_entry {
	uint16_t at;                  /**< its index in the plan */
	uint8_t kind;                 /**< enum prt_match_result */
	uint8_t ttl;
	struct prt_service_info info; /**< hard or soft: what matched */
	uint16_t len;
	uint8_t data[PRT_BANNER_MAX]; /**< the answer (what nmap prints when nothing matched) */
};

/** What a port's probes brought back (main keeps one per port probed). */
struct prt_udpv_answers {
	struct prt_udpv_entry *e;     /**< in the order they came */
	uint8_t n;
};

/** @return the module, or NULL (errno set); @p enterprises: nmap's
 * enterprise_numbers.txt for snmp-info's names (NULL or missing: numbers) */
struct prt_udpv *prt_udpv_create(const struct prt_sp_db *db, const struct prt_matcher *m,
	uint8_t intensity, const char *enterprises);
void prt_udpv_free(struct prt_udpv *u);

/** The probe numbers for @p port in nmap's order. @return how many */
uint32_t prt_udpv_plan(const struct prt_sp_db *db, uint16_t port, uint8_t intensity,
	uint16_t *plan, uint32_t max);

/** The plan of @p port (kept per port: main asks once per answer). @return its length */
uint32_t prt_udpv_plan_of(struct prt_udpv *u, uint16_t port, const uint16_t **plan);

/** The UDP probe of the plan's entry @p at of @p port: its payload. */
const struct prt_sp_probe *prt_udpv_probe(const struct prt_udpv *u, uint16_t port,
	uint32_t at);

/**
 * Match the answer @p d to plan entry @p at of @p port and keep it in @p a
 * (a repeat of an entry already answered is ignored). @return 0, or -ENOMEM
 * or -EINVAL (no such entry)
 */
int prt_udpv_add(struct prt_udpv *u, struct prt_udpv_answers *a, uint16_t port, uint32_t at,
	uint8_t ttl, const uint8_t *d, size_t len);

/**
 * nmap's verdict over @p a: with @p final, silence is final (every probe's
 * wait is over); before, an entry not answered may still be. When decided,
 * @p b gets the answer to report (has_svc when a line matched, its data
 * either way; what nmap's snmp-info adds, service_snmp.c) and @return
 * true; b->len is 0 and has_svc 0 when the port answered nothing.
 */
bool prt_udpv_pick(struct prt_udpv *u, const struct prt_udpv_answers *a, uint16_t port,
	bool final, struct prt_banner *b);

void prt_udpv_answers_free(struct prt_udpv_answers *a);

/** Answers matched, and PCRE2 runs its limits stopped (for the phase's counters). */
uint64_t prt_udpv_match_tries(const struct prt_udpv *u);

#endif
