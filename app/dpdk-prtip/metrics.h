/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_METRICS_H
#define PRT_METRICS_H

/* --metrics ADDR:PORT: the scan's counters for Prometheus (metrics.c). */

#include <stdint.h>
#include <sys/socket.h>

#include "prt_events.h"
#include "prt_pipeline.h"
#include "prt_store.h"

struct prt_metrics;

/** "127.0.0.1:9464", "[::1]:9464", ":9464" or "9464" (every address). @return 0 or -1 */
int prt_metrics_parse_addr(const char *spec, struct sockaddr_storage *sa);

/**
 * Serve GET /metrics on @p spec from a thread of libmicrohttpd's: the running
 * scan's counters (labelled scan=@p scan_id), DPDK port @p port_id's, and
 * @p store's (may be NULL). @return 0 or -errno with @p err set
 */
int prt_metrics_start(struct prt_metrics **m, const char *spec, const char *scan_id,
	uint16_t port_id, struct prt_store *store, char *err, size_t errlen);

void prt_metrics_stop(struct prt_metrics *m);

#endif
