/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/match's reader of nmap-service-probes: a small file of our own, its
 * errors, and (when nmap is installed) the real file read whole. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_match.h"

static const char *write_file(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/prt-test-sp-%d", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void reads_probes_and_matches(void **state)
{
	struct prt_sp_db db;
	char err[256];
	const char *path = write_file(
		"# a comment\n"
		"Exclude T:9100-9107\n"
		"Probe TCP NULL q||\n"
		"totalwaitms 6000\n"
		"tcpwrappedms 3000\n"
		"match ssh m|^SSH-([\\d.]+)-OpenSSH_([\\w._-]+)|s p/OpenSSH/ v/$2/ cpe:/a:openbsd:openssh:$2/\n"
		"softmatch ftp m/^220 /i\n"
		"\n"
		"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
		"rarity 1\n"
		"ports 80-85,8080\n"
		"sslports 443\n"
		"match http m|^HTTP/1\\.[01] \\d\\d\\d|\n"
		"Probe UDP DNSStatusRequest q|\\0\\0\\x10\\0| no-payload\n"
		"rarity 2\n"
		"ports 53\n"
		"fallback GetRequest\n");

	(void)state;
	assert_int_equal(prt_sp_load(&db, path, err, sizeof(err)), 0);
	assert_int_equal(db.nprobes, 3);
	assert_int_equal(db.nmatches, 2);
	assert_int_equal(db.nsoft, 1);
	assert_string_equal(db.probes[0].name, "NULL");
	assert_int_equal(db.probes[0].len, 0);
	assert_int_equal(db.probes[0].totalwaitms, 6000);
	assert_int_equal(db.probes[0].tcpwrappedms, 3000);
	assert_int_equal(db.probes[0].nmatches, 2);
	assert_string_equal(db.probes[0].matches[0].service, "ssh");
	assert_string_equal(db.probes[0].matches[0].pattern, "^SSH-([\\d.]+)-OpenSSH_([\\w._-]+)");
	assert_int_equal(db.probes[0].matches[0].flags, PRT_SP_DOTALL);
	assert_string_equal(db.probes[0].matches[0].info,
		"p/OpenSSH/ v/$2/ cpe:/a:openbsd:openssh:$2/");
	assert_true(db.probes[0].matches[1].soft);
	assert_int_equal(db.probes[0].matches[1].flags, PRT_SP_CASELESS);
	assert_int_equal(db.probes[1].len, 18);
	assert_memory_equal(db.probes[1].data, "GET / HTTP/1.0\r\n\r\n", 18);
	assert_true(prt_sp_port_in(db.probes[1].ports, 84));
	assert_false(prt_sp_port_in(db.probes[1].ports, 86));
	assert_true(prt_sp_port_in(db.probes[1].sslports, 443));
	assert_int_equal(db.probes[2].proto, IPPROTO_UDP);
	assert_int_equal(db.probes[2].len, 4);
	assert_true(db.probes[2].no_payload);
	assert_string_equal(db.probes[2].fallback, "GetRequest");
	/* what to send to a port that does not speak first */
	assert_ptr_equal(prt_sp_probe_for_port(&db, IPPROTO_TCP, 8080), &db.probes[1]);
	assert_null(prt_sp_probe_for_port(&db, IPPROTO_TCP, 22));
	assert_ptr_equal(prt_sp_probe_for_port(&db, IPPROTO_UDP, 53), &db.probes[2]);
	prt_sp_free(&db);
	unlink(path);
}

static void errors_name_file_and_line(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{"match x m/a/\n", ":1: match before any Probe"},
		{"Probe TCP A q||\nfrobnicate 1\n", ":2: unknown directive"},
		{"Probe SCTP A q||\n", ":1: Probe protocol must be TCP or UDP"},
		{"Probe TCP A q|\\q|\n", ":1: unknown escape"},
		{"Probe TCP A q||\nmatch x m/abc\n", ":2: unterminated pattern"},
		{"Probe TCP A q||\nmatch x m/abc/z\n", ":2: unknown pattern option"},
		{"Probe TCP A q||\nports 1-70000\n", ":2: bad ports line"},
		{"Probe TCP A q||\nrarity 12\n", ":2: bad number"},
		{"Probe TCP A\n", ":1: Probe needs a name and a q|...| string"},
		/* fuzz_nmap_files: the first fallback's copy leaked */
		{"Probe TCP A q||\nfallback B\nfallback C\n", ":3: a second fallback line"},
	};
	struct prt_sp_db db;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *path = write_file(bad[i].text);
		assert_int_equal(prt_sp_load(&db, path, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, bad[i].want));
		assert_non_null(strstr(err, path));
		unlink(path);
	}
	assert_int_equal(prt_sp_load(&db, "/nonexistent/nmap-service-probes", err, sizeof(err)),
		-ENOENT);
}

/* The real file: every Probe and every match line is read (counted here
 * independently of the reader). */
static void reads_nmaps_file_whole(void **state)
{
	const char *path = "/usr/share/nmap/nmap-service-probes";
	FILE *f = fopen(path, "r");
	uint32_t probes = 0, matches = 0, soft = 0;
	struct prt_sp_db db;
	char line[8192], err[256];

	(void)state;
	if (f == NULL)
		skip();
	while (fgets(line, sizeof(line), f) != NULL) {
		probes += strncmp(line, "Probe ", 6) == 0;
		matches += strncmp(line, "match ", 6) == 0;
		soft += strncmp(line, "softmatch ", 10) == 0;
	}
	fclose(f);
	assert_int_equal(prt_sp_load(&db, path, err, sizeof(err)), 0);
	assert_int_equal(db.nprobes, probes);
	assert_int_equal(db.nmatches, matches);
	assert_int_equal(db.nsoft, soft);
	assert_true(probes > 100 && matches > 10000);
	assert_non_null(prt_sp_probe_for_port(&db, IPPROTO_TCP, 80));
	assert_string_equal(prt_sp_probe_for_port(&db, IPPROTO_TCP, 80)->name, "GetRequest");
	prt_sp_free(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_probes_and_matches),
		cmocka_unit_test(errors_name_file_and_line),
		cmocka_unit_test(reads_nmaps_file_whole),
	};

	return cmocka_run_group_tests_name("match_load", tests, NULL, NULL);
}
