/* SPDX-License-Identifier: BSD-3-Clause */
/* -oJ: one JSON object per line per (ip, port); every line parses alone. */
#include <stdlib.h>

#include "output_os_seq.h"
#include "prt_common.h"
#include "prt_output.h"
#include "prt_text.h"
#include "output_json.h"

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
		prt_json_service(f, &b->svc);
	if (b->has_cert)
		prt_json_cert(f, &b->cert);
	return fprintf(f, ",\"ts\":\"%s\"}\n", prt_output_iso_time(b->ts, ts, sizeof(ts))) < 0 ?
		-1 : 0;
}

/* -O's line: {"ip":..,"os":{"matches":[{"name":..,"accuracy":96,...}],...}} */
static int ndjson_os(void *state, FILE *f, const struct prt_host_os *os)
{
	char ip[PRT_ADDR_STRLEN];

	(void)state;
	fprintf(f, "{\"ip\":\"%s\",\"os\":{\"perfect\":%u", prt_addr_str(&os->addr, ip,
		sizeof(ip)), os->nperfect);
	fprintf(f, ",\"ports\":{\"open_tcp\":%u,\"closed_tcp\":%u,\"closed_udp\":%u}",
		os->open_tcp, os->closed_tcp, os->closed_udp);
	if (os->distance >= 0)
		fprintf(f, ",\"distance\":%d", os->distance);
	prt_os_seq_json(f, &os->seq);
	fputs(",\"matches\":[", f);
	for (unsigned i = 0; i < os->nmatches; i++) {
		const struct prt_os_out_match *m = &os->m[i];
		fputs(i > 0 ? ",{\"name\":" : "{\"name\":", f);
		prt_json_value(f, "", m->name);
		fprintf(f, ",\"accuracy\":%d,\"line\":%u,\"classes\":[",
			(int)(m->accuracy * 100), m->line);
		for (unsigned c = 0; c < m->nclasses; c++) {
			fputs(c > 0 ? ",{\"type\":" : "{\"type\":", f);
			prt_json_value(f, "", m->c[c].type);
			prt_json_str(f, "vendor", m->c[c].vendor);
			prt_json_str(f, "family", m->c[c].family);
			prt_json_str(f, "generation", m->c[c].generation);
			prt_json_str(f, "cpe", m->c[c].cpe);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputc(']', f);
	if (os->reason[0] != '\0')
		prt_json_str(f, "not_ideal", os->reason);
	prt_json_str(f, "fingerprint", os->fingerprint);
	return fprintf(f, ",\"tries\":%u}}\n", os->tries) < 0 ? -1 : 0;
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
	.os = ndjson_os,
	.close = ndjson_close,
};
