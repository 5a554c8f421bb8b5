/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sn: ICMP (and ICMPv6) echo host discovery (nmap's -PE). The cookie is the echo
 * identifier (its source-port word), the sequence number (its low 16 bits)
 * and the first four payload bytes (all 32), which a host echoes back.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>

#include "prt_csum.h"
#include "prt_probe.h"

#define ICMP_ECHO_REQUEST 8
#define ICMP6_ECHO_REQUEST 128
#define ECHO_HDR 8
#define ECHO_PAYLOAD 8 /* cookie, then "prti" */

static void echo_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	uint8_t *icmp;

	(void)self;
	prt_probe_ipv4_tmpl_init(t, p, IPPROTO_ICMP, ECHO_HDR + ECHO_PAYLOAD);
	icmp = t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN;
	icmp[0] = ICMP_ECHO_REQUEST;
	memcpy(icmp + ECHO_HDR + 4, "prti", 4);
	/* identifier, sequence and cookie are per probe: zero in the sum */
	t->l4_sum = prt_csum_add(0, icmp, t->l4_len);
	t->hw_cksum = false; /* NICs offload no ICMP checksum: both are done here */
}

/* Identifier, sequence, cookie word and the checksum over them plus @p sum. */
static void write_echo(uint8_t *icmp, uint32_t sum, const struct prt_cookie *c)
{
	uint16_t id = rte_cpu_to_be_16(c->sport), seq = rte_cpu_to_be_16((uint16_t)c->seq);
	uint32_t cookie = rte_cpu_to_be_32(c->seq);
	uint16_t cksum;

	memcpy(icmp + 4, &id, 2);
	memcpy(icmp + 6, &seq, 2);
	memcpy(icmp + ECHO_HDR, &cookie, 4);
	cksum = prt_csum_fold(prt_csum_add32(sum + id + seq, cookie));
	memcpy(icmp + 2, &cksum, 2);
}

static uint16_t echo_craft(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
	uint16_t dport, const struct prt_cookie *c)
{
	(void)dport;
	prt_probe_ipv4_craft(t, frame, rte_cpu_to_be_32(daddr), rte_cpu_to_be_16(c->ip_id));
	write_echo(frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN, t->l4_sum, c);
	return t->len;
}

/* ICMPv6 echo request (RFC 4443 4.1): its checksum covers the pseudo header. */
static void echo6_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	uint8_t *icmp;

	(void)self;
	prt_probe_ipv6_tmpl_init(t, p, IPPROTO_ICMPV6, ECHO_HDR + ECHO_PAYLOAD);
	icmp = t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN;
	icmp[0] = ICMP6_ECHO_REQUEST;
	memcpy(icmp + ECHO_HDR + 4, "prti", 4);
	t->l4_sum = prt_csum_add(prt_csum_pseudo6(p->saddr6.b, NULL, IPPROTO_ICMPV6, t->l4_len),
		icmp, t->l4_len);
}

static uint16_t echo6_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c)
{
	uint32_t dsum = prt_probe_ipv6_craft(t, frame, daddr);

	(void)dport;
	write_echo(frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN, t->l4_sum + dsum, c);
	return t->len;
}

#define ICMP_ECHO_REPLY 0
#define ICMP6_ECHO_REPLY 129

/* An echo reply: identifier, sequence and the first payload word (as sent). */
static enum prt_cls_verdict echo_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans)
{
	const uint8_t *echo = v->l4;
	struct prt_cookie c;
	uint32_t cookie;

	(void)ans;
	/* the classifier checked the ICMP checksum: it parses every ICMP message */
	if (v->l4_len < ECHO_HDR || echo[0] != (v->v6 ? ICMP6_ECHO_REPLY : ICMP_ECHO_REPLY))
		return PRT_CLS_UNEXPECTED;
	if (v->l4_len < ECHO_HDR + 4)
		return PRT_CLS_TRUNCATED;
	c = prt_reply_cookie(k, &v->src, 0, IPPROTO_ICMP);
	memcpy(&cookie, echo + ECHO_HDR, 4);
	if ((uint16_t)(echo[4] << 8 | echo[5]) != c.sport ||
	    (uint16_t)(echo[6] << 8 | echo[7]) != (uint16_t)c.seq ||
	    rte_be_to_cpu_32(cookie) != c.seq)
		return PRT_CLS_BAD_COOKIE;
	prt_reply_result(r, v, 0, IPPROTO_ICMP);
	r->state = self->reply_state;
	r->reason = PRT_REASON_ECHO_REPLY;
	return PRT_CLS_RESULT;
}

/* A quoted echo request: 8 bytes, identifier and sequence (the payload is cut). */
static enum prt_cls_verdict echo_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport)
{
	const uint8_t *l4 = q->l4;
	struct prt_cookie c = prt_reply_cookie(k, &q->dst, 0, IPPROTO_ICMP);

	(void)self;
	*tport = 0;
	return l4[0] == (q->v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO_REQUEST) &&
			(uint16_t)(l4[4] << 8 | l4[5]) == c.sport &&
			(uint16_t)(l4[6] << 8 | l4[7]) == (uint16_t)c.seq ?
		PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE;
}

const struct prt_probe_ops prt_probe_echo = {
	.name = "echo",
	.flag = "-sn",
	.description = "ICMP echo host discovery (-PE): echo reply up",
	.proto = IPPROTO_ICMP,
	.silent_state = PRT_STATE_DOWN,
	.reply_state = PRT_STATE_UP,
	.port_unreach_state = PRT_STATE_DOWN,
	.unreach_state = PRT_STATE_DOWN,
	.tmpl_init = echo_tmpl_init,
	.craft = echo_craft,
	.tmpl_init6 = echo6_tmpl_init,
	.craft6 = echo6_craft,
	.reply = echo_reply,
	.quoted = echo_quoted,
};
