/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The event log (prt_events.h). An event is put together in a memory stream,
 * then goes to the file and to the tap (the store) as the same line. The file
 * is written with stdio's buffer and
 * flushed when the caller says an event matters now (a phase, the end), so a
 * scan that finds a million ports does not pay a write per port; SIGINT
 * reaches prt_events_close through the normal end of the scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output_json.h"
#include "prt_common.h"
#include "prt_events.h"
#include "prt_output.h"

bool prt_scan_id_valid(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n <= PRT_SCAN_ID_MAX &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-") == n;
}

int prt_events_open(struct prt_events *ev, const char *path, const char *scan_id, bool append)
{
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (!prt_scan_id_valid(scan_id))
		return -EINVAL;
	if (path != NULL) {
		ev->file = fopen(path, append ? "a" : "w");
		if (ev->file == NULL)
			return -errno;
	}
	/* an event is written in memory first: the file and the tap get the same line */
	ev->f = open_memstream(&ev->line, &ev->line_size);
	if (ev->f == NULL) {
		rc = -errno;
		if (ev->file != NULL)
			fclose(ev->file);
		ev->file = NULL;
		return rc;
	}
	snprintf(ev->scan_id, sizeof(ev->scan_id), "%s", scan_id);
	return 0;
}

void prt_events_set_tap(struct prt_events *ev, prt_events_tap_fn fn, void *arg)
{
	ev->tap = fn;
	ev->tap_arg = arg;
}

bool prt_events_begin(struct prt_events *ev, uint64_t ts_ns, const char *type)
{
	char ts[40];

	if (ev == NULL || ev->f == NULL)
		return false;
	rewind(ev->f);
	ev->ts_ns = ts_ns;
	snprintf(ev->type, sizeof(ev->type), "%s", type);
	/* the id and the type are ours: checked or literal, nothing to escape */
	fprintf(ev->f, "{\"ts\":\"%s\",\"scan\":\"%s\",\"event\":\"%s\"",
		prt_output_iso_time(ts_ns, ts, sizeof(ts)), ev->scan_id, type);
	return true;
}

void prt_event_str(struct prt_events *ev, const char *key, const char *v)
{
	prt_json_str(ev->f, key, v);
}

void prt_event_u64(struct prt_events *ev, const char *key, uint64_t v)
{
	fprintf(ev->f, ",\"%s\":%llu", key, (unsigned long long)v);
}

void prt_event_num(struct prt_events *ev, const char *key, double v)
{
	fprintf(ev->f, ",\"%s\":%.3f", key, v);
}

void prt_event_bool(struct prt_events *ev, const char *key, bool v)
{
	fprintf(ev->f, ",\"%s\":%s", key, v ? "true" : "false");
}

void prt_events_end(struct prt_events *ev, bool flush)
{
	long len;

	fputc('}', ev->f);
	len = ftell(ev->f);
	if (fflush(ev->f) != 0 || len < 0) {
		ev->failed = true;
		return;
	}
	if (ev->tap != NULL)
		ev->tap(ev->tap_arg, ev->ts_ns, ev->type, ev->line, (size_t)len);
	if (ev->file == NULL)
		return;
	fwrite(ev->line, 1, (size_t)len, ev->file);
	fputc('\n', ev->file);
	if ((flush && fflush(ev->file) != 0) || ferror(ev->file))
		ev->failed = true;
}

/* ,"ip":..,"port":..,"proto":.. of what an event is about */
static void where(struct prt_events *ev, const struct prt_addr *a, uint16_t port, uint8_t proto)
{
	char ip[PRT_ADDR_STRLEN];

	fprintf(ev->f, ",\"ip\":\"%s\",\"port\":%u,\"proto\":\"%s\"",
		prt_addr_str(a, ip, sizeof(ip)), port, prt_proto_name(proto));
}

void prt_events_result(struct prt_events *ev, const struct prt_result *r)
{
	if (r->state != PRT_STATE_OPEN && r->state != PRT_STATE_UP)
		return;
	if (!prt_events_begin(ev, r->ts, r->state == PRT_STATE_UP ? "host_up" : "port_open"))
		return;
	where(ev, &r->addr, r->port, r->proto);
	prt_event_str(ev, "reason", prt_reason_name(r));
	prt_event_u64(ev, "ttl", r->ttl);
	prt_events_end(ev, false);
}

void prt_events_banner(struct prt_events *ev, const struct prt_banner *b)
{
	if (b->has_svc && prt_events_begin(ev, b->ts, "service")) {
		where(ev, &b->addr, b->port, b->proto);
		prt_json_service(ev->f, &b->svc);
		prt_events_end(ev, false);
	}
	if (b->has_cert && prt_events_begin(ev, b->ts, "certificate")) {
		where(ev, &b->addr, b->port, b->proto);
		prt_json_cert(ev->f, &b->cert);
		prt_events_end(ev, false);
	}
}

void prt_events_os(struct prt_events *ev, uint64_t ts_ns, const struct prt_host_os *os)
{
	char ip[PRT_ADDR_STRLEN];

	if (!prt_events_begin(ev, ts_ns, "os"))
		return;
	prt_event_str(ev, "ip", prt_addr_str(&os->addr, ip, sizeof(ip)));
	prt_event_u64(ev, "perfect", os->nperfect);
	if (os->nmatches > 0) {
		prt_event_str(ev, "best", os->m[0].name);
		prt_event_u64(ev, "accuracy", (uint64_t)(os->m[0].accuracy * 100));
	}
	if (os->distance >= 0)
		prt_event_u64(ev, "distance", (uint64_t)os->distance);
	prt_event_u64(ev, "tries", os->tries);
	prt_events_end(ev, false);
}

int prt_events_close(struct prt_events *ev)
{
	bool failed = ev->failed;

	if (ev->f == NULL)
		return 0;
	fclose(ev->f);
	free(ev->line);
	if (ev->file != NULL)
		failed |= fclose(ev->file) != 0;
	ev->f = ev->file = NULL;
	ev->line = NULL;
	return failed ? -EIO : 0;
}
