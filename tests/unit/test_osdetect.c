/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/osdetect: nmap's expression syntax, the reader of nmap-os-db (Debian's
 * nmap 7.93 file, read where nmap keeps it), and matching. Two hosts are
 * replayed as nmap would print their fingerprints, their values taken
 * inside one print's expressions: a Windows 10 1607 and a FreeBSD 12.0; each
 * must be a perfect match, and with two attributes spoiled the accuracy must
 * be the one summed here by hand from MatchPoints. And the fingerprint nmap
 * took of the testbed's Linux target (os_linux_exchange.h) ranks as nmap
 * ranked it. test_os_exchange.c makes that fingerprint from nmap's packets.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "os_linux_exchange.h"
#include "prt_osdetect.h"

#define OSDB "/usr/share/nmap/nmap-os-db"

static struct prt_os_db *db;

static int setup(void **state)
{
	char err[256];

	(void)state;
	if (prt_os_db_load(&db, OSDB, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prt_os_db_free(db);
	return 0;
}

static void expressions(void **state)
{
	static const struct {
		const char *value, *expr;
		bool nested, want;
	} cases[] = {
		{"105", "FB-105", false, true},  {"FA", "FB-105", false, false},
		{"106", "FB-105", false, false}, {"FB", "FB-105", false, true},
		{"0A", "A", false, true},        {"8", "8|A", false, true},
		{"A", "8|A", false, true},       {"9", "8|A", false, false},
		{"11", ">10", false, true},      {"10", ">10", false, false},
		{"F", "<10", false, true},       {"", "", false, true},
		{"0", "", false, false},         {"", ">0", false, false},
		{"", "Y|", false, true},         {"S+", "S+", false, true},
		{"A", "S+", false, false},       {"S", "S+", false, false},
		{"AS", "AS", false, true},       {"AR", "AS", false, false},
		{"M5B4NNT11", "M5B4NW8NNT11|M5B4NNT11", false, true},
		{"M5B4NW8NNT1", "M5B4NW8NNT11|M5B4NNT11", false, false},
		{"M5B4ST11", "M[>500]ST11", true, true},
		{"M400ST11", "M[>500]ST11", true, false},
		{"M5B4ST11W3", "M[>500]ST11W[1-5]|M5B4", true, true},
		{"M5B4ST11W8", "M[>500]ST11W[1-5]|M5B4", true, false},
		{"M5B4", "M[>500]ST11W[1-5]|M5B4", true, true},
		{"M[>500]", "M[>500]", false, true},  /* brackets are text unless nested */
		{"1000001", ">1000000", false, true}, {"G", "G", false, true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = prt_os_expr_match(cases[i].value, cases[i].expr, cases[i].nested);
		if (got != cases[i].want)
			fail_msg("'%s' ~ '%s': %d", cases[i].value, cases[i].expr, got);
	}
}

static void reads_nmap_os_db(void **state)
{
	const struct prt_os_print *p;
	uint32_t win = UINT32_MAX;

	(void)state;
	assert_true(prt_os_db_count(db) > 5000);
	assert_int_equal(prt_os_db_points(db, "SEQ", "GCD"), 75);
	assert_int_equal(prt_os_db_points(db, "U1", "RUD"), 100);
	assert_int_equal(prt_os_db_points(db, "IE", "DFI"), 40);
	assert_int_equal(prt_os_db_points(db, "SEQ", "XX"), -1);
	assert_int_equal(prt_os_db_points(db, "T9", "R"), -1);
	for (uint32_t i = 0; i < prt_os_db_count(db) && win == UINT32_MAX; i++)
		if (strcmp(prt_os_db_print(db, i)->name, "Microsoft Windows 10 1607") == 0)
			win = i;
	assert_true(win != UINT32_MAX);
	p = prt_os_db_print(db, win);
	assert_int_equal(p->nclasses, 1);
	assert_string_equal(p->classes[0].vendor, "Microsoft");
	assert_string_equal(p->classes[0].family, "Windows");
	assert_string_equal(p->classes[0].generation, "10");
	assert_string_equal(p->classes[0].type, "general purpose");
	assert_int_equal(p->ncpes, 1);
	assert_string_equal(p->cpes[0], "cpe:/o:microsoft:windows_10:1607");
	assert_string_equal(prt_os_db_expr(db, win, "SEQ", "SP"), "FE-108");
	assert_string_equal(prt_os_db_expr(db, win, "ECN", "Q"), "");
	assert_null(prt_os_db_expr(db, win, "SEQ", "SS"));
}

/* Windows 10 1607 (nmap-os-db's first print of that name), as nmap prints a host. */
static const char windows[] =
	"OS:SCAN(V=7.93%E=4%D=12/3%OT=135%CT=1%CU=31337%PV=Y%DS=1%DC=D%G=Y%TM=6750\n"
	"OS:A1B2%P=x86_64-pc-linux-gnu)SEQ(SP=100%GCD=1%ISR=105%TI=I%CI=I%II=I%SS=S\n"
	"OS:%TS=A)OPS(O1=MFFD7ST11%O2=MFFD7ST11%O3=MFFD7NNT11%O4=MFFD7ST11%O5=MFFD7S\n"
	"OS:T11%O6=MFFD7ST11)WIN(W1=2000%W2=2000%W3=2000%W4=2000%W5=2000%W6=2000)EC\n"
	"OS:N(R=Y%DF=Y%T=80%W=2000%O=MFFD7NNS%CC=N%Q=)T1(R=Y%DF=Y%T=80%S=O%A=S+%F=A\n"
	"OS:S%RD=0%Q=)T2(R=Y%DF=Y%T=80%W=0%S=Z%A=S%F=AR%O=%RD=0%Q=)T3(R=Y%DF=Y%T=80\n"
	"OS:%W=0%S=Z%A=O%F=AR%O=%RD=0%Q=)T4(R=Y%DF=Y%T=80%W=0%S=A%A=O%F=R%O=%RD=0%Q\n"
	"OS:=)T5(R=Y%DF=Y%T=80%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)T6(R=Y%DF=Y%T=80%W=0%S=\n"
	"OS:A%A=O%F=R%O=%RD=0%Q=)T7(R=Y%DF=Y%T=80%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)U1(R\n"
	"OS:=Y%DF=N%T=80%IPL=164%UN=0%RIPL=G%RID=G%RIPCK=Z%RUCK=G%RUD=G)IE(R=Y%DFI=N\n"
	"OS:%T=80%CD=Z)\n";

/* FreeBSD 12.0-CURRENT (its print at nmap-os-db's Fingerprint line of that name). */
static const char freebsd[] =
	"SEQ(SP=FA%GCD=1%ISR=10A%TI=Z%CI=Z%II=RI%TS=20)\n"
	"OPS(O1=M5B4NW6ST11%O2=M578NW6ST11%O3=M280NW6NNT11%O4=M3FD8NW6ST11%O5=M218NW6ST11"
	"%O6=M109ST11)\n"
	"WIN(W1=FFFF%W2=FFFF%W3=FFFF%W4=FFFF%W5=FFFF%W6=FFFF)\n"
	"ECN(R=Y%DF=Y%T=40%TG=40%W=FFFF%O=M5B4NW6SLL%CC=Y%Q=)\n"
	"T1(R=Y%DF=Y%T=40%TG=40%S=O%A=S+%F=AS%RD=0%Q=)\n"
	"T2(R=N)\n"
	"T3(R=Y%DF=Y%T=40%TG=40%W=FFFF%S=O%A=S+%F=AS%O=M109NW6ST11%RD=0%Q=)\n"
	"T4(R=Y%DF=Y%T=40%TG=40%W=0%S=A%A=Z%F=R%O=%RD=0%Q=)\n"
	"T5(R=Y%DF=Y%T=40%TG=40%W=0%S=Z%A=S+%F=AR%O=%RD=0%Q=)\n"
	"T6(R=Y%DF=Y%T=40%TG=40%W=0%S=A%A=Z%F=R%O=%RD=0%Q=)\n"
	"T7(R=Y%DF=Y%T=40%TG=40%W=0%S=Z%A=S%F=AR%O=%RD=0%Q=)\n"
	"U1(DF=N%T=40%TG=40%IPL=38%UN=0%RIPL=G%RID=G%RIPCK=Z%RUCK=G%RUD=G)\n"
	"IE(DFI=S%T=40%TG=40%CD=S)\n";

static int32_t find(const struct prt_os_result *r, const char *name)
{
	for (uint32_t k = 0; k < r->n; k++)
		if (strcmp(prt_os_db_print(db, r->print[k])->name, name) == 0)
			return (int32_t)k;
	return -1;
}

/* The first print of @p name in the file. */
static uint32_t print_named(const char *name)
{
	for (uint32_t i = 0; i < prt_os_db_count(db); i++)
		if (strcmp(prt_os_db_print(db, i)->name, name) == 0)
			return i;
	fail_msg("no print %s", name);
	return 0;
}

static void perfect(const char *text, const char *name)
{
	static struct prt_os_fp fp;
	struct prt_os_result r;
	char err[256];
	int32_t at;

	assert_int_equal(prt_os_fp_parse(&fp, text, err, sizeof(err)), 0);
	assert_true(prt_os_accuracy(db, print_named(name), &fp) == 1.0);
	prt_os_match(db, &fp, PRT_OS_GUESS_THRESHOLD, &r);
	assert_false(r.too_many);
	assert_true(r.perfect >= 1);
	at = find(&r, name);
	assert_true(at >= 0 && (uint32_t)at < r.perfect);
	assert_true(r.accuracy[0] == 1.0);
	for (uint32_t k = 1; k < r.n; k++) {
		assert_true(r.accuracy[k] <= r.accuracy[k - 1]);
		assert_true(r.accuracy[k] >= PRT_OS_GUESS_THRESHOLD);
		for (uint32_t j = 0; j < k; j++) /* one entry per OS name */
			assert_string_not_equal(prt_os_db_print(db, r.print[j])->name,
				prt_os_db_print(db, r.print[k])->name);
	}
}

static void windows_is_a_perfect_match(void **state)
{
	(void)state;
	perfect(windows, "Microsoft Windows 10 1607");
}

static void freebsd_is_a_perfect_match(void **state)
{
	(void)state;
	perfect(freebsd, "FreeBSD 12.0-CURRENT");
}

/*
 * Two values spoiled: WIN.W1 (15 points) and T1.F (30). The attributes both
 * sides have, weighed by MatchPoints: SEQ 475 (SP, GCD, ISR, TI, CI, II, TS;
 * the print has no SS), OPS 120, WIN 90, ECN 285, T1 245, T2 260, T3 260, T4
 * 280, T5 280, T6 280, T7 260, U1 735 and IE 155 (the host has T, so nmap
 * printed no TG; the print has no R in U1 and IE) = 3725; so 3680 / 3725,
 * which nmap prints as 98%.
 */
static void windows_spoiled_accuracy(void **state)
{
	static struct prt_os_fp fp;
	uint32_t win = print_named("Microsoft Windows 10 1607");
	struct prt_os_result r;
	char err[256];
	double acc;
	int32_t at;

	(void)state;
	assert_int_equal(prt_os_fp_parse(&fp, windows, err, sizeof(err)), 0);
	assert_int_equal(prt_os_fp_set(&fp, "WIN", "W1", "FFFF"), 0);
	assert_int_equal(prt_os_fp_set(&fp, "T1", "F", "S"), 0);
	acc = prt_os_accuracy(db, win, &fp);
	if (acc < 3680.0 / 3725 - 1e-9 || acc > 3680.0 / 3725 + 1e-9)
		fail_msg("accuracy %.6f, not 3680/3725", acc);
	prt_os_match(db, &fp, PRT_OS_GUESS_THRESHOLD, &r);
	at = find(&r, "Microsoft Windows 10 1607");
	assert_true(at >= 0);
	assert_true(r.accuracy[at] >= acc); /* another print of that name may do better */
	assert_int_equal((int)(r.accuracy[0] * 100), 98);
}

static void nmap_guesses_for_the_testbed(void **state)
{
	static const char *const nmap_said[] = {
		"Linux 5.3 - 5.4 (96%)", "Linux 3.2 (95%)", "Linux 3.1 (95%)",
		"AXIS 210A or 211 Network Camera (Linux 2.6.17) (94%)", "Linux 3.2 - 4.9 (93%)",
		"Linux 3.8 (93%)", "Linux 4.15 - 5.6 (93%)", "Linux 2.6.32 - 3.10 (93%)",
		"ASUS RT-N56U WAP (Linux 3.4) (93%)", "Linux 3.16 (93%)",
	};
	static struct prt_os_fp fp;
	struct prt_os_result r;
	char err[256], got[128];
	uint32_t k;

	(void)state;
	assert_int_equal(prt_os_fp_parse(&fp, testbed_linux, err, sizeof(err)), 0);
	prt_os_match(db, &fp, PRT_OS_GUESS_THRESHOLD, &r);
	assert_int_equal(r.perfect, 0);
	/* nmap lists up to ten, within 10 points of the best */
	for (k = 0; k < 10 && k < r.n && r.accuracy[k] > r.accuracy[0] - 0.10; k++) {
		snprintf(got, sizeof(got), "%s (%d%%)", prt_os_db_print(db, r.print[k])->name,
			(int)(r.accuracy[k] * 100));
		assert_string_equal(got, nmap_said[k]);
	}
	assert_int_equal(k, sizeof(nmap_said) / sizeof(nmap_said[0]));
}

/* nmap's printed form back from a parsed fingerprint: the same tests in the
 * same order, attributes in the order they were set, wrapped as nmap wraps. */
static void formats_as_nmap_prints(void **state)
{
	static struct prt_os_fp fp;
	char flat[2048], text[2048], wrapped[2048], err[256];
	size_t n = 0;
	const char *tests;

	(void)state;
	for (const char *p = testbed_linux; *p != '\0'; p++) { /* nmap's text, unwrapped */
		if (strncmp(p, "OS:", 3) == 0 && (p == testbed_linux || p[-1] == '\n'))
			p += 2;
		else if (*p != '\n')
			flat[n++] = *p;
	}
	flat[n] = '\0';
	tests = strchr(flat, ')') + 1; /* after SCAN(...), which is the scanner's */
	assert_int_equal(prt_os_fp_parse(&fp, testbed_linux, err, sizeof(err)), 0);
	assert_int_equal(prt_os_fp_format(&fp, text, sizeof(text)), (int)strlen(tests));
	assert_string_equal(text, tests);
	assert_int_equal(prt_os_fp_wrap(flat, wrapped, sizeof(wrapped)), (int)strlen(testbed_linux));
	assert_string_equal(wrapped, testbed_linux);
	assert_int_equal(prt_os_fp_format(&fp, text, 100), -ENOSPC);
	assert_int_equal(prt_os_fp_wrap(flat, wrapped, 100), -ENOSPC);
}

static void parses_both_forms(void **state)
{
	static struct prt_os_fp fp;
	char err[256];

	(void)state;
	assert_int_equal(prt_os_fp_parse(&fp, windows, err, sizeof(err)), 0);
	assert_string_equal(prt_os_fp_get(&fp, "SCAN", "P"), "x86_64-pc-linux-gnu");
	assert_string_equal(prt_os_fp_get(&fp, "OPS", "O5"), "MFFD7ST11"); /* cut by a wrap */
	assert_string_equal(prt_os_fp_get(&fp, "T4", "Q"), "");
	assert_string_equal(prt_os_fp_get(&fp, "IE", "CD"), "Z");
	assert_null(prt_os_fp_get(&fp, "IE", "XX"));
	assert_int_equal(prt_os_fp_parse(&fp, freebsd, err, sizeof(err)), 0);
	assert_string_equal(prt_os_fp_get(&fp, "T2", "R"), "N");
	assert_int_equal(prt_os_fp_parse(&fp, "SEQ(SP=1", err, sizeof(err)), -EINVAL);
	assert_int_equal(prt_os_fp_parse(&fp, "SEQ(SP)", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "has no '='"));
	assert_int_equal(prt_os_fp_parse(&fp, "(SP=1)", err, sizeof(err)), -EINVAL);
	assert_int_equal(prt_os_fp_set(&fp, "SEQ", "SP", "0123456789012345678901234567890123456789"
		"0123456789"), -EINVAL);
}

/* A db of our own: bad lines are refused with file:line. */
static void load_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"Fingerprint X\nSEQ(SP=1)\n", ":1: Fingerprint before MatchPoints"},
		{"MatchPoints\nSEQ(SP=25)\n\nFingerprint X\nXYZ(GCD=1)\n",
		 ":5: a test MatchPoints does not name: XYZ"},
		{"MatchPoints\nSEQ(SP=25)\n\nFingerprint X\nClass a | b\n",
		 ":5: a Class line needs four fields"},
		{"MatchPoints\nSEQ(SP=25)\n\nFingerprint X\nSEQ SP=1\n", ":5: not a test line"},
		{"MatchPoints\nSEQ(SP=999)\n", ":2: bad MatchPoints weight"},
		{"MatchPoints\nSEQ(SP=25)\n", "no Fingerprint"},
		{"# only a comment\n", "no Fingerprint"},
	};
	char path[] = "/tmp/prt-osdb-XXXXXX", err[256];
	struct prt_os_db *d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, cases[i].text, strlen(cases[i].text)),
			(ssize_t)strlen(cases[i].text));
		close(fd);
		assert_int_equal(prt_os_db_load(&d, path, err, sizeof(err)), -EINVAL);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("case %zu: %s", i, err);
		unlink(path);
		strcpy(path, "/tmp/prt-osdb-XXXXXX");
	}
	assert_int_equal(prt_os_db_load(&d, "/nonexistent/nmap-os-db", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "cannot read /nonexistent/nmap-os-db"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expressions),
		cmocka_unit_test(reads_nmap_os_db),
		cmocka_unit_test(windows_is_a_perfect_match),
		cmocka_unit_test(freebsd_is_a_perfect_match),
		cmocka_unit_test(windows_spoiled_accuracy),
		cmocka_unit_test(nmap_guesses_for_the_testbed),
		cmocka_unit_test(parses_both_forms),
		cmocka_unit_test(formats_as_nmap_prints),
		cmocka_unit_test(load_errors),
	};
	return cmocka_run_group_tests_name("osdetect", tests, setup, teardown);
}
