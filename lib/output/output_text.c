/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human table on stdout, nmap-like: per host the open ports, with the
 * closed and filtered ones summarised by count and reason ("Not shown: 8
 * closed tcp ports (rst)"); the files carry every pair. Results arrive in
 * scan (random) order, so the writer keeps one small summary per host that
 * answered (a hash table on the address), not one record per pair: a scan
 * of millions of closed ports stays small. Hosts that never answered are
 * only counted: their no-response results arrive last, grouped by address.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_output.h"

#define HOST_GROUPS 6 /* distinct (state, reason) kept per host; more merge into the last */

struct open_port {
	uint16_t port;
	uint8_t ttl;
	uint8_t proto;
};

struct host_group {
	struct prt_result kind; /* state, reason, icmp type/code */
	uint64_t count;
};

struct host {
	uint32_t ip;
	uint8_t used;
	uint8_t ngroups;
	uint32_t nopen, cap_open;
	struct open_port *open;
	struct host_group group[HOST_GROUPS];
};

struct text_state {
	struct host *hosts; /* open addressing, power-of-two size */
	size_t size, count;
	uint64_t silent;    /* hosts with no answer at all */
	uint32_t last_silent_ip;
	bool any_silent;
	bool only_open;
};

static size_t slot_of(const struct text_state *s, uint32_t ip)
{
	return (size_t)((ip * 2654435761u) & (uint32_t)(s->size - 1));
}

static struct host *lookup(struct text_state *s, uint32_t ip)
{
	for (size_t i = slot_of(s, ip);; i = (i + 1) & (s->size - 1)) {
		if (!s->hosts[i].used)
			return &s->hosts[i];
		if (s->hosts[i].ip == ip)
			return &s->hosts[i];
	}
}

static int grow(struct text_state *s)
{
	struct text_state bigger = *s;

	bigger.size = s->size * 2;
	bigger.hosts = calloc(bigger.size, sizeof(*bigger.hosts));
	if (bigger.hosts == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < s->size; i++)
		if (s->hosts[i].used)
			*lookup(&bigger, s->hosts[i].ip) = s->hosts[i];
	free(s->hosts);
	*s = bigger;
	return 0;
}

static void *text_open(FILE *f, const struct prt_output_opts *opts)
{
	struct text_state *s = calloc(1, sizeof(*s));

	(void)f;
	if (s == NULL)
		return NULL;
	s->size = 1024;
	s->hosts = calloc(s->size, sizeof(*s->hosts));
	if (s->hosts == NULL) {
		free(s);
		return NULL;
	}
	s->only_open = opts->only_open;
	return s;
}

static int same_kind(const struct prt_result *a, const struct prt_result *b)
{
	return a->state == b->state && a->reason == b->reason && a->icmp_type == b->icmp_type &&
		a->icmp_code == b->icmp_code;
}

static void count_hidden(struct host *h, const struct prt_result *r)
{
	uint8_t g;

	for (g = 0; g < h->ngroups; g++)
		if (same_kind(&h->group[g].kind, r))
			break;
	if (g == h->ngroups) {
		if (h->ngroups == HOST_GROUPS)
			g = HOST_GROUPS - 1;
		else
			h->group[h->ngroups++].kind = *r;
	}
	h->group[g].count++;
}

static int add_open(struct host *h, const struct prt_result *r)
{
	if (h->nopen == h->cap_open) {
		uint32_t cap = h->cap_open ? h->cap_open * 2 : 4;
		struct open_port *o = realloc(h->open, cap * sizeof(*o));
		if (o == NULL)
			return -ENOMEM;
		h->open = o;
		h->cap_open = cap;
	}
	h->open[h->nopen++] = (struct open_port){.port = r->port, .ttl = r->ttl,
		.proto = r->proto};
	return 0;
}

static int text_write(void *state, FILE *f, const struct prt_result *r)
{
	struct text_state *s = state;
	struct host *h;

	(void)f;
	h = lookup(s, r->ip);
	if (r->reason == PRT_REASON_NO_RESPONSE && !h->used) {
		if (!s->any_silent || s->last_silent_ip != r->ip)
			s->silent++;
		s->any_silent = true;
		s->last_silent_ip = r->ip;
		return 0;
	}
	if (!h->used) {
		if (2 * (s->count + 1) > s->size) {
			if (grow(s) != 0)
				return -ENOMEM;
			h = lookup(s, r->ip);
		}
		h->used = 1;
		h->ip = r->ip;
		s->count++;
	}
	if (r->state == PRT_STATE_OPEN)
		return add_open(h, r);
	count_hidden(h, r);
	return 0;
}

static int by_ip(const void *a, const void *b)
{
	const struct host *x = *(const struct host *const *)a, *y = *(const struct host *const *)b;

	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

static int by_port(const void *a, const void *b)
{
	return (int)((const struct open_port *)a)->port - (int)((const struct open_port *)b)->port;
}

static void print_host(FILE *f, struct host *h, bool only_open)
{
	char ip[16];
	const char *sep = "Not shown: ";

	if (only_open && h->nopen == 0)
		return;
	fprintf(f, "\nScan report for %s\n", prt_ipv4_str(h->ip, ip, sizeof(ip)));
	for (uint8_t g = 0; g < h->ngroups && !only_open; g++) {
		char reason[24];
		const struct prt_result *k = &h->group[g].kind;
		fprintf(f, "%s%llu %s %s port%s (%s)", sep, (unsigned long long)h->group[g].count,
			prt_state_name(k->state), prt_proto_name(k->proto),
			h->group[g].count == 1 ? "" : "s", prt_reason_str(k, reason, sizeof(reason)));
		sep = ", ";
	}
	if (h->ngroups > 0 && !only_open)
		fputc('\n', f);
	if (h->nopen == 0)
		return;
	qsort(h->open, h->nopen, sizeof(*h->open), by_port);
	fprintf(f, "%-11s %-8s %s\n", "PORT", "STATE", "REASON");
	for (uint32_t i = 0; i < h->nopen; i++) {
		char port[16];
		snprintf(port, sizeof(port), "%u/%s", h->open[i].port, prt_proto_name(h->open[i].proto));
		fprintf(f, "%-11s %-8s syn-ack ttl %u\n", port, "open", h->open[i].ttl);
	}
}

static void print_summary(FILE *f, const struct prt_output_summary *s)
{
	double secs = s->end_ns > s->start_ns ? (double)(s->end_ns - s->start_ns) / 1e9 : 0;
	double send = s->send_end_ns > s->start_ns ?
		(double)(s->send_end_ns - s->start_ns) / 1e9 : 0;

	fprintf(f, "\n%s: %llu IPs x %u ports, %llu probes, %llu replies: %llu open, %llu closed, "
		   "%llu filtered in %.2f s (sending %.2f s, %.0f probes/s)\n",
		s->interrupted ? "Scan interrupted" : "Scan done", (unsigned long long)s->ips,
		s->ports, (unsigned long long)s->probes, (unsigned long long)s->replies,
		(unsigned long long)s->state_count[PRT_STATE_OPEN],
		(unsigned long long)s->state_count[PRT_STATE_CLOSED],
		(unsigned long long)s->state_count[PRT_STATE_FILTERED], secs, send,
		send > 0 ? (double)s->probes / send : 0.0);
}

static int text_close(void *state, FILE *f, const struct prt_output_summary *s)
{
	struct text_state *st = state;
	struct host **order = malloc((st->count + 1) * sizeof(*order));
	size_t n = 0;
	int rc = 0;

	if (order == NULL) {
		rc = -ENOMEM;
	} else {
		for (size_t i = 0; i < st->size; i++)
			if (st->hosts[i].used)
				order[n++] = &st->hosts[i];
		qsort(order, n, sizeof(*order), by_ip);
		for (size_t i = 0; i < n; i++)
			print_host(f, order[i], st->only_open);
	}
	if (st->silent > 0)
		fprintf(f, "\n%llu host%s did not answer on any scanned port (all filtered, "
			   "not listed)\n", (unsigned long long)st->silent, st->silent == 1 ? "" : "s");
	print_summary(f, s);
	for (size_t i = 0; i < st->size; i++)
		free(st->hosts[i].open);
	free(order);
	free(st->hosts);
	free(st);
	return rc;
}

const struct prt_writer_ops prt_writer_text = {
	.name = "text",
	.flag = "stdout",
	.open = text_open,
	.write = text_write,
	.close = text_close,
};
