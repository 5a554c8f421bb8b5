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

#include "prt_result.h"

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
	char *path;                  /**< the file read */
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

/* ---- the matcher: Hyperscan finds candidates, PCRE2 confirms (match_*.c) ---- */

struct prt_matcher;
struct prt_match_scratch;

/** How the matcher was built, for the start-up report and /prtip/match. */
struct prt_matcher_stats {
	uint32_t patterns;   /**< match + softmatch lines compiled (every one of them) */
	uint32_t prefilter;  /**< of which Hyperscan runs as a prefilter (lookaround, ...) */
	uint32_t databases;  /**< probes with a Hyperscan database */
	double load_ms;      /**< compile, or read from the cache */
	bool from_cache;
};

/**
 * Compile every pattern of @p db: one Hyperscan database per probe (a
 * pattern Hyperscan cannot run exactly is compiled with HS_FLAG_PREFILTER:
 * it then finds a superset and PCRE2 decides), and every pattern with PCRE2.
 * With @p cache_dir, the databases are read from a cache file keyed by the
 * probe file's SHA-256, the Hyperscan version and the CPU platform, and
 * written there after a compile. @return 0, or -errno with @p err set
 */
int prt_matcher_create(const struct prt_sp_db *db, const char *cache_dir,
	struct prt_matcher **out, char *err, size_t errlen);
void prt_matcher_free(struct prt_matcher *m);
const struct prt_matcher_stats *prt_matcher_stats(const struct prt_matcher *m);

/** Per-thread matching state. @return NULL when out of memory */
struct prt_match_scratch *prt_match_scratch_create(const struct prt_matcher *m);
void prt_match_scratch_free(struct prt_match_scratch *s);

/** PCRE2 runs of this scratch stopped by a match, depth or heap limit ("no match"). */
uint64_t prt_match_limit_hits(const struct prt_match_scratch *s);

enum prt_match_result {
	PRT_MATCH_NONE = 0,
	PRT_MATCH_HARD,  /**< a match line: service and version known */
	PRT_MATCH_SOFT,  /**< a softmatch line: the service only */
};

/**
 * Match @p data, the answer to probe number @p probe, against that probe's
 * lines in file order (nmap's rule: the first match line that matches wins;
 * a softmatch is kept only if no match line follows that matches). With
 * @p only_service, lines of other services are skipped (after a softmatch).
 */
enum prt_match_result prt_match(const struct prt_matcher *m, struct prt_match_scratch *s,
	uint32_t probe, const uint8_t *data, size_t len, const char *only_service,
	struct prt_service_info *out);

/**
 * Fill @p out from a version template ("p/vsftpd/ v/$1/ cpe:/a:beasts:vsftpd:$1/")
 * with the captures of @p subject (@p ovec: start/end pairs, @p n of them).
 * Unknown fields and bad substitutions are left out, never guessed.
 */
void prt_match_fill_version(const char *tmpl, const uint8_t *subject, const size_t *ovec,
	uint32_t n, struct prt_service_info *out);

#endif
