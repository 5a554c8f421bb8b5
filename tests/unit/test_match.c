/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/match's matcher: version templates, Hyperscan + PCRE2 against a file
 * of our own, the database cache, and nmap's own file: on real banners the
 * matcher's answer equals the one PCRE2 alone gives trying every line in
 * file order (nmap's rule), so the prefilter never changes an answer.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_match.h"

static void templates(void **state)
{
	const uint8_t subj[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\x00\x01\x02\x03";
	/* captures: 1 = "9.2p1", 2 = "Debian-2+deb12u3", 3 = bytes 00 01 02 03 */
	const size_t ovec[] = {0, 38, 16, 21, 22, 38, 38, 42};
	struct prt_service_info out = {0};

	(void)state;
	prt_match_fill_version("p/OpenSSH/ v/$1 $SUBST(2,\"-\",\" \")/ i/protocol 2.0/ "
		"o/Linux/ cpe:/a:openbsd:openssh:$1/ cpe:/o:linux:linux_kernel/a h|$P(2)|",
		subj, ovec, 4, &out);
	assert_string_equal(out.product, "OpenSSH");
	assert_string_equal(out.version, "9.2p1 Debian 2+deb12u3");
	assert_string_equal(out.info, "protocol 2.0");
	assert_string_equal(out.ostype, "Linux");
	assert_string_equal(out.hostname, "Debian-2+deb12u3");
	assert_int_equal(out.ncpe, 2);
	assert_string_equal(out.cpe[0], "a:openbsd:openssh:9.2p1");
	assert_string_equal(out.cpe[1], "o:linux:linux_kernel");
	memset(&out, 0, sizeof(out));
	prt_match_fill_version("v/$I(3,\">\")/ i/$I(3,\"<\")/ d/$9/ p/$2", subj, ovec, 4, &out);
	assert_string_equal(out.version, "66051");   /* 0x00010203 */
	assert_string_equal(out.info, "50462976");   /* 0x03020100 */
	assert_string_equal(out.devicetype, "");     /* no such capture */
	assert_string_equal(out.product, "");        /* unterminated: left out */
	memset(&out, 0, sizeof(out));
	/* binary capture bytes are left out of the text; a bad $SUBST stays as written */
	prt_match_fill_version("p/$3/ v/$SUBST(2,-)/", subj, ovec, 4, &out);
	assert_string_equal(out.product, "");
	assert_string_equal(out.version, "$SUBST(2,-)");
}

static const char *write_file(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/prt-test-%s-%d", name, (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* The one cache file in @p dir: a byte in its middle flipped, or (@p open_mode)
 * left intact but made writable by everyone. */
static void tamper_cache(const char *dir, bool open_mode)
{
	char path[600];
	struct dirent *e;
	DIR *d = opendir(dir);
	FILE *f;
	long size;
	int c;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL && e->d_name[0] == '.')
		;
	assert_non_null(e);
	snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
	closedir(d);
	if (open_mode) {
		assert_int_equal(chmod(path, 0666), 0);
		return;
	}
	f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size / 2, SEEK_SET);
	c = fgetc(f);
	fseek(f, size / 2, SEEK_SET);
	fputc(c ^ 0x01, f);
	fclose(f);
}

/* Hostile answers against hostile-looking patterns: catastrophic backtracking
 * stops at PCRE2's limits as "no match" (quickly), and a pattern with more
 * than 15 groups still gives its captures to the template. */
static void pcre2_limits_and_many_groups(void **state)
{
	const char *path = write_file("sp-limits",
		"Probe TCP NULL q||\n"
		"match slow m/^(a+)+(?<=c)b/ p/never/\n"
		"match groups m/^G(1)(2)(3)(4)(5)(6)(7)(8)(9)(a)(b)(c)(d)(e)(f)(g)(h)-(\\d+)/ "
		"p/many/ v/$1.$9/\n");
	struct prt_sp_db db;
	struct prt_matcher *m;
	struct prt_match_scratch *s;
	struct prt_service_info info;
	char err[256];
	uint8_t slow[64];

	(void)state;
	assert_int_equal(prt_sp_load(&db, path, err, sizeof(err)), 0);
	assert_int_equal(prt_matcher_create(&db, NULL, &m, err, sizeof(err)), 0);
	s = prt_match_scratch_create(m);
	assert_non_null(s);
	/* Hyperscan, without the lookbehind, lets a's and a 'b' through; PCRE2 then
	 * tries every split of the a's */
	memset(slow, 'a', sizeof(slow));
	slow[sizeof(slow) - 1] = 'b';
	assert_int_equal(prt_match(m, s, 0, slow, sizeof(slow), NULL, &info), PRT_MATCH_NONE);
	assert_true(prt_match_limit_hits(s) >= 1);
	assert_int_equal(prt_match(m, s, 0, (const uint8_t *)"G123456789abcdefgh-42", 21, NULL,
		&info), PRT_MATCH_HARD);
	assert_string_equal(info.product, "many");
	assert_string_equal(info.version, "1.9");
	prt_match_scratch_free(s);
	prt_matcher_free(m);
	prt_sp_free(&db);
	unlink(path);
}

static void small_file_and_cache(void **state)
{
	const char *path = write_file("sp", 
		"Probe TCP NULL q||\n"
		"softmatch ftp m/^220[ -]/\n"
		"match ftp m/^220 \\(vsFTPd ([\\d.]+)\\)\\r\\n/ p/vsftpd/ v/$1/ cpe:/a:beasts:vsftpd:$1/\n"
		"match ssh m/^SSH-([\\d.]+)-OpenSSH_(\\S+)/i p/OpenSSH/ v/$2/ i/protocol $1/\n"
		"match weird m/^(?=HELLO)(\\w+) (\\w+) \\2/ p/back-reference $1/\n"
		"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
		"ports 80\n"
		"match http m|^HTTP/1\\.[01] \\d\\d\\d.*\\r\\nServer: ([^\\r\\n]+)|s p/$1/\n");
	char dir[64], err[256];
	struct prt_sp_db db;
	struct prt_matcher *m, *again;
	struct prt_match_scratch *s;
	struct prt_service_info info;
	const char *ftp = "220 (vsFTPd 3.0.3)\r\n", *other_ftp = "220-Welcome\r\n";
	const char *http = "HTTP/1.1 200 OK\r\nDate: x\r\nServer: nginx/1.22.1\r\n\r\n";

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/prt-test-hscache-%d", (int)getpid());
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(prt_sp_load(&db, path, err, sizeof(err)), 0);
	assert_int_equal(prt_matcher_create(&db, dir, &m, err, sizeof(err)), 0);
	assert_false(prt_matcher_stats(m)->from_cache);
	assert_int_equal(prt_matcher_stats(m)->patterns, 5);
	assert_int_equal(prt_matcher_stats(m)->prefilter, 1); /* lookahead + back-reference */
	assert_int_equal(prt_matcher_stats(m)->databases, 2);
	s = prt_match_scratch_create(m);
	assert_non_null(s);
	assert_int_equal(prt_match(m, s, 0, (const uint8_t *)ftp, strlen(ftp), NULL, &info),
		PRT_MATCH_HARD);
	assert_string_equal(info.service, "ftp");
	assert_string_equal(info.product, "vsftpd");
	assert_string_equal(info.version, "3.0.3");
	assert_string_equal(info.cpe[0], "a:beasts:vsftpd:3.0.3");
	assert_string_equal(info.probe, "NULL");
	assert_int_equal(prt_match(m, s, 0, (const uint8_t *)other_ftp, strlen(other_ftp), NULL,
		&info), PRT_MATCH_SOFT);
	assert_string_equal(info.service, "ftp");
	assert_true(info.soft);
	assert_int_equal(prt_match(m, s, 0, (const uint8_t *)"ssh-1.99-openssh_x", 18, NULL,
		&info), PRT_MATCH_HARD);
	assert_string_equal(info.version, "x");
	/* the prefiltered line: Hyperscan lets "HELLO a b" through, PCRE2 says no */
	assert_int_equal(prt_match(m, s, 0, (const uint8_t *)"HELLO a b", 9, NULL, &info),
		PRT_MATCH_NONE);
	assert_int_equal(prt_match(m, s, 0, (const uint8_t *)"HELLO a a", 9, NULL, &info),
		PRT_MATCH_HARD);
	assert_string_equal(info.product, "back-reference HELLO");
	/* after a softmatch only lines of that service count */
	assert_int_equal(prt_match(m, s, 0, (const uint8_t *)"SSH-2.0-OpenSSH_9", 17, "ftp",
		&info), PRT_MATCH_NONE);
	assert_int_equal(prt_match(m, s, 1, (const uint8_t *)http, strlen(http), NULL, &info),
		PRT_MATCH_HARD);
	assert_string_equal(info.product, "nginx/1.22.1");
	prt_match_scratch_free(s);

	/* the second time the databases come from the cache, with the same answers */
	assert_int_equal(prt_matcher_create(&db, dir, &again, err, sizeof(err)), 0);
	assert_true(prt_matcher_stats(again)->from_cache);
	s = prt_match_scratch_create(again);
	assert_int_equal(prt_match(again, s, 0, (const uint8_t *)ftp, strlen(ftp), NULL, &info),
		PRT_MATCH_HARD);
	assert_string_equal(info.version, "3.0.3");
	prt_match_scratch_free(s);
	prt_matcher_free(again);
	/* a tampered cache (one byte flipped: its digest fails) or one that others could
	 * write is not deserialized: compiled again, same answers */
	tamper_cache(dir, false);
	assert_int_equal(prt_matcher_create(&db, dir, &again, err, sizeof(err)), 0);
	assert_false(prt_matcher_stats(again)->from_cache);
	prt_matcher_free(again);
	tamper_cache(dir, true);
	assert_int_equal(prt_matcher_create(&db, dir, &again, err, sizeof(err)), 0);
	assert_false(prt_matcher_stats(again)->from_cache);
	s = prt_match_scratch_create(again);
	assert_int_equal(prt_match(again, s, 0, (const uint8_t *)ftp, strlen(ftp), NULL, &info),
		PRT_MATCH_HARD);
	assert_string_equal(info.version, "3.0.3");
	prt_match_scratch_free(s);
	prt_matcher_free(again);
	prt_matcher_free(m);
	prt_sp_free(&db);

	/* a changed file does not take the old cache; a bad pattern names its line */
	path = write_file("sp", "Probe TCP NULL q||\nmatch x m/(unclosed/\n");
	assert_int_equal(prt_sp_load(&db, path, err, sizeof(err)), 0);
	assert_int_equal(prt_matcher_create(&db, dir, &m, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "line 2: PCRE2 cannot compile"));
	prt_sp_free(&db);
	unlink(path);
	snprintf(err, sizeof(err), "rm -rf %s", dir);
	assert_int_equal(system(err), 0);
}

/* nmap's rule done the slow way: PCRE2 over every line of the probe in
 * order (@p re: the probe's lines compiled by the caller). */
static const char *brute_force(const struct prt_sp_probe *p, pcre2_code **re,
	const uint8_t *d, size_t len, bool *soft)
{
	const char *soft_svc = NULL;
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);

	for (uint32_t k = 0; k < p->nmatches; k++) {
		const struct prt_sp_match *l = &p->matches[k];
		int rc = pcre2_match(re[k], d, len, 0, 0, md, NULL);

		if (rc < 0)
			continue;
		if (!l->soft) {
			pcre2_match_data_free(md);
			*soft = false;
			return l->service;
		}
		if (soft_svc == NULL)
			soft_svc = l->service;
	}
	pcre2_match_data_free(md);
	*soft = soft_svc != NULL;
	return soft_svc;
}

static pcre2_code **compile_lines(const struct prt_sp_probe *p)
{
	pcre2_code **re = calloc(p->nmatches, sizeof(*re));

	assert_non_null(re);
	for (uint32_t k = 0; k < p->nmatches; k++) {
		const struct prt_sp_match *l = &p->matches[k];
		int code;
		PCRE2_SIZE off;

		re[k] = pcre2_compile((PCRE2_SPTR)l->pattern, PCRE2_ZERO_TERMINATED,
			(l->flags & PRT_SP_CASELESS ? PCRE2_CASELESS : 0) |
			(l->flags & PRT_SP_DOTALL ? PCRE2_DOTALL : 0), &code, &off, NULL);
		assert_non_null(re[k]);
	}
	return re;
}

static void free_lines(const struct prt_sp_probe *p, pcre2_code **re)
{
	for (uint32_t k = 0; k < p->nmatches; k++)
		pcre2_code_free(re[k]);
	free(re);
}

static uint32_t probe_named(const struct prt_sp_db *db, const char *name)
{
	for (uint32_t i = 0; i < db->nprobes; i++)
		if (db->probes[i].proto == IPPROTO_TCP && strcmp(db->probes[i].name, name) == 0)
			return i;
	fail();
	return 0;
}

static void nmaps_file_gives_nmaps_answers(void **state)
{
	static const struct {
		const char *probe;
		const char *banner;
		const char *service;
		const char *product; /* NULL: not checked */
	} cases[] = {
		{"NULL", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "ssh", "OpenSSH"},
		{"NULL", "220 (vsFTPd 3.0.3)\r\n", "ftp", "vsftpd"},
		{"NULL", "220 mail.prtip.test ESMTP Postfix (Debian/GNU)\r\n", "smtp",
			"Postfix smtpd"},
		{"NULL", "220 prtip FTP ready\r\n", "ftp", NULL},
		{"NULL", "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE "
			"IDLE STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n", "imap", NULL},
		{"NULL", "+OK Dovecot (Debian) ready.\r\n", "pop3", NULL},
		{"NULL", "\x05\x00", NULL, NULL},
		{"GetRequest", "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 27 Nov 2026 "
			"05:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 615\r\n\r\n<html>",
			"http", "nginx"},
		{"GetRequest", "HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nDate: Fri,"
			" 27 Nov 2026 05:00:00 GMT\r\nContent-type: text/html\r\n\r\n", "http",
			"SimpleHTTPServer"},
		{"GetRequest", "-ERR wrong number of arguments for 'get' command\r\n", NULL, NULL},
		{"GetRequest", "garbage that matches nothing at all", NULL, NULL},
	};
	const char *path = "/usr/share/nmap/nmap-service-probes";
	struct prt_sp_db db;
	struct prt_matcher *m;
	struct prt_match_scratch *s;
	pcre2_code **null_re, **get_re;
	char err[256];

	(void)state;
	if (access(path, R_OK) != 0)
		skip();
	assert_int_equal(prt_sp_load(&db, path, err, sizeof(err)), 0);
	/* one cache for every build of the tests: the first compiles (tens of seconds) */
	mkdir("/tmp/prt-test-hscache-nmap", 0700);
	assert_int_equal(prt_matcher_create(&db, "/tmp/prt-test-hscache-nmap", &m, err,
		sizeof(err)), 0);
	assert_int_equal(prt_matcher_stats(m)->patterns, db.nmatches + db.nsoft);
	assert_true(prt_matcher_stats(m)->prefilter > 0);
	s = prt_match_scratch_create(m);
	assert_non_null(s);
	null_re = compile_lines(&db.probes[probe_named(&db, "NULL")]);
	get_re = compile_lines(&db.probes[probe_named(&db, "GetRequest")]);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t p = probe_named(&db, cases[i].probe);
		const uint8_t *b = (const uint8_t *)cases[i].banner;
		size_t len = strlen(cases[i].banner) + (cases[i].banner[0] == 5 ? 2 : 0);
		struct prt_service_info info;
		enum prt_match_result r = prt_match(m, s, p, b, len, NULL, &info);
		bool soft;
		const char *want = brute_force(&db.probes[p], strcmp(cases[i].probe, "NULL") == 0 ?
			null_re : get_re, b, len, &soft);

		if (want == NULL) {
			assert_int_equal(r, PRT_MATCH_NONE);
		} else {
			assert_int_equal(r, soft ? PRT_MATCH_SOFT : PRT_MATCH_HARD);
			assert_string_equal(info.service, want);
		}
		if (cases[i].service != NULL)
			assert_string_equal(info.service, cases[i].service);
		if (cases[i].product != NULL)
			assert_string_equal(info.product, cases[i].product);
	}
	free_lines(&db.probes[probe_named(&db, "NULL")], null_re);
	free_lines(&db.probes[probe_named(&db, "GetRequest")], get_re);
	prt_match_scratch_free(s);
	prt_matcher_free(m);
	prt_sp_free(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(templates),
		cmocka_unit_test(small_file_and_cache),
		cmocka_unit_test(pcre2_limits_and_many_groups),
		cmocka_unit_test(nmaps_file_gives_nmaps_answers),
	};

	return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
