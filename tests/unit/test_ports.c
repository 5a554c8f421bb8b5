/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_target.h"

static uint32_t count_spec(const char *spec, const char *exclude)
{
	struct prt_port_list pl, ex;
	char err[256];
	uint32_t n;

	prt_port_list_init(&pl);
	prt_port_list_init(&ex);
	assert_int_equal(prt_port_list_add_spec(&pl, spec, err, sizeof(err)), 0);
	if (exclude)
		assert_int_equal(prt_port_list_add_spec(&ex, exclude, err, sizeof(err)), 0);
	assert_int_equal(prt_port_list_finalize(&pl, &ex), 0);
	for (uint32_t i = 1; i < pl.n; i++)
		assert_true(pl.ports[i - 1] < pl.ports[i]);
	for (uint32_t i = 0; i < pl.n; i++) {
		assert_int_equal(pl.index_of[pl.ports[i]], (int32_t)i);
		if (pl.run_first >= 0)
			assert_int_equal(pl.ports[i], pl.run_first + (int32_t)i);
	}
	/* a run is found exactly when the ports are consecutive */
	assert_int_equal(pl.run_first >= 0,
		pl.n > 0 && pl.ports[pl.n - 1] - pl.ports[0] == (int)pl.n - 1);
	n = pl.n;
	prt_port_list_free(&pl);
	prt_port_list_free(&ex);
	return n;
}

static void valid_specs(void **state)
{
	(void)state;
	assert_int_equal(count_spec("22,80,1000-2000", NULL), 1003);
	assert_int_equal(count_spec("-", NULL), 65535);
	assert_int_equal(count_spec("-1024", NULL), 1024);
	assert_int_equal(count_spec("65000-", NULL), 536);
	assert_int_equal(count_spec("T:22,T:80", NULL), 2);
	assert_int_equal(count_spec("80,80,79-81", NULL), 3);
	assert_int_equal(count_spec("0", NULL), 1);
	assert_int_equal(count_spec("1-100", "50-60,100"), 88);
	assert_int_equal(count_spec("1-65535", "1-9,65535"), 65525); /* still one run */
}

static void bad_specs(void **state)
{
	const char *bad[] = {"", "65536", "80,", ",80", "80,,81", "90-80", "a", "80-x", "-1-2",
		"T:", "1.5", " 80"};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct prt_port_list pl;
		prt_port_list_init(&pl);
		err[0] = '\0';
		assert_int_equal(prt_port_list_add_spec(&pl, bad[i], err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "bad port spec"));
		prt_port_list_free(&pl);
	}
}

static void top_ports_by_frequency(void **state)
{
	char path[] = "/tmp/prt-services-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct prt_port_list pl;
	char err[256];

	(void)state;
	fputs("# comment\n"
	      "ssh\t22/tcp\t0.182286\t# Secure Shell\n"
	      "domain\t53/udp\t0.213496\n"
	      "http\t80/tcp\t0.484143\n"
	      "telnet\t23/tcp\t0.221265\n"
	      "garbage line\n"
	      "https\t443/tcp\t0.208669\n", f);
	fclose(f);
	prt_port_list_init(&pl);
	assert_int_equal(prt_port_list_add_top(&pl, path, IPPROTO_TCP, 2, err, sizeof(err)), 0);
	assert_int_equal(prt_port_list_finalize(&pl, NULL), 0);
	assert_int_equal(pl.n, 2);
	assert_int_equal(pl.ports[0], 23);
	assert_int_equal(pl.ports[1], 80);
	prt_port_list_free(&pl);

	prt_port_list_init(&pl);
	assert_int_equal(prt_port_list_add_top(&pl, path, IPPROTO_TCP, 100, err, sizeof(err)), 0);
	assert_int_equal(prt_port_list_finalize(&pl, NULL), 0);
	assert_int_equal(pl.n, 4); /* udp entries are not TCP ports */
	prt_port_list_free(&pl);
	unlink(path);

	prt_port_list_init(&pl);
	assert_true(prt_port_list_add_top(&pl, "/nonexistent/nmap-services", IPPROTO_TCP, 10, err,
		sizeof(err)) < 0);
	assert_non_null(strstr(err, "/nonexistent/nmap-services"));
	prt_port_list_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_specs),
		cmocka_unit_test(bad_specs),
		cmocka_unit_test(top_ports_by_frequency),
	};
	return cmocka_run_group_tests_name("ports", tests, NULL, NULL);
}
