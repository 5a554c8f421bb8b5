/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: target specs, target files and port specs as a user types them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prt_target_set set, ex;
	struct prt_port_list pl;
	char err[256], *text;
	FILE *f;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	prt_target_set_init(&set);
	prt_target_set_init(&ex);
	(void)prt_target_set_add_list(&set, text, err, sizeof(err));
	f = fmemopen(text, size ? size : 1, "r");
	if (f != NULL) {
		(void)prt_target_set_add_stream(&ex, f, "fuzz", err, sizeof(err));
		fclose(f);
	}
	/* cap the work: a wide spec may cover the whole address space */
	if (prt_target_set_finalize(&set, &ex) == 0 && set.total > 0) {
		uint64_t step = set.total / 64 + 1;
		for (uint64_t i = 0; i < set.total; i += step)
			if (prt_target_set_index_of(&set, prt_target_set_ip_at(&set, i)) != (int64_t)i)
				abort();
	}
	prt_target_set_free(&set);
	prt_target_set_free(&ex);

	prt_port_list_init(&pl);
	(void)prt_port_list_add_spec(&pl, text, err, sizeof(err));
	(void)prt_port_list_finalize(&pl, NULL);
	prt_port_list_free(&pl);
	free(text);
	return 0;
}
