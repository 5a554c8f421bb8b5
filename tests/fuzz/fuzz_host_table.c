/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: a checkpoint's host table (--resume reads it after the
 * file's MAC, so this is what a key holder, or a bug, could put there),
 * restored and then viewed as the writers view every host.
 */
#include <stdio.h>
#include <stdlib.h>

#include "prt_output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prt_hosts t;
	FILE *f;

	if (size == 0 || prt_hosts_init(&t) != 0)
		return 0;
	f = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (f != NULL && prt_hosts_restore(&t, f) == 0 && prt_hosts_sort(&t) == 0)
		for (size_t i = 0; i < t.count; i++) {
			struct prt_host_view v;
			if (prt_host_view_init(t.sorted[i], PRT_OUTPUT_ALL, false, &v) == 0)
				prt_host_view_free(&v);
		}
	if (f != NULL)
		fclose(f);
	prt_hosts_free(&t);
	return 0;
}
