/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip db report SCAN -o report.html: one self-contained page (inline
 * CSS, SVG and a few lines of script for tooltips; nothing fetched) with the
 * scan's summary, its rate and replies over time (the progress events),
 * answers by state for the busiest ports, the top services, certificate
 * expiry, and the open ports.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "db.h"
#include "db_svg.h"

#define MAX_POINTS 4096
#define TOP_PORTS 20
#define TOP_SERVICES 15
#define MAX_CERTS 30

struct report {
	struct db_ctx *x;
	FILE *f;
	const char *id;
	struct db_scan_info in;
	struct prt_service_names services;
	bool have_services;
};

/* A number field of one of our event lines ("pps":123). */
static double field(const char *json, const char *key)
{
	char pat[40];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = json != NULL ? strstr(json, pat) : NULL;
	return p != NULL ? strtod(p + strlen(pat), NULL) : 0;
}

struct timeline {
	double x[MAX_POINTS], pps[MAX_POINTS], rps[MAX_POINTS];
	unsigned n;
	char shard[24];
	double last_t, last_replies;
	unsigned long long start_ns;
};

static int progress_row(void *arg, unsigned ncol, const char *const *v)
{
	struct timeline *t = arg;
	double elapsed = field(v[2], "elapsed_s"), replies = field(v[2], "replies");
	bool same = v[0] != NULL && strcmp(v[0], t->shard) == 0;

	(void)ncol;
	if (t->n == MAX_POINTS)
		return 0;
	/* replies per second between two progress events of one shard */
	if (same && elapsed > t->last_t) {
		t->x[t->n] = (strtod(v[1], NULL) - (double)t->start_ns) / 1e9;
		t->pps[t->n] = field(v[2], "pps");
		t->rps[t->n] = (replies - t->last_replies) / (elapsed - t->last_t);
		t->n++;
	}
	snprintf(t->shard, sizeof(t->shard), "%s", v[0] ? v[0] : "");
	t->last_t = elapsed;
	t->last_replies = replies;
	return 0;
}

static int rate_chart(struct report *r)
{
	struct timeline *t = calloc(1, sizeof(*t));
	const char *p[] = {r->id};
	int rc;

	if (t == NULL)
		return -1;
	t->start_ns = r->in.start_ns;
	t->last_t = -1;
	rc = db_query(r->x, "SELECT shard, ts_ns, body FROM events WHERE scan = $1 AND "
			    "event = 'progress' ORDER BY shard, ts_ns, seq", p, 1, progress_row, t);
	if (rc == 0 && t->n > 0) {
		struct svg_series s[] = {{"probes/s", "#1f77b4", t->x, t->pps, t->n},
					 {"replies/s", "#ff7f0e", t->x, t->rps, t->n}};
		svg_lines(r->f, "Rate and replies over time (progress events)", "s", s, 2);
	} else if (rc == 0) {
		fputs("<p class=\"none\">No progress events were stored (a scan shorter than "
		      "one progress interval).</p>\n", r->f);
	}
	free(t);
	return rc;
}

/* nmap-services' name of a port, or "". */
static const char *port_name(const struct report *r, unsigned port, unsigned proto)
{
	const char *n = r->have_services ? prt_service_name(&r->services, (uint8_t)proto,
						   (uint16_t)port) : NULL;
	return n != NULL ? n : "";
}

static const char *const state_parts[] = {"open", "closed", "filtered", "open|filtered",
	"unfiltered"};
static const char *const state_colors[] = {"#2ca02c", "#d62728", "#7f7f7f", "#bcbd22",
	"#17becf"};

struct port_states {
	struct {
		unsigned port, proto;
		double n[5], total;
		char label[64];
	} p[TOP_PORTS * 8];
	unsigned n;
};

static int port_state_row(void *arg, unsigned ncol, const char *const *v)
{
	struct port_states *ps = arg;
	unsigned port = (unsigned)atoi(v[0]), proto = (unsigned)atoi(v[1]), i;
	uint8_t state;

	(void)ncol;
	for (i = 0; i < ps->n; i++)
		if (ps->p[i].port == port && ps->p[i].proto == proto)
			break;
	if (i == ps->n) {
		if (ps->n == sizeof(ps->p) / sizeof(ps->p[0]))
			return 0;
		ps->n++;
		ps->p[i].port = port;
		ps->p[i].proto = proto;
	}
	if (db_state_of(v[2], &state) && state <= PRT_STATE_UNFILTERED) {
		ps->p[i].n[state] += atof(v[3]);
		ps->p[i].total += atof(v[3]);
	}
	return 0;
}

static int states_chart(struct report *r)
{
	struct port_states *ps = calloc(1, sizeof(*ps));
	const char *p[] = {r->id}, *labels[TOP_PORTS];
	double values[TOP_PORTS * 5];
	unsigned n;
	int rc;

	if (ps == NULL)
		return -1;
	/* the ports with the most answers (open ones first among equals) */
	rc = db_query(r->x, "SELECT port, proto, state, COUNT(*) FROM ports WHERE scan = $1 AND "
			    "port IN (SELECT port FROM ports WHERE scan = $1 GROUP BY port "
			    "ORDER BY SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END) DESC, "
			    "COUNT(*) DESC, port LIMIT 20) GROUP BY port, proto, state "
			    "ORDER BY port, proto", p, 1, port_state_row, ps);
	n = ps->n < TOP_PORTS ? ps->n : TOP_PORTS;
	for (unsigned i = 0; i < n; i++) {
		snprintf(ps->p[i].label, sizeof(ps->p[i].label), "%u/%s %s", ps->p[i].port,
			prt_proto_name((uint8_t)ps->p[i].proto),
			port_name(r, ps->p[i].port, ps->p[i].proto));
		labels[i] = ps->p[i].label;
		memcpy(&values[i * 5], ps->p[i].n, sizeof(ps->p[i].n));
	}
	if (rc == 0 && n > 0)
		svg_stacked(r->f, "Answers by state, per port", labels, values, n, state_parts,
			state_colors, 5);
	free(ps);
	return rc;
}

struct top {
	char label[TOP_SERVICES][96];
	double value[TOP_SERVICES];
	unsigned n;
	const struct report *r;
};

static int top_row(void *arg, unsigned ncol, const char *const *v)
{
	struct top *t = arg;

	if (t->n == TOP_SERVICES)
		return 1;
	if (ncol == 2) /* a service name found by -sV */
		snprintf(t->label[t->n], sizeof(t->label[0]), "%s", v[0] ? v[0] : "?");
	else /* no -sV: the open port, named by nmap-services */
		snprintf(t->label[t->n], sizeof(t->label[0]), "%s/%s %s", v[0],
			prt_proto_name((uint8_t)atoi(v[1])),
			port_name(t->r, (unsigned)atoi(v[0]), (unsigned)atoi(v[1])));
	t->value[t->n++] = atof(v[ncol - 1]);
	return 0;
}

static int services_chart(struct report *r)
{
	struct top t = {.r = r};
	const char *p[] = {r->id}, *labels[TOP_SERVICES];
	int rc;

	rc = db_query(r->x, "SELECT CASE WHEN tunnel <> '' THEN tunnel || '/' || name ELSE name "
			    "END, COUNT(*) FROM services WHERE scan = $1 GROUP BY 1 "
			    "ORDER BY 2 DESC, 1", p, 1, top_row, &t);
	if (rc >= 0 && t.n == 0)
		rc = db_query(r->x, "SELECT port, proto, COUNT(*) FROM ports WHERE scan = $1 AND "
				    "state = 'open' GROUP BY port, proto ORDER BY 3 DESC, 1",
			p, 1, top_row, &t);
	for (unsigned i = 0; i < t.n; i++)
		labels[i] = t.label[i];
	if (rc >= 0 && t.n > 0)
		svg_bars(r->f, "Top services (open ports)", labels, t.value, t.n, "ports");
	return rc < 0 ? -1 : 0;
}

struct certs {
	char label[MAX_CERTS][128];
	char row[MAX_CERTS][768];
	double days[MAX_CERTS];
	unsigned n;
	time_t now;
	FILE *f;
};

static int cert_row(void *arg, unsigned ncol, const char *const *v)
{
	struct certs *c = arg;
	struct tm tm = {0};
	char *end;

	(void)ncol;
	if (c->n == MAX_CERTS)
		return 1;
	end = v[3] != NULL ? strptime(v[3], "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	c->days[c->n] = end != NULL ? difftime(timegm(&tm), c->now) / 86400.0 : 0;
	c->days[c->n] = round(c->days[c->n] * 10) / 10;
	snprintf(c->label[c->n], sizeof(c->label[0]), "%s:%s", v[0] ? v[0] : "?",
		v[1] ? v[1] : "?");
	snprintf(c->row[c->n], sizeof(c->row[0]), "%s", v[2] ? v[2] : "");
	c->n++;
	return 0;
}

static int certs_chart(struct report *r)
{
	struct certs *c = calloc(1, sizeof(*c));
	const char *p[] = {r->id}, *labels[MAX_CERTS];
	int rc;

	if (c == NULL)
		return -1;
	c->now = (time_t)(r->in.start_ns / 1000000000ull);
	rc = db_query(r->x, "SELECT ip, port, subject, not_after FROM certificates WHERE "
			    "scan = $1 AND ok = 1 ORDER BY not_after, ip, port", p, 1, cert_row, c);
	for (unsigned i = 0; i < c->n; i++)
		labels[i] = c->label[i];
	if (rc >= 0 && c->n > 0) {
		svg_bars(r->f, "Certificate expiry: days from the scan to notAfter (soonest first)",
			labels, c->days, c->n, "days");
		fputs("<table><tr><th>where</th><th>days left</th><th>subject</th></tr>\n", r->f);
		for (unsigned i = 0; i < c->n; i++) {
			fprintf(r->f, "<tr class=\"%s\"><td>", c->days[i] < 30 ? "soon" : "");
			svg_escape(r->f, c->label[i]);
			fprintf(r->f, "</td><td>%.1f</td><td>", c->days[i]);
			svg_escape(r->f, c->row[i]);
			fputs("</td></tr>\n", r->f);
		}
		fputs("</table>\n", r->f);
	}
	free(c);
	return rc < 0 ? -1 : 0;
}

static int open_row(void *arg, unsigned ncol, const char *const *v)
{
	FILE *f = arg;

	fputs("<tr>", f);
	for (unsigned i = 0; i < ncol; i++) {
		fputs("<td>", f);
		svg_escape(f, v[i] ? v[i] : "");
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
	return 0;
}

static int open_table(struct report *r)
{
	const char *p[] = {r->id};

	fputs("<h2>Open ports</h2>\n<table><tr><th>ip</th><th>port</th><th>reason</th>"
	      "<th>service</th><th>product</th><th>version</th></tr>\n", r->f);
	if (db_query(r->x, "SELECT p.ip, p.port || '/' || CASE p.proto WHEN 6 THEN 'tcp' "
			   "WHEN 17 THEN 'udp' WHEN 132 THEN 'sctp' ELSE 'ip' END, p.reason, "
			   "s.name, s.product, s.version FROM ports p LEFT JOIN services s ON "
			   "s.scan = p.scan AND s.ip = p.ip AND s.proto = p.proto AND "
			   "s.port = p.port WHERE p.scan = $1 AND p.state = 'open' "
			   "ORDER BY p.ip, p.port LIMIT 1000", p, 1, open_row, r->f) < 0)
		return -1;
	fputs("</table>\n", r->f);
	return 0;
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}"
	"h1{font-size:1.5em}table{border-collapse:collapse;margin:1em 0}"
	"td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}tr.soon td{color:#b00}"
	"svg{width:100%;height:auto;background:#fafafa}figure{margin:1.5em 0}"
	"figcaption{font-weight:600}.grid{stroke:#ddd}.axis,.label,.legend{font-size:12px}"
	".series{fill:none;stroke-width:2}.bar{fill:#1f77b4}.bar.neg{fill:#d62728}"
	"#tip{position:fixed;background:#333;color:#fff;padding:2px 6px;border-radius:3px;"
	"font-size:12px;pointer-events:none;display:none}.none{color:#777}";

/* Tooltips from data-tip; the last line says the page ran to its end. */
static const char script[] =
	"(function(){var tip=document.getElementById('tip');"
	"document.querySelectorAll('[data-tip]').forEach(function(e){"
	"e.addEventListener('mousemove',function(ev){tip.textContent=e.getAttribute('data-tip');"
	"tip.style.left=(ev.clientX+12)+'px';tip.style.top=(ev.clientY+12)+'px';"
	"tip.style.display='block';});"
	"e.addEventListener('mouseleave',function(){tip.style.display='none';});});"
	"document.body.setAttribute('data-ready','yes');})();";

static void summary(struct report *r)
{
	char when[40];

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
	      "dpdk-prtip scan ", r->f);
	svg_escape(r->f, r->id);
	fprintf(r->f, "</title><style>%s</style></head><body>\n<h1>Scan ", style);
	svg_escape(r->f, r->id);
	prt_output_iso_time(r->in.start_ns, when, sizeof(when));
	fprintf(r->f, "</h1>\n<table><tr><th>status</th><td>%s</td></tr><tr><th>started</th>"
		      "<td>%s</td></tr><tr><th>duration</th><td>%.1f s</td></tr><tr><th>runs "
		      "(shards)</th><td>%u</td></tr><tr><th>targets &times; ports</th><td>%llu "
		      "&times; %u</td></tr><tr><th>probes</th><td>%llu</td></tr><tr><th>replies"
		      "</th><td>%llu</td></tr><tr><th>command</th><td><code>",
		r->in.status, when,
		r->in.end_ns > r->in.start_ns ? (double)(r->in.end_ns - r->in.start_ns) / 1e9 : 0.0,
		r->in.shards, r->in.targets, r->in.ports, r->in.probes, r->in.replies);
	svg_escape(r->f, r->in.cmdline);
	fputs("</code></td></tr></table>\n", r->f);
}

static int write_report(struct report *r)
{
	summary(r);
	if (rate_chart(r) != 0 || states_chart(r) != 0 || services_chart(r) != 0 ||
	    certs_chart(r) != 0 || open_table(r) != 0)
		return -1;
	fprintf(r->f, "<div id=\"tip\"></div>\n<script>%s</script>\n</body></html>\n", script);
	return 0;
}

int db_report(struct db_ctx *x, char **args)
{
	char id[PRT_SCAN_ID_MAX + 1], path[PATH_MAX];
	struct report r = {.x = x, .id = id};
	bool to_stdout = strcmp(x->opath, "-") == 0;
	int rc;

	if (db_resolve_scan(x, args[0], id, sizeof(id)) != 0 || db_scan_info(x, id, &r.in) != 0)
		return PRT_EXIT_RUNTIME;
	r.f = to_stdout ? stdout : fopen(x->opath, "w");
	if (r.f == NULL) {
		perror(x->opath);
		return PRT_EXIT_RUNTIME;
	}
	snprintf(path, sizeof(path), "%s/nmap-services", x->datadir);
	r.have_services = prt_service_names_load(&r.services, path) == 0;
	rc = write_report(&r);
	if (r.have_services)
		prt_service_names_free(&r.services);
	if (fflush(r.f) != 0 || ferror(r.f))
		rc = -1;
	if (!to_stdout && fclose(r.f) != 0)
		rc = -1;
	if (rc != 0 && !to_stdout)
		remove(x->opath);
	return rc == 0 ? 0 : PRT_EXIT_RUNTIME;
}
