/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef MATCH_PRIV_H
#define MATCH_PRIV_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>

#include "prt_match.h"

/** One probe's lines, compiled. */
struct probe_re {
	hs_database_t *hs;  /**< NULL when the probe has no lines */
	pcre2_code **re;    /**< by line, file order */
	uint8_t *prefilter; /**< by line: Hyperscan runs it as a prefilter */
	uint32_t n;
};

struct prt_matcher {
	const struct prt_sp_db *db;
	struct probe_re *probes; /**< by probe number */
	struct prt_matcher_stats stats;
	uint32_t max_lines;      /**< of any probe: the candidate bitmap's size */
	uint32_t max_captures;   /**< of any pattern: the match data's size */
};

/*
 * PCRE2's bounds on one match of a server's answer (at most PRT_BANNER_MAX
 * bytes): a pattern that backtracks catastrophically gives up as "no match"
 * instead of running for minutes on the RX lcore.
 */
#define MATCH_PCRE2_MATCH_LIMIT 200000u /* backtracking steps */
#define MATCH_PCRE2_DEPTH_LIMIT 2000u   /* nested backtracking frames (interpreter) */
#define MATCH_PCRE2_HEAP_LIMIT 2048u    /* KiB of backtracking frames (interpreter) */

struct prt_match_scratch {
	hs_scratch_t *hs;
	pcre2_match_data *md;    /**< room for every pattern's captures */
	pcre2_match_context *mctx; /**< the limits above */
	uint8_t *cand;           /**< bit per line: Hyperscan says it may match */
	uint64_t limit_hits;     /**< PCRE2 runs stopped by a limit */
};

/** Hyperscan's flags for a line (without PREFILTER). */
unsigned match_hs_flags(const struct prt_sp_match *m);

/** Build probe @p i's Hyperscan database with the prefilter marks already set. */
int match_hs_compile(struct probe_re *pr, const struct prt_sp_probe *p, char *err,
	size_t errlen);

/**
 * The cache: read the databases of every probe from @p path if it was
 * written for this file (@p sha), this Hyperscan and this CPU. @return 0,
 * or -1 (absent, stale or damaged: compile instead)
 */
int match_cache_read(struct prt_matcher *m, const char *path, const uint8_t sha[32]);

/** Write the cache (to a temporary file, then renamed). @return 0 or -errno */
int match_cache_write(const struct prt_matcher *m, const char *path, const uint8_t sha[32]);

/** SHA-256 of the file at @p path. @return 0 or -errno */
int match_file_sha256(const char *path, uint8_t sha[32]);

#endif
