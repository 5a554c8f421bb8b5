/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stored rows back into the records the rest of the program knows: a
 * scan's runs summed up, a result, a banner with its service and
 * certificate. Names (state, reason, protocol) are looked up against the
 * same functions that wrote them, so the two cannot drift apart.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"

struct pick {
	const char *want; /* "latest", "previous" */
	char *id;
	size_t len;
	unsigned seen;
};

static int pick_row(void *arg, unsigned n, const char *const *v)
{
	struct pick *p = arg;
	unsigned index = strcmp(p->want, "previous") == 0 ? 1 : 0;

	(void)n;
	if (p->seen++ == index) {
		snprintf(p->id, p->len, "%s", v[0]);
		return 1;
	}
	return 0;
}

static int count_row(void *arg, unsigned n, const char *const *v)
{
	(void)n;
	*(unsigned long long *)arg = strtoull(v[0] ? v[0] : "0", NULL, 10);
	return 0;
}

int db_resolve_scan(struct db_ctx *x, const char *name, char *id, size_t len)
{
	unsigned long long count = 0;
	const char *p[] = {name};

	if (strcmp(name, "latest") == 0 || strcmp(name, "previous") == 0) {
		struct pick pk = {name, id, len, 0};
		int rc = db_query(x, "SELECT scan FROM scans GROUP BY scan "
				     "ORDER BY MIN(started_ns) DESC", NULL, 0, pick_row, &pk);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			fprintf(stderr, "dpdk-prtip db: %s: the store has %s scan\n", name,
				pk.seen == 0 ? "no" : "only one");
			return -1;
		}
		return 0;
	}
	if (db_query(x, "SELECT COUNT(*) FROM scans WHERE scan = $1", p, 1, count_row, &count) <
	    0)
		return -1;
	if (count == 0) {
		fprintf(stderr, "dpdk-prtip db: no scan '%s' in %s (see dpdk-prtip db list)\n",
			name, x->url);
		return -1;
	}
	snprintf(id, len, "%s", name);
	return 0;
}

/* The worst status of the shards: one still running makes the scan running. */
static int status_rank(const char *s)
{
	static const char *const order[] = {"done", "interrupted", "failed", "running"};

	for (int i = 3; i >= 0; i--)
		if (s != NULL && strcmp(s, order[i]) == 0)
			return i;
	return 3;
}

static int info_row(void *arg, unsigned n, const char *const *v)
{
	struct db_scan_info *in = arg;
	unsigned long long start = strtoull(v[0] ? v[0] : "0", NULL, 10);
	unsigned long long end = strtoull(v[1] ? v[1] : "0", NULL, 10);

	(void)n;
	if (in->shards == 0 || start < in->start_ns) {
		in->start_ns = start;
		snprintf(in->cmdline, sizeof(in->cmdline), "%s", v[3] ? v[3] : "");
		snprintf(in->version, sizeof(in->version), "%s", v[4] ? v[4] : "");
	}
	if (end > in->end_ns)
		in->end_ns = end;
	if (in->shards == 0 || status_rank(v[2]) > status_rank(in->status))
		snprintf(in->status, sizeof(in->status), "%s", v[2] ? v[2] : "running");
	in->probes += strtoull(v[5] ? v[5] : "0", NULL, 10);
	in->replies += strtoull(v[6] ? v[6] : "0", NULL, 10);
	/* a shard scans its share of the targets, and the count is the whole */
	in->targets = strtoull(v[7] ? v[7] : "0", NULL, 10);
	in->ports = (unsigned)strtoul(v[8] ? v[8] : "0", NULL, 10);
	in->shards++;
	return 0;
}

int db_scan_info(struct db_ctx *x, const char *id, struct db_scan_info *info)
{
	const char *p[] = {id};

	memset(info, 0, sizeof(*info));
	return db_query(x, "SELECT started_ns, ended_ns, status, cmdline, version, probes, "
			   "replies, targets, ports FROM scans WHERE scan = $1 ORDER BY shard", p, 1, info_row,
		info) < 0 ? -1 : 0;
}

bool db_state_of(const char *name, uint8_t *state)
{
	for (unsigned s = 0; name != NULL && s < PRT_STATE_COUNT; s++)
		if (strcmp(prt_state_name(s), name) == 0) {
			*state = (uint8_t)s;
			return true;
		}
	return false;
}

static struct prt_addr addr_of(const char *ip)
{
	struct prt_addr a = {{0}};
	struct in_addr v4;

	if (ip != NULL && inet_pton(AF_INET, ip, &v4) == 1)
		return prt_addr_from_v4(ntohl(v4.s_addr));
	if (ip != NULL)
		inet_pton(AF_INET6, ip, a.b);
	return a;
}

static unsigned num(const char *v)
{
	return v != NULL ? (unsigned)strtoul(v, NULL, 10) : 0;
}

void db_result_of_row(const char *ip, const char *proto, const char *port, const char *state,
	const char *reason, const char *ttl, const char *itype, const char *icode,
	const char *ts, struct prt_result *r)
{
	memset(r, 0, sizeof(*r));
	r->addr = addr_of(ip);
	r->proto = (uint8_t)num(proto);
	r->port = (uint16_t)num(port);
	r->ttl = (uint8_t)num(ttl);
	r->icmp_type = (uint8_t)num(itype);
	r->icmp_code = (uint8_t)num(icode);
	r->ts = ts != NULL ? strtoull(ts, NULL, 10) : 0;
	if (!db_state_of(state, &r->state))
		r->state = PRT_STATE_FILTERED;
	/* the reason whose name, with this ICMP type and code, is the stored one */
	for (unsigned why = 0; why < PRT_REASON_COUNT; why++) {
		r->reason = (uint8_t)why;
		if (reason != NULL && strcmp(prt_reason_name(r), reason) == 0)
			return;
	}
	r->reason = PRT_REASON_NO_RESPONSE;
}

/* Every (ip, proto, port) with a banner, a service or a certificate, once. */
const char db_banner_sql[] =
	"SELECT k.ip, k.proto, k.port, b.probed, b.banner, "
	"s.name, s.product, s.version, s.info, s.hostname, s.ostype, s.devicetype, s.cpe, "
	"s.tunnel, s.method, "
	"c.ok, c.error, c.tls_version, c.subject, c.issuer, c.san, c.not_before, c.not_after, "
	"c.key_type, c.key_bits, c.sig_alg, c.md5, c.sha1, c.ja4s, c.jarm, "
	"COALESCE(b.ts_ns, s.ts_ns, c.ts_ns) "
	"FROM (SELECT ip, proto, port FROM banners WHERE scan = $1 "
	"UNION SELECT ip, proto, port FROM services WHERE scan = $1 "
	"UNION SELECT ip, proto, port FROM certificates WHERE scan = $1) k "
	"LEFT JOIN banners b ON b.scan = $1 AND b.ip = k.ip AND b.proto = k.proto AND "
	"b.port = k.port "
	"LEFT JOIN services s ON s.scan = $1 AND s.ip = k.ip AND s.proto = k.proto AND "
	"s.port = k.port "
	"LEFT JOIN certificates c ON c.scan = $1 AND c.ip = k.ip AND c.proto = k.proto AND "
	"c.port = k.port "
	"ORDER BY 31";

#define COPY(dst, v) snprintf((dst), sizeof(dst), "%s", (v) != NULL ? (v) : "")

/* prt_banner_escape's text back to bytes. */
static uint16_t unescape(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s != NULL && *s && n < cap) {
		if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = {s[2], s[3], 0};
			out[n++] = (uint8_t)strtoul(hex, NULL, 16);
			s += 4;
		} else if (s[0] == '\\' && s[1]) {
			out[n++] = s[1] == 'r' ? '\r' : s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : s[1];
			s += 2;
		} else {
			out[n++] = (uint8_t)*s++;
		}
	}
	return (uint16_t)n;
}

static void service_of_row(const char *const *v, struct prt_service_info *svc)
{
	char cpe[sizeof(svc->cpe) + 4], *save = NULL;

	COPY(svc->service, v[0]);
	COPY(svc->product, v[1]);
	COPY(svc->version, v[2]);
	COPY(svc->info, v[3]);
	COPY(svc->hostname, v[4]);
	COPY(svc->ostype, v[5]);
	COPY(svc->devicetype, v[6]);
	COPY(cpe, v[7]);
	for (char *t = strtok_r(cpe, " ", &save); t != NULL && svc->ncpe < 4;
	     t = strtok_r(NULL, " ", &save))
		COPY(svc->cpe[svc->ncpe++], t);
	COPY(svc->tunnel, v[8]);
	svc->soft = v[9] != NULL && strcmp(v[9], "soft") == 0;
}

static void cert_of_row(const char *const *v, struct prt_cert_info *c)
{
	c->ok = (uint8_t)num(v[0]);
	COPY(c->error, v[1]);
	COPY(c->tls_version, v[2]);
	COPY(c->subject, v[3]);
	COPY(c->issuer, v[4]);
	COPY(c->san, v[5]);
	COPY(c->not_before, v[6]);
	COPY(c->not_after, v[7]);
	COPY(c->key_type, v[8]);
	c->key_bits = num(v[9]);
	COPY(c->sig_alg, v[10]);
	COPY(c->md5, v[11]);
	COPY(c->sha1, v[12]);
	COPY(c->ja4s, v[13]);
	COPY(c->jarm, v[14]);
}

void db_banner_of_row(const char *const *v, struct prt_banner *b)
{
	memset(b, 0, sizeof(*b));
	b->addr = addr_of(v[0]);
	b->proto = (uint8_t)num(v[1]);
	b->port = (uint16_t)num(v[2]);
	b->probed = (uint8_t)num(v[3]);
	b->len = unescape(v[4], b->data, sizeof(b->data));
	b->has_svc = v[5] != NULL;
	if (b->has_svc)
		service_of_row(v + 5, &b->svc);
	b->has_cert = v[15] != NULL;
	if (b->has_cert)
		cert_of_row(v + 15, &b->cert);
	b->ts = v[30] != NULL ? strtoull(v[30], NULL, 10) : 0;
}
