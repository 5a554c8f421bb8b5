/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CHECKPOINT_H
#define PRT_APP_CHECKPOINT_H

/*
 * Checkpoints for --resume. A checkpoint holds the scanner's options (its
 * command line after "--", without the checkpoint options themselves), the
 * cookie key and walk key, each TX lcore's pass and position, the pairs
 * already reported, the counts so far and the per-host table, so that the
 * run before it plus the run after it equal one uninterrupted scan. Written
 * to a new 0600 file (mkstemp), synced and renamed, so a crash mid-write
 * leaves the previous checkpoint intact. Binary, native layout: read only by
 * the same version. An HMAC-SHA256 under the checkpoint key
 * (checkpoint_key.h) ends the file; it is checked before any field is read,
 * and every field is then checked against the scan's sizes.
 */

#include <stdint.h>
#include <stdio.h>

#include "prt_cookie.h"
#include "prt_output.h"
#include "prt_pipeline.h"

struct prt_checkpoint {
	char *args;       /**< the scanner options, each NUL-terminated */
	uint32_t args_len;
	struct prt_cookie_key key;
	uint64_t perm_seed;
	uint64_t npairs;
	uint32_t n_tx;
	uint32_t pass[PRT_MAX_TX_LCORES];  /**< per walk slice: the pass it was in */
	uint64_t steps[PRT_MAX_TX_LCORES]; /**< per walk slice: positions walked in that pass */
	uint64_t state_count[PRT_STATE_COUNT];
	uint64_t probes;
	uint64_t replies;
	uint64_t start_ns;   /**< when the first run started */
	uint64_t nwords;
	uint64_t *reported;  /**< bit per pair: its result was written */
	char *image;         /**< the file as read, MAC checked (read) */
	size_t image_len;    /**< without the MAC */
	size_t map_len;      /**< of the mapping (with the MAC) */
	long hosts_at;       /**< offset of the host table in image (read) */
	char *path;          /**< the file it was read from */
	char **argv;         /**< resume alone: the command line rebuilt from args */
};

/** Options that may differ between the run that wrote a checkpoint and the one resuming. */
bool prt_checkpoint_option_is_own(const char *arg, bool *takes_value);

/**
 * The scanner options that identify a scan: @p argv[1..] without the
 * checkpoint options. @return malloc'd NUL-separated list (length in
 * @p len), NULL when out of memory
 */
char *prt_checkpoint_args(int argc, char **argv, uint32_t *len);

/** Read all but the host table. @return 0, or -1 with @p err saying why */
int prt_checkpoint_read(const char *path, struct prt_checkpoint *ck, char *err, size_t errlen);

/** Add the checkpoint's per-host table to @p hosts. @return 0 or -errno */
int prt_checkpoint_restore_hosts(const struct prt_checkpoint *ck, struct prt_hosts *hosts);

/** Write @p ck and @p hosts to @p path (via a mkstemp file). @return 0 or -errno
 * (-ENOKEY: no checkpoint key could be loaded) */
int prt_checkpoint_write(const char *path, const struct prt_checkpoint *ck,
	struct prt_hosts *hosts);

/** Add the MAC to @p len serialised bytes and put them at @p path. @return 0 or -errno */
int prt_checkpoint_store(const char *path, const void *image, size_t len);

/** Remove the checkpoint (through the writer after the privilege drop). @return 0 or -errno */
int prt_checkpoint_remove(const char *path);

void prt_checkpoint_free(struct prt_checkpoint *ck);

#endif
