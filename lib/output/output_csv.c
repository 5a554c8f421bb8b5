/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -oC: CSV, one row per (ip, port), streamed; a header row names the
 * columns. --output-fields picks and orders them (zmap's idea). Text that
 * came from outside (banners, -sV fields, service names) is quoted as RFC
 * 4180 asks when it holds a comma, a quote or a line break, and a cell that
 * a spreadsheet would run as a formula (first character = + - @ tab CR) gets
 * a leading apostrophe and quotes, as OWASP's CSV-injection advice says.
 * With -O, a host's verdict is a row of its own whose port cells are empty.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_output.h"

#define DEFAULT_FIELDS "ip,port,proto,state,reason,ttl,ts"
#define MAX_FIELDS 16

enum field {
	F_IP, F_PORT, F_PROTO, F_STATE, F_REASON, F_TTL, F_TS, F_TS_UNIX, F_ICMP_TYPE,
	F_ICMP_CODE, F_SERVICE, F_BANNER, F_PRODUCT, F_VERSION, F_INFO, F_OS, F_OS_ACCURACY,
	F_OS_CPE, F_COUNT
};

static const char *const field_names[F_COUNT] = {
	[F_IP] = "ip", [F_PORT] = "port", [F_PROTO] = "proto", [F_STATE] = "state",
	[F_REASON] = "reason", [F_TTL] = "ttl", [F_TS] = "ts", [F_TS_UNIX] = "ts_unix",
	[F_ICMP_TYPE] = "icmp_type", [F_ICMP_CODE] = "icmp_code", [F_SERVICE] = "service",
	[F_BANNER] = "banner", [F_PRODUCT] = "product", [F_VERSION] = "version",
	[F_INFO] = "info", [F_OS] = "os", [F_OS_ACCURACY] = "os_accuracy", [F_OS_CPE] = "os_cpe",
};

const char prt_csv_field_names[] =
	"ip,port,proto,state,reason,ttl,ts,ts_unix,icmp_type,icmp_code,service,banner,product,"
	"version,info,os,os_accuracy,os_cpe";

struct csv_state {
	enum field f[MAX_FIELDS];
	unsigned n;
	const struct prt_service_names *services;
};

/* Whether a column in [lo, hi] is asked for. */
static bool has_field(const struct csv_state *st, enum field lo, enum field hi)
{
	for (unsigned i = 0; i < st->n; i++)
		if (st->f[i] >= lo && st->f[i] <= hi)
			return true;
	return false;
}

/* Parse "a,b,c" into fields. @return 0, or -1 naming the bad one in err */
static int parse_fields(const char *list, struct csv_state *st, char *err, size_t errlen)
{
	const char *p = list;

	st->n = 0;
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		enum field k;

		for (k = 0; k < F_COUNT; k++)
			if (strlen(field_names[k]) == len && strncmp(field_names[k], p, len) == 0)
				break;
		if (k == F_COUNT || st->n == MAX_FIELDS) {
			snprintf(err, errlen, "%s '%.*s' (fields: %s)",
				k == F_COUNT ? "unknown field" : "too many fields at", (int)len, p,
				prt_csv_field_names);
			return -1;
		}
		st->f[st->n++] = k;
		p += len;
		if (*p == ',' && *++p == '\0') {
			snprintf(err, errlen, "empty field at the end");
			return -1;
		}
	}
	if (st->n == 0) {
		snprintf(err, errlen, "no fields");
		return -1;
	}
	return 0;
}

int prt_csv_fields_valid(const char *fields, char *err, size_t errlen)
{
	struct csv_state st;

	return parse_fields(fields, &st, err, errlen);
}

static void *csv_open(FILE *f, const struct prt_output_opts *opts)
{
	struct csv_state *st = malloc(sizeof(*st));
	char err[160];

	if (st == NULL)
		return NULL;
	char defaults[160];

	snprintf(defaults, sizeof(defaults), "%s%s%s", DEFAULT_FIELDS, opts->service_version ?
		",service,product,version,info,banner" : opts->banners ? ",banner" : "",
		opts->os_detect ? ",os,os_accuracy,os_cpe" : "");
	if (parse_fields(opts->csv_fields ? opts->csv_fields : defaults, st, err,
		    sizeof(err)) != 0) {
		free(st);
		errno = EINVAL;
		return NULL;
	}
	st->services = opts->services;
	for (unsigned i = 0; i < st->n; i++)
		fprintf(f, "%s%s", i ? "," : "", field_names[st->f[i]]);
	fputc('\n', f);
	return st;
}

/* One cell of outside text: quoted when it must be, never a formula. */
static void print_text(FILE *f, const char *t)
{
	const bool formula = strchr("=+-@\t\r", t[0]) != NULL && t[0] != '\0';

	if (!formula && strpbrk(t, ",\"\r\n") == NULL) {
		fputs(t, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (; *t != '\0'; t++) {
		if (*t == '"')
			fputc('"', f);
		fputc(*t, f);
	}
	fputc('"', f);
}

/* A port's row has an empty banner; a banner's row carries its text. */
static void print_field(FILE *f, const struct csv_state *st, enum field k,
	const struct prt_result *r, const struct prt_banner *b)
{
	char buf[PRT_ADDR_STRLEN];
	const char *svc;

	switch (k) {
	case F_IP: fputs(prt_addr_str(&r->addr, buf, sizeof(buf)), f); break;
	case F_PORT: fprintf(f, "%u", r->port); break;
	case F_PROTO: fputs(prt_proto_name(r->proto), f); break;
	case F_STATE: fputs(prt_state_name((enum prt_state)r->state), f); break;
	case F_REASON: fputs(prt_reason_name(r), f); break;
	case F_TTL: fprintf(f, "%u", r->ttl); break;
	case F_TS: fputs(prt_output_iso_time(r->ts, buf, sizeof(buf)), f); break;
	case F_TS_UNIX: fprintf(f, "%llu", (unsigned long long)(r->ts / 1000000000ULL)); break;
	case F_ICMP_TYPE: fprintf(f, "%u", r->icmp_type); break;
	case F_ICMP_CODE: fprintf(f, "%u", r->icmp_code); break;
	case F_SERVICE:
		svc = b != NULL && b->has_svc ? b->svc.service :
			prt_service_name(st->services, r->proto, r->port);
		print_text(f, svc != NULL ? svc : "");
		break;
	case F_PRODUCT:
	case F_VERSION:
	case F_INFO:
		if (b != NULL && b->has_svc)
			print_text(f, k == F_PRODUCT ? b->svc.product : k == F_VERSION ?
				b->svc.version : b->svc.info);
		break;
	case F_BANNER:
		if (b != NULL) {
			char text[PRT_BANNER_TEXT_MAX];
			print_text(f, prt_banner_escape(b->data, b->len, NULL, text, sizeof(text)));
		}
		break;
	default: break;
	}
}

static int csv_row(const struct csv_state *st, FILE *f, const struct prt_result *r,
	const struct prt_banner *b)
{
	for (unsigned i = 0; i < st->n; i++) {
		if (i)
			fputc(',', f);
		print_field(f, st, st->f[i], r, b);
	}
	return fputc('\n', f) == EOF ? -1 : 0;
}

static int csv_write(void *state, FILE *f, const struct prt_result *r)
{
	return csv_row(state, f, r, NULL);
}

/* Only when the columns hold a banner: its row is the open port's again, with the text. */
static int csv_banner(void *state, FILE *f, const struct prt_banner *b)
{
	const struct csv_state *st = state;
	const struct prt_result r = {.ts = b->ts, .addr = b->addr, .port = b->port,
		.proto = b->proto, .state = PRT_STATE_OPEN, .reason = b->proto == IPPROTO_UDP ?
			PRT_REASON_UDP_RESPONSE : PRT_REASON_SYN_ACK};

	if (has_field(st, F_BANNER, F_INFO))
		return csv_row(st, f, &r, b);
	return 0;
}

/* The best guess's first CPE (nmap's "OS CPE" starts there), or "". */
static const char *os_cpe(const struct prt_os_out_match *m)
{
	for (unsigned c = 0; c < m->nclasses; c++)
		if (m->c[c].cpe[0] != '\0')
			return m->c[c].cpe;
	return "";
}

/* Only when the columns hold an OS field: the host's row, the best guess in it. */
static int csv_os(void *state, FILE *f, const struct prt_host_os *os)
{
	const struct csv_state *st = state;
	char ip[PRT_ADDR_STRLEN];

	if (!has_field(st, F_OS, F_OS_CPE))
		return 0;
	for (unsigned i = 0; i < st->n; i++) {
		if (i)
			fputc(',', f);
		if (st->f[i] == F_IP)
			fputs(prt_addr_str(&os->addr, ip, sizeof(ip)), f);
		else if (os->nmatches == 0)
			continue;
		else if (st->f[i] == F_OS)
			print_text(f, os->m[0].name);
		else if (st->f[i] == F_OS_ACCURACY)
			fprintf(f, "%d", (int)(os->m[0].accuracy * 100));
		else if (st->f[i] == F_OS_CPE)
			print_text(f, os_cpe(&os->m[0]));
	}
	return fputc('\n', f) == EOF ? -1 : 0;
}

static int csv_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	(void)f;
	(void)s;
	(void)hosts;
	free(state);
	return 0;
}

const struct prt_writer_ops prt_writer_csv = {
	.name = "csv",
	.flag = "-oC",
	.open = csv_open,
	.write = csv_write,
	.banner = csv_banner,
	.os = csv_os,
	.close = csv_close,
};
