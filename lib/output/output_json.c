/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON pieces shared by -oJ and --event-log (output_json.h). */
#include "output_json.h"
#include "prt_text.h"

/* A JSON string value, always valid UTF-8 (RFC 8259 8.1): quotes, backslashes
 * and controls escaped; invalid bytes and noncharacters become U+FFFD. */
void prt_json_value(FILE *f, const char *prefix, const char *v)
{
	uint32_t cp;
	size_t n;

	fprintf(f, "\"%s", prefix);
	for (; (n = prt_utf8_next(v, &cp)) != 0; v += n) {
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			fprintf(f, "\\u%04x", cp);
		else if (prt_text_unsafe(cp))
			fputs("\\ufffd", f);
		else if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (char)cp);
		else
			fwrite(v, 1, n, f);
	}
	fputc('"', f);
}

void prt_json_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\"%s\":", key);
	prt_json_value(f, "", v);
}

/* -sV: "service", "product", "version", ..., "cpe":[...], "match":"hard"|"soft" */
void prt_json_service(FILE *f, const struct prt_service_info *v)
{
	prt_json_str(f, "service", v->service);
	prt_json_str(f, "tunnel", v->tunnel);
	prt_json_str(f, "product", v->product);
	prt_json_str(f, "version", v->version);
	prt_json_str(f, "info", v->info);
	prt_json_str(f, "hostname", v->hostname);
	prt_json_str(f, "ostype", v->ostype);
	prt_json_str(f, "devicetype", v->devicetype);
	prt_json_str(f, "matched_probe", v->probe);
	fputs(",\"cpe\":[", f);
	for (uint8_t i = 0; i < v->ncpe && i < 4; i++) {
		fputs(i ? "," : "", f);
		prt_json_value(f, "cpe:/", v->cpe[i]);
	}
	fprintf(f, "],\"match\":\"%s\"", v->soft ? "soft" : "hard");
}

/* --ssl-cert: "ssl_cert":{"ok":true,"ja4s":..,"jarm":..,"subject":..,"md5":..} or {"ok":false,"error":..} */
void prt_json_cert(FILE *f, const struct prt_cert_info *c)
{
	fputs(",\"ssl_cert\":{\"ok\":", f);
	fputs(c->ok ? "true" : "false", f);
	if (c->ja4s[0] != '\0')
		prt_json_str(f, "ja4s", c->ja4s);
	if (c->jarm[0] != '\0')
		prt_json_str(f, "jarm", c->jarm);
	if (!c->ok) {
		prt_json_str(f, "error", c->error);
		fputc('}', f);
		return;
	}
	prt_json_str(f, "tls_version", c->tls_version);
	prt_json_str(f, "subject", c->subject);
	prt_json_str(f, "issuer", c->issuer);
	prt_json_str(f, "san", c->san);
	prt_json_str(f, "not_before", c->not_before);
	prt_json_str(f, "not_after", c->not_after);
	prt_json_str(f, "key_type", c->key_type);
	fprintf(f, ",\"key_bits\":%u", c->key_bits);
	prt_json_str(f, "sig_alg", c->sig_alg);
	prt_json_str(f, "md5", c->md5);
	prt_json_str(f, "sha1", c->sha1);
	fputc('}', f);
}

