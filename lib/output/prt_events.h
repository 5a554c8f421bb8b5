/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_EVENTS_H
#define PRT_EVENTS_H

/**
 * @file
 * --event-log: what happened during a scan, one JSON object per line, each
 * with its time, the scan id and the event's name first:
 *   {"ts":"2026-12-03T10:00:00.000Z","scan":"ID","event":"port_open",...}
 * The scan's own events (start, phases, retry passes, rate changes,
 * checkpoints, warnings, end) come from the application; the output set
 * adds the ones results carry (host_up, port_open, service, certificate).
 * Everything runs on the main lcore, never on a datapath one. The schema is
 * in docs/user-guide.md ("Event log").
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "prt_result.h"

#define PRT_SCAN_ID_MAX 64 /**< characters of a scan id */

/** Something else that takes each event's line (the results store). */
typedef void (*prt_events_tap_fn)(void *arg, uint64_t ts_ns, const char *type,
	const char *line, size_t len);

struct prt_events {
	FILE *f;          /**< the event being written (a memory stream) */
	char *line;       /**< its text */
	size_t line_size;
	FILE *file;       /**< the log file (NULL: only the tap takes events) */
	prt_events_tap_fn tap;
	void *tap_arg;
	uint64_t ts_ns;   /**< of the event being written */
	char type[24];
	char scan_id[PRT_SCAN_ID_MAX + 1];
	bool failed;      /**< a write failed: prt_events_close says so */
};

/** A scan id is 1 to 64 of A-Z a-z 0-9 . _ : - (it goes into file names and URLs). */
bool prt_scan_id_valid(const char *id);

/**
 * Open @p path (added to with @p append, else replaced; NULL: no file, only
 * a tap) for the scan @p scan_id. @return 0 or -errno
 */
int prt_events_open(struct prt_events *ev, const char *path, const char *scan_id, bool append);

/** Hand every event's line (without its newline) to @p fn as well. */
void prt_events_set_tap(struct prt_events *ev, prt_events_tap_fn fn, void *arg);

/**
 * Start the event @p type at unix time @p ts_ns; add its fields with
 * prt_event_str/u64/num, then prt_events_end. @return false when @p ev is
 * NULL (no event log): then add nothing.
 */
bool prt_events_begin(struct prt_events *ev, uint64_t ts_ns, const char *type);
void prt_event_str(struct prt_events *ev, const char *key, const char *v);
void prt_event_u64(struct prt_events *ev, const char *key, uint64_t v);
void prt_event_num(struct prt_events *ev, const char *key, double v);
void prt_event_bool(struct prt_events *ev, const char *key, bool v);
/** End the event; @p flush puts it on disk now (rare events: phases, the end). */
void prt_events_end(struct prt_events *ev, bool flush);

/** host_up (a discovery's answer) and port_open events of a result; others say nothing. */
void prt_events_result(struct prt_events *ev, const struct prt_result *r);
/** service (-sV) and certificate (--ssl-cert) events of a banner. */
void prt_events_banner(struct prt_events *ev, const struct prt_banner *b);

/** Close the log. @return 0, or -EIO when any event could not be written */
struct prt_host_os;

/** -O's verdict on a host: "os" with ip, perfect, best, accuracy, distance, tries. */
void prt_events_os(struct prt_events *ev, uint64_t ts_ns, const struct prt_host_os *os);

int prt_events_close(struct prt_events *ev);

#endif
