/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human table on stdout, nmap-like: per host the ports in interesting
 * states (open, open|filtered, unfiltered) are listed, closed and filtered
 * ones summarised by count and reason ("Not shown: 8 closed tcp ports
 * (rst)"), and so is an interesting state with more than 25 ports on a host
 * (nmap's rule: a FIN scan through a firewall lists nothing but "Not shown:
 * 1000 open|filtered"). The files carry every pair. Results arrive in
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
#define MAX_LISTED 25 /* a listed state with more ports on a host is summarised */

struct listed_port {
	uint16_t port;
	uint8_t ttl;
	uint8_t proto;
	uint8_t state;
	uint8_t reason;
	uint8_t icmp_type;
	uint8_t icmp_code;
};

struct host_group {
	struct prt_result kind; /* state, reason, icmp type/code */
	uint64_t count;
};

struct host {
	uint32_t ip;
	uint8_t used;
	uint8_t ngroups;
	uint32_t nlisted, cap_listed;
	struct listed_port *listed;
	struct host_group group[HOST_GROUPS];
};

struct text_state {
	struct host *hosts; /* open addressing, power-of-two size */
	size_t size, count;
	uint64_t silent;    /* hosts with no answer at all */
	uint8_t silent_state;
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

static bool is_listed_state(uint8_t state)
{
	return state == PRT_STATE_OPEN || state == PRT_STATE_OPEN_FILTERED ||
		state == PRT_STATE_UNFILTERED;
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

static int add_listed(struct host *h, const struct prt_result *r)
{
	if (h->nlisted == h->cap_listed) {
		uint32_t cap = h->cap_listed ? h->cap_listed * 2 : 4;
		struct listed_port *l = realloc(h->listed, cap * sizeof(*l));
		if (l == NULL)
			return -ENOMEM;
		h->listed = l;
		h->cap_listed = cap;
	}
	h->listed[h->nlisted++] = (struct listed_port){.port = r->port, .ttl = r->ttl,
		.proto = r->proto, .state = r->state, .reason = r->reason,
		.icmp_type = r->icmp_type, .icmp_code = r->icmp_code};
	return 0;
}

static struct prt_result result_of(const struct host *h, const struct listed_port *l)
{
	return (struct prt_result){.ip = h->ip, .port = l->port, .proto = l->proto,
		.state = l->state, .reason = l->reason, .icmp_type = l->icmp_type,
		.icmp_code = l->icmp_code, .ttl = l->ttl};
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
		s->silent_state = r->state;
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
	if (is_listed_state(r->state))
		return add_listed(h, r);
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
	return (int)((const struct listed_port *)a)->port -
		(int)((const struct listed_port *)b)->port;
}

/* nmap's rule: a state other than open with more than MAX_LISTED ports on
 * the host is summarised instead of listed. */
static void summarise_crowded_states(struct host *h)
{
	uint32_t per_state[PRT_STATE_COUNT] = {0}, kept = 0;

	for (uint32_t i = 0; i < h->nlisted; i++)
		per_state[h->listed[i].state]++;
	for (uint32_t i = 0; i < h->nlisted; i++) {
		const struct listed_port *l = &h->listed[i];
		if (l->state != PRT_STATE_OPEN && per_state[l->state] > MAX_LISTED) {
			struct prt_result r = result_of(h, l);
			count_hidden(h, &r);
		} else {
			h->listed[kept++] = *l;
		}
	}
	h->nlisted = kept;
}

static bool shown(const struct listed_port *l, bool only_open)
{
	return !only_open || l->state == PRT_STATE_OPEN;
}

static void print_host(FILE *f, struct host *h, bool only_open)
{
	char ip[16];
	const char *sep = "Not shown: ";
	uint32_t nshown = 0;

	summarise_crowded_states(h);
	for (uint32_t i = 0; i < h->nlisted; i++)
		nshown += shown(&h->listed[i], only_open);
	if (only_open && nshown == 0)
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
	if (nshown == 0)
		return;
	qsort(h->listed, h->nlisted, sizeof(*h->listed), by_port);
	fprintf(f, "%-11s %-13s %s\n", "PORT", "STATE", "REASON");
	for (uint32_t i = 0; i < h->nlisted; i++) {
		const struct listed_port *l = &h->listed[i];
		struct prt_result r = result_of(h, l);
		char port[16], reason[24];

		if (!shown(l, only_open))
			continue;
		snprintf(port, sizeof(port), "%u/%s", l->port, prt_proto_name(l->proto));
		prt_reason_str(&r, reason, sizeof(reason));
		if (l->reason == PRT_REASON_NO_RESPONSE)
			fprintf(f, "%-11s %-13s %s\n", port, prt_state_name(l->state), reason);
		else
			fprintf(f, "%-11s %-13s %s ttl %u\n", port, prt_state_name(l->state), reason,
				l->ttl);
	}
}

static void print_summary(FILE *f, const struct prt_output_summary *s)
{
	double secs = s->end_ns > s->start_ns ? (double)(s->end_ns - s->start_ns) / 1e9 : 0;
	double send = s->send_end_ns > s->start_ns ?
		(double)(s->send_end_ns - s->start_ns) / 1e9 : 0;

	fprintf(f, "\n%s: %llu IPs x %u ports, %llu probes, %llu replies: %llu open, %llu closed, "
		   "%llu filtered",
		s->interrupted ? "Scan interrupted" : "Scan done", (unsigned long long)s->ips,
		s->ports, (unsigned long long)s->probes, (unsigned long long)s->replies,
		(unsigned long long)s->state_count[PRT_STATE_OPEN],
		(unsigned long long)s->state_count[PRT_STATE_CLOSED],
		(unsigned long long)s->state_count[PRT_STATE_FILTERED]);
	/* the stealth scans' states, only when they occur */
	for (int st = PRT_STATE_OPEN_FILTERED; st < PRT_STATE_COUNT; st++)
		if (s->state_count[st] > 0)
			fprintf(f, ", %llu %s", (unsigned long long)s->state_count[st],
				prt_state_name((enum prt_state)st));
	fprintf(f, " in %.2f s (sending %.2f s, %.0f probes/s)\n", secs, send,
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
		fprintf(f, "\n%llu host%s did not answer on any scanned port (all %s, "
			   "not listed)\n", (unsigned long long)st->silent, st->silent == 1 ? "" : "s",
			prt_state_name(st->silent_state));
	print_summary(f, s);
	for (size_t i = 0; i < st->size; i++)
		free(st->hosts[i].listed);
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
