/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_MATCH_H
#define PRT_MATCH_H

/**
 * @file
 * nmap's service probe file (nmap-service-probes), read at run time from
 * --datadir: every Probe with its payload and directives (ports, sslports,
 * rarity, fallback, totalwaitms, tcpwrappedms) and every match/softmatch
 * line, kept as written (service, pattern, flags, version template). A line
 * this reader does not understand is an error naming file:line: nothing is
 * dropped silently.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRT_SP_CASELESS 1u /**< the pattern's "i" option */
#define PRT_SP_DOTALL 2u   /**< the pattern's "s" option */

struct prt_sp_match {
	bool soft;          /**< softmatch: narrows the service, goes on probing */
	char *service;
	char *pattern;      /**< the regular expression as written (NUL-terminated) */
	uint8_t flags;      /**< PRT_SP_CASELESS, PRT_SP_DOTALL */
	char *info;         /**< version template: p/.../ v/.../ i/.../ cpe:/.../ ... */
	uint32_t line;
};

struct prt_sp_probe {
	char *name;
	uint8_t proto;      /**< IPPROTO_TCP or IPPROTO_UDP */
	uint8_t *data;      /**< payload (empty for NULL) */
	uint32_t len;
	bool no_payload;
	uint8_t rarity;     /**< 1-9; 0 when the file gives none (NULL) */
	uint32_t totalwaitms;
	uint32_t tcpwrappedms;
	char *fallback;     /**< "GetRequest,..." or NULL */
	uint8_t *ports;     /**< bitmap of 65536 */
	uint8_t *sslports;  /**< bitmap of 65536 */
	bool any_ports, any_sslports;
	struct prt_sp_match *matches;
	uint32_t nmatches;
	uint32_t line;
};

struct prt_sp_db {
	struct prt_sp_probe *probes; /**< file order */
	uint32_t nprobes;
	uint32_t nmatches;  /**< match lines over every probe */
	uint32_t nsoft;     /**< softmatch lines */
};

/** Read @p path. @return 0, or -errno with @p err naming the file and line */
int prt_sp_load(struct prt_sp_db *db, const char *path, char *err, size_t errlen);

void prt_sp_free(struct prt_sp_db *db);

static inline bool prt_sp_port_in(const uint8_t *bitmap, uint16_t port)
{
	return bitmap != NULL && (bitmap[port >> 3] >> (port & 7)) & 1;
}

/**
 * The first probe of @p proto in file order that lists @p port in its ports
 * line and has a payload (what to send when a server does not speak first).
 * @return it, or NULL
 */
const struct prt_sp_probe *prt_sp_probe_for_port(const struct prt_sp_db *db, uint8_t proto,
	uint16_t port);

#endif
