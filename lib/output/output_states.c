/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --output-states: which results the formats list. A result is known by its
 * state, except that a pair that never answered is "no-response" whatever
 * state its silence means (filtered, open|filtered, down), since that is
 * what whole-Internet scans leave out.
 */
#include <stdio.h>
#include <string.h>

#include "prt_output.h"

static int state_of(const char *tok, size_t len, uint32_t *bit)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} words[] = {
		{"no-response", PRT_OUTPUT_SILENT},
		{"answered", PRT_OUTPUT_ANSWERED},
		{"all", PRT_OUTPUT_ALL},
		{"open-filtered", 1u << PRT_STATE_OPEN_FILTERED},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].name) == len && strncmp(tok, words[i].name, len) == 0) {
			*bit = words[i].bit;
			return 0;
		}
	for (int s = 0; s < PRT_STATE_COUNT; s++) {
		const char *name = prt_state_name((enum prt_state)s);
		if (strlen(name) == len && strncmp(tok, name, len) == 0) {
			*bit = 1u << s;
			return 0;
		}
	}
	return -1;
}

int prt_output_states_parse(const char *list, uint32_t *mask, char *err, size_t errlen)
{
	const char *p = list;

	*mask = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t bit;

		if (state_of(p, len, &bit) != 0) {
			snprintf(err, errlen, "'%.*s' is not a state (open, closed, filtered, "
					"open|filtered, unfiltered, up, down, no-response, answered, all)",
				(int)(len > 40 ? 40 : len), p);
			return -1;
		}
		*mask |= bit;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}
