/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV: nmap's version detection, with the probes of one port on parallel
 * connections. A port's job has a plan in nmap's order: the NULL probe (the
 * scan's own connection: listen), the probes whose ports line lists the
 * port, then those of rarity up to --version-intensity, in file order. The
 * NULL probe runs alone for launch_ms (most servers that speak first do so
 * at once); then the rest go out, up to `parallel` connections at a time,
 * each on its own connection as nmap does.
 *
 * The answer is the one nmap's sequence gives: walking the plan in order,
 * the first probe whose answer hard-matches (its own lines, then its
 * fallbacks', then the NULL probe's); after a softmatch only probes that can
 * name that service count. An entry is final when its answer matched, or
 * its wait (totalwaitms, default 5 s) ran out, or the server closed. The
 * job ends as soon as the walk reaches a hard match or the end; connections
 * still running are reset then.

 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version_priv.h"


int version_init(struct prt_service *s)
{
	const struct prt_sp_db *db = s->conf.probes;

	s->scratch = prt_match_scratch_create(s->conf.matcher);
	s->njobs = s->conf.capacity / (s->conf.parallel ? s->conf.parallel : 1) + 64;
	s->jobs = calloc(s->njobs, sizeof(*s->jobs));
	s->null_probe = UINT32_MAX;
	for (uint32_t i = 0; i < db->nprobes; i++)
		if (db->probes[i].proto == IPPROTO_TCP && strcmp(db->probes[i].name, "NULL") == 0)
			s->null_probe = i;
	if (s->scratch == NULL || s->jobs == NULL)
		return -ENOMEM;
	return plan_resolve_fallbacks(s);
}

static void free_entries(struct vjob *j)
{
	for (uint16_t i = 0; i < j->nplan; i++) {
		free(j->e[i].info);
		free(j->e[i].resp);
	}
	memset(j->e, 0, sizeof(j->e[0]) * j->nplan);
}

void version_fini(struct prt_service *s)
{
	for (uint32_t i = 0; s->jobs != NULL && i < s->njobs; i++) {
		free_entries(&s->jobs[i]);
		free(s->jobs[i].ssl);
		free(s->jobs[i].cert);
	}
	free(s->jobs);
	free(s->fallbacks);
	s->fallbacks = NULL;
	prt_match_scratch_free(s->scratch);
	s->jobs = NULL;
	s->scratch = NULL;
}

const struct prt_service_stats *prt_service_stats(const struct prt_service *s)
{
	return &s->vstats;
}

/* The entry whose answer is reported: the match, else the first that said anything. */
static const struct ventry *shown(const struct vjob *j, int at)
{
	if (at >= 0)
		return &j->e[at];
	for (uint16_t i = 0; i < j->nplan; i++)
		if (j->e[i].resp_len > 0)
			return &j->e[i];
	return &j->e[0];
}

static void report(struct prt_service *s, const struct vjob *j, int at)
{
	const struct ventry *e = shown(j, at);
	struct prt_banner b;

	service_banner_init(s, &b, &j->peer, j->port);
	b.probed = e != &j->e[0];
	b.len = e->resp_len;
	if (e->resp_len > 0)
		memcpy(b.data, e->resp, e->resp_len);
	b.has_svc = at >= 0;
	if (at >= 0)
		b.svc = *e->info;
	if (at >= 0 && j->tunnel)
		snprintf(b.svc.tunnel, sizeof(b.svc.tunnel), "ssl");
	if (j->cert != NULL) {
		b.has_cert = 1;
		b.cert = *j->cert;
	}
	if (at >= 0 && e->kind == PRT_MATCH_HARD)
		STAT_ADD(s, matched);
	else if (at >= 0)
		STAT_ADD(s, soft);
	else
		STAT_ADD(s, unmatched);
	if (b.has_svc && strcmp(b.svc.service, "tcpwrapped") == 0)
		STAT_ADD(s, tcpwrapped);
	if (b.has_svc || b.len > 0 || b.has_cert)
		service_report_tls(s, &b, j->base_port);
}

/* Reset a running entry's connection; its callbacks find no job. */
void version_reset_entry(struct prt_service *s, struct ventry *e)
{
	struct prt_tcp_conn *c = prt_tcp_conn_at(s->tcp, e->conn - 1);

	service_conv(s, c)->job = 0; /* detached */
	prt_tcp_abort(s->tcp, c);
	e->conn = 0;
}

/* Reset the connections of the job that still run, keeping what the entries hold. */
void version_abort_running(struct prt_service *s, struct vjob *j)
{
	for (uint16_t i = 0; i < j->nplan; i++)
		if (j->e[i].status == E_RUNNING) {
			version_reset_entry(s, &j->e[i]);
			j->e[i].status = E_DONE;
		}
	j->running = 0;
}

static void stop_running(struct prt_service *s, struct vjob *j)
{
	version_abort_running(s, j);
	free_entries(j);
}

static void start_more(struct prt_service *s, struct vjob *j, uint64_t now);

/* nmap's rule for a port that answers TLS (service "ssl"): the probes again,
 * each inside TLS, the sslports lists taking the place of the ports lists. */
static bool tunnel(struct prt_service *s, struct vjob *j, int at, uint64_t now)
{
	if (at < 0 || j->tunnel || s->conf.tls == NULL ||
	    strcmp(j->e[at].info->service, "ssl") != 0)
		return false;
	j->ssl = malloc(sizeof(*j->ssl));
	if (j->ssl == NULL)
		return false;
	*j->ssl = *j->e[at].info;
	stop_running(s, j);
	j->tunnel = true;
	plan_make(s, j);
	j->next = 0;
	start_more(s, j, now);
	return true;
}

/* The answer is known: report it, reset what still runs, free the job. Inside
 * TLS with nothing found, the answer stays the "ssl" match (nmap: ssl/unknown). */
void version_finish(struct prt_service *s, struct vjob *j, int at)
{
	if (at < 0 && j->ssl != NULL) {
		j->tunnel = false;
		free(j->e[0].info);
		j->e[0].info = j->ssl; /* reported as entry 0's answer, freed with the entries */
		j->e[0].kind = PRT_MATCH_SOFT;
		j->ssl = NULL;
		at = 0;
	}
	report(s, j, at);
	stop_running(s, j);
	free(j->ssl);
	j->ssl = NULL;
	free(j->cert);
	j->cert = NULL;
	j->used = false;
}

/* The walk's answer, or first the tunnel or the module it leads to. */
static void conclude(struct prt_service *s, struct vjob *j, int at, uint64_t now)
{
	if (!tunnel(s, j, at, now) && !module_start(s, j, at, now))
		version_finish(s, j, at);
}

/* Entry final: keep what matched, then see whether the answer is known. */
static void complete(struct prt_service *s, struct vjob *j, struct conv *v, bool closed,
	const struct prt_service_info *hard, uint64_t now)
{
	struct ventry *e = &j->e[v->entry];
	uint32_t probe = j->plan[v->entry];
	struct prt_service_info info;
	enum prt_match_result kind;
	bool decided;
	int at;

	if (e->status != E_RUNNING)
		return;
	/* the caller may have just matched this very answer */
	if (hard != NULL) {
		info = *hard;
		kind = PRT_MATCH_HARD;
	} else {
		kind = plan_match(s, probe, v->buf, v->len, &info);
	}
	/* nmap's tcpwrapped: the server closed before saying anything, quickly */
	if (kind == PRT_MATCH_NONE && probe == s->null_probe && closed && v->len == 0 &&
	    !j->tunnel &&
	    now - v->since < service_ms(s, s->conf.probes->probes[probe].tcpwrappedms)) {
		memset(&info, 0, sizeof(info));
		snprintf(info.service, sizeof(info.service), "tcpwrapped");
		snprintf(info.probe, sizeof(info.probe), "NULL");
		kind = PRT_MATCH_HARD;
	}
	e->status = E_DONE;
	e->kind = (uint8_t)kind;
	if (kind != PRT_MATCH_NONE || v->len > 0) {
		e->info = kind != PRT_MATCH_NONE ? malloc(sizeof(info)) : NULL;
		e->resp = v->len ? malloc(v->len) : NULL;
		if ((kind != PRT_MATCH_NONE && e->info == NULL) || (v->len && e->resp == NULL)) {
			e->kind = PRT_MATCH_NONE; /* no memory: as if it had not matched */
		} else {
			if (e->info != NULL)
				*e->info = info;
			if (v->len > 0)
				memcpy(e->resp, v->buf, v->len);
			e->resp_len = v->len;
		}
	}
	j->running--;
	v->job = 0;
	serial_count_silence(j, v);
	at = plan_evaluate(s, j, &decided);
	if (decided)
		conclude(s, j, at, now);
	else if (!decided)
		start_more(s, j, now);
}

static struct vjob *job_of(struct prt_service *s, const struct conv *v)
{
	return v->job ? &s->jobs[v->job - 1] : NULL;
}

/* The first entry at or after j->next not yet started (serial retries go back). */
static uint16_t next_pending(const struct vjob *j)
{
	uint16_t i = j->next;

	while (i < j->nplan && j->e[i].status != E_PENDING)
		i++;
	return i;
}

/* An entry's port; a retry takes another, as its first connection may linger there. */
static uint16_t entry_port(const struct prt_service *s, const struct vjob *j, uint16_t at)
{
	return service_sport(s, j->base_port, at + (j->tunnel ? PLAN_MAX : 0) + (j->e[at].retried ? 2 * PLAN_MAX : 0));
}

/* Past the port's budget, the probes not started count as unanswered. */
static void give_up_pending(struct vjob *j)
{
	for (uint16_t i = j->next; i < j->nplan; i++)
		if (j->e[i].status == E_PENDING)
			j->e[i].status = E_DONE;
	j->next = j->nplan;
}

static void start_more(struct prt_service *s, struct vjob *j, uint64_t now)
{
	const uint32_t limit = j->serial ? 1 : s->conf.parallel ? s->conf.parallel : 1;
	uint16_t at;

	if (j->deadline != 0 && now >= j->deadline)
		give_up_pending(j);
	while (j->running < limit && (at = next_pending(j)) < j->nplan) {
		struct prt_tcp_key k = {.peer = j->peer, .peer_port = j->port};
		struct prt_tcp_conn *c;
		struct conv *v;

		j->next = (uint16_t)(at + 1);
		k.our_port = entry_port(s, j, at);
		c = prt_tcp_connect(s->tcp, &k, (uint32_t)(now * 2654435761u) ^ at, now);
		if (c == NULL) {
			j->e[at].status = E_DONE; /* table full: counted there */
			continue;
		}
		v = service_conv(s, c);
		memset(v, 0, offsetof(struct conv, buf));
		v->job = (uint32_t)(j - s->jobs) + 1;
		v->entry = at;
		j->e[at].status = E_RUNNING;
		j->e[at].conn = prt_tcp_conn_index(s->tcp, c) + 1;
		j->running++;
		STAT_ADD(s, probes_sent);
	}
	if (j->running == 0) {
		bool decided;
		conclude(s, j, plan_evaluate(s, j, &decided), now);
	}
}

static struct vjob *job_new(struct prt_service *s)
{
	for (uint32_t n = 0; n < s->njobs; n++) {
		uint32_t i = (s->free_job + n) % s->njobs;
		if (!s->jobs[i].used) {
			s->free_job = i + 1;
			return &s->jobs[i];
		}
	}
	return NULL;
}

void version_established(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	uint64_t now)
{
	const struct prt_tcp_key *k = prt_tcp_conn_key(c);
	struct vjob *j = job_of(s, v);

	if (j != NULL && v->entry == MODULE_ENTRY) {
		prt_tcp_send(s->tcp, c, j->module->request, j->module->request_len, now);
		prt_tcp_wake_at(s->tcp, c, now + service_ms(s, j->module->wait_ms));
		return;
	}
	if (j != NULL) {
		/* one of our probe connections: say the probe (inside TLS once the
		 * handshake is done), wait for the answer */
		const struct prt_sp_probe *p = &s->conf.probes->probes[j->plan[v->entry]];
		v->since = now;
		serial_note_handshake(j, now);
		prt_tcp_wake_at(s->tcp, c, now + service_ms(s, serial_entry_wait_ms(s, j, v->entry)));
		if (!j->tunnel) {
			prt_tcp_send(s->tcp, c, p->data, p->len, now);
		} else if (tls_conv_start(s, c, v, now) != 0) {
			complete(s, j, v, false, NULL, now);
			prt_tcp_abort(s->tcp, c);
		}
		return;
	}
	/* the scan's connection to an open port: a new job, this is its NULL probe */
	memset(v, 0, offsetof(struct conv, buf));
	j = s->null_probe != UINT32_MAX ? job_new(s) : NULL;
	if (j == NULL) {
		STAT_ADD(s, jobs_full);
		prt_tcp_close(s->tcp, c, now);
		return;
	}
	memset(j, 0, offsetof(struct vjob, plan));
	j->used = true;
	j->peer = k->peer;
	j->port = k->peer_port;
	j->base_port = k->our_port;
	j->deadline = s->conf.job_ms ? now + service_ms(s, s->conf.job_ms) : 0;
	plan_make(s, j);
	j->e[0].status = E_RUNNING;
	j->e[0].conn = prt_tcp_conn_index(s->tcp, c) + 1;
	j->running = 1;
	j->next = 1;
	v->job = (uint32_t)(j - s->jobs) + 1;
	v->entry = 0;
	v->since = now;
	STAT_ADD(s, ports);
	STAT_ADD(s, probes_sent);
	/* the NULL probe alone first; the others when launch_ms passes without an answer */
	prt_tcp_wake_at(s->tcp, c, now + service_ms(s, s->conf.launch_ms <
		plan_wait_ms(s, s->null_probe) ? s->conf.launch_ms : plan_wait_ms(s, s->null_probe)));
}

/* Bytes of a connection inside TLS: the handshake, then the probe, then the
 * decrypted answer into v->buf. @return false when the entry is over */
static bool tunnel_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	struct vjob *j, const uint8_t *d, uint32_t len, uint64_t now)
{
	const struct prt_sp_probe *p = &s->conf.probes->probes[j->plan[v->entry]];
	enum prt_tls_state st = tls_conv_feed(s, c, v, d, len, now);

	if (st == PRT_TLS_FAILED) {
		complete(s, j, v, true, NULL, now);
		prt_tcp_abort(s->tcp, c);
		return false;
	}
	if (st == PRT_TLS_DONE && !v->probe_out) {
		v->probe_out = true;
		/* every probe's handshake meets the same server: the first one's
		 * certificate is the port's (memory short: the answer goes without) */
		if (s->conf.version_certs && j->cert == NULL) {
			j->cert = malloc(sizeof(*j->cert));
			if (j->cert != NULL)
				tls_conv_cert(v, j->cert);
		}
		if (p->len > 0)
			tls_conv_send(s, c, v, p->data, p->len, now);
	}
	return true;
}

/*
 * Whether the answer, grown since @p before, is worth matching again before
 * it is complete (complete() matches the whole answer in any case). Matching
 * on every segment costs O(n^2) when a server sends a byte at a time; here a
 * try needs the answer half again as long as at the last try, or a line end
 * and 32 more bytes: at most ~50 tries for a full buffer, one for most.
 */
static bool worth_matching(struct conv *v, uint16_t before)
{
	const uint16_t last = v->matched_len;
	const bool line_end = memchr(v->buf + before, '\n', v->len - before) != NULL;

	if (v->len == before)
		return false;
	if (last != 0 && v->len < last + last / 2 && !(line_end && v->len >= last + 32))
		return false;
	v->matched_len = v->len;
	return true;
}

void version_data(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v,
	const uint8_t *d, uint32_t len, uint64_t now)
{
	struct vjob *j = job_of(s, v);
	struct prt_service_info info;
	const uint16_t before = v->len;
	uint32_t room;

	if (j == NULL) {
		if (len > 0)
			prt_tcp_abort(s->tcp, c); /* its job is over: no more talk */
		return;
	}
	v->served = true;
	j->ever_served = true;
	if (v->entry == MODULE_ENTRY) {
		module_data(s, c, v, j, d, len, now);
		return;
	}
	if (len == 0) { /* the server closed: the answer is whole */
		complete(s, j, v, true, NULL, now);
		prt_tcp_close(s->tcp, c, now);
		return;
	}
	if (v->tls != NULL) {
		if (!tunnel_data(s, c, v, j, d, len, now))
			return;
	} else {
		room = PRT_BANNER_MAX - v->len;
		memcpy(v->buf + v->len, d, len < room ? len : room);
		v->len = (uint16_t)(v->len + (len < room ? len : room));
	}
	if (worth_matching(v, before) &&
	    plan_match(s, j->plan[v->entry], v->buf, v->len, &info) == PRT_MATCH_HARD) {
		complete(s, j, v, false, &info, now);
		prt_tcp_close(s->tcp, c, now);
	} else if (v->len == PRT_BANNER_MAX) {
		complete(s, j, v, false, NULL, now);
		prt_tcp_close(s->tcp, c, now);
	}
}

void version_wake(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v, uint64_t now)
{
	struct vjob *j = job_of(s, v);
	uint64_t null_end, check;

	if (j == NULL)
		return;
	if (v->entry == MODULE_ENTRY) {
		module_end(s, j, v);
		prt_tcp_close(s->tcp, c, now);
		return;
	}
	null_end = v->since + service_ms(s, serial_entry_wait_ms(s, j, v->entry));
	if (v->entry == 0 && !j->tunnel && now < null_end) {
		if (j->next == 1) {
			/* the NULL probe heard nothing yet: the other probes go out now,
			 * and are looked at again serial_ms later */
			j->launched = true;
			j->launch_at = now;
			check = s->conf.serial_ms ? now + service_ms(s, s->conf.serial_ms) : null_end;
			prt_tcp_wake_at(s->tcp, c, check < null_end ? check : null_end);
			start_more(s, j, now);
			return;
		}
		if (!serial_suspect(s, j)) {
			prt_tcp_wake_at(s->tcp, c, null_end);
			return;
		}
		/* judged once the launch's round trips are known and have passed */
		check = serial_due(s, j);
		if (check == 0 || now < check) {
			check = check ? check : now + service_ms(s, s->conf.serial_ms);
			prt_tcp_wake_at(s->tcp, c, check < null_end ? check : null_end);
			return;
		}
		serial_begin(s, j); /* and the NULL probe ends here */
	}
	complete(s, j, v, false, NULL, now);
	prt_tcp_close(s->tcp, c, now);
}

void version_closed(struct prt_service *s, struct prt_tcp_conn *c, struct conv *v)
{
	struct vjob *j = job_of(s, v);

	(void)c;
	if (j != NULL && v->entry == MODULE_ENTRY) {
		module_end(s, j, v);
	} else if (j != NULL) {
		v->served = true; /* a reset, or our own end after it */
		j->ever_served = true;
		complete(s, j, v, true, NULL, s->now);
	}
	tls_conv_free(s, v);
}
