/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/service's -sV conversation against a scripted server (service_rig.c):
 * a server that sends its answer a byte at a time is not matched again on
 * every byte (that was quadratic), and its answer is still identified.
 */
#include <string.h>

#include "cmocka_common.h"
#include "service_rig.h"

#define MS (RIG_HZ / 1000)

/* one clock for the whole file: the tables' timer wheels only go forward */
static uint64_t now = 1;

static int setup(void **state)
{
	(void)state;
	rig_init();
	return 0;
}

/* 1000 one-byte segments that never match: a handful of tries, not 1000. */
static void byte_at_a_time_is_matched_a_few_times(void **state)
{
	(void)state;
	rig_begin(RIG_VERSION);
	rig_open(0, now);
	for (int i = 0; i < 1000; i++) {
		uint8_t b = i < 4 ? (uint8_t)"220 "[i] : (uint8_t)('a' + i % 26);
		now += 100; /* 0.1 ms apart: all inside the NULL probe's wait */
		rig_server_says(0, &b, 1, now);
		rig_expire(now);
	}
	assert_true(rig_stats()->match_tries <= 60);
	assert_true(rig_stats()->match_tries >= 5);
	rig_end(now);
	now += 60 * RIG_HZ;
}

/* The same way, an answer that does match: identified once it is whole. */
static void byte_at_a_time_still_identified(void **state)
{
	static const char ssh[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";

	(void)state;
	rig_begin(RIG_VERSION);
	rig_open(0, now);
	for (size_t i = 0; i < sizeof(ssh) - 1; i++) {
		now += 100;
		rig_server_says(0, (const uint8_t *)ssh + i, 1, now);
		rig_expire(now);
	}
	for (int k = 0; k < 50 && rig_reported() == 0; k++) {
		now += 100 * MS;
		rig_expire(now);
	}
	assert_int_equal(rig_reported(), 1);
	assert_true(rig_last()->has_svc);
	assert_string_equal(rig_last()->svc.service, "ssh");
	assert_string_equal(rig_last()->svc.product, "OpenSSH");
	assert_string_equal(rig_last()->svc.version, "9.2p1");
	rig_end(now);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(byte_at_a_time_is_matched_a_few_times),
		cmocka_unit_test(byte_at_a_time_still_identified),
	};
	return cmocka_run_group_tests_name("service", tests, setup, NULL);
}
