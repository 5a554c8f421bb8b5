/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TEST_SERVICE_RIG_H
#define PRT_TEST_SERVICE_RIG_H

/*
 * lib/service over lib/tcp with a scripted server, shared by the unit test
 * test_service.c and the fuzz harness fuzz_service.c: four conversations
 * (--banners, -sV with a probe file of our own, --ssl-cert, --ssl-cert
 * --jarm with two ports' JARMs at once at most), up to
 * RIG_PEERS connections to one host (ports 440 + i), time in microseconds.
 * The server's segments acknowledge all we sent; the connections the service
 * opens itself (-sV's, JARM's) get their SYN-ACK before the first bytes.
 */

#include <stdbool.h>
#include <stdint.h>

#include "prt_service.h"
#include "prt_tcp.h"

#define RIG_HZ 1000000ULL
#define RIG_PEERS 8

enum rig_mode { RIG_BANNERS, RIG_VERSION, RIG_CERT, RIG_JARM, RIG_MODES };

/** EAL, the probe file, the matcher, the TLS context and one side per mode (once). */
void rig_init(void);

/** Talk as @p mode's server from now on; every connection of the last input is gone. */
void rig_begin(enum rig_mode mode);

/** The port's first connection, from the scan's SYN-ACK (port 440 + @p i). */
void rig_open(int i, uint64_t now);

/** Whether connection @p i is open. */
bool rig_is_open(int i);

/** The server sends @p len bytes on connection @p i (0: its FIN). */
void rig_server_says(int i, const uint8_t *d, uint32_t len, uint64_t now);

/** The scan stops as the pipeline stops it on SIGINT: the service told, then
 * every connection aborted. Until the next rig_begin(). */
void rig_stop(void);

/** Timers up to @p now. */
void rig_expire(uint64_t now);

/** Abort what is left (it is reported) and let the timers run out. */
void rig_end(uint64_t now);

/** The current mode's service counters. */
const struct prt_service_stats *rig_stats(void);

/** Banners reported since rig_begin(), and the last one. */
unsigned rig_reported(void);
const struct prt_banner *rig_last(void);

#endif
