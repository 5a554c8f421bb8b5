/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -oG: nmap's grepable output, one line per host:
 *   Host: 198.19.0.5 ()	Ports: 22/open/tcp//ssh///, 81/closed/tcp//hosts2-ns///
 *   	Ignored State: closed (994)     (one line, tab separated)
 * Each port is port/state/protocol/owner/service/rpc/version/.
 */
#include <netinet/in.h>
#include <stdlib.h>

#include "output_os_seq.h"
#include "output_table.h"
#include "prt_common.h"
#include "prt_output.h"

static void *grepable_open(FILE *f, const struct prt_output_opts *opts)
{
	return prt_table_open(f, opts, true);
}

/* nmap names one ignored state: the one with the most ports. */
static void print_ignored(FILE *f, const struct prt_host_view *v)
{
	uint64_t per_state[PRT_STATE_COUNT] = {0};
	int best = -1;

	for (unsigned i = 0; i < v->nhidden; i++)
		per_state[v->hidden[i]->kind.state] += v->hidden[i]->count;
	for (int st = 0; st < PRT_STATE_COUNT; st++)
		if (per_state[st] > 0 && (best < 0 || per_state[st] > per_state[best]))
			best = st;
	if (best >= 0)
		fprintf(f, "\tIgnored State: %s (%llu)", prt_state_name((enum prt_state)best),
			(unsigned long long)per_state[best]);
}

static int print_host(FILE *f, const struct prt_host *h, const struct prt_output_opts *opts)
{
	struct prt_host_view v;
	const char *sep = prt_output_protocol_scan(opts) ? "\tProtocols: " : "\tPorts: ";
	char ip[PRT_ADDR_STRLEN];

	if (prt_host_view_init(h, opts->list_states, opts->only_open, &v) != 0)
		return -1;
	if (opts->only_open && v.nlisted == 0) {
		prt_host_view_free(&v); /* nmap's --open: no line for the host */
		return 0;
	}
	prt_addr_str(&h->addr, ip, sizeof(ip));
	fprintf(f, "Host: %s ()\tStatus: %s\n", ip, prt_host_is_up(h) ? "Up" : "Down");
	if (opts->discovery) {
		prt_host_view_free(&v);
		return 0;
	}
	fprintf(f, "Host: %s ()", ip);
	for (uint32_t i = 0; i < v.nlisted; i++) {
		const struct prt_host_port *p = &v.listed[i];
		const char *svc = prt_service_name(opts->services, p->proto, p->port);

		const struct prt_host_banner *b = prt_host_banner_of(h, p->proto, p->port);
		char text[PRT_BANNER_TEXT_MAX] = "";

		/* -sV's version, else a banner, goes in the version field; '/' and ','
		 * would split fields (nmap writes '|' for '/') */
		if (b != NULL && b->svc != NULL) {
			prt_service_version_text(b->svc, text, sizeof(text));
			for (char *t = text; *t != '\0'; t++)
				if (*t == '/' || *t == ',')
					*t = *t == '/' ? '|' : ' ';
			svc = b->shown; /* "ssl/http": nmap writes "ssl|http" */
		} else if (b != NULL) {
			prt_banner_escape(b->data, b->len, "/,", text, sizeof(text));
		}
		/* port/state/protocol/owner/service/rpc/version/, or nmap's -sO
		 * number/state/name/ */
		fprintf(f, "%s%u/%s/", sep, p->port, prt_state_name((enum prt_state)p->state));
		if (p->proto != IPPROTO_IP)
			fprintf(f, "%s//", prt_proto_name(p->proto));
		for (const char *n = svc != NULL ? svc : ""; *n != '\0'; n++)
			fputc(*n == '/' ? '|' : *n, f);
		if (p->proto != IPPROTO_IP)
			fprintf(f, "//%s", text);
		fputc('/', f);
		sep = ", ";
	}
	print_ignored(f, &v);
	if (h->os != NULL && h->os->nperfect > 0 && h->os->nperfect <= 8 && !h->os->too_many) {
		/* nmap's OS field: the perfect matches */
		fprintf(f, "\tOS: %s", h->os->m[0].name);
		for (unsigned i = 1; i < h->os->nperfect; i++)
			fprintf(f, "|%s", h->os->m[i].name);
	}
	if (h->os != NULL)
		prt_os_seq_grepable(f, &h->os->seq);
	fputc('\n', f);
	prt_host_view_free(&v);
	return 0;
}

static int grepable_host(void *state, FILE *f, const struct prt_host *h)
{
	return print_host(f, h, state);
}

static int grepable_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	prt_table_print_done(f, "dpdk-prtip", s, hosts);
	free(state);
	return 0;
}

const struct prt_writer_ops prt_writer_grepable = {
	.name = "grepable",
	.flag = "-oG",
	.ext = "gnmap",
	.by_host = true,
	.open = grepable_open,
	.host = grepable_host,
	.close = grepable_close,
};
