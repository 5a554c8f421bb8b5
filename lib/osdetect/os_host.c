/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One host's OS detection, as nmap paces it: the six SEQ probes 100 ms
 * apart (their spacing is what ISR, SP and TS measure), then IE, U1, ECN
 * and T2-T7 25 ms apart, then once more, 25 ms apart, those still
 * unanswered; the try ends WAIT_MS after the last probe. Each probe has a
 * source port of its own (nmap's layout: U1 at the base, SEQ 1-6 next, ECN
 * at 13, T2-T7 at 15-20) and the echo requests their identifiers, so an
 * answer names its probe. Answers are kept (their first bytes) and tested
 * at the end, when U1's quote has told the hop distance (T, else TG).
 */
#include <errno.h>
#include <string.h>

#include "prt_osdetect.h"

#define SEQ_GAP_MS 100
#define GAP_MS 25
#define WAIT_MS 500

static const uint8_t sport_off[PRT_OS_PROBES] = {
	[PRT_OS_SEQ1] = 1, [PRT_OS_SEQ2] = 2, [PRT_OS_SEQ3] = 3, [PRT_OS_SEQ4] = 4,
	[PRT_OS_SEQ5] = 5, [PRT_OS_SEQ6] = 6, [PRT_OS_U1] = 0, [PRT_OS_ECN] = 13,
	[PRT_OS_T2] = 15, [PRT_OS_T3] = 16, [PRT_OS_T4] = 17, [PRT_OS_T5] = 18,
	[PRT_OS_T6] = 19, [PRT_OS_T7] = 20,
};

static const char *const test_of[PRT_OS_PROBES] = {
	[PRT_OS_ECN] = "ECN", [PRT_OS_T2] = "T2", [PRT_OS_T3] = "T3", [PRT_OS_T4] = "T4",
	[PRT_OS_T5] = "T5", [PRT_OS_T6] = "T6", [PRT_OS_T7] = "T7",
};

static bool is_seq(int p)
{
	return p <= PRT_OS_SEQ6;
}

/* When probe @p p is first due, in ms after the try's start. */
static uint64_t first_ms(int p)
{
	return is_seq(p) ? (uint64_t)p * SEQ_GAP_MS :
		(uint64_t)(PRT_OS_SEQ6 * SEQ_GAP_MS + (p - PRT_OS_SEQ6) * GAP_MS);
}

static uint64_t resend_start_ms(void)
{
	return first_ms(PRT_OS_PROBES - 1) + GAP_MS;
}

void prt_os_host_init(struct prt_os_host *h, const struct prt_os_host_conf *c, uint64_t now_us)
{
	memset(h, 0, sizeof(*h));
	h->conf = *c;
	h->start_us = now_us;
}

static bool tcp_probe(int p)
{
	return p != PRT_OS_IE1 && p != PRT_OS_IE2 && p != PRT_OS_U1;
}

static struct prt_os_probe_args args_of(const struct prt_os_host *h, int p)
{
	const struct prt_os_host_conf *c = &h->conf;
	struct prt_os_probe_args a = {
		.src = c->src, .dst = c->dst, .ipid = c->ipid[p], .ttl = c->ttl[p],
		.sport = (uint16_t)(c->sport_base + sport_off[p]),
		.dport = p == PRT_OS_U1 ? c->udp_closed :
			p >= PRT_OS_T5 ? c->tcp_closed : c->tcp_open,
		.seq = c->seq_base + (is_seq(p) ? (uint32_t)p : 0),
		.ack = p == PRT_OS_ECN ? 0 : c->ack,
		.icmp_id = (uint16_t)(c->icmp_id + (p == PRT_OS_IE2)),
		.icmp_seq = (uint16_t)(c->icmp_seq + (p == PRT_OS_IE2)),
	};
	return a;
}

int prt_os_host_due(const struct prt_os_host *h, uint64_t now_us, uint64_t *next_us)
{
	const uint64_t ms = (now_us - h->start_us) / 1000;
	uint64_t next = UINT64_MAX;

	for (int p = 0; p < PRT_OS_PROBES; p++) {
		uint64_t at = first_ms(p);
		if (h->sent & (1u << p)) { /* sent: due again once, if unanswered and not SEQ */
			if (is_seq(p) || (h->resent & (1u << p)) || (h->answered & (1u << p)))
				continue;
			at = resend_start_ms() + (uint64_t)p * GAP_MS;
		}
		if (at <= ms)
			return p;
		if (at < next)
			next = at;
	}
	*next_us = next == UINT64_MAX ? UINT64_MAX : h->start_us + next * 1000;
	return -1;
}

int prt_os_host_probe(struct prt_os_host *h, int p, uint64_t now_us, uint8_t *out, size_t cap)
{
	struct prt_os_probe_args a;
	int n;

	if (p < 0 || p >= PRT_OS_PROBES)
		return -EINVAL;
	a = args_of(h, p);
	n = prt_os_probe_build((enum prt_os_probe)p, &a, out, cap);
	if (n < 0)
		return n;
	if (h->sent & (1u << p))
		h->resent |= 1u << p;
	h->sent |= 1u << p;
	h->sent_us[p] = now_us;
	if (p == PRT_OS_U1) {
		memcpy(h->u1_sent, out, (size_t)n);
		h->u1_sent_len = (uint16_t)n;
	}
	h->last_us = now_us;
	return n;
}

/* Which of our probes an answer is to: by our port, or the echo identifier. */
static int probe_of(const struct prt_os_host *h, const uint8_t *ip, size_t len)
{
	size_t hl;

	if (len < 20 || (ip[0] >> 4) != 4 || (hl = (size_t)(ip[0] & 0x0f) * 4) < 20 ||
	    len < hl + 8)
		return -EINVAL;
	if (ip[9] == 6) {
		unsigned port = (unsigned)(ip[hl + 2] << 8 | ip[hl + 3]);
		for (int p = 0; p < PRT_OS_PROBES; p++)
			if (tcp_probe(p) && port == (uint16_t)(h->conf.sport_base + sport_off[p]))
				return p;
	} else if (ip[9] == 1 && ip[hl] == 0) {
		unsigned id = (unsigned)(ip[hl + 4] << 8 | ip[hl + 5]);
		if (id == h->conf.icmp_id || id == (uint16_t)(h->conf.icmp_id + 1))
			return id == h->conf.icmp_id ? PRT_OS_IE1 : PRT_OS_IE2;
	} else if (ip[9] == 1 && ip[hl] == 3) {
		return PRT_OS_U1; /* prt_os_u1_test checks that it quotes our probe */
	}
	return -EINVAL;
}

int prt_os_host_answer(struct prt_os_host *h, const uint8_t *ip, size_t len)
{
	int p = probe_of(h, ip, len);
	struct prt_os_answer *a;

	if (p < 0 || !(h->sent & (1u << p)) || (h->answered & (1u << p)))
		return -EINVAL;
	if (p == PRT_OS_U1) {
		if (len > sizeof(h->u1) || !prt_os_u1_quotes(ip, len, h->u1_sent, h->u1_sent_len))
			return -EINVAL;
		memcpy(h->u1, ip, len);
		h->u1_len = (uint16_t)len;
	} else {
		a = &h->answer[p];
		a->len = (uint16_t)(len < sizeof(a->ip) ? len : sizeof(a->ip));
		memcpy(a->ip, ip, a->len);
	}
	h->answered |= 1u << p;
	return p;
}

bool prt_os_host_done(const struct prt_os_host *h, uint64_t now_us)
{
	uint64_t next;

	return prt_os_host_due(h, now_us, &next) < 0 && next == UINT64_MAX &&
		now_us >= h->last_us + (uint64_t)WAIT_MS * 1000;
}

static const struct prt_os_answer *answer(const struct prt_os_host *h, int p)
{
	return (h->answered & (1u << p)) ? &h->answer[p] : NULL;
}

static uint16_t ipid_of(const struct prt_os_answer *a)
{
	return (uint16_t)(a->ip[4] << 8 | a->ip[5]);
}

void prt_os_host_seq(const struct prt_os_host *h, struct prt_os_seq *s)
{
	memset(s, 0, sizeof(*s));
	for (int p = PRT_OS_SEQ1; p <= PRT_OS_SEQ6; p++) {
		const struct prt_os_answer *a = answer(h, p);
		if (a != NULL)
			prt_os_seq_add(s, (unsigned)p + 1, h->sent_us[p], a->ip, a->len);
	}
	for (int p = PRT_OS_T5; p <= PRT_OS_T7; p++)
		if (answer(h, p) != NULL)
			s->closed_ipid[s->nclosed++] = ipid_of(answer(h, p));
	if (answer(h, PRT_OS_IE1) != NULL && answer(h, PRT_OS_IE2) != NULL) {
		s->icmp_ipid[0] = ipid_of(answer(h, PRT_OS_IE1));
		s->icmp_ipid[1] = ipid_of(answer(h, PRT_OS_IE2));
		s->nicmp = 2;
	}
}

/* SEQ, and OPS/WIN when all six SEQ probes were answered (as nmap wants). */
static void seq_tests(const struct prt_os_host *h, struct prt_os_fp *fp)
{
	struct prt_os_seq s;

	prt_os_host_seq(h, &s);
	for (int p = PRT_OS_SEQ1; s.n == PRT_OS_SEQ_PROBES && p <= PRT_OS_SEQ6; p++)
		prt_os_seq_reply(fp, (unsigned)p + 1, h->answer[p].ip, h->answer[p].len);
	prt_os_seq_test(fp, &s);
}

int prt_os_host_finish(const struct prt_os_host *h, struct prt_os_fp *fp)
{
	int distance = h->conf.distance;
	const struct prt_os_answer *a;
	struct prt_os_sent sent;
	int t1 = -1;

	memset(fp, 0, sizeof(*fp));
	if (h->u1_len != 0 && prt_os_u1_distance(h->u1, h->u1_len, h->u1_sent) > 0)
		distance = prt_os_u1_distance(h->u1, h->u1_len, h->u1_sent);
	seq_tests(h, fp);
	for (int p = PRT_OS_SEQ1; p <= PRT_OS_SEQ6 && t1 < 0; p++) /* T1: the first SEQ answer */
		if (answer(h, p) != NULL)
			t1 = p;
	sent.seq = t1 >= 0 ? args_of(h, t1).seq : 0;
	sent.ack = t1 >= 0 ? args_of(h, t1).ack : 0;
	prt_os_tcp_test(fp, "T1", t1 >= 0 ? h->answer[t1].ip : NULL,
		t1 >= 0 ? h->answer[t1].len : 0, &sent, distance);
	for (int p = PRT_OS_ECN; p <= PRT_OS_T7; p++) {
		a = answer(h, p);
		sent.seq = args_of(h, p).seq;
		sent.ack = args_of(h, p).ack;
		prt_os_tcp_test(fp, test_of[p], a ? a->ip : NULL, a ? a->len : 0, &sent, distance);
	}
	prt_os_u1_test(fp, h->u1_len ? h->u1 : NULL, h->u1_len, h->u1_sent, h->u1_sent_len,
		distance);
	prt_os_ie_test(fp, answer(h, PRT_OS_IE1) ? h->answer[PRT_OS_IE1].ip : NULL,
		h->answer[PRT_OS_IE1].len, answer(h, PRT_OS_IE2) ? h->answer[PRT_OS_IE2].ip : NULL,
		h->answer[PRT_OS_IE2].len, distance);
	return distance;
}
