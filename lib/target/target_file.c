/* SPDX-License-Identifier: BSD-3-Clause */
/* -iL / --excludefile: whitespace-separated specs, '#' to end of line is a comment. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_target.h"

int prt_target_set_add_stream(struct prt_target_set *set, FILE *f, const char *name, char *err,
	size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int rc = 0;

	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		char *hash = strchr(line, '#'), *save = NULL;
		lineno++;
		if (hash != NULL)
			*hash = '\0';
		for (char *tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
			tok = strtok_r(NULL, " \t\r\n", &save)) {
			char why[200];
			rc = prt_target_set_add_spec(set, tok, why, sizeof(why));
			if (rc != 0) {
				snprintf(err, errlen, "%s:%lu: %s", name, lineno, why);
				break;
			}
		}
	}
	if (rc == 0 && ferror(f)) {
		rc = -EIO;
		snprintf(err, errlen, "%s: read error", name);
	}
	free(line);
	return rc;
}
