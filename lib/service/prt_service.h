/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_SERVICE_H
#define PRT_SERVICE_H

/**
 * @file
 * The conversation on each connection lib/tcp opens: for -sT, none (close
 * as soon as the handshake is done); for --banners, wait for the server to
 * speak first, else send the port's probe, and keep what comes back. It
 * drives lib/tcp through its consumer callbacks and knows nothing of frames.
 *
 * A banner is complete when the server closes, resets, fills the buffer, or
 * stays quiet for quiet_ms after it last sent something; what was received
 * before a reset or timeout is still reported. A server that keeps sending
 * is cut (reset) once the buffer is full, or when it sends more after the
 * banner was complete and we closed.
 */

#include <stdbool.h>
#include <stdint.h>

#include "prt_match.h"
#include "prt_result.h"
#include "prt_tcp.h"

struct prt_service_conf {
	uint32_t capacity;  /**< connections (the tcp table's capacity) */
	uint64_t hz;
	bool grab;          /**< --banners: read what the service says; else close at once */
	uint32_t hello_ms;  /**< how long a server may take to speak first */
	uint32_t probe_ms;  /**< how long it may take to answer our probe */
	uint32_t quiet_ms;  /**< a banner is complete after this long without new bytes */
	/**
	 * The probe to send to @p port when the server does not speak first; its
	 * bytes stay valid for the scan. @return false when there is none
	 */
	bool (*probe_for)(const void *ctx, uint16_t port, const uint8_t **data, uint32_t *len);
	const void *probe_ctx;
	/** A banner is complete (called on the table's lcore). */
	void (*report)(void *ctx, struct prt_banner *b);
	void *report_ctx;

	/* -sV: a matcher makes the conversation nmap's version detection */
	const struct prt_matcher *matcher;
	const struct prt_sp_db *probes;
	uint8_t intensity;      /**< --version-intensity: probes of rarity up to it */
	uint16_t sport_base;    /**< our own connections' source ports: this range */
	uint32_t sport_count;
	uint32_t parallel;      /**< probes of one port on the wire at once */
	uint32_t launch_ms;     /**< how long the NULL probe runs alone first */
	/** after the launch and two of its round trips, how long the port has to
	 * serve one of the probes before it is taken for a server of one
	 * connection at a time (0: never); inside TLS, such a port's NULL probe
	 * waits as long after its handshake */
	uint32_t serial_ms;
	/** a port's walk starts no probe after this long (its connections then
	 * end within --connection-timeout); 0: no bound */
	uint32_t job_ms;

	/* --ssl-cert: a TLS client makes the conversation a handshake for the certificate */
	struct prt_tls_ctx *tls;
	const char *sni;        /**< --sni NAME, else none */
	uint32_t tls_max;       /**< TLS clients alive at once (--max-tls-memory's share); 0: any */
	/** -sV --ssl-cert: a port's answer found inside TLS carries the certificate
	 * of the first handshake of its probes */
	bool version_certs;
	/** --jarm: a port that sent a ServerHello gets JARM's ten hellos before its
	 * record goes (jarm_max ports at once, 0: 1024; the others go without) */
	bool jarm;
	uint32_t jarm_max;
};

/** -sV's counters (one writer: the table's lcore). */
struct prt_service_stats {
	uint64_t ports;        /**< ports whose detection started */
	uint64_t probes_sent;  /**< probe connections opened (the NULL one included) */
	uint64_t matched;      /**< ports identified by a match line */
	uint64_t soft;         /**< ports with a softmatch only */
	uint64_t unmatched;
	uint64_t tcpwrapped;
	uint64_t jobs_full;    /**< ports not probed: no job free */
	uint64_t match_tries;  /**< answers matched (one per try, not per segment) */
	uint64_t match_limit_hits; /**< PCRE2 runs stopped by its limits ("no match") */
	uint64_t tls_live;     /**< TLS clients alive now */
	uint64_t tls_refused;  /**< TLS clients not started: --max-tls-memory was in use */
	uint64_t serial;       /**< ports probed one connection at a time */
	uint64_t jarm;         /**< --jarm: ports fingerprinted */
	uint64_t jarm_skipped; /**< --jarm: TLS ports reported without (jobs busy, scan stopping) */
};

struct prt_service;

const struct prt_service_stats *prt_service_stats(const struct prt_service *s);

/** @return the service, or NULL (errno set) */
struct prt_service *prt_service_create(const struct prt_service_conf *conf);
void prt_service_free(struct prt_service *s);

/** The scan stops: connections are about to be reset, none is opened any more. */
void prt_service_stop(struct prt_service *s);

/** The table whose connections the service talks on (set once, before traffic). */
void prt_service_attach(struct prt_service *s, struct prt_tcp *t);

/* lib/tcp's consumer callbacks (see struct prt_tcp_ops) */
void prt_service_established(struct prt_service *s, struct prt_tcp_conn *c, uint64_t now);
void prt_service_data(struct prt_service *s, struct prt_tcp_conn *c, const uint8_t *d,
	uint32_t len, uint64_t now);
void prt_service_wake(struct prt_service *s, struct prt_tcp_conn *c, uint64_t now);
void prt_service_closed(struct prt_service *s, struct prt_tcp_conn *c, enum prt_tcp_end why);

/** Banners reported so far. */
uint64_t prt_service_reported(const struct prt_service *s);

#endif
