/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SERVICE_PRIV_H
#define SERVICE_PRIV_H

#include "prt_service.h"
#include "prt_tls.h"

enum phase {
	PHASE_HELLO = 0, /* waiting for the server to speak first */
	PHASE_PROBED,    /* our probe is out */
	PHASE_GAVE_UP,   /* nothing came in time: we closed, but late bytes still count */
	PHASE_REPORTED,  /* done: nothing more is kept */
};

/** One connection's side of the conversation. */
struct conv {
	uint8_t phase;
	bool probed;
	uint16_t len;
	uint16_t matched_len; /**< -sV: len when the answer was last matched */
	uint32_t job;     /**< -sV: its job + 1 (0: none) */
	uint16_t entry;   /**< -sV: which probe of the job's plan it carries */
	uint64_t since;   /**< -sV: when it was established; --ssl-cert: its deadline */
	struct tls_conv *tls; /**< --ssl-cert, -sV in TLS: the TLS client of the connection */
	bool probe_out;   /**< -sV in TLS: the probe went out after the handshake */
	bool served;      /**< -sV: the server sent something or closed */
	uint32_t jarm;    /**< --jarm: the port's job + 1 when this carries a hello (0: none) */
	uint8_t buf[PRT_BANNER_MAX];
};

#define FALLBACK_MAX 8

struct vjob;
struct tls_conv;

struct prt_service {
	struct prt_service_conf conf;
	struct prt_tcp *tcp;
	struct conv *convs;       /**< by connection index */
	uint64_t reported;
	uint64_t now;             /**< of the latest callback (lib/tcp's closed has none) */
	/* -sV (service_version.c) */
	struct prt_match_scratch *scratch;
	struct vjob *jobs;
	uint32_t njobs;
	uint32_t free_job;        /**< a hint where to look for a free job */
	uint32_t null_probe;      /**< the NULL probe's number */
	int16_t (*fallbacks)[FALLBACK_MAX]; /**< by probe: its fallbacks' numbers, -1 ends */
	struct prt_service_stats vstats;
	/* --jarm (service_jarm.c) */
	struct jarm_job **jarms;  /**< ports whose hellos are out, by job */
	uint32_t njarms, jarm_live;
	bool stopping;            /**< the scan stops: no connection is opened any more */
};

#define STAT_ADD(s, f) __atomic_store_n(&(s)->vstats.f, (s)->vstats.f + 1, __ATOMIC_RELAXED)

/** A banner record for (@p peer, @p port) at s->now, every flag cleared. */
void service_banner_init(const struct prt_service *s, struct prt_banner *b,
	const struct prt_addr *peer, uint16_t port);
/** Give a finished record to the report callback and count it. */
void service_hand_over(struct prt_service *s, struct prt_banner *b);
/** The source port @p off places after @p base in the range (no other flow uses it). */
uint16_t service_sport(const struct prt_service *s, uint16_t base, uint32_t off);

/* service_jarm.c: --jarm */
/** A TLS port's record: handed over now, or once its JARM is known
 * (@p base_port: the source port of its first connection). */
void service_report_tls(struct prt_service *s, struct prt_banner *b, uint16_t base_port);
/** Does @p v carry one of JARM's hellos? */
bool jarm_conv(const struct prt_service *s, const struct conv *v);
void jarm_established(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	uint64_t now);
void jarm_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now);
void jarm_wake(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now);
void jarm_closed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	enum prt_tcp_end why);
int jarm_init(struct prt_service *s);
void jarm_fini(struct prt_service *s);

struct conv *service_conv(struct prt_service *s, const struct prt_tcp_conn *c);
uint64_t service_ms(const struct prt_service *s, uint32_t n);

/* service_tls.c: --ssl-cert's side of the callbacks */
void tls_established(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	uint64_t now);
void tls_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, const uint8_t *d,
	uint32_t len, uint64_t now);
void tls_wake(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now);
void tls_closed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v);
/* and for -sV inside TLS: a client on the connection, app data into v->buf */
int tls_conv_start(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now);
enum prt_tls_state tls_conv_feed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now);
int tls_conv_send(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now);
void tls_conv_free(struct prt_service *s, struct conv *v);
/** The server's certificate as the connection's TLS client has it. */
void tls_conv_cert(const struct conv *v, struct prt_cert_info *out);

/* service_version.c: -sV's side of the callbacks */
int version_init(struct prt_service *s);
void version_fini(struct prt_service *s);
void version_established(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	uint64_t now);
void version_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now);
void version_wake(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now);
void version_closed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v);

#endif
