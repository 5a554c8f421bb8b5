/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_table.h"
#include "prt_common.h"

void *prt_table_open(FILE *f, const struct prt_output_opts *opts, bool header)
{
	struct prt_output_opts *st = malloc(sizeof(*st));
	char when[64];

	if (st == NULL)
		return NULL;
	*st = *opts;
	if (header)
		fprintf(f, "# dpdk-prtip %s scan initiated %s as: %s\n", opts->version,
			prt_output_nmap_time(opts->start_ns, when, sizeof(when)), opts->cmdline);
	return st;
}

static void print_hidden(FILE *f, const struct prt_host *h, const struct prt_host_view *v)
{
	const char *sep = "Not shown: ";

	for (unsigned i = 0; i < v->nhidden; i++) {
		const struct prt_host_group *g = v->hidden[i];
		struct prt_result k = prt_host_port_result(h, &g->kind);

		fprintf(f, "%s%llu %s %s %s%s (%s)", sep, (unsigned long long)g->count,
			prt_state_name((enum prt_state)k.state), prt_proto_name(k.proto),
			k.proto == IPPROTO_IP ? "protocol" : "port", g->count == 1 ? "" : "s",
			prt_reason_name(&k));
		sep = ", ";
	}
	if (v->nhidden > 0)
		fputc('\n', f);
}

/* -sn: one line per host, "Host is up, received echo-reply ttl 64." */
static int print_discovery(FILE *f, const struct prt_host *h, const struct prt_host_view *v,
	const struct prt_table_style *style)
{
	struct prt_result r;
	char ip[PRT_ADDR_STRLEN];

	if (v->nlisted == 0)
		return 1; /* a host --open hides, or one nothing was heard from */
	r = prt_host_port_result(h, &v->listed[0]);
	fprintf(f, "\n%s %s\nHost is %s, received %s ttl %u.\n", style->report,
		prt_addr_str(&h->addr, ip, sizeof(ip)), prt_state_name((enum prt_state)r.state),
		prt_reason_name(&r), r.ttl);
	return ferror(f) ? -EIO : 0;
}

/* "22/tcp"; an IP protocol scan's protocol number alone (nmap's -sO). */
static void port_label(const struct prt_host_port *p, char *buf, size_t len)
{
	if (p->proto == IPPROTO_IP)
		snprintf(buf, len, "%u", p->port);
	else
		snprintf(buf, len, "%u/%s", p->port, prt_proto_name(p->proto));
}

/* -sV's answer when there is one, else the nmap-services name of the port. */
static const char *service_of(const struct prt_output_opts *opts, const struct prt_host *h,
	const struct prt_host_port *p)
{
	const struct prt_host_banner *b = prt_host_banner_of(h, p->proto, p->port);
	const char *name;

	if (b != NULL && b->svc != NULL)
		return b->shown;
	name = prt_service_name(opts->services, p->proto, p->port);
	return name != NULL ? name : "unknown";
}

static bool any_version(const struct prt_host *h)
{
	for (uint32_t i = 0; i < h->nbanners; i++)
		if (h->banners[i].svc != NULL)
			return true;
	return false;
}

/* PORT STATE [SERVICE] [REASON] [VERSION]: padded columns, none after the last. */
static void print_row(FILE *f, const char *col[5], const int widths[4], bool service,
	bool reason, bool version)
{
	const bool shown[5] = {true, true, service, reason, version};
	int last = 0;

	for (int i = 0; i < 5; i++)
		if (shown[i])
			last = i;
	for (int i = 0; i < 5; i++) {
		if (!shown[i])
			continue;
		if (i < last)
			fprintf(f, "%-*s ", i < 4 ? widths[i] : 0, col[i]);
		else
			fprintf(f, "%s\n", col[i]);
	}
}

/* nmap prints script output under its port: "|_banner: SSH-2.0-OpenSSH_9.2p1". */
static void print_banner(FILE *f, const struct prt_host_banner *b)
{
	char text[PRT_BANNER_TEXT_MAX];

	if (b != NULL)
		fprintf(f, "|_banner: %s\n", prt_banner_escape(b->data, b->len, NULL, text,
			sizeof(text)));
}

/* nmap's script output: "| ssl-cert: Subject: ..." ... "|_SHA-1: ..." */
static void print_cert(FILE *f, const struct prt_cert_info *c)
{
	char text[PRT_CERT_TEXT_MAX];
	const char *line = prt_cert_text(c, text, sizeof(text));
	bool first = true;

	while (*line != '\0') {
		size_t n = strcspn(line, "\n");
		fprintf(f, "%s%s%.*s\n", line[n] == '\0' ? "|_" : "| ", first ? "ssl-cert: " : "",
			(int)n, line);
		first = false;
		line += n + (line[n] == '\n');
	}
	/* the server's TLS fingerprint: a script line of its own, after nmap's */
	if (c->ja4s[0] != '\0')
		fprintf(f, "%sssl-ja4s: %s\n", c->jarm[0] != '\0' ? "| " : "|_", c->ja4s);
	if (c->jarm[0] != '\0')
		fprintf(f, "|_ssl-jarm: %s\n", c->jarm);
}

int prt_table_print_host(FILE *f, const struct prt_host *h, const struct prt_output_opts *opts,
	const struct prt_table_style *style)
{
	struct prt_host_view v;
	const char *first_col = prt_output_protocol_scan(opts) ? "PROTOCOL" : "PORT";
	int widths[4] = {(int)strlen(first_col), (int)strlen("STATE"), (int)strlen("SERVICE"), 0};
	const bool version = any_version(h);
	char ip[PRT_ADDR_STRLEN];

	if (prt_host_view_init(h, opts->list_states, opts->only_open, &v) != 0)
		return -ENOMEM;
	if (opts->discovery) {
		int rc = print_discovery(f, h, &v, style);
		prt_host_view_free(&v);
		return rc;
	}
	for (uint32_t i = 0; i < v.nlisted; i++) {
		const struct prt_host_port *p = &v.listed[i];
		char port[16];

		port_label(p, port, sizeof(port));
		widths[0] = PRT_MAX(widths[0], (int)strlen(port));
		widths[1] = PRT_MAX(widths[1], (int)strlen(prt_state_name((enum prt_state)p->state)));
		widths[2] = PRT_MAX(widths[2], (int)strlen(service_of(opts, h, p)));
	}
	if (style->reason_column && version) {
		/* REASON is not the last column any more: pad it */
		for (uint32_t i = 0; i < v.nlisted; i++) {
			struct prt_result r = prt_host_port_result(h, &v.listed[i]);
			widths[3] = PRT_MAX(widths[3], (int)strlen(prt_reason_name(&r)) + 7);
		}
		widths[3] = PRT_MAX(widths[3], (int)strlen("REASON"));
	}
	if (opts->only_open && v.nlisted == 0) {
		prt_host_view_free(&v);
		return 1;
	}
	fprintf(f, "\n%s %s\n", style->report, prt_addr_str(&h->addr, ip, sizeof(ip)));
	if (style->host_is_up)
		fputs("Host is up, received user-set.\n", f);
	if (v.nlisted == 0)
		fprintf(f, "All %llu scanned ports on %s are in ignored states.\n",
			(unsigned long long)v.nhidden_ports, ip);
	print_hidden(f, h, &v);
	if (v.nlisted > 0) {
		const char *head[5] = {first_col, "STATE", "SERVICE", "REASON", "VERSION"};
		print_row(f, head, widths, opts->services != NULL || version, style->reason_column,
			version);
	}
	for (uint32_t i = 0; i < v.nlisted; i++) {
		const struct prt_host_port *p = &v.listed[i];
		struct prt_result r = prt_host_port_result(h, p);
		const struct prt_host_banner *b = prt_host_banner_of(h, p->proto, p->port);
		char port[16], reason[48], ver[256] = "";
		const char *row[5] = {port, prt_state_name((enum prt_state)p->state),
			service_of(opts, h, p), reason, ver};

		port_label(p, port, sizeof(port));
		const char *because = prt_reason_name(&r);
		if (p->reason == PRT_REASON_NO_RESPONSE)
			snprintf(reason, sizeof(reason), "%s", because);
		else
			snprintf(reason, sizeof(reason), "%s ttl %u", because, p->ttl);
		if (b != NULL && b->svc != NULL)
			prt_service_version_text(b->svc, ver, sizeof(ver));
		print_row(f, row, widths, opts->services != NULL || version, style->reason_column,
			version);
		if (b != NULL && b->cert != NULL)
			print_cert(f, b->cert);
		else if (b != NULL && b->svc == NULL)
			print_banner(f, b); /* -sV's answers stand in the VERSION column */
	}
	if (h->os != NULL)
		prt_os_print_normal(f, h->os, opts->verbose);
	prt_host_view_free(&v);
	return ferror(f) ? -EIO : 0;
}

void prt_table_print_done(FILE *f, const char *who, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	char when[64];
	double secs = s->end_ns > s->start_ns ? (double)(s->end_ns - s->start_ns) / 1e9 : 0;

	fprintf(f, "# %s done at %s -- %llu IP address%s (%zu host%s up) scanned in %.2f seconds\n",
		who, prt_output_nmap_time(s->end_ns, when, sizeof(when)),
		(unsigned long long)s->ips, s->ips == 1 ? "" : "es", hosts->up,
		hosts->up == 1 ? "" : "s", secs);
}
