/* SPDX-License-Identifier: BSD-3-Clause */
/* The answered bitmap's range query, which decides whether the end of a
 * scan may report a host's silent pairs as one result: checked against a
 * bit-by-bit reading on every range of a 4-word map, for answers at word
 * edges and inside words. */
#include <stdlib.h>
#include <string.h>

#include "cmocka_common.h"
#include "prt_pipeline.h"

#define WORDS 4
#define BITS (WORDS * 64)

static bool any_by_bits(const uint64_t *w, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		if ((w[i >> 6] >> (i & 63)) & 1)
			return true;
	return false;
}

/* Every range [from, to) of the map against the bit-by-bit answer. */
static void check_all_ranges(struct prt_scan *scan)
{
	for (uint64_t from = 0; from < BITS; from++)
		for (uint64_t to = from + 1; to <= BITS; to++)
			assert_int_equal(prt_scan_any_answered(scan, from, to),
				any_by_bits(scan->answered, from, to));
}

static void ranges_against_bits(void **state)
{
	static const uint64_t marks[][3] = {
		{UINT64_MAX, UINT64_MAX, UINT64_MAX}, /* nothing answered */
		{0, 63, UINT64_MAX},                  /* a word's edges */
		{64, 127, 128},
		{191, 192, UINT64_MAX},
		{255, UINT64_MAX, UINT64_MAX},        /* the last pair */
		{5, 100, 200},                        /* inside words */
	};
	struct prt_scan *scan = calloc(1, sizeof(*scan));
	uint64_t bits[WORDS];

	(void)state;
	assert_non_null(scan);
	scan->answered = bits;
	for (size_t m = 0; m < RTE_DIM(marks); m++) {
		memset(bits, 0, sizeof(bits));
		for (int i = 0; i < 3; i++)
			if (marks[m][i] != UINT64_MAX)
				prt_scan_mark_answered(scan, marks[m][i]);
		check_all_ranges(scan);
	}
	free(scan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges_against_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
