/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CHECKPOINT_WRITER_H
#define PRT_APP_CHECKPOINT_WRITER_H

/*
 * Checkpoints after the privilege drop. The scanner, no longer root, may not
 * create files where root asked for the checkpoint, so a small helper is
 * forked before the drop and stays root: it takes the checkpoint's bytes
 * over a socketpair, adds the MAC and writes the file (checkpoint.c's
 * prt_checkpoint_store()), or removes it when the scan ends. It does
 * nothing else, ignores SIGINT/SIGTERM (the scanner's SIGINT checkpoint
 * needs it) and exits when the scanner's end of the socket closes.
 */

#include <stdbool.h>
#include <stddef.h>

/** Fork the helper for @p path. @return 0, or -1 with @p err set */
int prt_checkpoint_writer_start(const char *path, char *err, size_t errlen);

bool prt_checkpoint_writer_running(void);

/** Have the helper store @p len bytes (it adds the MAC). @return 0 or -errno */
int prt_checkpoint_writer_store(const void *image, size_t len);

/** Have the helper remove the checkpoint. @return 0 or -errno */
int prt_checkpoint_writer_remove(void);

/** Close the helper's socket and reap it. */
void prt_checkpoint_writer_stop(void);

#endif
