/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip db diff A B: nmap's ndiff for stored scans. Lines start with
 * '+' (new in B), '-' (gone from A) or '~' (changed), host by host:
 *   +198.19.0.9              host answers
 *   -198.19.0.7              host no longer answers
 *   +198.19.0.5 8080/tcp     open http-proxy
 *   -198.19.0.5 21/tcp       no longer open (was ftp)
 *   ~198.19.0.5 22/tcp       ssh: OpenSSH 9.1 -> OpenSSH 9.2
 *   ~198.19.0.5 443/tcp      certificate: sha1 A -> sha1 B (subject, not after)
 * Exit 0 when nothing changed, 1 when something did, 2 on trouble (diff(1)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

struct open_port {
	struct prt_addr addr;
	uint8_t proto;
	uint16_t port;
	char ip[PRT_ADDR_STRLEN];
	char service[48];
	char version[300];
	char sha1[48];
	char cert[320];
};

struct scan_side {
	struct open_port *p;
	size_t n, cap;
	struct prt_addr *hosts;
	size_t nhosts, hcap;
};

static bool grow(void **a, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? 2 * *cap : 256;
	void *more;

	if (n < *cap)
		return true;
	more = realloc(*a, want * size);
	if (more == NULL)
		return false;
	*a = more;
	*cap = want;
	return true;
}

static int port_row(void *arg, unsigned n, const char *const *v)
{
	struct scan_side *s = arg;
	struct prt_service_info svc = {0};
	struct prt_result r;
	struct open_port *o;

	(void)n;
	if (!grow((void **)&s->p, &s->cap, s->n, sizeof(*s->p)))
		return -1;
	o = &s->p[s->n++];
	memset(o, 0, sizeof(*o));
	db_result_of_row(v[0], v[1], v[2], "open", NULL, NULL, NULL, NULL, NULL, &r);
	o->addr = r.addr;
	o->proto = r.proto;
	o->port = r.port;
	snprintf(o->ip, sizeof(o->ip), "%s", v[0] ? v[0] : "");
	snprintf(o->service, sizeof(o->service), "%s", v[3] ? v[3] : "");
	snprintf(svc.product, sizeof(svc.product), "%s", v[4] ? v[4] : "");
	snprintf(svc.version, sizeof(svc.version), "%s", v[5] ? v[5] : "");
	snprintf(svc.info, sizeof(svc.info), "%s", v[6] ? v[6] : "");
	prt_service_version_text(&svc, o->version, sizeof(o->version));
	snprintf(o->sha1, sizeof(o->sha1), "%s", v[7] ? v[7] : "");
	snprintf(o->cert, sizeof(o->cert), "%s, not valid after %s", v[8] ? v[8] : "",
		v[9] ? v[9] : "?");
	return 0;
}

static int host_row(void *arg, unsigned n, const char *const *v)
{
	struct scan_side *s = arg;
	struct prt_result r;

	(void)n;
	if (!grow((void **)&s->hosts, &s->hcap, s->nhosts, sizeof(*s->hosts)))
		return -1;
	db_result_of_row(v[0], NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &r);
	s->hosts[s->nhosts++] = r.addr;
	return 0;
}

static int cmp_port(const void *a, const void *b)
{
	const struct open_port *x = a, *y = b;
	int c = prt_addr_cmp(&x->addr, &y->addr);

	if (c != 0)
		return c;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

static int cmp_addr(const void *a, const void *b)
{
	return prt_addr_cmp(a, b);
}

static int load(struct db_ctx *x, const char *id, struct scan_side *s)
{
	const char *p[] = {id};

	if (db_query(x, "SELECT p.ip, p.proto, p.port, s.name, s.product, s.version, s.info, "
			"c.sha1, c.subject, c.not_after FROM ports p "
			"LEFT JOIN services s ON s.scan = p.scan AND s.ip = p.ip AND "
			"s.proto = p.proto AND s.port = p.port "
			"LEFT JOIN certificates c ON c.scan = p.scan AND c.ip = p.ip AND "
			"c.proto = p.proto AND c.port = p.port "
			"WHERE p.scan = $1 AND p.state = 'open'", p, 1, port_row, s) != 0 ||
	    db_query(x, "SELECT DISTINCT ip FROM ports WHERE scan = $1 UNION "
			"SELECT ip FROM hosts WHERE scan = $1 AND state = 'up'", p, 1, host_row,
		s) != 0)
		return -1;
	qsort(s->p, s->n, sizeof(*s->p), cmp_port);
	qsort(s->hosts, s->nhosts, sizeof(*s->hosts), cmp_addr);
	return 0;
}

struct tally {
	unsigned hosts_new, hosts_gone, opened, closed, services, certs;
};

static void diff_hosts(FILE *f, const struct scan_side *a, const struct scan_side *b,
	struct tally *t)
{
	size_t i = 0, j = 0;
	char ip[PRT_ADDR_STRLEN];

	while (i < a->nhosts || j < b->nhosts) {
		int c = i == a->nhosts ? 1 : j == b->nhosts ? -1 :
					   prt_addr_cmp(&a->hosts[i], &b->hosts[j]);
		if (c < 0) {
			fprintf(f, "-%-24s host no longer answers\n",
				prt_addr_str(&a->hosts[i++], ip, sizeof(ip)));
			t->hosts_gone++;
		} else if (c > 0) {
			fprintf(f, "+%-24s host answers\n",
				prt_addr_str(&b->hosts[j++], ip, sizeof(ip)));
			t->hosts_new++;
		} else {
			i++, j++;
		}
	}
}

static void both_open(FILE *f, const struct open_port *a, const struct open_port *b,
	const char *where, struct tally *t)
{
	if (strcmp(a->service, b->service) != 0 || strcmp(a->version, b->version) != 0) {
		fprintf(f, "~%-24s %s: %s%s%s -> %s%s%s\n", b->ip, where, a->service,
			a->version[0] ? " " : "", a->version, b->service, b->version[0] ? " " : "",
			b->version);
		t->services++;
	}
	if (strcmp(a->sha1, b->sha1) != 0) {
		fprintf(f, "~%-24s %s: certificate sha1 %s -> %s (%s)\n", b->ip, where,
			a->sha1[0] ? a->sha1 : "none", b->sha1[0] ? b->sha1 : "none", b->cert);
		t->certs++;
	}
}

static void diff_ports(FILE *f, const struct scan_side *a, const struct scan_side *b,
	struct tally *t)
{
	size_t i = 0, j = 0;
	char where[32];

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : cmp_port(&a->p[i], &b->p[j]);
		const struct open_port *o = c < 0 ? &a->p[i] : &b->p[j];

		snprintf(where, sizeof(where), "%u/%s", o->port, prt_proto_name(o->proto));
		if (c < 0) {
			fprintf(f, "-%-24s %s no longer open%s%s%s\n", o->ip, where,
				o->service[0] ? " (was " : "", o->service, o->service[0] ? ")" : "");
			t->closed++;
			i++;
		} else if (c > 0) {
			fprintf(f, "+%-24s %s open %s%s%s\n", o->ip, where, o->service,
				o->version[0] ? " " : "", o->version);
			t->opened++;
			j++;
		} else {
			both_open(f, &a->p[i++], &b->p[j++], where, t);
		}
	}
}

static void side_free(struct scan_side *s)
{
	free(s->p);
	free(s->hosts);
}

int db_diff(struct db_ctx *x, char **args)
{
	char a_id[PRT_SCAN_ID_MAX + 1], b_id[PRT_SCAN_ID_MAX + 1];
	struct scan_side a = {0}, b = {0};
	struct tally t = {0};
	int rc = 2;

	if (db_resolve_scan(x, args[0], a_id, sizeof(a_id)) != 0 ||
	    db_resolve_scan(x, args[1], b_id, sizeof(b_id)) != 0 || load(x, a_id, &a) != 0 ||
	    load(x, b_id, &b) != 0)
		goto out;
	fprintf(x->out, "--- %s\n+++ %s\n", a_id, b_id);
	diff_hosts(x->out, &a, &b, &t);
	diff_ports(x->out, &a, &b, &t);
	fprintf(x->out, "%u host%s new, %u gone; %u port%s opened, %u no longer open; "
			"%u service%s changed, %u certificate%s changed\n",
		t.hosts_new, t.hosts_new == 1 ? "" : "s", t.hosts_gone, t.opened,
		t.opened == 1 ? "" : "s", t.closed, t.services, t.services == 1 ? "" : "s", t.certs,
		t.certs == 1 ? "" : "s");
	rc = t.hosts_new + t.hosts_gone + t.opened + t.closed + t.services + t.certs ? 1 : 0;
out:
	side_free(&a);
	side_free(&b);
	return rc;
}
