/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenSSL over memory BIOs. The read BIO gets what the server sent, the
 * write BIO collects what we have to send; SSL_do_handshake() only ever
 * sees memory. What the server may make us hold is bounded: OpenSSL's own
 * limit on a certificate list (100 KiB) and ours on all input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "prt_tls.h"
#include "tls_priv.h"

#define TLS_MAX_INPUT PRT_TLS_MAX_INPUT

struct prt_tls_ctx {
	SSL_CTX *ctx;
};

struct prt_tls {
	SSL *ssl;
	BIO *rbio, *wbio;          /**< owned by ssl */
	size_t taken;
	enum prt_tls_state state;
	char error[96];
	char ja4s[40];             /**< of the first ServerHello ("" until it came) */
};

struct prt_tls_ctx *prt_tls_ctx_create(void)
{
	struct prt_tls_ctx *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (c->ctx == NULL) {
		free(c);
		return NULL;
	}
	/* a scanner reports what it is shown: every version, no verification,
	 * and the legacy algorithms old servers still use */
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(c->ctx, TLS1_3_VERSION);
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_security_level(c->ctx, 0);
	SSL_CTX_set_cipher_list(c->ctx, "ALL:@SECLEVEL=0");
	SSL_CTX_set_max_cert_list(c->ctx, 100 * 1024);
	return c;
}

void prt_tls_ctx_free(struct prt_tls_ctx *c)
{
	if (c == NULL)
		return;
	SSL_CTX_free(c->ctx);
	free(c);
}

/* OpenSSL shows us every handshake message: the first ServerHello, as the
 * server wrote it, is fingerprinted. */
static void on_message(int write_p, int version, int content_type, const void *buf,
	size_t len, SSL *ssl, void *arg)
{
	struct prt_tls *t = arg;
	const uint8_t *m = buf;

	(void)version;
	(void)ssl;
	if (write_p || content_type != SSL3_RT_HANDSHAKE || len < 4 || m[0] != 2 ||
	    t->ja4s[0] != '\0')
		return;
	if (prt_ja4s(m, len, t->ja4s, sizeof(t->ja4s)) != 0)
		t->ja4s[0] = '\0';
}

struct prt_tls *prt_tls_new(struct prt_tls_ctx *c, const char *sni)
{
	struct prt_tls *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ssl = SSL_new(c->ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (t->ssl == NULL || t->rbio == NULL || t->wbio == NULL) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		SSL_free(t->ssl);
		free(t);
		return NULL;
	}
	/* a memory BIO with nothing in it says "retry", not "end of file" */
	BIO_set_mem_eof_return(t->rbio, -1);
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_connect_state(t->ssl);
	SSL_set_msg_callback(t->ssl, on_message);
	SSL_set_msg_callback_arg(t->ssl, t);
	if (sni != NULL && sni[0] != '\0')
		SSL_set_tlsext_host_name(t->ssl, sni);
	return t;
}

void prt_tls_free(struct prt_tls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);
	free(t);
}

static enum prt_tls_state step(struct prt_tls *t)
{
	int rc, err;
	unsigned long e;

	if (t->state != PRT_TLS_HANDSHAKING)
		return t->state;
	ERR_clear_error();
	rc = SSL_do_handshake(t->ssl);
	if (rc == 1)
		return t->state = PRT_TLS_DONE;
	err = SSL_get_error(t->ssl, rc);
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
		return t->state;
	e = ERR_peek_error();
	snprintf(t->error, sizeof(t->error), "%s",
		e ? ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "TLS error" :
		"TLS handshake failed");
	return t->state = PRT_TLS_FAILED;
}

enum prt_tls_state prt_tls_start(struct prt_tls *t)
{
	return step(t);
}

enum prt_tls_state prt_tls_input(struct prt_tls *t, const uint8_t *d, size_t len)
{
	if (t->state == PRT_TLS_FAILED)
		return t->state;
	if (t->taken + len > TLS_MAX_INPUT) {
		snprintf(t->error, sizeof(t->error), "more than %d KiB in the handshake",
			TLS_MAX_INPUT / 1024);
		return t->state = PRT_TLS_FAILED;
	}
	t->taken += len;
	if (BIO_write(t->rbio, d, (int)len) != (int)len) {
		snprintf(t->error, sizeof(t->error), "out of memory");
		return t->state = PRT_TLS_FAILED;
	}
	return step(t);
}

int prt_tls_write(struct prt_tls *t, const uint8_t *d, size_t len)
{
	if (t->state != PRT_TLS_DONE || len == 0)
		return -1;
	return SSL_write(t->ssl, d, (int)len) == (int)len ? 0 : -1;
}

size_t prt_tls_read(struct prt_tls *t, uint8_t *out, size_t cap)
{
	size_t got = 0;

	while (t->state == PRT_TLS_DONE && got < cap) {
		int n = SSL_read(t->ssl, out + got, (int)(cap - got));
		if (n <= 0)
			break; /* want more input, a close_notify, or an error: what came is kept */
		got += (size_t)n;
	}
	return got;
}

size_t prt_tls_pending(struct prt_tls *t, uint8_t *out, size_t cap)
{
	int n = BIO_read(t->wbio, out, (int)cap);

	return n > 0 ? (size_t)n : 0;
}

const char *prt_tls_error(const struct prt_tls *t)
{
	return t->error[0] ? t->error : "TLS handshake failed";
}

int prt_tls_cert(struct prt_tls *t, struct prt_cert_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->ja4s, sizeof(out->ja4s), "%s", t->ja4s);
	if (t->state != PRT_TLS_DONE) {
		snprintf(out->error, sizeof(out->error), "%s", prt_tls_error(t));
		return -1;
	}
	if (prt_tls_cert_of(t->ssl, out) != 0) {
		snprintf(out->error, sizeof(out->error), "no certificate");
		return -1;
	}
	return 0;
}
