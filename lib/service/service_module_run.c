/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A version module's turn (version_module.h): after the walk names the port,
 * one more connection carries the module's request, and its answer may
 * better the port's service before it is reported.
 */
#include <stddef.h>
#include <string.h>

#include "version_priv.h"

/* The walk named the port: its service's module, if any, asks once more on
 * a connection of its own (not inside TLS: none needs it yet). */
bool module_start(struct prt_service *s, struct vjob *j, int at, uint64_t now)
{
	const struct version_module *m;
	struct prt_tcp_key k = {.peer = j->peer, .peer_port = j->port};
	struct prt_tcp_conn *c;
	struct conv *v;

	if (at < 0 || j->module != NULL || j->tunnel || j->e[at].kind != PRT_MATCH_HARD ||
	    (m = version_module_for(j->e[at].info->service)) == NULL)
		return false;
	version_abort_running(s, j);
	k.our_port = service_sport(s, j->base_port, 3 * PLAN_MAX);
	c = prt_tcp_connect(s->tcp, &k, (uint32_t)(now * 2654435761u) ^ MODULE_ENTRY, now);
	if (c == NULL)
		return false;
	v = service_conv(s, c);
	memset(v, 0, offsetof(struct conv, buf));
	v->job = (uint32_t)(j - s->jobs) + 1;
	v->entry = MODULE_ENTRY;
	j->module = m;
	j->module_at = (uint16_t)at;
	j->running = 1;
	STAT_ADD(s, probes_sent);
	return true;
}

/* The module said what it could, or its time ran out: the port's answer goes. */
void module_end(struct prt_service *s, struct vjob *j, struct conv *v)
{
	v->job = 0;
	j->running = 0;
	version_finish(s, j, j->module_at);
}

void module_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	struct vjob *j, const uint8_t *d, uint32_t len, uint64_t now)
{
	struct prt_service_info better = *j->e[j->module_at].info;
	uint32_t room = PRT_BANNER_MAX - v->len;
	int r;

	memcpy(v->buf + v->len, d, len < room ? len : room);
	v->len = (uint16_t)(v->len + (len < room ? len : room));
	r = len == 0 ? -1 : j->module->answer(v->buf, v->len, &better);
	if (r == 1)
		*j->e[j->module_at].info = better;
	if (r != 0 || v->len == PRT_BANNER_MAX) {
		module_end(s, j, v);
		prt_tcp_close(s->tcp, c, now);
	}
}
