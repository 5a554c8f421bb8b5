/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connections for -sT and --banners: size each RX lcore's table, set the
 * TCP and conversation timings from the options, and make the tables.
 */
#include <netinet/in.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "prt_match.h"
#include "prt_tls.h"
#include "run.h"

#define CONNS_MIN 1024u
#define CONNS_MAX 65536u

/* Room for every connection one RX lcore can have open at once: its share
 * of the probes over one connection lifetime (if every port were open),
 * bounded; --max-connections overrides. */
static uint32_t table_size(const struct prt_scan *s, const struct prt_app_conf *c)
{
	double per_rx;

	if (c->max_conns != 0)
		return (uint32_t)c->max_conns;
	per_rx = (double)s->rate / s->n_rx * c->conn_timeout_s;
	if (s->rate == 0 || per_rx > CONNS_MAX)
		return CONNS_MAX;
	return per_rx < CONNS_MIN ? CONNS_MIN : (uint32_t)per_rx;
}

/* --max-tls-memory over the RX lcores, in clients a hostile server could
 * each fill to PRT_TLS_SESSION_COST; at least one per lcore. */
static uint32_t tls_clients(const struct prt_scan *s, const struct prt_app_conf *c)
{
	uint64_t n = c->max_tls_memory / s->n_rx / PRT_TLS_SESSION_COST;

	return n == 0 ? 1 : n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static bool probe_for(const void *ctx, uint16_t port, const uint8_t **data, uint32_t *len)
{
	const struct prt_sp_probe *p = prt_sp_probe_for_port(ctx, IPPROTO_TCP, port);

	if (p == NULL)
		return false;
	*data = p->data;
	*len = p->len;
	return true;
}

int prt_run_setup_sessions(struct prt_scan *s, const struct prt_app_conf *c)
{
	const uint32_t cap = table_size(s, c);

	s->sessions = c->arms[0].probe->connects || c->banners || c->version_tcp || c->ssl_cert;
	s->cls.sessions = s->sessions;
	if (!s->sessions)
		return 0;
	s->tcp = (struct prt_tcp_conf){
		.capacity = cap,
		.hz = rte_get_tsc_hz(),
		.timeout_ms = (uint32_t)(c->conn_timeout_s * 1000),
		.rto_ms = 1000, /* RFC 6298 2.1 */
		.max_retx = 3,
		.rcv_window = 65535,
		.mss = 1460,
	};
	s->service = (struct prt_service_conf){
		.capacity = cap,
		.hz = rte_get_tsc_hz(),
		.grab = c->banners || c->version_tcp || c->ssl_cert,
		.hello_ms = (uint32_t)(c->banner_wait_s * 1000),
		.probe_ms = (uint32_t)(c->banner_wait_s * 1000),
		.quiet_ms = 300,
		.probe_for = c->have_service_probes ? probe_for : NULL,
		.probe_ctx = &c->service_probes,
		.matcher = c->matcher,
		.probes = &c->service_probes,
		.intensity = c->intensity,
		.sport_base = c->sport_base,
		.sport_count = c->sport_count,
		.parallel = 32,
		.launch_ms = 1000,
		.serial_ms = 250, /* after two of the launch's round trips */
		.job_ms = 60000,
		.sni = c->sni,
		.tls_max = tls_clients(s, c),
		.version_certs = c->version_tcp && c->ssl_cert,
		.jarm = c->jarm,
	};
	if (c->ssl_cert || c->version_tcp) { /* -sV goes on inside TLS where a port speaks it */
		s->service.tls = prt_tls_ctx_create();
		if (s->service.tls == NULL) {
			fprintf(stderr, "dpdk-prtip: OpenSSL gave no TLS client context\n");
			return -1;
		}
	}
	if (prt_scan_conns_create(s, (int)rte_socket_id()) != 0) {
		fprintf(stderr, "dpdk-prtip: out of memory for %u connections per RX lcore "
				"(--max-connections sets the number)\n", cap);
		return -1;
	}
	return 0;
}
