/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --jarm: a TLS port's record (its certificate, or -sV's answer with it)
 * waits while JARM's ten hellos (lib/tls) go to the port one after another,
 * each on a connection of its own from the port's own source range, as the
 * reference tool sends them; a server of one connection at a time serves
 * them in turn. Each answer is read until its first record is in (at most
 * what the reference reads), the server closes, or the wait runs out.
 *
 * As in the reference, a hello that hears nothing in time makes the
 * fingerprint all zeros and ends the port's turn, and a refused connection
 * is an answer of nothing. A port whose turn cannot run (jobs all busy, a
 * connection not opened, the scan stopping, a connection cut by someone
 * else) goes out without a JARM: the record is never held back for good.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service_priv.h"

/* Its source ports: past every one -sV's walk and module use (4 x PLAN_MAX). */
#define JARM_SPORT_OFF 640

struct jarm_job {
	struct prt_banner b;        /**< the port's record, held until the JARM is known */
	struct prt_jarm *acc;
	uint16_t base_port;         /**< the port's first connection's source port */
	uint8_t probe;              /**< the hello on the wire */
	uint16_t hello_len, answer_len;
	uint8_t hello[PRT_JARM_HELLO_MAX];
	uint8_t answer[PRT_JARM_READ_MAX];
	char sni[256];
};

static struct jarm_job *job_of(const struct prt_service *s, const struct conv *v)
{
	return v->jarm != 0 && v->jarm <= s->njarms ? s->jarms[v->jarm - 1] : NULL;
}

/* The record goes, with the fingerprint when @p fp is not NULL. */
static void finish(struct prt_service *s, uint32_t id, const char *fp)
{
	struct jarm_job *j = s->jarms[id];

	if (fp != NULL) {
		snprintf(j->b.cert.jarm, sizeof(j->b.cert.jarm), "%s", fp);
		STAT_ADD(s, jarm);
	} else {
		STAT_ADD(s, jarm_skipped);
	}
	service_hand_over(s, &j->b);
	prt_jarm_free(j->acc);
	free(j);
	s->jarms[id] = NULL;
	s->jarm_live--;
}

/* A hello heard nothing in time: the reference's timeout, every line empty. */
static void finish_silent(struct prt_service *s, uint32_t id)
{
	char zeros[PRT_JARM_LEN + 1];

	memset(zeros, '0', PRT_JARM_LEN);
	zeros[PRT_JARM_LEN] = '\0';
	finish(s, id, zeros);
}

/* The next hello on a new connection. @return false when none could open */
static bool connect_next(struct prt_service *s, uint32_t id, uint64_t now)
{
	struct jarm_job *j = s->jarms[id];
	struct prt_tcp_key k = {.peer = j->b.addr, .peer_port = j->b.port};
	struct prt_tcp_conn *c;
	struct conv *v;
	int n = prt_jarm_hello(j->probe, j->sni, now * 0x9e3779b97f4a7c15ull ^ j->probe, j->hello,
		sizeof(j->hello));

	if (n < 0)
		return false;
	j->hello_len = (uint16_t)n;
	j->answer_len = 0;
	k.our_port = service_sport(s, j->base_port, JARM_SPORT_OFF + j->probe);
	c = prt_tcp_connect(s->tcp, &k, (uint32_t)(now * 2654435761u) ^ j->probe, now);
	if (c == NULL)
		return false;
	v = service_conv(s, c);
	memset(v, 0, offsetof(struct conv, buf));
	v->jarm = id + 1;
	prt_tcp_wake_at(s->tcp, c, now + service_ms(s, s->conf.hello_ms + s->conf.probe_ms));
	return true;
}

/* The hello on the wire got its answer (all of it that will be read). */
static void answered(struct prt_service *s, uint32_t id, uint64_t now)
{
	struct jarm_job *j = s->jarms[id];
	char line[PRT_JARM_LINE_MAX], fp[PRT_JARM_LEN + 1];

	prt_jarm_answer(j->answer, j->answer_len, line, sizeof(line));
	prt_jarm_add(j->acc, line);
	if (++j->probe == PRT_JARM_PROBES) {
		prt_jarm_result(j->acc, fp);
		finish(s, id, fp);
	} else if (s->stopping || !connect_next(s, id, now)) {
		finish(s, id, NULL);
	}
}

static bool jarm_start(struct prt_service *s, const struct prt_banner *b, uint16_t base_port,
	uint64_t now)
{
	struct jarm_job *j;
	uint32_t id;

	if (s->stopping || s->jarm_live >= s->njarms)
		return false;
	for (id = 0; s->jarms[id] != NULL; id++)
		;
	j = malloc(sizeof(*j));
	if (j == NULL)
		return false;
	j->b = *b;
	j->acc = prt_jarm_new();
	j->base_port = base_port;
	j->probe = 0;
	if (s->conf.sni != NULL)
		snprintf(j->sni, sizeof(j->sni), "%s", s->conf.sni);
	else
		prt_addr_str(&b->addr, j->sni, sizeof(j->sni));
	s->jarms[id] = j;
	s->jarm_live++;
	if (j->acc == NULL || !connect_next(s, id, now)) {
		s->jarms[id] = NULL;
		s->jarm_live--;
		prt_jarm_free(j->acc);
		free(j);
		return false;
	}
	return true;
}

void service_report_tls(struct prt_service *s, struct prt_banner *b, uint16_t base_port)
{
	if (!s->conf.jarm || !b->has_cert || b->cert.ja4s[0] == '\0') {
		service_hand_over(s, b);
	} else if (!jarm_start(s, b, base_port, s->now)) {
		STAT_ADD(s, jarm_skipped);
		service_hand_over(s, b);
	}
}

/*
 * This connection is done with (v->jarm cleared first: its abort is ours):
 * the next hello, or the record. Both happen before the reset: the main
 * lcore ends the scan once no connection is open, and reading the counts
 * between the reset and the next connect it would see none, end, and lose
 * the held record (seen in CI: a port with neither certificate nor JARM).
 */
static void leave(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now)
{
	const uint32_t id = v->jarm - 1;

	v->jarm = 0;
	answered(s, id, now);
	prt_tcp_abort(s->tcp, c);
}

bool jarm_conv(const struct prt_service *s, const struct conv *v)
{
	return job_of(s, v) != NULL;
}

void jarm_established(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	uint64_t now)
{
	struct jarm_job *j = job_of(s, v);

	if (prt_tcp_send(s->tcp, c, j->hello, j->hello_len, now) != 0)
		leave(s, c, v, now); /* read as no answer */
}

void jarm_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now)
{
	struct jarm_job *j = job_of(s, v);
	const uint32_t room = PRT_JARM_READ_MAX - (uint32_t)j->answer_len;
	const uint32_t n = len < room ? len : room;

	if (n > 0) /* len 0: the server's FIN, no bytes (d may be NULL) */
		memcpy(j->answer + j->answer_len, d, n);
	j->answer_len = (uint16_t)(j->answer_len + n);
	if (len == 0 || j->answer_len >= prt_jarm_want(j->answer, j->answer_len))
		leave(s, c, v, now);
}

void jarm_wake(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now)
{
	struct jarm_job *j = job_of(s, v);
	const uint32_t id = v->jarm - 1;

	if (j->answer_len > 0) { /* what came in time is the answer */
		leave(s, c, v, now);
		return;
	}
	v->jarm = 0;
	finish_silent(s, id); /* the record first, as in leave() */
	prt_tcp_abort(s->tcp, c);
}

void jarm_closed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	enum prt_tcp_end why)
{
	const uint32_t id = v->jarm - 1;

	(void)c;
	v->jarm = 0;
	if (why == PRT_TCP_END_TIMEOUT && s->jarms[id]->answer_len == 0)
		finish_silent(s, id);
	else if (why == PRT_TCP_END_ABORTED || s->stopping) /* cut by the scan's end */
		finish(s, id, NULL);
	else /* refused, or reset mid-answer: what came is the answer */
		answered(s, id, s->now);
}

int jarm_init(struct prt_service *s)
{
	if (!s->conf.jarm)
		return 0;
	s->njarms = s->conf.jarm_max ? s->conf.jarm_max : 1024;
	s->jarms = calloc(s->njarms, sizeof(*s->jarms));
	return s->jarms != NULL ? 0 : -1;
}

void jarm_fini(struct prt_service *s)
{
	for (uint32_t i = 0; i < s->njarms; i++)
		if (s->jarms[i] != NULL) {
			prt_jarm_free(s->jarms[i]->acc);
			free(s->jarms[i]);
		}
	free(s->jarms);
	s->jarms = NULL;
	s->njarms = 0;
}
