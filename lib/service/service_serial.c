/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV on servers of one connection at a time.
 *
 * Servers of one connection at a time (embedded ones, openssl s_server,
 * single-threaded daemons) serve the NULL probe and leave the others in their
 * listen queue, where every wait runs out unheard. So when none of a port's
 * connections has been served (a byte or a close) two round trips and
 * serial_ms after the launch (a probe goes out a round trip after it, its
 * answer takes another: the round trip is the launch's slowest handshake,
 * which a queued connection completes too, in the kernel), the port goes
 * serial: the NULL probe ends there (the server can serve
 * nothing else while we hold it; its later words are given up), the waiting
 * probes are reset and run again one at a time in the plan's order, and
 * inside TLS too. A port where SERIAL_SILENT_MAX probes in a row then hear
 * nothing, and nothing was ever served, is no such server (a tarpit, or one
 * silent to everything): the rest of its plan goes back to parallel.
 */
#include "version_priv.h"

#define SERIAL_SILENT_MAX 2

/* An entry's wait. A serial port's NULL probe inside TLS gets two round
 * trips and serial_ms: the server can serve nothing else while we hold it,
 * and one that speaks first inside TLS does so as its handshake (just done,
 * so it is serving us) ends. */
uint32_t serial_entry_wait_ms(const struct prt_service *s, const struct vjob *j, uint16_t at)
{
	uint32_t w = plan_wait_ms(s, j->plan[at]);
	uint64_t rtt_ms = j->launch_rtt * 1000 / s->conf.hz;
	uint64_t tls_null = 2 * rtt_ms + s->conf.serial_ms;

	if (j->serial && j->plan[at] == s->null_probe && tls_null < w)
		return (uint32_t)tls_null;
	return w;
}

/* None of the port's connections served after the launch: one connection at a time. */
bool serial_suspect(const struct prt_service *s, const struct vjob *j)
{
	return s->conf.serial_ms != 0 && !j->serial && !j->ever_served && j->running > 1;
}

void serial_note_handshake(struct vjob *j, uint64_t now)
{
	if (!j->launched || j->serial || j->tunnel)
		return;
	j->launch_up = true;
	if (now - j->launch_at > j->launch_rtt)
		j->launch_rtt = now - j->launch_at;
}

uint64_t serial_due(const struct prt_service *s, const struct vjob *j)
{
	if (!j->launch_up)
		return 0;
	return j->launch_at + 2 * j->launch_rtt + service_ms(s, s->conf.serial_ms);
}

/* The port goes serial: the probes waiting in its listen queue are reset and
 * will run again, one at a time, on other source ports. */
void serial_begin(struct prt_service *s, struct vjob *j)
{
	j->serial = true;
	STAT_ADD(s, serial);
	for (uint16_t i = 1; i < j->nplan; i++) {
		struct ventry *e = &j->e[i];
		if (e->status != E_RUNNING)
			continue;
		version_reset_entry(s, e);
		e->status = E_PENDING;
		e->retried = true;
		j->running--;
		if (i < j->next)
			j->next = i;
	}
}

/* A serial port where nothing is ever served is no such server: back to parallel. */
void serial_count_silence(struct vjob *j, const struct conv *v)
{
	if (!j->serial || v->entry == 0)
		return;
	if (v->served) {
		j->silent_run = 0;
	} else if (++j->silent_run >= SERIAL_SILENT_MAX && !j->ever_served) {
		j->serial = false;
	}
}
