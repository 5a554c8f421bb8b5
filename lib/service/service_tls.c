/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --ssl-cert: on each open port, a TLS handshake through lib/tls over the
 * connection, and the server's certificate reported as nmap's ssl-cert
 * script shows it. A port that answers with something other than TLS (or
 * nothing) is not reported; a TLS server whose handshake fails (an alert,
 * a malformed or oversized certificate) is reported with the error.
 *
 * lib/tcp sends from our bytes by reference: what OpenSSL has to say is
 * moved into one of two buffers, and a buffer is reused only once lib/tcp
 * took the next send, which it does only when the previous one is acked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include "service_priv.h"

#define OUT_MAX 8192
#define RETRY_MS 20

struct tls_conv {
	struct prt_tls *tls;
	uint8_t out[2][OUT_MAX];
	uint32_t len;
	uint8_t cur;
	bool held;     /**< out[cur] holds bytes lib/tcp has not taken yet */
	bool saw_tls;  /**< the server sent a TLS record (handshake or alert) */
	bool reported;
};

static void report(struct prt_service *s, const struct prt_tcp_conn *c, struct tls_conv *tc)
{
	const struct prt_tcp_key *k = prt_tcp_conn_key(c);
	struct prt_banner b;

	if (tc->reported || !tc->saw_tls)
		return;
	tc->reported = true;
	service_banner_init(s, &b, &k->peer, k->peer_port);
	b.has_cert = 1;
	prt_tls_cert(tc->tls, &b.cert);
	service_report_tls(s, &b, k->our_port);
}

/* What OpenSSL has to say, to lib/tcp; with @p retry a held flight is tried
 * again shortly (-sV keeps its own timers and retries on the next data). */
static void flush(struct prt_service *s, struct prt_tcp_conn *c, struct tls_conv *tc,
	uint64_t now, bool retry)
{
	for (;;) {
		if (!tc->held) {
			tc->len = (uint32_t)prt_tls_pending(tc->tls, tc->out[tc->cur], OUT_MAX);
			if (tc->len == 0)
				return;
			tc->held = true;
		}
		if (prt_tcp_send(s->tcp, c, tc->out[tc->cur], tc->len, now) != 0) {
			/* the previous flight is not acked yet: try again shortly */
			if (retry)
				prt_tcp_wake_at(s->tcp, c, now + service_ms(s, RETRY_MS));
			return;
		}
		tc->held = false;
		tc->cur ^= 1;
	}
}

static void finish(struct prt_service *s, struct prt_tcp_conn *c, struct tls_conv *tc,
	enum prt_tls_state st, uint64_t now)
{
	report(s, c, tc);
	if (st == PRT_TLS_DONE)
		prt_tcp_close(s->tcp, c, now);
	else
		prt_tcp_abort(s->tcp, c);
}

/* The same record for (--ssl-cert) a port whose handshake was never tried. */
static void report_refused(struct prt_service *s, const struct prt_tcp_conn *c)
{
	const struct prt_tcp_key *k = prt_tcp_conn_key(c);
	struct prt_banner b;

	service_banner_init(s, &b, &k->peer, k->peer_port);
	b.has_cert = 1;
	memset(&b.cert, 0, sizeof(b.cert)); /* not ok: only the error is said */
	snprintf(b.cert.error, sizeof(b.cert.error),
		"not tried: every TLS client of --max-tls-memory was busy");
	service_hand_over(s, &b);
}

/*
 * A TLS client for a connection, within the budget: a hostile server can make
 * each one hold PRT_TLS_SESSION_COST, so at most conf.tls_max live at once.
 * @return NULL when the budget is in use (*refused set, counted) or memory is out
 */
static struct tls_conv *tls_conv_new(struct prt_service *s, bool *refused)
{
	struct tls_conv *tc;

	*refused = s->conf.tls_max != 0 && s->vstats.tls_live >= s->conf.tls_max;
	if (*refused) {
		__atomic_store_n(&s->vstats.tls_refused, s->vstats.tls_refused + 1,
			__ATOMIC_RELAXED);
		return NULL;
	}
	tc = calloc(1, sizeof(*tc));
	if (tc != NULL)
		tc->tls = prt_tls_new(s->conf.tls, s->conf.sni);
	if (tc == NULL || tc->tls == NULL) {
		free(tc);
		return NULL;
	}
	__atomic_store_n(&s->vstats.tls_live, s->vstats.tls_live + 1, __ATOMIC_RELAXED);
	return tc;
}

void tls_established(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	uint64_t now)
{
	bool refused;
	struct tls_conv *tc = tls_conv_new(s, &refused);

	memset(v, 0, offsetof(struct conv, buf));
	if (tc == NULL) {
		if (refused)
			report_refused(s, c);
		prt_tcp_abort(s->tcp, c);
		return;
	}
	v->tls = tc;
	v->since = now + service_ms(s, s->conf.hello_ms + s->conf.probe_ms); /* the deadline */
	prt_tcp_wake_at(s->tcp, c, v->since);
	prt_tls_start(tc->tls);
	flush(s, c, tc, now, true);
}

void tls_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, const uint8_t *d,
	uint32_t len, uint64_t now)
{
	struct tls_conv *tc = v->tls;
	enum prt_tls_state st;

	if (tc == NULL || tc->reported) {
		if (len > 0)
			prt_tcp_abort(s->tcp, c);
		return;
	}
	if (len == 0) { /* the server closed mid-handshake */
		finish(s, c, tc, PRT_TLS_FAILED, now);
		return;
	}
	/* a TLS record starts with handshake (22) or alert (21) and major version 3 */
	if (!tc->saw_tls && (d[0] == 22 || d[0] == 21) && (len < 2 || d[1] == 3))
		tc->saw_tls = true;
	st = prt_tls_input(tc->tls, d, len);
	if (st == PRT_TLS_HANDSHAKING) {
		flush(s, c, tc, now, true);
		return;
	}
	flush(s, c, tc, now, true); /* the client's last flight, or an alert */
	finish(s, c, tc, st, now);
}

void tls_wake(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now)
{
	struct tls_conv *tc = v->tls;

	if (tc == NULL || tc->reported)
		return;
	if (now < v->since) {
		/* the retry of a held flight; then the deadline again */
		prt_tcp_wake_at(s->tcp, c, v->since);
		flush(s, c, tc, now, true);
		return;
	}
	finish(s, c, tc, PRT_TLS_FAILED, now); /* no whole handshake in time */
}

void tls_closed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v)
{
	struct tls_conv *tc = v->tls;

	if (tc == NULL)
		return;
	report(s, c, tc); /* a reset mid-handshake: said if it was TLS */
	tls_conv_free(s, v);
}

/* ---- -sV over TLS (service_version.c): the same client, app data to the conversation ---- */

int tls_conv_start(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now)
{
	bool refused;
	struct tls_conv *tc = tls_conv_new(s, &refused);

	if (tc == NULL)
		return -1;
	v->tls = tc;
	prt_tls_start(tc->tls);
	flush(s, c, tc, now, false);
	return 0;
}

enum prt_tls_state tls_conv_feed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now)
{
	struct tls_conv *tc = v->tls;
	enum prt_tls_state st = prt_tls_input(tc->tls, d, len);

	if (st == PRT_TLS_DONE)
		v->len = (uint16_t)(v->len + prt_tls_read(tc->tls, v->buf + v->len,
			PRT_BANNER_MAX - v->len));
	flush(s, c, tc, now, false);
	return st;
}

int tls_conv_send(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now)
{
	if (prt_tls_write(v->tls->tls, d, len) != 0)
		return -1;
	flush(s, c, v->tls, now, false);
	return 0;
}

void tls_conv_cert(const struct conv *v, struct prt_cert_info *out)
{
	prt_tls_cert(v->tls->tls, out);
}

void tls_conv_free(struct prt_service *s, struct conv *v)
{
	if (v->tls == NULL)
		return;
	prt_tls_free(v->tls->tls);
	free(v->tls);
	v->tls = NULL;
	__atomic_store_n(&s->vstats.tls_live, s->vstats.tls_live - 1, __ATOMIC_RELAXED);
}
