/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV's job of one port and nmap's walk over its plan, shared by the
 * connection side (service_version.c) and the walk (service_plan.c).
 */
#ifndef VERSION_PRIV_H
#define VERSION_PRIV_H

#include "service_priv.h"
#include "version_module.h"

#define PLAN_MAX 160
#define DEFAULT_WAIT_MS 5000 /* nmap's DEFAULT_SERVICEWAITMS */

enum estatus { E_PENDING = 0, E_RUNNING, E_DONE };

struct ventry {
	uint8_t status;
	uint8_t kind;                  /**< enum prt_match_result once done */
	uint32_t conn;                 /**< running: its connection index + 1 */
	struct prt_service_info *info; /**< hard or soft: what matched */
	uint8_t *resp;                 /**< the answer that matched (NULL probe: any) */
	uint16_t resp_len;
	bool retried;                  /**< serial: it runs again, alone, on other ports */
};

struct vjob {
	bool used;
	bool tunnel;                   /**< the port spoke TLS: the plan runs again inside it */
	struct prt_service_info *ssl;  /**< the "ssl" match that started the tunnel */
	struct prt_cert_info *cert;    /**< -sV --ssl-cert: the tunnel's first certificate */
	struct prt_addr peer;
	uint16_t port;
	uint16_t base_port;            /**< the scan connection's source port */
	uint16_t nplan, next, running;
	bool serial;                   /**< the server serves one connection at a time */
	bool ever_served;              /**< some connection of the job got bytes or a close */
	uint8_t silent_run;            /**< serial: entries in a row that heard nothing */
	bool launched;                 /**< the probes after the NULL one went out */
	bool launch_up;                /**< one of their handshakes is done */
	uint64_t launch_at;            /**< when */
	uint64_t launch_rtt;           /**< the longest handshake of the launch's connections */
	uint64_t deadline;             /**< no probe starts after it (0: none) */
	const struct version_module *module; /**< asking once more after the walk */
	uint16_t module_at;            /**< the entry whose answer it may better */
	uint16_t plan[PLAN_MAX];       /**< probe numbers, nmap's order */
	struct ventry e[PLAN_MAX];
};


/** Each probe's fallback directive as probe numbers, once (not per answer). */
int plan_resolve_fallbacks(struct prt_service *s);
/** How long @p probe's answer may take (its totalwaitms, else nmap's default). */
uint32_t plan_wait_ms(const struct prt_service *s, uint32_t probe);
/** nmap's order for the job's port: NULL, the probes that list it, then by rarity. */
void plan_make(const struct prt_service *s, struct vjob *j);
/** The answer to @p probe against its lines, its fallbacks', then the NULL probe's. */
enum prt_match_result plan_match(struct prt_service *s, uint32_t probe, const uint8_t *d,
	size_t len, struct prt_service_info *out);
/** nmap's walk over the plan. @return the answer's entry, -1 none; *decided
 * false while an entry the walk needs is not final */
int plan_evaluate(const struct prt_service *s, const struct vjob *j, bool *decided);

/* service_version.c: the job's side shared with the files below */
/** Reset a running entry's connection; its callbacks find no job. */
void version_reset_entry(struct prt_service *s, struct ventry *e);
/** Reset the job's running connections, keeping what the entries hold. */
void version_abort_running(struct prt_service *s, struct vjob *j);
/** Report the answer (entry @p at, -1 none), reset what still runs, free the job. */
void version_finish(struct prt_service *s, struct vjob *j, int at);

/* service_serial.c: servers of one connection at a time */
uint32_t serial_entry_wait_ms(const struct prt_service *s, const struct vjob *j, uint16_t at);
/** None of the port's connections served since the launch. */
bool serial_suspect(const struct prt_service *s, const struct vjob *j);
/** A launched probe's connection is up: its handshake's time bounds a round trip. */
void serial_note_handshake(struct vjob *j, uint64_t now);
/** When a suspect port is judged (its launch's round trips and serial_ms
 * after the launch); 0 while none of the launch's handshakes is done */
uint64_t serial_due(const struct prt_service *s, const struct vjob *j);
/** The port goes serial: the probes in its listen queue will run again, alone. */
void serial_begin(struct prt_service *s, struct vjob *j);
/** An entry ended: a serial port where nothing is ever served goes back to parallel. */
void serial_count_silence(struct vjob *j, const struct conv *v);

/* service_module_run.c: a version module's turn */
#define MODULE_ENTRY 0xffff /* conv.entry of a module's connection */
/** The walk named the port (entry @p at): @return true if its module now runs */
bool module_start(struct prt_service *s, struct vjob *j, int at, uint64_t now);
void module_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, struct vjob *j,
	const uint8_t *d, uint32_t len, uint64_t now);
/** The module said what it could, or its time ran out: the port's answer goes. */
void module_end(struct prt_service *s, struct vjob *j, struct conv *v);

#endif
