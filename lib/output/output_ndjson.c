/* SPDX-License-Identifier: BSD-3-Clause */
/* -oJ: one JSON object per line per (ip, port); every line parses alone. */
#include <stdlib.h>

#include "prt_common.h"
#include "prt_output.h"
#include "prt_text.h"

static int state_token;

static void *ndjson_open(FILE *f, const struct prt_output_opts *opts)
{
	(void)f;
	(void)opts;
	return &state_token; /* stateless */
}

/* reason in nmap's words; an ICMP error also keeps its type and code */
static int ndjson_write(void *state, FILE *f, const struct prt_result *r)
{
	char ip[PRT_ADDR_STRLEN], icmp[48] = "", ts[40];

	(void)state;
	if (r->reason == PRT_REASON_ICMP)
		snprintf(icmp, sizeof(icmp), ",\"icmp_type\":%u,\"icmp_code\":%u", r->icmp_type,
			r->icmp_code);
	return fprintf(f,
		"{\"ip\":\"%s\",\"port\":%u,\"proto\":\"%s\",\"state\":\"%s\","
		"\"reason\":\"%s\"%s,\"ttl\":%u,\"ts\":\"%s\"}\n",
		prt_addr_str(&r->addr, ip, sizeof(ip)), r->port, prt_proto_name(r->proto),
		prt_state_name(r->state), prt_reason_name(r), icmp, r->ttl,
		prt_output_iso_time(r->ts, ts, sizeof(ts))) < 0 ? -1 : 0;
}

/* A JSON string value, always valid UTF-8 (RFC 8259 8.1): quotes, backslashes
 * and controls escaped; invalid bytes and noncharacters become U+FFFD. */
static void json_value(FILE *f, const char *prefix, const char *v)
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

static void json_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\"%s\":", key);
	json_value(f, "", v);
}

/* -sV: "service", "product", "version", ..., "cpe":[...], "match":"hard"|"soft" */
static void print_service(FILE *f, const struct prt_service_info *v)
{
	json_str(f, "service", v->service);
	json_str(f, "tunnel", v->tunnel);
	json_str(f, "product", v->product);
	json_str(f, "version", v->version);
	json_str(f, "info", v->info);
	json_str(f, "hostname", v->hostname);
	json_str(f, "ostype", v->ostype);
	json_str(f, "devicetype", v->devicetype);
	json_str(f, "matched_probe", v->probe);
	fputs(",\"cpe\":[", f);
	for (uint8_t i = 0; i < v->ncpe && i < 4; i++) {
		fputs(i ? "," : "", f);
		json_value(f, "cpe:/", v->cpe[i]);
	}
	fprintf(f, "],\"match\":\"%s\"", v->soft ? "soft" : "hard");
}

/* --ssl-cert: "ssl_cert":{"subject":..,"md5":..} or {"error":..} */
static void print_cert(FILE *f, const struct prt_cert_info *c)
{
	fputs(",\"ssl_cert\":{\"ok\":", f);
	fputs(c->ok ? "true" : "false", f);
	if (!c->ok) {
		json_str(f, "error", c->error);
		fputc('}', f);
		return;
	}
	json_str(f, "tls_version", c->tls_version);
	json_str(f, "subject", c->subject);
	json_str(f, "issuer", c->issuer);
	json_str(f, "san", c->san);
	json_str(f, "not_before", c->not_before);
	json_str(f, "not_after", c->not_after);
	json_str(f, "key_type", c->key_type);
	fprintf(f, ",\"key_bits\":%u", c->key_bits);
	json_str(f, "sig_alg", c->sig_alg);
	json_str(f, "md5", c->md5);
	json_str(f, "sha1", c->sha1);
	fputc('}', f);
}

/* A banner is its own line, after the port's: {"ip":..,"port":..,"banner":".."}. The
 * escaped text is ASCII; a JSON string needs its backslashes and quotes escaped again. */
static int ndjson_banner(void *state, FILE *f, const struct prt_banner *b)
{
	char ip[PRT_ADDR_STRLEN], ts[40], text[PRT_BANNER_TEXT_MAX];

	(void)state;
	prt_banner_escape(b->data, b->len, "\"", text, sizeof(text));
	fprintf(f, "{\"ip\":\"%s\",\"port\":%u,\"proto\":\"%s\",\"banner\":\"",
		prt_addr_str(&b->addr, ip, sizeof(ip)), b->port, prt_proto_name(b->proto));
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fprintf(f, "\",\"probe\":\"%s\"", b->probed ? "sent" : "none");
	if (b->has_svc)
		print_service(f, &b->svc);
	if (b->has_cert)
		print_cert(f, &b->cert);
	return fprintf(f, ",\"ts\":\"%s\"}\n", prt_output_iso_time(b->ts, ts, sizeof(ts))) < 0 ?
		-1 : 0;
}

static int ndjson_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	(void)hosts;
	(void)state;
	(void)f;
	(void)s;
	return 0;
}

const struct prt_writer_ops prt_writer_ndjson = {
	.name = "ndjson",
	.flag = "-oJ",
	.open = ndjson_open,
	.write = ndjson_write,
	.banner = ndjson_banner,
	.close = ndjson_close,
};
