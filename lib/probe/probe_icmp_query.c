/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP queries a host answers itself: echo (-PE, ICMPv6 too), timestamp
 * (-PP) and address mask (-PM, RFC 950). One shape: a request with an
 * identifier and a sequence number, which the reply echoes, and for echo
 * and timestamp a 32-bit word the reply echoes too (the echo payload's
 * first word, the originate timestamp). The cookie is the identifier (its
 * source-port word), the sequence number (its low 16 bits) and that word
 * (all 32). A module (probe_echo.c ...) names its request type; the
 * template's first ICMP byte tells the crafting which query it is.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>

#include "prt_csum.h"
#include "prt_probe.h"

#define QUERY_HDR 8 /* type, code, checksum, identifier, sequence */

struct icmp_query {
	uint8_t request, reply;   /* IPv4 types */
	uint8_t request6, reply6; /* ICMPv6 types, 0: none */
	uint16_t len;             /* the whole message */
	uint16_t min_reply;       /* the least of a reply that is checked */
	bool echoes_word;         /* the reply echoes the word after the header */
	uint8_t reason;
};

static const struct icmp_query queries[] = {
	/* echo: the cookie word, then "prti" (RFC 792, RFC 4443 4.1) */
	{8, 0, 128, 129, QUERY_HDR + 8, QUERY_HDR + 4, true, PRT_REASON_ECHO_REPLY},
	/* timestamp: originate (the cookie word), receive, transmit (RFC 792) */
	{13, 14, 0, 0, QUERY_HDR + 12, QUERY_HDR + 12, true, PRT_REASON_TIMESTAMP_REPLY},
	/* address mask: the mask, 0 in the request (RFC 950) */
	{17, 18, 0, 0, QUERY_HDR + 4, QUERY_HDR + 4, false, PRT_REASON_MASK_REPLY},
};

static const struct icmp_query *query_of(uint8_t request)
{
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
		if (queries[i].request == request || queries[i].request6 == request)
			return &queries[i];
	return &queries[0];
}

void prt_probe_icmp_query_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	const struct icmp_query *q = query_of(self->icmp_type);
	uint8_t *icmp;

	prt_probe_ipv4_tmpl_init(t, p, IPPROTO_ICMP, q->len);
	icmp = t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN;
	icmp[0] = q->request;
	if (q->request == 8)
		memcpy(icmp + QUERY_HDR + 4, "prti", 4);
	/* identifier, sequence and cookie are per probe: zero in the sum */
	t->l4_sum = prt_csum_add(0, icmp, t->l4_len);
	t->hw_cksum = false; /* NICs offload no ICMP checksum: both are done here */
}

/* Identifier, sequence, the cookie word where the query echoes one, and the
 * checksum over them plus @p sum. */
static void write_query(uint8_t *icmp, uint32_t sum, const struct prt_cookie *c)
{
	uint16_t id = rte_cpu_to_be_16(c->sport), seq = rte_cpu_to_be_16((uint16_t)c->seq);
	uint32_t word = 0;
	uint16_t cksum;

	memcpy(icmp + 4, &id, 2);
	memcpy(icmp + 6, &seq, 2);
	if (query_of(icmp[0])->echoes_word) {
		word = rte_cpu_to_be_32(c->seq);
		memcpy(icmp + QUERY_HDR, &word, 4);
	}
	cksum = prt_csum_fold(prt_csum_add32(sum + id + seq, word));
	memcpy(icmp + 2, &cksum, 2);
}

uint16_t prt_probe_icmp_query_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	uint32_t daddr, uint16_t dport, const struct prt_cookie *c)
{
	(void)dport;
	prt_probe_ipv4_craft(t, frame, rte_cpu_to_be_32(daddr), rte_cpu_to_be_16(c->ip_id));
	write_query(frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN, t->l4_sum, c);
	return t->len;
}

/* ICMPv6 (echo only): its checksum covers the pseudo header. */
void prt_probe_icmp_query_tmpl_init6(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	const struct icmp_query *q = query_of(self->icmp_type);
	uint8_t *icmp;

	prt_probe_ipv6_tmpl_init(t, p, IPPROTO_ICMPV6, q->len);
	icmp = t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN;
	icmp[0] = q->request6;
	memcpy(icmp + QUERY_HDR + 4, "prti", 4);
	t->l4_sum = prt_csum_add(prt_csum_pseudo6(p->saddr6.b, NULL, IPPROTO_ICMPV6, t->l4_len),
		icmp, t->l4_len);
}

uint16_t prt_probe_icmp_query_craft6(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c)
{
	uint32_t dsum = prt_probe_ipv6_craft(t, frame, daddr);

	(void)dport;
	write_query(frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN, t->l4_sum + dsum, c);
	return t->len;
}

/* Does @p v answer query @p q carrying cookie @p c: its reply type, size,
 * identifier, sequence and the echoed word? */
static enum prt_cls_verdict query_answered(const struct icmp_query *q, const struct prt_ip_view *v,
	const struct prt_cookie *c)
{
	const uint8_t *icmp = v->l4;
	uint32_t word;

	/* the classifier checked the ICMP checksum: it parses every ICMP message */
	if (v->l4_len < QUERY_HDR || icmp[0] != (v->v6 ? q->reply6 : q->reply) ||
	    (v->v6 && q->reply6 == 0))
		return PRT_CLS_UNEXPECTED;
	/* an echo reply needs only the cookie word; the others have a fixed size */
	if (v->l4_len < q->min_reply)
		return PRT_CLS_TRUNCATED;
	if ((uint16_t)(icmp[4] << 8 | icmp[5]) != c->sport ||
	    (uint16_t)(icmp[6] << 8 | icmp[7]) != (uint16_t)c->seq)
		return PRT_CLS_BAD_COOKIE;
	if (q->echoes_word) {
		memcpy(&word, icmp + QUERY_HDR, 4);
		if (rte_be_to_cpu_32(word) != c->seq)
			return PRT_CLS_BAD_COOKIE;
	}
	return PRT_CLS_RESULT;
}

enum prt_cls_verdict prt_probe_icmp_query_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans)
{
	const struct icmp_query *q = query_of(self->icmp_type);
	const struct prt_cookie c = prt_reply_cookie(k, &v->src, 0, IPPROTO_ICMP);
	enum prt_cls_verdict rc = query_answered(q, v, &c);

	(void)ans;
	if (rc != PRT_CLS_RESULT)
		return rc;
	prt_reply_result(r, v, 0, IPPROTO_ICMP);
	r->state = self->reply_state;
	r->reason = q->reason;
	return PRT_CLS_RESULT;
}

uint16_t prt_probe_icmp_echo_write(uint8_t *icmp, const struct prt_cookie *c)
{
	const struct icmp_query *q = &queries[0];

	memset(icmp, 0, q->len);
	icmp[0] = q->request;
	memcpy(icmp + QUERY_HDR + 4, "prti", 4);
	write_query(icmp, prt_csum_add(0, icmp, q->len), c);
	return q->len;
}

enum prt_cls_verdict prt_probe_icmp_echo_answered(const struct prt_ip_view *v,
	const struct prt_cookie *c)
{
	return query_answered(&queries[0], v, c);
}

/* A quoted request: its 8-byte header, identifier and sequence (the rest may be cut). */
enum prt_cls_verdict prt_probe_icmp_query_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *qv, uint16_t *tport)
{
	const struct icmp_query *q = query_of(self->icmp_type);
	const uint8_t *l4 = qv->l4;
	struct prt_cookie c = prt_reply_cookie(k, &qv->dst, 0, IPPROTO_ICMP);

	*tport = 0;
	return l4[0] == (qv->v6 ? q->request6 : q->request) &&
			(uint16_t)(l4[4] << 8 | l4[5]) == c.sport &&
			(uint16_t)(l4[6] << 8 | l4[7]) == (uint16_t)c.seq ?
		PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE;
}
