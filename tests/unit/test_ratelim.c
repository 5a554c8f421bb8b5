/* SPDX-License-Identifier: BSD-3-Clause */
#include "cmocka_common.h"
#include "prt_ratelim.h"

#define HZ 2000000000ULL /* a 2 GHz "TSC", injected */

static void exact_rate_over_a_second(void **state)
{
	struct prt_ratelim rl;
	uint64_t got = 0;

	(void)state;
	prt_ratelim_init(&rl, 100000, HZ, 32, 0);
	/* poll every 1 us for one second */
	for (uint64_t t = 0; t <= HZ; t += HZ / 1000000)
		got += prt_ratelim_take(&rl, t, 32);
	assert_true(got == 100000);
}

static void no_drift_with_odd_intervals(void **state)
{
	struct prt_ratelim rl;
	uint64_t got = 0, t = 0;

	(void)state;
	prt_ratelim_init(&rl, 333333, HZ, 64, 0);
	/* ten simulated minutes, polled at an interval that does not divide anything */
	while (t < 600 * HZ) {
		t += 12345;
		got += prt_ratelim_take(&rl, t, 64);
	}
	uint64_t want = (uint64_t)((unsigned __int128)t * 333333 / HZ);
	assert_true(got <= want && want - got <= 64);
}

static void idle_credit_capped_at_one_burst(void **state)
{
	struct prt_ratelim rl;

	(void)state;
	prt_ratelim_init(&rl, 1000, HZ, 16, 0);
	assert_int_equal(prt_ratelim_take(&rl, 10 * HZ, 1000), 16);
	assert_int_equal(prt_ratelim_take(&rl, 10 * HZ, 1000), 0);
	assert_int_equal(prt_ratelim_take(&rl, 10 * HZ + HZ / 100, 1000), 10);
}

static void give_back_and_wait(void **state)
{
	struct prt_ratelim rl;

	(void)state;
	prt_ratelim_init(&rl, 1000, HZ, 32, 0);
	assert_int_equal(prt_ratelim_take(&rl, HZ / 100, 32), 10);
	prt_ratelim_give_back(&rl, 4);
	assert_int_equal(prt_ratelim_take(&rl, HZ / 100, 32), 4);
	assert_int_equal(prt_ratelim_take(&rl, HZ / 100, 32), 0);
	/* the next token comes at 11 ms */
	assert_int_equal(prt_ratelim_take(&rl, HZ / 100 + HZ / 1000 - 1, 32), 0);
	assert_int_equal(prt_ratelim_take(&rl, HZ / 100 + HZ / 1000, 32), 1);
}

static void live_rate_change_and_unlimited(void **state)
{
	struct prt_ratelim rl;
	uint64_t got = 0;

	(void)state;
	prt_ratelim_init(&rl, 1000, HZ, 1000, 0);
	prt_ratelim_set_rate(&rl, 50000, HZ);
	for (uint64_t t = HZ; t <= 2 * HZ; t += HZ / 10000)
		got += prt_ratelim_take(&rl, t, 1000);
	assert_true(got == 50000);
	prt_ratelim_set_rate(&rl, 0, 3 * HZ);
	assert_int_equal(prt_ratelim_take(&rl, 3 * HZ, 512), 512);
}

static void batches_wait_for_their_minimum(void **state)
{
	struct prt_ratelim rl;
	uint64_t got = 0, calls = 0;

	(void)state;
	prt_ratelim_init(&rl, 100000, HZ, 32, 0);
	assert_int_equal(prt_ratelim_take_batch(&rl, HZ / 100000 * 9, 10, 32), 0);
	assert_int_equal(prt_ratelim_take_batch(&rl, HZ / 100000 * 10, 10, 32), 10);
	for (uint64_t t = HZ / 10000; t <= HZ; t += HZ / 1000000) {
		uint32_t n = prt_ratelim_take_batch(&rl, t, 10, 32);
		assert_true(n == 0 || (n >= 10 && n <= 32));
		got += n;
		calls += n != 0;
	}
	assert_true(got == 100000 - 10);
	assert_true(calls <= 10000); /* a burst per 100 us at most */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_rate_over_a_second),
		cmocka_unit_test(no_drift_with_odd_intervals),
		cmocka_unit_test(idle_credit_capped_at_one_burst),
		cmocka_unit_test(give_back_and_wait),
		cmocka_unit_test(live_rate_change_and_unlimited),
		cmocka_unit_test(batches_wait_for_their_minimum),
	};
	return cmocka_run_group_tests_name("ratelim", tests, NULL, NULL);
}
