/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TLS_H
#define PRT_TLS_H

/**
 * @file
 * A TLS client over memory: OpenSSL with two memory BIOs, so the bytes go
 * through lib/tcp (the scanner's TCP) instead of a socket. The caller feeds
 * what the server sent and sends what this side has to say; nothing here
 * blocks or touches the network. Used for the certificate (--ssl-cert):
 * TLS 1.0-1.3, any certificate accepted (we report it, we do not trust it).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_result.h"

struct prt_tls_ctx;
struct prt_tls;

/** What a server may make one client take in before it is cut. */
#define PRT_TLS_MAX_INPUT (256 * 1024)
/**
 * The most one client can hold when the server is hostile: its input cap,
 * OpenSSL's state and the memory BIOs' slack (what --max-tls-memory counts).
 */
#define PRT_TLS_SESSION_COST (PRT_TLS_MAX_INPUT + 64 * 1024)

enum prt_tls_state {
	PRT_TLS_HANDSHAKING = 0,
	PRT_TLS_DONE,    /**< handshake complete: the certificate can be read */
	PRT_TLS_FAILED,  /**< not TLS, an alert, a malformed or oversized message */
};

/** @return the shared client context, or NULL */
struct prt_tls_ctx *prt_tls_ctx_create(void);
void prt_tls_ctx_free(struct prt_tls_ctx *c);

/** A client for one connection; @p sni may be NULL. @return NULL when out of memory */
struct prt_tls *prt_tls_new(struct prt_tls_ctx *c, const char *sni);
void prt_tls_free(struct prt_tls *t);

/** Start the handshake: the ClientHello is then waiting in prt_tls_pending(). */
enum prt_tls_state prt_tls_start(struct prt_tls *t);

/** Feed bytes from the server. At most @p max_in bytes are taken over the connection. */
enum prt_tls_state prt_tls_input(struct prt_tls *t, const uint8_t *d, size_t len);

/** Application data to send once the handshake is done (encrypted into the pending bytes). @return 0 or -1 */
int prt_tls_write(struct prt_tls *t, const uint8_t *d, size_t len);

/** Application data the server sent, decrypted, up to @p cap bytes. @return how many */
size_t prt_tls_read(struct prt_tls *t, uint8_t *out, size_t cap);

/** Move up to @p cap bytes this side has to send into @p out. @return how many */
size_t prt_tls_pending(struct prt_tls *t, uint8_t *out, size_t cap);

/** Why the handshake failed, one short line ("not TLS: ...", "alert ..."). */
const char *prt_tls_error(const struct prt_tls *t);

/**
 * The server's certificate and the session, as nmap's ssl-cert reports them,
 * and the ServerHello's JA4S (also when the handshake failed after it).
 * @return 0 or -1
 */
int prt_tls_cert(struct prt_tls *t, struct prt_cert_info *out);

/**
 * JA4S of a ServerHello handshake message (type, length, body: as it came,
 * without the record header) into @p out ("t130200_1301_234ea6891581").
 * @return 0, or -1 when @p msg is no well-formed ServerHello
 */
int prt_ja4s(const uint8_t *msg, size_t len, char *out, size_t cap);

/* ---- JARM (tls_jarm.c): ten crafted ClientHellos, a connection each ---- */

#define PRT_JARM_PROBES 10
#define PRT_JARM_LEN 62          /**< the fingerprint's characters */
#define PRT_JARM_READ_MAX 1484   /**< what is read of an answer (the reference's one read) */
#define PRT_JARM_LINE_MAX 2048   /**< an answer's "cipher|version|alpn|extensions" line */
#define PRT_JARM_HELLO_MAX 1024  /**< the longest hello, with a 255-byte server name */

/**
 * Hello @p probe (0-9) as a TLS record, naming @p sni (the address when no
 * name is known), its random bytes drawn from @p seed.
 * @return its length, -EINVAL, -ENOSPC
 */
int prt_jarm_hello(unsigned probe, const char *sni, uint64_t seed, uint8_t *out, size_t cap);

/** How many bytes of the answer @p d make it whole enough to read: the first
 * record (at most PRT_JARM_READ_MAX), or what is there when it is no handshake. */
size_t prt_jarm_want(const uint8_t *d, size_t len);

/** An answer (what the server sent, possibly nothing) as its JARM line; "|||"
 * for an alert, not TLS, or a ServerHello cut short. */
void prt_jarm_answer(const uint8_t *d, size_t len, char *out, size_t cap);

/** The ten lines of a port, in hello order, hashed as they come. */
struct prt_jarm;
/** @return NULL when out of memory */
struct prt_jarm *prt_jarm_new(void);
void prt_jarm_free(struct prt_jarm *j);
void prt_jarm_add(struct prt_jarm *j, const char *line);
/** The fingerprint; lines not added count as "|||" (none answered: 62 zeros). */
void prt_jarm_result(struct prt_jarm *j, char out[PRT_JARM_LEN + 1]);

#endif
