/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text a hostile server chose, through every writer: the UTF-8 rules of
 * lib/common/prt_text.h, the regressions the hardening issue listed (a
 * certificate name that broke -oX, formula cells in -oC), and a property
 * test: random bytes in every banner, -sV and certificate field, every
 * writer's file parsed by a real parser (tests/unit/check_outputs.py:
 * Python's expat, json and csv modules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_output.h"
#include "prt_text.h"

#define TS 1764201600123000000ULL

static void utf8_rules(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"plain ascii", "plain ascii"},
		{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92"},
		{"\xc0\xaf", "??"},                 /* overlong '/' */
		{"\xe0\x80\xaf", "???"},            /* overlong, three bytes */
		{"\xed\xa0\x80", "???"},            /* a surrogate */
		{"\xf4\x90\x80\x80", "????"},       /* past U+10FFFF */
		{"\xef\xbf\xbf|\xef\xbf\xbe", "?|?"}, /* U+FFFF, U+FFFE: not XML */
		{"\xef\xb7\x90", "?"},              /* U+FDD0 */
		{"a\xc2\x9b" "31mb", "a?31mb"},      /* C1 CSI */
		{"\x1b[31mred\x7f", "?[31mred?"},   /* ESC, DEL */
		{"cut \xe2\x82", "cut ??"},          /* a sequence cut by the field's end */
		{"\xff\xfe", "??"},
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		assert_string_equal(prt_text_clean(buf), cases[i].out);
	}
}

static char *tmp_path(const char *suffix)
{
	char *path = malloc(64);
	int fd;

	snprintf(path, 64, "/tmp/prt-hostile-XXXXXX%s", suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return path;
}

enum { W_XML, W_JSON, W_CSV, W_NORMAL, W_GREP, W_LIST, W_COUNT };

static const struct {
	const struct prt_writer_ops *ops;
	const char *kind, *suffix;
} writers[W_COUNT] = {
	[W_XML] = {&prt_writer_xml, "xml", ".xml"},
	[W_JSON] = {&prt_writer_ndjson, "json", ".ndjson"},
	[W_CSV] = {&prt_writer_csv, "csv", ".csv"},
	[W_NORMAL] = {&prt_writer_normal, "text", ".nmap"},
	[W_GREP] = {&prt_writer_grepable, "text", ".gnmap"},
	[W_LIST] = {&prt_writer_list, "text", ".lst"},
};

/* Write @p n banners through every writer and run the checker on the files. */
static int write_and_check(const struct prt_banner *b, unsigned n)
{
	struct prt_output_opts opts = {.version = "9.9", .cmdline = "dpdk-prtip -- -sV x",
		.scans = {{"syn", 6, NULL}}, .nscans = 1,
		.start_ns = TS, .banners = true, .service_version = true,
		.csv_fields = "ip,port,service,product,version,info,banner"};
	struct prt_output_summary sum = {.ips = 1, .ports = 1, .start_ns = TS,
		.send_end_ns = TS + 1, .end_ns = TS + 2};
	struct prt_output out;
	char *path[W_COUNT], cmd[2048];
	const char *checker = getenv("PRT_CHECK_OUTPUTS");
	size_t len;
	int rc;

	assert_non_null(checker);
	assert_int_equal(prt_output_init(&out, &opts), 0);
	for (int w = 0; w < W_COUNT; w++) {
		path[w] = tmp_path(writers[w].suffix);
		assert_int_equal(prt_output_add(&out, writers[w].ops, path[w]), 0);
	}
	for (unsigned i = 0; i < n; i++) {
		struct prt_result r = {.ts = TS, .addr = b[i].addr, .port = b[i].port, .proto = 6,
			.state = PRT_STATE_OPEN, .reason = PRT_REASON_SYN_ACK, .ttl = 64};
		assert_int_equal(prt_output_write(&out, &r), 0);
		assert_int_equal(prt_output_banner(&out, &b[i]), 0);
	}
	assert_int_equal(prt_output_close(&out, &sum), 0);
	len = (size_t)snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s", checker);
	for (int w = 0; w < W_COUNT; w++)
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " %s=%s", writers[w].kind,
			path[w]);
	rc = system(cmd);
	for (int w = 0; w < W_COUNT; w++) {
		unlink(path[w]);
		free(path[w]);
	}
	return rc;
}

static struct prt_banner *banner_on(uint16_t port)
{
	struct prt_banner *b = calloc(1, sizeof(*b));

	b->ts = TS;
	b->addr = prt_addr_from_v4(0xc6130005);
	b->port = port;
	b->proto = 6;
	b->has_svc = 1;
	b->has_cert = 1;
	snprintf(b->svc.service, sizeof(b->svc.service), "http");
	snprintf(b->cert.md5, sizeof(b->cert.md5), "00");
	b->cert.ok = 1;
	return b;
}

/* The examples: a CN with XML metacharacters and a comment opener,
 * an '&' in an organisation, U+FFFF and invalid UTF-8 in the SAN, C1 and ESC
 * in a subject, formula cells and commas in -oC. */
static void hostile_certificate_and_banner(void **state)
{
	struct prt_banner *b = banner_on(443);

	(void)state;
	snprintf(b->cert.subject, sizeof(b->cert.subject),
		"commonName=a/R&D\"><!--=x/organizationName=Smith & Sons\x1b[2J\xc2\x9b");
	snprintf(b->cert.issuer, sizeof(b->cert.issuer), "commonName=<evil key=\"x\">");
	snprintf(b->cert.san, sizeof(b->cert.san), "DNS:\xef\xbf\xbf, othername:\xff\xfe\x80");
	snprintf(b->svc.product, sizeof(b->svc.product), "=HYPERLINK(\"http://x\",\"y\")");
	snprintf(b->svc.version, sizeof(b->svc.version), "+1,2");
	snprintf(b->svc.info, sizeof(b->svc.info), "@SUM(A1) \"q\"");
	static const char said[] = "-ERR, \"x\"\r\n\x1b]0;title\x07";
	memcpy(b->data, said, sizeof(said) - 1);
	b->len = sizeof(said) - 1;
	assert_int_equal(write_and_check(b, 1), 0);
	free(b);
}

static void random_text(char *dst, size_t cap, unsigned *seed)
{
	size_t n = (size_t)rand_r(seed) % cap;

	for (size_t i = 0; i < n; i++) {
		/* mostly the bytes that matter: ASCII metacharacters, controls, UTF-8 pieces */
		static const char pool[] = "<>&\"',=+-@\t\r\n\x1b\x7f\x80\x9b\xc2\xc3\xe2\xed\xef\xbf"
			"\xbe\xf0\xf4\xff/abc ";
		int r = rand_r(seed);
		dst[i] = r & 1 ? pool[(unsigned)r / 2 % (sizeof(pool) - 1)] : (char)(r >> 8);
		if (dst[i] == '\0')
			dst[i] = 'z';
	}
	dst[n] = '\0';
}

/* Property: random bytes in every outside field of 64 ports, 20 rounds. */
static void random_fields_parse_everywhere(void **state)
{
	unsigned seed = 20261202;

	(void)state;
	for (int round = 0; round < 20; round++) {
		struct prt_banner *b = calloc(64, sizeof(*b));
		for (unsigned i = 0; i < 64; i++) {
			struct prt_banner *one = banner_on((uint16_t)(1000 + i));
			b[i] = *one;
			free(one);
			random_text(b[i].svc.service, sizeof(b[i].svc.service), &seed);
			random_text(b[i].svc.product, sizeof(b[i].svc.product), &seed);
			random_text(b[i].svc.version, sizeof(b[i].svc.version), &seed);
			random_text(b[i].svc.info, sizeof(b[i].svc.info), &seed);
			random_text(b[i].svc.hostname, sizeof(b[i].svc.hostname), &seed);
			random_text(b[i].svc.cpe[0], sizeof(b[i].svc.cpe[0]), &seed);
			b[i].svc.ncpe = 1;
			random_text(b[i].cert.subject, sizeof(b[i].cert.subject), &seed);
			random_text(b[i].cert.issuer, sizeof(b[i].cert.issuer), &seed);
			random_text(b[i].cert.san, sizeof(b[i].cert.san), &seed);
			random_text(b[i].cert.sig_alg, sizeof(b[i].cert.sig_alg), &seed);
			/* fingerprints are hex from OpenSSL, but not in a damaged checkpoint */
			random_text(b[i].cert.md5, sizeof(b[i].cert.md5), &seed);
			random_text(b[i].cert.sha1, sizeof(b[i].cert.sha1), &seed);
			b[i].cert.ok = (uint8_t)(i % 2);
			random_text(b[i].cert.error, sizeof(b[i].cert.error), &seed);
			b[i].len = (uint16_t)(rand_r(&seed) % PRT_BANNER_MAX);
			for (unsigned k = 0; k < b[i].len; k++)
				b[i].data[k] = (uint8_t)rand_r(&seed);
		}
		assert_int_equal(write_and_check(b, 64), 0);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_rules),
		cmocka_unit_test(hostile_certificate_and_banner),
		cmocka_unit_test(random_fields_parse_everywhere),
	};
	return cmocka_run_group_tests_name("output_hostile", tests, NULL, NULL);
}
