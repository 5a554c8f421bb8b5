/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>

#include "cmocka_common.h"
#include "prt_target.h"

/* Every position maps into [0, n) and no value is hit twice. */
static void bijection_many_sizes(void **state)
{
	const uint64_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 100, 255, 256, 257, 1000, 1023,
		4096, 65535, 65536, 65537, 100003, 1 << 20};

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t n = sizes[s];
		uint8_t *seen = calloc(n, 1);
		struct prt_perm p;
		assert_int_equal(prt_perm_init(&p, n, 42 + s), 0);
		for (uint64_t i = 0; i < n; i++) {
			uint64_t v = prt_perm_at(&p, i);
			assert_true(v < n);
			assert_int_equal(seen[v], 0);
			seen[v] = 1;
		}
		free(seen);
	}
}

static void seed_reproducible(void **state)
{
	struct prt_perm a, b, c;
	int differ = 0;

	(void)state;
	prt_perm_init(&a, 100000, 7);
	prt_perm_init(&b, 100000, 7);
	prt_perm_init(&c, 100000, 8);
	for (uint64_t i = 0; i < 100000; i++) {
		assert_true(prt_perm_at(&a, i) == prt_perm_at(&b, i));
		differ += prt_perm_at(&a, i) != prt_perm_at(&c, i);
	}
	assert_true(differ > 99000);
	/* not the identity, and not a plain shift */
	int fixed = 0;
	for (uint64_t i = 0; i < 1000; i++)
		fixed += prt_perm_at(&a, i) == i;
	assert_true(fixed < 10);
}

static void slices_disjoint_and_covering(void **state)
{
	const uint64_t n = 99991;

	(void)state;
	for (uint32_t nslices = 1; nslices <= 7; nslices++) {
		uint8_t *seen = calloc(n, 1);
		struct prt_perm p;
		uint64_t total = 0;
		prt_perm_init(&p, n, nslices);
		for (uint32_t s = 0; s < nslices; s++) {
			struct prt_walk w;
			uint64_t v;
			prt_walk_init(&w, &p, 0, 1, s, nslices);
			while (prt_walk_next(&w, &v)) {
				assert_int_equal(seen[v], 0);
				seen[v] = 1;
				total++;
			}
		}
		assert_true(total == n);
		free(seen);
	}
}

static void inverse(void **state)
{
	const uint64_t sizes[] = {1, 2, 7, 1000, 65537, 99991};

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct prt_perm p;
		prt_perm_init(&p, sizes[s], 5 + s);
		for (uint64_t i = 0; i < sizes[s]; i++)
			assert_true(prt_perm_position(&p, prt_perm_at(&p, i)) == i);
	}
}

/* Machines (shards) x lcores (slices): disjoint, covering, and each walk
 * stays in its shard. */
static void shards_and_slices(void **state)
{
	const uint64_t n = 50021;

	(void)state;
	for (uint32_t nshards = 1; nshards <= 5; nshards++) {
		uint8_t *seen = calloc(n, 1);
		struct prt_perm p;
		uint64_t total = 0;
		prt_perm_init(&p, n, 77);
		for (uint32_t sh = 0; sh < nshards; sh++) {
			uint64_t in_shard = 0;
			for (uint32_t sl = 0; sl < 3; sl++) {
				struct prt_walk w;
				uint64_t v;
				prt_walk_init(&w, &p, sh, nshards, sl, 3);
				while (prt_walk_next(&w, &v)) {
					assert_int_equal(seen[v], 0);
					seen[v] = 1;
					assert_true(prt_shard_owns(prt_perm_position(&p, v), sh, nshards));
					in_shard++;
				}
			}
			assert_true(in_shard == prt_shard_size(n, sh, nshards));
			total += in_shard;
		}
		assert_true(total == n);
		free(seen);
	}
}

static void bad_sizes(void **state)
{
	struct prt_perm p;

	(void)state;
	assert_int_not_equal(prt_perm_init(&p, 0, 1), 0);
	assert_int_not_equal(prt_perm_init(&p, (1ULL << 62) + 1, 1), 0);
	assert_int_equal(prt_perm_init(&p, 1ULL << 33, 1), 0);
	assert_true(prt_perm_at(&p, (1ULL << 33) - 1) < (1ULL << 33));
}

/* A resumed walk: skipping k positions then walking equals walking from the
 * start and dropping the first k; skipping past the end leaves nothing. */
static void walk_skip_resumes_where_it_stopped(void **state)
{
	const uint64_t n = 1009;
	struct prt_perm p;

	(void)state;
	prt_perm_init(&p, n, 5);
	for (uint64_t k = 0; k <= 400; k += 37) {
		struct prt_walk full, resumed;
		uint64_t a, b, i = 0;
		prt_walk_init(&full, &p, 1, 2, 1, 3);
		prt_walk_init(&resumed, &p, 1, 2, 1, 3);
		prt_walk_skip(&resumed, k);
		while (prt_walk_next(&full, &a)) {
			if (i++ < k)
				continue;
			assert_true(prt_walk_next(&resumed, &b));
			assert_true(a == b);
		}
		assert_false(prt_walk_next(&resumed, &b));
	}
	struct prt_walk w;
	uint64_t v;
	prt_walk_init(&w, &p, 0, 1, 0, 1);
	prt_walk_skip(&w, UINT64_MAX);
	assert_false(prt_walk_next(&w, &v));
}

/* The burst walk (AVX2 lanes where the CPU has them) gives the pairs that
 * prt_walk_next() gives, in order, for slices, strides and burst lengths
 * that end inside and at the edge of a lane group; sizes just above a power
 * of four make most lanes cycle-walk. */
static void burst_walk_equals_one_by_one(void **state)
{
	const uint64_t sizes[] = {1, 7, 64, 65, 1000, 4097, 65537, 16776960};

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		const uint32_t nshards = sizes[s] > 1 ? 2 : 1, shard = nshards - 1;
		struct prt_perm p;
		assert_int_equal(prt_perm_init(&p, sizes[s], 11 + s), 0);
		for (uint32_t nslices = 1; nslices <= 3; nslices++) {
			struct prt_walk a, b;
			uint64_t got[37], want;
			unsigned n, total = 0;
			prt_walk_init(&a, &p, shard, nshards, nslices - 1, nslices);
			prt_walk_init(&b, &p, shard, nshards, nslices - 1, nslices);
			do {
				n = prt_walk_next_burst(&a, got, 1 + total % 37);
				for (unsigned i = 0; i < n; i++) {
					assert_true(prt_walk_next(&b, &want));
					assert_true(got[i] == want);
				}
				total += n;
			} while (n > 0 && total < 20000);
			if (total < 20000)
				assert_false(prt_walk_next(&b, &want)); /* both ended together */
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_walk_equals_one_by_one),
		cmocka_unit_test(bijection_many_sizes),
		cmocka_unit_test(seed_reproducible),
		cmocka_unit_test(slices_disjoint_and_covering),
		cmocka_unit_test(inverse),
		cmocka_unit_test(shards_and_slices),
		cmocka_unit_test(walk_skip_resumes_where_it_stopped),
		cmocka_unit_test(bad_sizes),
	};
	return cmocka_run_group_tests_name("perm", tests, NULL, NULL);
}
