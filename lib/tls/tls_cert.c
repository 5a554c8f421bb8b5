/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The certificate as nmap's ssl-cert script shows it (non-verbose): subject
 * and issuer as commonName/organizationName/stateOrProvinceName/countryName,
 * the subjectAltName extension as text, validity in ISO time, the key's type
 * and bits, the signature algorithm's long name, MD5 and SHA-1 fingerprints.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "prt_text.h"
#include "prt_tls.h"
#include "tls_priv.h"

/* ssl-cert's own order and choice of name fields */
static const int name_nids[] = {NID_commonName, NID_organizationName,
	NID_stateOrProvinceName, NID_countryName};

static void name_text(const X509_NAME *name, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(name_nids) / sizeof(name_nids[0]); i++) {
		int at = X509_NAME_get_index_by_NID(name, name_nids[i], -1);
		const ASN1_STRING *v;
		unsigned char *utf8 = NULL;
		int len;

		if (at < 0)
			continue;
		v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at));
		len = ASN1_STRING_to_UTF8(&utf8, v);
		if (len < 0)
			continue;
		if (n < cap)
			n += (size_t)snprintf(out + n, cap - n, "%s%s=%.*s", n ? "/" : "",
				OBJ_nid2ln(name_nids[i]), len, (const char *)utf8);
		OPENSSL_free(utf8);
	}
}

static void time_text(const ASN1_TIME *t, char *out, size_t cap)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(out, cap, "?");
}

static void san_text(X509 *x, char *out, size_t cap)
{
	int at = X509_get_ext_by_NID(x, NID_subject_alt_name, -1);
	BIO *b;
	int n;

	out[0] = '\0';
	if (at < 0 || (b = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509V3_EXT_print(b, X509_get_ext(x, at), 0, 0) == 1) {
		n = BIO_read(b, out, (int)cap - 1);
		out[n > 0 ? n : 0] = '\0';
	}
	BIO_free(b);
}

static void digest_hex(X509 *x, const EVP_MD *md, char *out, size_t cap)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	out[0] = '\0';
	if (md == NULL || X509_digest(x, md, d, &len) != 1)
		return;
	for (unsigned int i = 0; i < len && 2 * i + 2 < cap; i++)
		snprintf(out + 2 * i, cap - 2 * i, "%02x", d[i]);
}

static const char *key_type(int id)
{
	switch (id) {
	case EVP_PKEY_RSA: return "rsa";
	case EVP_PKEY_RSA_PSS: return "rsa-pss";
	case EVP_PKEY_DSA: return "dsa";
	case EVP_PKEY_EC: return "ec";
	case EVP_PKEY_ED25519: return "ed25519";
	case EVP_PKEY_ED448: return "ed448";
	case EVP_PKEY_DH: return "dh";
	default: return "unknown";
	}
}

int prt_tls_cert_of(SSL *ssl, struct prt_cert_info *out)
{
	X509 *x = SSL_get1_peer_certificate(ssl);
	EVP_PKEY *key;

	if (x == NULL)
		return -1;
	snprintf(out->tls_version, sizeof(out->tls_version), "%s", SSL_get_version(ssl));
	name_text(X509_get_subject_name(x), out->subject, sizeof(out->subject));
	name_text(X509_get_issuer_name(x), out->issuer, sizeof(out->issuer));
	san_text(x, out->san, sizeof(out->san));
	time_text(X509_get0_notBefore(x), out->not_before, sizeof(out->not_before));
	time_text(X509_get0_notAfter(x), out->not_after, sizeof(out->not_after));
	key = X509_get0_pubkey(x);
	snprintf(out->key_type, sizeof(out->key_type), "%s",
		key != NULL ? key_type(EVP_PKEY_get_base_id(key)) : "unknown");
	out->key_bits = key != NULL ? (uint32_t)EVP_PKEY_get_bits(key) : 0;
	snprintf(out->sig_alg, sizeof(out->sig_alg), "%s",
		OBJ_nid2ln(X509_get_signature_nid(x)));
	digest_hex(x, EVP_md5(), out->md5, sizeof(out->md5));
	digest_hex(x, EVP_sha1(), out->sha1, sizeof(out->sha1));
	/* the server's text: valid UTF-8 without controls from here on */
	prt_text_clean(out->subject);
	prt_text_clean(out->issuer);
	prt_text_clean(out->san);
	out->ok = 1;
	X509_free(x);
	return 0;
}
