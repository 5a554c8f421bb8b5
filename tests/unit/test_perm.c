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

/* The burst walk (lanes whose (hi, lo) split is carried by the stride)
 * gives the pairs that prt_walk_next() gives, in order, for slices, strides
 * and burst lengths that end inside and at the edge of a lane group, and for
 * sizes up to the whole IPv4 space x 65536 ports. */
static void burst_walk_equals_one_by_one(void **state)
{
	const uint64_t sizes[] = {1, 7, 64, 65, 1000, 4097, 65537, 16776960, 3702258432ULL * 3,
		1ULL << 48, (1ULL << 48) - 1, 1ULL << 62};

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

/*
 * Whole-Internet pair spaces: at 2^48 pairs (every IPv4 address x 65536
 * ports) and beyond, sampled positions map into range and back (the
 * inverse a shard and a checkpoint rely on), and the shards' sizes add up
 * to the whole with no 32-bit truncation anywhere.
 */
static void positions_at_two_to_the_48(void **state)
{
	const uint64_t sizes[] = {1ULL << 48, (1ULL << 48) + 12345, 3702258432ULL * 65536,
		1ULL << 62};
	const uint32_t nshards[] = {1, 3, 1000, 65537};

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t n = sizes[s], x = 0x9e3779b97f4a7c15ULL;
		struct prt_perm p;
		assert_int_equal(prt_perm_init(&p, n, 99 + s), 0);
		for (int i = 0; i < 20000; i++) {
			uint64_t pos = (x = x * 6364136223846793005ULL + 1442695040888963407ULL) % n;
			uint64_t v = prt_perm_at(&p, pos);
			assert_true(v < n);
			assert_true(prt_perm_position(&p, v) == pos);
		}
		assert_true(prt_perm_position(&p, prt_perm_at(&p, n - 1)) == n - 1);
		for (size_t k = 0; k < sizeof(nshards) / sizeof(nshards[0]); k++) {
			uint64_t sum = 0;
			for (uint32_t sh = 0; sh < nshards[k]; sh++)
				sum += prt_shard_size(n, sh, nshards[k]);
			assert_true(sum == n);
		}
		/* the last position of the last shard's last slice, reached by a skip */
		struct prt_walk w;
		uint64_t v = 0, steps = prt_shard_size(n, 2, 3) / 2;
		prt_walk_init(&w, &p, 2, 3, 1, 2);
		prt_walk_skip(&w, steps - 1);
		if (w.pos < n) {
			assert_true(prt_walk_next(&w, &v));
			assert_true(v < n);
			assert_true(prt_shard_owns(prt_perm_position(&p, v), 2, 3));
		}
	}
}

/* The cost per position does not depend on the domain's shape: over sizes of
 * odd and even bit counts, just above and below powers of two, fewer than
 * 1 in 1000 positions needs a second encryption (a x b exceeds n by less
 * than a, about sqrt(n)). */
static void cycle_walk_is_rare_for_every_shape(void **state)
{
	const uint64_t sizes[] = {131072ULL * 256, 256ULL * 65535, 524288ULL * 8, (1ULL << 24) + 1,
		(1ULL << 25) + 1, 3 * (1ULL << 23) + 7, 65536ULL * 1000, 1000003ULL * 17};

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct prt_perm p;
		uint64_t walks = 0;
		assert_int_equal(prt_perm_init(&p, sizes[s], 3 + s), 0);
		assert_true((uint64_t)p.a * p.b >= sizes[s]);
		assert_true((uint64_t)p.a * p.b - sizes[s] < p.a);
		for (uint64_t i = 0; i < 200000; i++) {
			uint32_t hi = (uint32_t)(i / p.b), lo = (uint32_t)(i % p.b);
			prt_perm_encrypt(&p, &hi, &lo);
			walks += (uint64_t)hi * p.b + lo >= sizes[s];
		}
		assert_true(walks < 200);
	}
}

/* Drain a lagged walk in bursts of varying size; for every pair, count its
 * sends and keep the token count (cost so far) at its first and last. */
static void drain_lagged(struct prt_lagged_walk *lw, uint64_t n, uint8_t *sends,
	uint64_t *first, uint64_t *last, uint64_t *resends)
{
	uint64_t pairs[64], spent = 0;
	unsigned i = 0;

	*resends = 0;
	while (!prt_lagged_done(lw)) {
		unsigned cost, resent, got = prt_lagged_next_burst(lw, pairs, 1 + i++ % 64, &cost,
			&resent);
		assert_true(cost >= got);
		for (unsigned j = 0; j < got; j++) {
			assert_true(pairs[j] < n);
			if (sends[pairs[j]]++ == 0)
				first[pairs[j]] = spent + j;
			last[pairs[j]] = spent + j;
		}
		spent += cost;
		*resends += resent;
		assert_true(i < 10 * n + 1000);
	}
}

/* Internet mode's retries: every pair is sent 1 + retries times, each resend
 * at least the distance later in tokens; resuming at a position sends the
 * pairs from there on, resends included, and none before it. */
static void lagged_walk_resends_at_a_distance(void **state)
{
	const uint64_t n = 5003, distance = 300;
	uint8_t *sends = calloc(n, 1);
	uint64_t *first = calloc(n, sizeof(uint64_t)), *last = calloc(n, sizeof(uint64_t));
	struct prt_lagged_walk lw;
	struct prt_perm p;
	uint64_t resends;

	(void)state;
	prt_perm_init(&p, n, 21);
	for (uint32_t nwalks = 1; nwalks <= 3; nwalks++) {
		memset(sends, 0, n);
		prt_lagged_init(&lw, &p, 0, 1, 0, 1, nwalks, distance, 0);
		drain_lagged(&lw, n, sends, first, last, &resends);
		assert_true(resends == n * (nwalks - 1));
		for (uint64_t v = 0; v < n; v++) {
			assert_int_equal(sends[v], nwalks);
			if (nwalks > 1)
				assert_true(last[v] - first[v] >= (nwalks - 1) * (distance - 64));
		}
	}
	/* resumed 1000 positions in: those positions are never sent */
	memset(sends, 0, n);
	prt_lagged_init(&lw, &p, 0, 1, 0, 1, 2, distance, 1000);
	drain_lagged(&lw, n, sends, first, last, &resends);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(sends[prt_perm_at(&p, i)], i < 1000 ? 0 : 2);
	free(sends);
	free(first);
	free(last);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_walk_equals_one_by_one),
		cmocka_unit_test(positions_at_two_to_the_48),
		cmocka_unit_test(lagged_walk_resends_at_a_distance),
		cmocka_unit_test(cycle_walk_is_rare_for_every_shape),
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
