/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CHECKPOINT_KEY_H
#define PRT_APP_CHECKPOINT_KEY_H

/*
 * The secret behind a checkpoint's MAC: 32 random bytes in a file only its
 * owner can read, /var/lib/dpdk-prtip/checkpoint.key for root and
 * ~/.local/state/dpdk-prtip/checkpoint.key for anyone else, made on first
 * use. A checkpoint edited, corrupted or written by someone else (another
 * key) fails its MAC and is refused. Loaded once, before privileges are
 * dropped; kept in memory for the checkpoints written later.
 */

#include <stddef.h>
#include <stdint.h>

#define PRT_CHECKPOINT_MAC_LEN 32 /* HMAC-SHA256 */

/** Load (or create) the key. @return 0, or -1 with @p err saying why */
int prt_checkpoint_key_load(char *err, size_t errlen);

/** HMAC-SHA256 of @p len bytes at @p data under the key. @return 0, or -1 without a key */
int prt_checkpoint_mac(const void *data, size_t len, uint8_t mac[PRT_CHECKPOINT_MAC_LEN]);

#endif
