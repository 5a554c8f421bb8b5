/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include "cmocka_common.h"
#include "prt_common.h"

static void u64_strict(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(prt_parse_u64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(prt_parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(prt_parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(prt_parse_u64("11", 0, 10, &v), -ERANGE);
	assert_int_equal(prt_parse_u64("", 0, 10, &v), -EINVAL);
	assert_int_equal(prt_parse_u64("-1", 0, 10, &v), -EINVAL);
	assert_int_equal(prt_parse_u64("+1", 0, 10, &v), -EINVAL);
	assert_int_equal(prt_parse_u64(" 1", 0, 10, &v), -EINVAL);
	assert_int_equal(prt_parse_u64("1x", 0, 10, &v), -EINVAL);
	assert_int_equal(prt_parse_u64("1e3", 0, 10000, &v), -EINVAL);
}

static void si_suffixes(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(prt_parse_si("100k", 1, UINT64_MAX, &v), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(prt_parse_si("2M", 1, UINT64_MAX, &v), 0);
	assert_int_equal(v, 2000000);
	assert_int_equal(prt_parse_si("1G", 1, UINT64_MAX, &v), 0);
	assert_int_equal(v, 1000000000);
	assert_int_equal(prt_parse_si("0", 1, 10, &v), -ERANGE);
	assert_int_equal(prt_parse_si("k", 1, 10, &v), -EINVAL);
	assert_int_equal(prt_parse_si("5kk", 1, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(prt_parse_si("99999999999999999G", 1, UINT64_MAX, &v), -ERANGE);
}

static void ipv4_strict(void **state)
{
	uint32_t ip;
	char buf[16];

	(void)state;
	assert_int_equal(prt_parse_ipv4("198.18.0.1", &ip), 0);
	assert_int_equal(ip, 0xc6120001);
	assert_string_equal(prt_ipv4_str(ip, buf, sizeof(buf)), "198.18.0.1");
	assert_int_equal(prt_parse_ipv4("0.0.0.0", &ip), 0);
	assert_int_equal(prt_parse_ipv4("255.255.255.255", &ip), 0);
	assert_int_equal(ip, 0xffffffff);
	const char *bad[] = {"256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "01.2.3.4",
		"1..2.3", "1.2.3.4 ", "a.b.c.d", "1.2.3.1000", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(prt_parse_ipv4(bad[i], &ip), -EINVAL);
}

static void mac_strict(void **state)
{
	uint8_t mac[6];

	(void)state;
	assert_int_equal(prt_parse_mac("02:00:5e:10:00:0a", mac), 0);
	assert_int_equal(mac[0], 0x02);
	assert_int_equal(mac[5], 0x0a);
	assert_int_equal(prt_parse_mac("02-00-5E-10-00-0A", mac), 0);
	assert_int_equal(mac[3], 0x10);
	assert_int_equal(prt_parse_mac("02:00:5e:10:00", mac), -EINVAL);
	assert_int_equal(prt_parse_mac("02:00:5e:10:00:0g", mac), -EINVAL);
	assert_int_equal(prt_parse_mac("02:00-5e:10:00:0a", mac), -EINVAL);
	assert_int_equal(prt_parse_mac("0200:5e:10:00:0a:", mac), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(u64_strict),
		cmocka_unit_test(si_suffixes),
		cmocka_unit_test(ipv4_strict),
		cmocka_unit_test(mac_strict),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
