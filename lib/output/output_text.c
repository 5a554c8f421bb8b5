/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human table on stdout, nmap-like: per host the open ports, with the
 * closed and filtered ones summarised by count and reason ("Not shown: 8
 * closed tcp ports (rst)"); the files carry every port. Results arrive in
 * scan (random) order, so they are kept and sorted at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_output.h"

struct text_state {
	struct prt_result *v;
	size_t n, cap;
	bool only_open;
};

static void *text_open(FILE *f, const struct prt_output_opts *opts)
{
	struct text_state *s = calloc(1, sizeof(*s));

	(void)f;
	if (s != NULL)
		s->only_open = opts->only_open;
	return s;
}

static int text_write(void *state, FILE *f, const struct prt_result *r)
{
	struct text_state *s = state;

	(void)f;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct prt_result *v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *r;
	return 0;
}

static int by_ip_port(const void *a, const void *b)
{
	const struct prt_result *x = a, *y = b;

	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	return (int)x->port - (int)y->port;
}

/* Results of one host grouped by (state, reason text) for "Not shown". */
struct hidden_group {
	uint8_t state;
	char reason[24];
	uint64_t count;
};

static void print_hidden(FILE *f, const struct prt_result *v, size_t n)
{
	struct hidden_group g[16];
	size_t ng = 0;
	const char *sep = "Not shown: ";

	for (size_t i = 0; i < n; i++) {
		char reason[24];
		size_t k;
		if (v[i].state == PRT_STATE_OPEN)
			continue;
		prt_reason_str(&v[i], reason, sizeof(reason));
		for (k = 0; k < ng; k++)
			if (g[k].state == v[i].state && strcmp(g[k].reason, reason) == 0)
				break;
		if (k == ng) {
			if (ng == PRT_ARRAY_SIZE(g))
				continue;
			g[ng].state = v[i].state;
			snprintf(g[ng].reason, sizeof(g[ng].reason), "%s", reason);
			g[ng++].count = 0;
		}
		g[k].count++;
	}
	for (size_t k = 0; k < ng; k++) {
		fprintf(f, "%s%llu %s %s port%s (%s)", sep, (unsigned long long)g[k].count,
			prt_state_name(g[k].state), prt_proto_name(v[0].proto),
			g[k].count == 1 ? "" : "s", g[k].reason);
		sep = ", ";
	}
	if (ng > 0)
		fputc('\n', f);
}

static void print_host(FILE *f, const struct prt_result *v, size_t n, bool only_open)
{
	char ip[16];
	size_t open = 0;

	for (size_t i = 0; i < n; i++)
		open += v[i].state == PRT_STATE_OPEN;
	if (only_open && open == 0)
		return;
	fprintf(f, "\nScan report for %s\n", prt_ipv4_str(v[0].ip, ip, sizeof(ip)));
	if (!only_open)
		print_hidden(f, v, n);
	if (open == 0)
		return;
	fprintf(f, "%-11s %-8s %s\n", "PORT", "STATE", "REASON");
	for (size_t i = 0; i < n; i++) {
		char port[16], reason[24];
		if (v[i].state != PRT_STATE_OPEN)
			continue;
		snprintf(port, sizeof(port), "%u/%s", v[i].port, prt_proto_name(v[i].proto));
		fprintf(f, "%-11s %-8s %s ttl %u\n", port, prt_state_name(v[i].state),
			prt_reason_str(&v[i], reason, sizeof(reason)), v[i].ttl);
	}
}

static int text_close(void *state, FILE *f, const struct prt_output_summary *s)
{
	struct text_state *st = state;
	uint64_t silent = 0;
	double secs = s->end_ns > s->start_ns ? (double)(s->end_ns - s->start_ns) / 1e9 : 0;
	double send = s->send_end_ns > s->start_ns ? (double)(s->send_end_ns - s->start_ns) / 1e9 : 0;

	qsort(st->v, st->n, sizeof(*st->v), by_ip_port);
	for (size_t i = 0; i < st->n;) {
		size_t j = i;
		bool answered = false;
		while (j < st->n && st->v[j].ip == st->v[i].ip) {
			answered |= st->v[j].reason != PRT_REASON_NO_RESPONSE;
			j++;
		}
		if (answered)
			print_host(f, st->v + i, j - i, st->only_open);
		else
			silent++;
		i = j;
	}
	if (silent > 0)
		fprintf(f, "\n%llu host%s did not answer on any scanned port (all filtered, "
			   "not listed)\n", (unsigned long long)silent, silent == 1 ? "" : "s");
	fprintf(f, "\n%s: %llu IPs x %u ports, %llu probes, %llu replies: %llu open, %llu closed, "
		   "%llu filtered in %.2f s (sending %.2f s, %.0f probes/s)\n",
		s->interrupted ? "Scan interrupted" : "Scan done", (unsigned long long)s->ips,
		s->ports, (unsigned long long)s->probes, (unsigned long long)s->replies,
		(unsigned long long)s->state_count[PRT_STATE_OPEN],
		(unsigned long long)s->state_count[PRT_STATE_CLOSED],
		(unsigned long long)s->state_count[PRT_STATE_FILTERED], secs, send,
		send > 0 ? (double)s->probes / send : 0.0);
	free(st->v);
	free(st);
	return 0;
}

const struct prt_writer_ops prt_writer_text = {
	.name = "text",
	.flag = "stdout",
	.open = text_open,
	.write = text_write,
	.close = text_close,
};
