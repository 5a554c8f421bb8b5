/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nmap's rule that names a port from its plan's answers, shared by -sV over
 * TCP (service_plan.c) and over UDP (service_udp.c): walk the plan in order;
 * the first hard match names the port once every entry before it that the
 * walk needs is final; after a softmatch only probes that can name that
 * service count, and the softmatch stands when none of them matches.
 */
#ifndef VERSION_PICK_H
#define VERSION_PICK_H

#include <stdbool.h>
#include <stdint.h>

#include "prt_match.h"

/** What entry @p i of a plan came to. */
struct pick_entry {
	bool done;            /**< final: answered, or it never will be */
	uint8_t kind;         /**< enum prt_match_result, when done */
	const char *service;  /**< what a softmatch named */
};

typedef struct pick_entry (*pick_entry_fn)(const void *ctx, uint16_t i);

/** @return the entry that names the port, -1 none; *decided false while an
 * entry the walk needs is not final */
int version_pick(const struct prt_sp_db *db, const uint16_t *plan, uint16_t n,
	pick_entry_fn entry, const void *ctx, bool *decided);

#endif
