/* SPDX-License-Identifier: BSD-3-Clause */
/* What the CPU can do, asked once: the per-burst kernels choose by it.
 * PRT_NO_AVX2 in the environment forces the scalar code (tests, triage). */
#include <stdlib.h>

#include "prt_common.h"

bool prt_cpu_has_avx2(void)
{
	static int known = -1; /* every thread finds the same answer */
	int v = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (v < 0) {
		v = __builtin_cpu_supports("avx2") && getenv("PRT_NO_AVX2") == NULL ? 1 : 0;
		__atomic_store_n(&known, v, __ATOMIC_RELAXED);
	}
	return v == 1;
}
