/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include "service_priv.h"


struct prt_service *prt_service_create(const struct prt_service_conf *conf)
{
	struct prt_service *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->conf = *conf;
	/* only --banners and -sV keep bytes; -sT needs no per-connection state here */
	if (conf->grab) {
		s->convs = calloc(conf->capacity + 1, sizeof(*s->convs));
		if (s->convs == NULL || (conf->matcher != NULL && version_init(s) != 0) ||
		    jarm_init(s) != 0) {
			prt_service_free(s);
			errno = ENOMEM;
			return NULL;
		}
	}
	return s;
}

void prt_service_free(struct prt_service *s)
{
	if (s == NULL)
		return;
	version_fini(s);
	jarm_fini(s);
	free(s->convs);
	free(s);
}

void prt_service_stop(struct prt_service *s)
{
	s->stopping = true;
}

void prt_service_attach(struct prt_service *s, struct prt_tcp *t)
{
	s->tcp = t;
}

uint64_t prt_service_reported(const struct prt_service *s)
{
	return __atomic_load_n(&s->reported, __ATOMIC_RELAXED);
}

void service_banner_init(const struct prt_service *s, struct prt_banner *b,
	const struct prt_addr *peer, uint16_t port)
{
	memset(b, 0, offsetof(struct prt_banner, data));
	b->ts = s->now;
	b->addr = *peer;
	b->port = port;
	b->proto = IPPROTO_TCP;
}

void service_hand_over(struct prt_service *s, struct prt_banner *b)
{
	s->conf.report(s->conf.report_ctx, b);
	__atomic_store_n(&s->reported, s->reported + 1, __ATOMIC_RELAXED);
}

struct conv *service_conv(struct prt_service *s, const struct prt_tcp_conn *c)
{
	return &s->convs[prt_tcp_conn_index(s->tcp, c)];
}

/* The source ports after the scan's own: no other flow to this port uses them. */
uint16_t service_sport(const struct prt_service *s, uint16_t base, uint32_t off)
{
	return (uint16_t)(s->conf.sport_base + (uint32_t)(base - s->conf.sport_base + off) %
		s->conf.sport_count);
}

uint64_t service_ms(const struct prt_service *s, uint32_t n)
{
	return s->conf.hz * n / 1000;
}

/* Hand the banner over once; an empty one is not a banner. */
static void report(struct prt_service *s, const struct prt_tcp_conn *c, struct conv *v)
{
	const struct prt_tcp_key *k = prt_tcp_conn_key(c);
	struct prt_banner b;

	if (v->phase == PHASE_REPORTED || v->len == 0)
		return;
	v->phase = PHASE_REPORTED;
	service_banner_init(s, &b, &k->peer, k->peer_port);
	b.probed = v->probed;
	b.len = v->len;
	memcpy(b.data, v->buf, v->len);
	service_hand_over(s, &b);
}

/* The conversation of @p c, or NULL for -sT: the connection is closed, as
 * connect() and close() would. */
static struct conv *talking(struct prt_service *s, struct prt_tcp_conn *c, uint64_t now)
{
	s->now = now;
	if (!s->conf.grab) {
		prt_tcp_close(s->tcp, c, now);
		return NULL;
	}
	return service_conv(s, c);
}

void prt_service_established(struct prt_service *s, struct prt_tcp_conn *c, uint64_t now)
{
	struct conv *v = talking(s, c, now);

	if (v == NULL)
		return;
	if (jarm_conv(s, v)) {
		jarm_established(s, c, v, now);
		return;
	}
	if (s->conf.matcher != NULL) {
		version_established(s, c, v, now);
		return;
	}
	if (s->conf.tls != NULL) {
		tls_established(s, c, v, now);
		return;
	}
	memset(v, 0, offsetof(struct conv, buf));
	prt_tcp_wake_at(s->tcp, c, now + service_ms(s, s->conf.hello_ms));
}

void prt_service_data(struct prt_service *s, struct prt_tcp_conn *c, const uint8_t *d,
	uint32_t len, uint64_t now)
{
	struct conv *v;
	uint32_t room;

	if (!s->conf.grab)
		return;
	s->now = now;
	v = service_conv(s, c);
	if (jarm_conv(s, v)) {
		jarm_data(s, c, v, d, len, now);
		return;
	}
	if (s->conf.matcher != NULL) {
		version_data(s, c, v, d, len, now);
		return;
	}
	if (s->conf.tls != NULL) {
		tls_data(s, c, v, d, len, now);
		return;
	}
	if (len == 0) { /* the server closed its side: the banner is whole */
		report(s, c, v);
		prt_tcp_close(s->tcp, c, now);
		return;
	}
	if (v->phase == PHASE_REPORTED) {
		/* the banner is out and we closed, it keeps talking: waiting for
		 * its FIN could take the whole connection timeout, so cut it */
		prt_tcp_abort(s->tcp, c);
		return;
	}
	/* in PHASE_GAVE_UP a slow server's banner still arrives after our FIN */
	room = PRT_BANNER_MAX - v->len;
	memcpy(v->buf + v->len, d, len < room ? len : room);
	v->len = (uint16_t)(v->len + (len < room ? len : room));
	if (v->len == PRT_BANNER_MAX) {
		/* enough: a server that keeps sending is cut here */
		report(s, c, v);
		prt_tcp_abort(s->tcp, c);
		return;
	}
	prt_tcp_wake_at(s->tcp, c, now + service_ms(s, s->conf.quiet_ms));
}

void prt_service_wake(struct prt_service *s, struct prt_tcp_conn *c, uint64_t now)
{
	struct conv *v = talking(s, c, now);
	const uint8_t *probe;
	uint32_t len;

	if (v == NULL)
		return;
	if (jarm_conv(s, v)) {
		jarm_wake(s, c, v, now);
		return;
	}
	if (s->conf.matcher != NULL) {
		version_wake(s, c, v, now);
		return;
	}
	if (s->conf.tls != NULL) {
		tls_wake(s, c, v, now);
		return;
	}
	if (v->len > 0) {
		/* quiet since its last bytes: the banner is whole */
		report(s, c, v);
		if (v->phase == PHASE_GAVE_UP)
			prt_tcp_abort(s->tcp, c); /* we had closed already */
		else
			prt_tcp_close(s->tcp, c, now);
		return;
	}
	if (v->phase == PHASE_HELLO && s->conf.probe_for != NULL &&
	    s->conf.probe_for(s->conf.probe_ctx, prt_tcp_conn_key(c)->peer_port, &probe, &len) &&
	    prt_tcp_send(s->tcp, c, probe, len, now) == 0) {
		v->phase = PHASE_PROBED;
		v->probed = true;
		prt_tcp_wake_at(s->tcp, c, now + service_ms(s, s->conf.probe_ms));
		return;
	}
	v->phase = PHASE_GAVE_UP;
	prt_tcp_close(s->tcp, c, now);
}

void prt_service_closed(struct prt_service *s, struct prt_tcp_conn *c, enum prt_tcp_end why)
{
	struct conv *v;

	if (!s->conf.grab)
		return;
	v = service_conv(s, c);
	if (jarm_conv(s, v))
		jarm_closed(s, c, v, why);
	else if (s->conf.matcher != NULL)
		version_closed(s, c, v);
	else if (s->conf.tls != NULL)
		tls_closed(s, c, v);
	else /* a reset or a timeout mid-banner: what came is still worth reporting */
		report(s, c, v);
}
