/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --metrics ADDR:PORT: GET /metrics in Prometheus's text format (0.0.4),
 * served by libmicrohttpd's own thread (never a datapath lcore; it is
 * created by the main lcore and shares its CPUs). The numbers are the
 * telemetry socket's (pipeline_counters.c), read under telemetry's lock,
 * plus the DPDK port's ethdev counters and the results store's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <rte_ethdev.h>

#include "metrics.h"

struct prt_metrics {
	struct MHD_Daemon *daemon;
	char scan_id[PRT_SCAN_ID_MAX + 1];
	uint16_t port_id;
	struct prt_store *store;
};

/* What a scrape writes into. */
struct page {
	FILE *f;
	const struct prt_metrics *m;
	const char *family;        /**< "prtip_", "prtip_tcp_", "prtip_match_" */
	const struct prt_metric *last; /**< HELP/TYPE once per family of variants */
};

static void header(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void put_metric(void *arg, const struct prt_metric *m, const char *variant, uint64_t v)
{
	struct page *p = arg;
	bool counter = m->kind == PRT_METRIC_COUNTER;
	char name[96], value[32];

	snprintf(name, sizeof(name), "%s%s%s", p->family, m->prom_name ? m->prom_name : m->name,
		counter ? "_total" : "");
	if (m->prom_scale != 0)
		snprintf(value, sizeof(value), "%.3f", (double)v * m->prom_scale);
	else
		snprintf(value, sizeof(value), "%llu", (unsigned long long)v);
	if (p->last != m)
		header(p->f, name, counter ? "counter" : "gauge", m->help);
	p->last = m;
	if (variant != NULL)
		fprintf(p->f, "%s{scan=\"%s\",%s=\"%s\"} %s\n", name, p->m->scan_id, m->label,
			variant, value);
	else
		fprintf(p->f, "%s{scan=\"%s\"} %s\n", name, p->m->scan_id, value);
}

/* Per-lcore series, one family at a time (Prometheus wants them grouped). */
struct lcore_field {
	const char *name, *type, *help;
	size_t offset;             /**< of the value in struct prt_lcore_sample */
	bool tx_only;
};

static const struct lcore_field lcore_fields[] = {
	{"prtip_lcore_packets_total", "counter", "TX lcore: probes sent; RX lcore: packets received",
		offsetof(struct prt_lcore_sample, packets), false},
	{"prtip_lcore_bursts_total", "counter", "burst calls that moved packets",
		offsetof(struct prt_lcore_sample, bursts), false},
	{"prtip_lcore_busy_percent", "gauge", "share of the scan's time the lcore did work",
		offsetof(struct prt_lcore_sample, busy_pct), false},
	{"prtip_lcore_rate_pps", "gauge", "the TX lcore's token bucket rate",
		offsetof(struct prt_lcore_sample, rate), true},
};

struct lcore_pass {
	struct page *p;
	const struct lcore_field *field;
};

static void put_lcore(void *arg, const struct prt_lcore_sample *l)
{
	const struct lcore_pass *lp = arg;
	uint64_t v;

	if (lp->field->tx_only && strcmp(l->role, "tx") != 0)
		return;
	memcpy(&v, (const char *)l + lp->field->offset, sizeof(v));
	fprintf(lp->p->f, "%s{scan=\"%s\",lcore=\"%u\",role=\"%s\",queue=\"%u\"} %llu\n",
		lp->field->name, lp->p->m->scan_id, l->lcore, l->role, l->queue,
		(unsigned long long)v);
}

static void put_scan(struct prt_scan *scan, void *arg)
{
	struct page *p = arg;

	header(p->f, "prtip_scan_running", "gauge", "1 while a scan phase runs");
	fprintf(p->f, "prtip_scan_running{scan=\"%s\"} %d\n", p->m->scan_id, scan != NULL);
	if (scan == NULL)
		return;
	p->family = "prtip_";
	prt_scan_stats_each(scan, put_metric, p);
	p->family = "prtip_tcp_";
	prt_scan_tcp_each(scan, put_metric, p);
	p->family = "prtip_match_";
	prt_scan_match_each(scan, put_metric, p);
	for (size_t i = 0; i < sizeof(lcore_fields) / sizeof(lcore_fields[0]); i++) {
		struct lcore_pass lp = {p, &lcore_fields[i]};
		header(p->f, lcore_fields[i].name, lcore_fields[i].type, lcore_fields[i].help);
		prt_scan_lcores_each(scan, put_lcore, &lp);
	}
}

static void put_port(struct page *p)
{
	static const struct {
		const char *name, *help;
		size_t offset;
	} fields[] = {
		{"prtip_port_rx_packets_total", "packets the port received",
			offsetof(struct rte_eth_stats, ipackets)},
		{"prtip_port_tx_packets_total", "packets the port sent",
			offsetof(struct rte_eth_stats, opackets)},
		{"prtip_port_rx_bytes_total", "bytes received", offsetof(struct rte_eth_stats, ibytes)},
		{"prtip_port_tx_bytes_total", "bytes sent", offsetof(struct rte_eth_stats, obytes)},
		{"prtip_port_rx_missed_total", "packets the NIC dropped: RX queues full",
			offsetof(struct rte_eth_stats, imissed)},
		{"prtip_port_rx_errors_total", "erroneous packets received",
			offsetof(struct rte_eth_stats, ierrors)},
		{"prtip_port_tx_errors_total", "packets the port failed to send",
			offsetof(struct rte_eth_stats, oerrors)},
		{"prtip_port_rx_nombuf_total", "receive mbuf allocation failures",
			offsetof(struct rte_eth_stats, rx_nombuf)},
	};
	struct rte_eth_stats st;

	if (rte_eth_stats_get(p->m->port_id, &st) != 0)
		return;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		uint64_t v;
		memcpy(&v, (const char *)&st + fields[i].offset, sizeof(v));
		header(p->f, fields[i].name, "counter", fields[i].help);
		fprintf(p->f, "%s{scan=\"%s\",port=\"%u\"} %llu\n", fields[i].name, p->m->scan_id,
			p->m->port_id, (unsigned long long)v);
	}
}

static void put_store(struct page *p)
{
	struct prt_store_stats st;

	if (p->m->store == NULL)
		return;
	prt_store_get_stats(p->m->store, &st);
	header(p->f, "prtip_store_rows_total", "counter", "rows the results store committed");
	fprintf(p->f, "prtip_store_rows_total{scan=\"%s\"} %llu\n", p->m->scan_id,
		(unsigned long long)st.rows);
	header(p->f, "prtip_store_lost_total", "counter", "rows the results store dropped");
	fprintf(p->f, "prtip_store_lost_total{scan=\"%s\"} %llu\n", p->m->scan_id,
		(unsigned long long)st.lost);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, char *body,
	size_t len, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body,
		MHD_RESPMEM_MUST_FREE);
	enum MHD_Result rc;

	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
	const char *method, const char *version, const char *upload, size_t *upload_size,
	void **con_cls)
{
	struct page p = {.m = cls};
	char *body = NULL;
	size_t len = 0;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, "GET") != 0 || strcmp(url, "/metrics") != 0) {
		char *msg = strdup("only GET /metrics is served here\n");
		return msg != NULL ? reply(c, MHD_HTTP_NOT_FOUND, msg, strlen(msg), "text/plain") :
				     MHD_NO;
	}
	p.f = open_memstream(&body, &len);
	if (p.f == NULL)
		return MHD_NO;
	prt_telemetry_with_scan(put_scan, &p);
	put_port(&p);
	put_store(&p);
	fclose(p.f);
	return reply(c, MHD_HTTP_OK, body, len, "text/plain; version=0.0.4; charset=utf-8");
}

int prt_metrics_parse_addr(const char *spec, struct sockaddr_storage *sa)
{
	const char *colon = strrchr(spec, ':');
	const char *port_s = colon != NULL ? colon + 1 : spec;
	char host[INET6_ADDRSTRLEN + 2] = "";
	char *end;
	unsigned long port = strtoul(port_s, &end, 10);

	if (*port_s == '\0' || *end != '\0' || port == 0 || port > 65535)
		return -1;
	if (colon != NULL) {
		size_t n = (size_t)(colon - spec);
		if (n >= sizeof(host))
			return -1;
		memcpy(host, spec, n);
		host[n] = '\0';
	}
	memset(sa, 0, sizeof(*sa));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
		host[strlen(host) - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	if (host[0] == '\0') { /* ":9464" or "9464": every address */
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
		return 0;
	}
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : -1;
}

int prt_metrics_start(struct prt_metrics **out, const char *spec, const char *scan_id,
	uint16_t port_id, struct prt_store *store, char *err, size_t errlen)
{
	struct prt_metrics *m = calloc(1, sizeof(*m));
	struct sockaddr_storage sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;

	*out = NULL;
	if (m == NULL || prt_metrics_parse_addr(spec, &sa) != 0) {
		snprintf(err, errlen, "%s", m == NULL ? "out of memory" : "not ADDR:PORT");
		free(m);
		return -EINVAL;
	}
	snprintf(m->scan_id, sizeof(m->scan_id), "%s", scan_id);
	m->port_id = port_id;
	m->store = store;
	if (sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	m->daemon = MHD_start_daemon(flags, ntohs(((struct sockaddr_in *)&sa)->sin_port), NULL,
		NULL, handle, m, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
		MHD_OPTION_END);
	if (m->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s (in use, or not an address here)", spec);
		free(m);
		return -EADDRINUSE;
	}
	*out = m;
	return 0;
}

void prt_metrics_stop(struct prt_metrics *m)
{
	if (m == NULL)
		return;
	MHD_stop_daemon(m->daemon);
	free(m);
}
