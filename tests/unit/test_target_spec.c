/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmocka_common.h"
#include "prt_common.h"
#include "prt_target.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

static uint64_t finalized_count(const char *spec)
{
	struct prt_target_set s;
	char err[256];
	uint64_t n;

	prt_target_set_init(&s);
	assert_int_equal(prt_target_set_add_list(&s, spec, err, sizeof(err)), 0);
	assert_int_equal(prt_target_set_finalize(&s, NULL), 0);
	n = s.total;
	prt_target_set_free(&s);
	return n;
}

static void valid_specs(void **state)
{
	(void)state;
	assert_int_equal(finalized_count("198.18.0.1"), 1);
	assert_int_equal(finalized_count("198.18.0.0/20"), 4096);
	assert_int_equal(finalized_count("198.18.0.77/24"), 256); /* host bits ignored */
	assert_int_equal(finalized_count("198.18.0.1/32"), 1);
	assert_true(finalized_count("0.0.0.0/0") == (1ULL << 32));
	assert_int_equal(finalized_count("198.18.0.250-198.18.1.5"), 12);
	assert_int_equal(finalized_count("198.18.0-3.1-254"), 4 * 254);
	assert_int_equal(finalized_count("198.18.1,3.*"), 512);
	assert_int_equal(finalized_count("198.18.0.-5"), 6);
	assert_int_equal(finalized_count("198.18.0.250-"), 6);
	assert_int_equal(finalized_count("198.18.0.1,198.18.0.0/30"), 4); /* merged */
	assert_int_equal(finalized_count("198.18.0.1,2,3"), 3); /* nmap: octet list */
	assert_int_equal(finalized_count("198.18.0.1 198.18.0.9"), 2);
}

static void bad_specs(void **state)
{
	const char *bad[] = {"198.18.0.256", "198.18.0.0/33", "198.18.0.0/", "198.18.0.9-198.18.0.1",
		"198.18.0", "198.18.0.1.2", "example.com", "198.18.0.5-3", "198.18.0.1-198.18",
		"198.18.0.1/-1", "198.18..1", "198.18.0.1,", ",198.18.0.1", "198.18.0.1/24/2", ""};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct prt_target_set s;
		prt_target_set_init(&s);
		err[0] = '\0';
		assert_int_not_equal(prt_target_set_add_list(&s, bad[i], err, sizeof(err)), 0);
		assert_true(strlen(err) > 0);
		prt_target_set_free(&s);
	}
}

static void index_roundtrip_and_exclusion(void **state)
{
	struct prt_target_set s, ex;
	char err[256];

	(void)state;
	prt_target_set_init(&s);
	prt_target_set_init(&ex);
	assert_int_equal(prt_target_set_add_list(&s, "198.18.0.0/24,198.18.2.0/30", err,
		sizeof(err)), 0);
	assert_int_equal(prt_target_set_add_list(&ex, "198.18.0.0,198.18.0.10-198.18.0.19,"
		"198.18.0.255,198.18.2.1,198.19.0.0/16", err, sizeof(err)), 0);
	assert_int_equal(prt_target_set_finalize(&s, &ex), 0);
	assert_int_equal(s.total, 256 - 1 - 10 - 1 + 4 - 1);
	for (uint64_t i = 0; i < s.total; i++) {
		uint32_t ip = prt_target_set_ip_at(&s, i);
		assert_int_equal(prt_target_set_index_of(&s, ip), (int64_t)i);
	}
	assert_int_equal(prt_target_set_index_of(&s, IP(198, 18, 0, 0)), -1);
	assert_int_equal(prt_target_set_index_of(&s, IP(198, 18, 0, 15)), -1);
	assert_int_equal(prt_target_set_index_of(&s, IP(198, 18, 0, 255)), -1);
	assert_int_equal(prt_target_set_index_of(&s, IP(198, 18, 2, 1)), -1);
	assert_int_equal(prt_target_set_index_of(&s, IP(198, 18, 1, 1)), -1);
	assert_int_equal(prt_target_set_index_of(&s, IP(198, 18, 0, 1)), 0);
	prt_target_set_free(&s);
	prt_target_set_free(&ex);
}

/* A set of one range takes the inline path without a search: the same
 * answers at and beyond both ends. */
static void one_range_without_search(void **state)
{
	struct prt_target_set s;
	struct prt_addr a;
	char err[256];

	(void)state;
	prt_target_set_init(&s);
	assert_int_equal(prt_target_set_add_list(&s, "198.18.4.0/23", err, sizeof(err)), 0);
	assert_int_equal(prt_target_set_finalize(&s, NULL), 0);
	assert_int_equal(s.n, 1);
	for (uint64_t i = 0; i < s.total; i++) {
		a = prt_addr_from_v4(prt_target_set_ip_at(&s, i));
		assert_int_equal(prt_target_set_index_of_addr(&s, &a), (int64_t)i);
		assert_int_equal(prt_target_set_index_search(&s, prt_u128_from_addr(&a)), (int64_t)i);
	}
	assert_int_equal(prt_target_set_ip_at(&s, 0), IP(198, 18, 4, 0));
	assert_int_equal(prt_target_set_ip_at(&s, 511), IP(198, 18, 5, 255));
	a = prt_addr_from_v4(IP(198, 18, 3, 255));
	assert_int_equal(prt_target_set_index_of_addr(&s, &a), -1);
	a = prt_addr_from_v4(IP(198, 18, 6, 0));
	assert_int_equal(prt_target_set_index_of_addr(&s, &a), -1);
	prt_target_set_free(&s);
}

static void exclusion_at_edges(void **state)
{
	struct prt_target_set s, ex;
	char err[256];

	(void)state;
	prt_target_set_init(&s);
	prt_target_set_init(&ex);
	assert_int_equal(prt_target_set_add_list(&s, "0.0.0.0/0", err, sizeof(err)), 0);
	assert_int_equal(prt_target_set_add_list(&ex, "0.0.0.0,255.255.255.255", err,
		sizeof(err)), 0);
	assert_int_equal(prt_target_set_finalize(&s, &ex), 0);
	assert_true(s.total == (1ULL << 32) - 2);
	assert_int_equal(prt_target_set_ip_at(&s, 0), 1);
	assert_int_equal(prt_target_set_ip_at(&s, s.total - 1), 0xfffffffe);
	prt_target_set_free(&s);
	prt_target_set_free(&ex);

	prt_target_set_init(&s);
	prt_target_set_init(&ex);
	assert_int_equal(prt_target_set_add_list(&s, "198.18.0.0/24", err, sizeof(err)), 0);
	assert_int_equal(prt_target_set_add_list(&ex, "198.18.0.0/23", err, sizeof(err)), 0);
	assert_int_equal(prt_target_set_finalize(&s, &ex), 0);
	assert_int_equal(s.total, 0);
	prt_target_set_free(&s);
	prt_target_set_free(&ex);
}

/* The IANA special-purpose ranges as exclusions: what is left of the whole
 * address space, and the test ranges are among them. */
static void special_ranges(void **state)
{
	struct prt_target_set all, special;
	char err[64];

	(void)state;
	prt_target_set_init(&all);
	prt_target_set_init(&special);
	assert_int_equal(prt_target_set_add_spec(&all, "0.0.0.0/0", err, sizeof(err)), 0);
	assert_int_equal(prt_target_set_add_special(&special), 0);
	assert_int_equal(prt_target_set_finalize(&all, &special), 0);
	assert_true(all.total == 3702258432ULL); /* 2^32 minus the 15 ranges, none overlapping */
	assert_int_equal(prt_target_set_index_of(&all, IP(198, 19, 0, 1)), -1);
	assert_int_equal(prt_target_set_index_of(&all, IP(198, 18, 0, 0)), -1);
	assert_int_equal(prt_target_set_index_of(&all, IP(255, 255, 255, 255)), -1);
	prt_target_set_free(&all);
	prt_target_set_free(&special);
}

static void stream_with_comments(void **state)
{
	const char text[] = "# header\n198.18.0.1 198.18.0.2 # two\n\n  198.18.1.0/30\r\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct prt_target_set s;
	char err[256];

	(void)state;
	prt_target_set_init(&s);
	assert_int_equal(prt_target_set_add_stream(&s, f, "list", err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(prt_target_set_finalize(&s, NULL), 0);
	assert_int_equal(s.total, 6);
	prt_target_set_free(&s);

	const char bad[] = "198.18.0.1\n198.18.0.x\n";
	f = fmemopen((void *)bad, sizeof(bad) - 1, "r");
	prt_target_set_init(&s);
	assert_int_equal(prt_target_set_add_stream(&s, f, "list", err, sizeof(err)), -EINVAL);
	fclose(f);
	assert_non_null(strstr(err, "list:2:"));
	prt_target_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_specs),
		cmocka_unit_test(bad_specs),
		cmocka_unit_test(index_roundtrip_and_exclusion),
		cmocka_unit_test(one_range_without_search),
		cmocka_unit_test(exclusion_at_edges),
		cmocka_unit_test(special_ranges),
		cmocka_unit_test(stream_with_comments),
	};
	return cmocka_run_group_tests_name("target_spec", tests, NULL, NULL);
}
