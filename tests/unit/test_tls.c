/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/tls against an OpenSSL server in the same process, bytes carried by
 * hand between the two (as lib/tcp would): TLS 1.2 and 1.3 handshakes and
 * the certificate summary; then hostile input: plain text, random records,
 * more than the handshake bound. JA4S and JARM of ServerHellos built byte by
 * byte, and JARM's ten hellos answered by that OpenSSL server.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "cmocka_common.h"
#include "prt_tls.h"

static EVP_PKEY *key;
static X509 *cert;

/* A self-signed EC P-256 certificate: CN=unit.prtip.test, O=prtip, C=XX. */
static int make_cert(void **state)
{
	X509_NAME *name;
	X509_EXTENSION *ext;
	X509V3_CTX ctx;

	(void)state;
	key = EVP_EC_gen("P-256");
	cert = X509_new();
	if (key == NULL || cert == NULL)
		return -1;
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
	ASN1_TIME_set(X509_getm_notBefore(cert), 1795000000);  /* 2026-11-18T11:06:40 */
	ASN1_TIME_set(X509_getm_notAfter(cert), 1826536000);   /* a year later */
	X509_set_pubkey(cert, key);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"XX", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"prtip", -1, -1,
		0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
		(const unsigned char *)"unit.prtip.test", -1, -1, 0);
	X509_set_issuer_name(cert, name);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, "DNS:unit.prtip.test");
	X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return X509_sign(cert, key, EVP_sha256()) > 0 ? 0 : -1;
}

static int free_cert(void **state)
{
	(void)state;
	X509_free(cert);
	EVP_PKEY_free(key);
	return 0;
}

/* Move what one side has to say to the other until neither has anything. */
static enum prt_tls_state handshake(struct prt_tls *c, SSL *srv, BIO *s_in, BIO *s_out)
{
	uint8_t buf[65536];
	enum prt_tls_state st = prt_tls_start(c);

	for (int round = 0; round < 20 && st == PRT_TLS_HANDSHAKING; round++) {
		size_t n = prt_tls_pending(c, buf, sizeof(buf));
		int m;

		BIO_write(s_in, buf, (int)n);
		SSL_do_handshake(srv);
		m = BIO_read(s_out, buf, sizeof(buf));
		if (m > 0)
			st = prt_tls_input(c, buf, (size_t)m);
	}
	return st;
}

static void handshake_and_certificate(void **state)
{
	const int versions[] = {TLS1_2_VERSION, TLS1_3_VERSION};
	const char *names[] = {"TLSv1.2", "TLSv1.3"};
	struct prt_tls_ctx *cctx = prt_tls_ctx_create();

	(void)state;
	assert_non_null(cctx);
	for (int i = 0; i < 2; i++) {
		SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
		SSL *srv;
		BIO *s_in = BIO_new(BIO_s_mem()), *s_out = BIO_new(BIO_s_mem());
		struct prt_tls *c = prt_tls_new(cctx, "unit.prtip.test");
		struct prt_cert_info info;
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen;
		char hex[64];

		SSL_CTX_set_min_proto_version(sctx, versions[i]);
		SSL_CTX_set_max_proto_version(sctx, versions[i]);
		assert_int_equal(SSL_CTX_use_certificate(sctx, cert), 1);
		assert_int_equal(SSL_CTX_use_PrivateKey(sctx, key), 1);
		srv = SSL_new(sctx);
		BIO_set_mem_eof_return(s_in, -1);
		SSL_set_bio(srv, s_in, s_out);
		SSL_set_accept_state(srv);
		assert_int_equal(handshake(c, srv, s_in, s_out), PRT_TLS_DONE);
		assert_int_equal(prt_tls_cert(c, &info), 0);
		assert_true(info.ok);
		assert_string_equal(info.tls_version, names[i]);
		assert_string_equal(info.subject,
			"commonName=unit.prtip.test/organizationName=prtip/countryName=XX");
		assert_string_equal(info.issuer, info.subject);
		assert_string_equal(info.san, "DNS:unit.prtip.test");
		assert_string_equal(info.key_type, "ec");
		assert_int_equal(info.key_bits, 256);
		assert_string_equal(info.sig_alg, "ecdsa-with-SHA256");
		assert_string_equal(info.not_before, "2026-11-18T11:06:40");
		X509_digest(cert, EVP_sha1(), md, &mdlen);
		for (unsigned int k = 0; k < mdlen; k++)
			snprintf(hex + 2 * k, sizeof(hex) - 2 * k, "%02x", md[k]);
		assert_string_equal(info.sha1, hex);
		assert_int_equal(strlen(info.md5), 32);
		/* OpenSSL's own ServerHello: the version from supported_versions for 1.3 */
		assert_int_equal(strlen(info.ja4s), 25);
		assert_memory_equal(info.ja4s, i == 0 ? "t12" : "t13", 3);
		prt_tls_free(c);
		SSL_free(srv);
		SSL_CTX_free(sctx);
	}
	prt_tls_ctx_free(cctx);
}

static void hostile_servers(void **state)
{
	struct prt_tls_ctx *cctx = prt_tls_ctx_create();
	struct prt_tls *c;
	struct prt_cert_info info;
	uint8_t buf[4096];
	unsigned int seed = 1;

	(void)state;
	/* plain text */
	c = prt_tls_new(cctx, NULL);
	prt_tls_start(c);
	assert_int_equal(prt_tls_input(c, (const uint8_t *)"HTTP/1.0 400 Bad\r\n\r\n", 20),
		PRT_TLS_FAILED);
	assert_int_equal(prt_tls_cert(c, &info), -1);
	assert_false(info.ok);
	assert_true(info.error[0] != '\0');
	prt_tls_free(c);
	/* random bytes after a plausible record header: never a crash, never DONE */
	for (int n = 0; n < 2000; n++) {
		c = prt_tls_new(cctx, NULL);
		prt_tls_start(c);
		for (size_t k = 0; k < sizeof(buf); k++)
			buf[k] = (uint8_t)rand_r(&seed);
		buf[0] = 22;
		buf[1] = 3;
		buf[2] = (uint8_t)(n % 4);
		assert_int_not_equal(prt_tls_input(c, buf, 5 + (size_t)(n % 2000)), PRT_TLS_DONE);
		prt_tls_free(c);
	}
	/* a server that sends more than the handshake bound is cut */
	c = prt_tls_new(cctx, NULL);
	prt_tls_start(c);
	{
		/* a handshake header promising a huge message, then its body in pieces */
		static uint8_t rec[5 + 16384];
		enum prt_tls_state st = PRT_TLS_HANDSHAKING;
		rec[0] = 22;
		rec[1] = 3;
		rec[2] = 3;
		rec[3] = 0x40;
		rec[4] = 0x00;
		memset(rec + 5, 0x30, sizeof(rec) - 5);
		for (int i = 0; i < 40 && st == PRT_TLS_HANDSHAKING; i++)
			st = prt_tls_input(c, rec, sizeof(rec));
		assert_int_equal(st, PRT_TLS_FAILED);
	}
	prt_tls_free(c);
	prt_tls_ctx_free(cctx);
}

/* A ServerHello handshake message: legacy version, cipher, then extensions
 * given as (type, length, data) runs; returns its length. */
static size_t server_hello(uint8_t *m, unsigned legacy, unsigned cipher, const uint8_t *exts,
	size_t exts_len, bool with_ext_block)
{
	size_t n = 4;

	m[0] = 2;
	m[n++] = (uint8_t)(legacy >> 8);
	m[n++] = (uint8_t)legacy;
	memset(m + n, 0xab, 32); /* random */
	n += 32;
	m[n++] = 32;             /* a session id */
	memset(m + n, 0xcd, 32);
	n += 32;
	m[n++] = (uint8_t)(cipher >> 8);
	m[n++] = (uint8_t)cipher;
	m[n++] = 0;              /* no compression */
	if (with_ext_block) {
		m[n++] = (uint8_t)(exts_len >> 8);
		m[n++] = (uint8_t)exts_len;
		memcpy(m + n, exts, exts_len);
		n += exts_len;
	}
	m[1] = (uint8_t)((n - 4) >> 16);
	m[2] = (uint8_t)((n - 4) >> 8);
	m[3] = (uint8_t)(n - 4);
	return n;
}

/*
 * JA4S of ServerHellos built byte by byte; the hashes were computed apart
 * (Python's hashlib over the comma-joined types), and the first is the
 * example of FoxIO's JA4S.md (extensions 0005,0017,ff01,0000).
 */
static void ja4s_of_server_hellos(void **state)
{
	static const uint8_t spec[] = {0x00, 0x05, 0, 0, 0x00, 0x17, 0, 0, 0xff, 0x01, 0, 1, 0,
		0x00, 0x00, 0, 0};
	static const uint8_t tls13[] = {0x00, 0x2b, 0, 2, 0x03, 0x04, 0x00, 0x33, 0, 6, 0x00,
		0x1d, 0, 2, 0x11, 0x22};
	static const uint8_t alpn_h2[] = {0xff, 0x01, 0, 1, 0, 0x00, 0x10, 0, 5, 0, 3, 2, 'h', '2',
		0x00, 0x0b, 0, 2, 1, 0, 0x00, 0x17, 0, 0};
	static const uint8_t alpn_http11[] = {0x00, 0x10, 0, 11, 0, 9, 8, 'h', 't', 't', 'p', '/',
		'1', '.', '1'};
	uint8_t m[512];
	char out[40];
	size_t n;

	(void)state;
	n = server_hello(m, 0x0303, 0xc030, spec, sizeof(spec), true);
	assert_int_equal(prt_ja4s(m, n, out, sizeof(out)), 0);
	assert_string_equal(out, "t120400_c030_4e8089b08790");
	n = server_hello(m, 0x0303, 0x1301, tls13, sizeof(tls13), true);
	assert_int_equal(prt_ja4s(m, n, out, sizeof(out)), 0);
	assert_string_equal(out, "t130200_1301_a56c5b993250");
	n = server_hello(m, 0x0303, 0xc02f, alpn_h2, sizeof(alpn_h2), true);
	assert_int_equal(prt_ja4s(m, n, out, sizeof(out)), 0);
	assert_string_equal(out, "t1204h2_c02f_594cf10ab965");
	n = server_hello(m, 0x0303, 0x009c, alpn_http11, sizeof(alpn_http11), true);
	assert_int_equal(prt_ja4s(m, n, out, sizeof(out)), 0);
	assert_string_equal(out, "t1201h1_009c_0b08e3dcc50f");
	/* TLS 1.0 without an extension block: the hash of the empty list */
	n = server_hello(m, 0x0301, 0x002f, NULL, 0, false);
	assert_int_equal(prt_ja4s(m, n, out, sizeof(out)), 0);
	assert_string_equal(out, "t100000_002f_e3b0c44298fc");
	/* cut anywhere, or a length that overruns: no fingerprint, no crash */
	n = server_hello(m, 0x0303, 0x1301, tls13, sizeof(tls13), true);
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(prt_ja4s(m, cut, out, sizeof(out)), -1);
	m[n - 7] = 0xff; /* key_share's length: past the end */
	assert_int_equal(prt_ja4s(m, n, out, sizeof(out)), -1);
	n = server_hello(m, 0x0303, 0x1301, tls13, sizeof(tls13), true);
	m[0] = 1; /* a ClientHello */
	assert_int_equal(prt_ja4s(m, n, out, sizeof(out)), -1);
	n = server_hello(m, 0x0303, 0x1301, tls13, sizeof(tls13), true);
	assert_int_equal(prt_ja4s(m, n, out, 10), -1);
}

/* A ServerHello message as the record a server sends. */
static size_t server_hello_record(uint8_t *r, unsigned legacy, unsigned cipher,
	const uint8_t *exts, size_t exts_len)
{
	const size_t n = server_hello(r + 5, legacy, cipher, exts, exts_len, true);

	r[0] = 0x16;
	r[1] = 3;
	r[2] = 3;
	r[3] = (uint8_t)(n >> 8);
	r[4] = (uint8_t)n;
	return n + 5;
}

/* Each hello to an OpenSSL server of its own: a well-formed ClientHello (the
 * SNI read back), a ServerHello read as the suite it chose, or an alert. */
static void jarm_hellos_answered_by_openssl(void **state)
{
	uint8_t hello[PRT_JARM_HELLO_MAX], out[16384];
	char line[PRT_JARM_LINE_MAX], want[8];
	SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());

	(void)state;
	assert_int_equal(SSL_CTX_use_certificate(sctx, cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(sctx, key), 1);
	for (unsigned p = 0; p < PRT_JARM_PROBES; p++) {
		SSL *srv = SSL_new(sctx);
		BIO *in = BIO_new(BIO_s_mem()), *o = BIO_new(BIO_s_mem());
		const int n = prt_jarm_hello(p, "unit.prtip.test", 42 + p, hello, sizeof(hello));
		int m;

		assert_true(n > 100);
		assert_int_equal(hello[0], 0x16);
		assert_int_equal(5 + (hello[3] << 8 | hello[4]), n); /* the record's length */
		assert_int_equal(hello[5], 1);                       /* a ClientHello */
		SSL_set_bio(srv, in, o);
		SSL_set_accept_state(srv);
		BIO_write(in, hello, n);
		SSL_do_handshake(srv);
		m = BIO_read(o, out, sizeof(out));
		assert_true(m > 0); /* a ServerHello or an alert, never silence */
		prt_jarm_answer(out, (size_t)m, line, sizeof(line));
		/* the hellos any server of 1.2 and 1.3 with an EC key answers */
		if (p <= 2 || p == 6 || p == 7)
			assert_string_not_equal(line, "|||");
		if (strcmp(line, "|||") != 0) {
			snprintf(want, sizeof(want), "%04x|",
				SSL_CIPHER_get_protocol_id(SSL_get_pending_cipher(srv)));
			assert_memory_equal(line, want, 5);
			assert_string_equal(SSL_get_servername(srv, TLSEXT_NAMETYPE_host_name),
				"unit.prtip.test");
		}
		if (p == 8) /* none of TLS 1.3's suites offered, 1.3 offered: refused */
			assert_string_equal(line, "|||");
		SSL_free(srv);
	}
	SSL_CTX_free(sctx);
	assert_int_equal(prt_jarm_hello(PRT_JARM_PROBES, "x", 1, hello, sizeof(hello)), -EINVAL);
	assert_int_equal(prt_jarm_hello(0, "x", 1, hello, 100), -ENOSPC);
}

/*
 * JARM's line of a ServerHello record, and the hash of ten lines; the
 * expected hash was computed apart, by the reference tool's jarm_hash()
 * (salesforce/jarm, jarm.py) over the same lines.
 */
static void jarm_of_server_hellos(void **state)
{
	static const uint8_t exts[] = {0xff, 0x01, 0, 1, 0, 0x00, 0x10, 0, 5, 0, 3, 2, 'h', '2',
		0x00, 0x0b, 0, 2, 1, 0, 0x00, 0x17, 0, 0};
	static const char *const lines[] = {
		"c030|0303|h2|ff01-0010-000b-0017", "|||", "1301|0303||002b-0033",
		"009c|0301|http/1.1|0010", "|||", "|||", "1302|0303||0033-002b", "ffff|0303||",
	}; /* and two lines not added: "|||" */
	uint8_t r[512];
	char line[PRT_JARM_LINE_MAX], fp[PRT_JARM_LEN + 1];
	struct prt_jarm *j;
	size_t n;

	(void)state;
	n = server_hello_record(r, 0x0303, 0xc030, exts, sizeof(exts));
	assert_int_equal(prt_jarm_want(r, 3), 3);
	assert_int_equal(prt_jarm_want(r, n), n);
	prt_jarm_answer(r, n, line, sizeof(line));
	assert_string_equal(line, "c030|0303|h2|ff01-0010-000b-0017");
	/* cut short anywhere: no line, no read past the end (ASan watches) */
	for (size_t cut = 0; cut < n; cut++) {
		uint8_t *c = malloc(cut + 1);
		memcpy(c, r, cut);
		prt_jarm_answer(c, cut, line, sizeof(line));
		assert_true(cut < n - 4 || strcmp(line, "|||") == 0 || line[4] == '|');
		free(c);
	}
	r[n - 16] = 0xff; /* the ALPN extension's length: past the end */
	prt_jarm_answer(r, n, line, sizeof(line));
	assert_string_equal(line, "|||");
	r[0] = 0x15;      /* an alert */
	prt_jarm_answer(r, 7, line, sizeof(line));
	assert_string_equal(line, "|||");

	j = prt_jarm_new();
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		prt_jarm_add(j, lines[i]);
	prt_jarm_result(j, fp);
	assert_string_equal(fp, "2ad00041d13b00000042d46d000000a556d363033c73cfffc1e0581c9f2f90");
	prt_jarm_free(j);
	j = prt_jarm_new(); /* nothing answered: 62 zeros */
	prt_jarm_result(j, fp);
	assert_int_equal(strspn(fp, "0"), PRT_JARM_LEN);
	prt_jarm_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(handshake_and_certificate),
		cmocka_unit_test(hostile_servers),
		cmocka_unit_test(ja4s_of_server_hellos),
		cmocka_unit_test(jarm_hellos_answered_by_openssl),
		cmocka_unit_test(jarm_of_server_hellos),
	};

	return cmocka_run_group_tests_name("tls", tests, make_cert, free_cert);
}
