/* SPDX-License-Identifier: BSD-3-Clause */
/* nmap's naming rule over a plan's answers (see version_pick.h). */
#include <string.h>

#include "version_pick.h"

/* Can @p probe name @p service (nmap sends only such probes after a softmatch)? */
static bool possible(const struct prt_sp_db *db, uint32_t probe, const char *service)
{
	const struct prt_sp_probe *p = &db->probes[probe];

	for (uint32_t k = 0; k < p->nmatches; k++)
		if (strcmp(p->matches[k].service, service) == 0)
			return true;
	return false;
}

int version_pick(const struct prt_sp_db *db, const uint16_t *plan, uint16_t n,
	pick_entry_fn entry, const void *ctx, bool *decided)
{
	const char *soft = NULL;
	int soft_at = -1;

	*decided = false;
	for (uint16_t i = 0; i < n; i++) {
		struct pick_entry e;
		if (soft != NULL && !possible(db, plan[i], soft))
			continue;
		e = entry(ctx, i);
		if (!e.done)
			return -1;
		if (e.kind == PRT_MATCH_HARD) {
			*decided = true;
			return i;
		}
		if (e.kind == PRT_MATCH_SOFT && soft == NULL) {
			soft = e.service;
			soft_at = i;
		}
	}
	*decided = true;
	return soft_at;
}
