/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sO: nmap's IP protocol scan. A pair's "port" is an IP protocol number
 * (0-255). Each probe is an IPv4 header carrying that protocol and, for the
 * protocols nmap sends a header for, that header (scan_engine_raw.cc,
 * build_protoscan_packet): an ICMP echo, an IGMP membership query, a TCP
 * ACK to port 80, a UDP datagram to 40125, an SCTP INIT to 80; for every
 * other protocol nothing after the IP header.
 *
 * The cookie is the IP id, which is all a protocol unreachable quoting a
 * bare probe gives back, and where the header has room, the source port and
 * a 32-bit word too (TCP sequence and acknowledgment, the ICMP identifier,
 * sequence and payload word, the SCTP Initiate Tag). An answer in the
 * probed protocol proves the protocol (open), but only answers that carry
 * the cookie count: the five protocols above. nmap's states for errors: a
 * protocol unreachable from the target closed, a port unreachable from it
 * open (the protocol is there, the port is not), any other unreachable, or
 * one from a router, filtered; silence open|filtered.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "prt_bswap.h"
#include "prt_csum.h"
#include "prt_probe.h"

#define IGMP_LEN 8         /* IGMPv2 general query */
#define TCP_LEN 20
#define UDP_LEN 8
#define SCTP_INIT_LEN (12 + 20)
#define TCP_PORT 80        /* nmap's DEFAULT_TCP_PROBE_PORT */
#define UDP_PORT 40125     /* DEFAULT_UDP_PROBE_PORT */
#define SCTP_PORT 80       /* DEFAULT_SCTP_PROBE_PORT */
#define ICMP_UNREACH_PROTO 2
#define ICMP_UNREACH_PORT 3

static void put16(uint8_t *p, uint16_t v)
{
	v = rte_cpu_to_be_16(v);
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = rte_cpu_to_be_32(v);
	memcpy(p, &v, 4);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Ethernet and IPv4 only; the protocol, the lengths and both checksums are per probe. */
static void ipproto_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	(void)self;
	prt_probe_ipv4_tmpl_init(t, p, 0, 0);
	t->hw_cksum = false;
}

/* A checksum over @p len bytes of @p l4 (zero in its field) plus @p sum, stored at @p at. */
static void put_cksum(uint8_t *l4, size_t len, uint32_t sum, size_t at)
{
	uint16_t c = prt_csum_fold(prt_csum_add(sum, l4, len));

	memcpy(l4 + at, &c, 2);
}

/* The header after the IP header for @p proto. @return its length (0: none) */
static uint16_t write_l4(uint8_t *l4, uint8_t proto, uint32_t phdr_sum,
	const struct prt_cookie *c)
{
	switch (proto) {
	case IPPROTO_ICMP:
		return prt_probe_icmp_echo_write(l4, c); /* -PE's, cookie and all */
	case IPPROTO_IGMP:
		l4[0] = 0x11; /* membership query; its group 0: a general one */
		put_cksum(l4, IGMP_LEN, 0, 2);
		return IGMP_LEN;
	case IPPROTO_TCP:
		put16(l4, c->sport);
		put16(l4 + 2, TCP_PORT);
		put32(l4 + 4, c->seq);
		put32(l4 + 8, c->seq); /* a reset to an ACK echoes this as its sequence */
		l4[12] = (TCP_LEN / 4) << 4;
		l4[13] = RTE_TCP_ACK_FLAG;
		put16(l4 + 14, 1024);
		put_cksum(l4, TCP_LEN, phdr_sum + rte_cpu_to_be_16(TCP_LEN), 16);
		return TCP_LEN;
	case IPPROTO_UDP: {
		uint16_t sum;
		put16(l4, c->sport);
		put16(l4 + 2, UDP_PORT);
		put16(l4 + 4, UDP_LEN);
		sum = prt_csum_fold(prt_csum_add(phdr_sum + rte_cpu_to_be_16(UDP_LEN), l4, UDP_LEN));
		sum = sum == 0 ? 0xffff : sum; /* 0 would mean "no checksum" */
		memcpy(l4 + 6, &sum, 2);
		return UDP_LEN;
	}
	case IPPROTO_SCTP:
		return prt_probe_sctp_init_write(l4, SCTP_PORT, c); /* -sY's, cookie and all */
	default:
		return 0;
	}
}

static uint16_t ipproto_craft(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
	uint16_t proto, const struct prt_cookie *c)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + PRT_PROBE_ETH_LEN);
	uint8_t *l4 = (uint8_t *)(ip + 1);
	uint32_t daddr_be = rte_cpu_to_be_32(daddr);
	uint16_t l4_len;

	memcpy(frame, t->frame, PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN);
	memset(l4, 0, SCTP_INIT_LEN); /* the longest header: every one starts zeroed */
	ip->next_proto_id = (uint8_t)proto;
	ip->packet_id = rte_cpu_to_be_16(c->ip_id);
	ip->dst_addr = daddr_be;
	/* the pseudo header but its length, which write_l4 adds */
	l4_len = write_l4(l4, (uint8_t)proto, prt_csum_pseudo4(ip->src_addr, daddr_be,
		(uint8_t)proto, 0), c);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(PRT_PROBE_IP_LEN + l4_len));
	ip->hdr_checksum = 0;
	ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, PRT_PROBE_IP_LEN));
	return (uint16_t)(PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN + l4_len);
}

/* For --bandwidth: every protocol's frame, the IP header and what follows it. */
static uint16_t ipproto_mean_len(const struct prt_probe_tmpl *t, const uint16_t *protos,
	uint32_t n)
{
	const struct prt_cookie c = {0};
	uint8_t l4[SCTP_INIT_LEN];
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++) {
		memset(l4, 0, sizeof(l4)); /* as craft hands it over */
		sum += t->len + write_l4(l4, (uint8_t)protos[i], 0, &c);
	}
	return n > 0 ? (uint16_t)(sum / n) : t->len;
}

/* A reset from port 80 to the cookie's port echoing the cookie word. */
static enum prt_cls_verdict tcp_answer(const struct prt_ip_view *v, const struct prt_cookie *c)
{
	const uint8_t *tcp = v->l4;
	enum prt_cls_verdict rc = prt_probe_tcp_check(v);

	if (rc != PRT_CLS_RESULT)
		return rc;
	if (get16(tcp) != TCP_PORT || get16(tcp + 2) != c->sport || get32(tcp + 4) != c->seq)
		return PRT_CLS_BAD_COOKIE;
	return (tcp[13] & RTE_TCP_RST_FLAG) ? PRT_CLS_RESULT : PRT_CLS_UNEXPECTED;
}

/* Any datagram from port 40125 to the cookie's port. */
static enum prt_cls_verdict udp_answer(const struct prt_ip_view *v, const struct prt_cookie *c)
{
	enum prt_cls_verdict rc = prt_probe_udp_check(v);

	if (rc != PRT_CLS_RESULT)
		return rc;
	return get16(v->l4) == UDP_PORT && get16(v->l4 + 2) == c->sport ? PRT_CLS_RESULT :
		PRT_CLS_BAD_COOKIE;
}

/* An INIT ACK or an ABORT whose Verification Tag is our Initiate Tag. */
static enum prt_cls_verdict sctp_answer(const struct prt_ip_view *v, const struct prt_cookie *c)
{
	const uint8_t *sctp = v->l4;
	enum prt_cls_verdict rc = prt_probe_sctp_check(v);

	if (rc != PRT_CLS_RESULT)
		return rc;
	return get16(sctp) == SCTP_PORT && get16(sctp + 2) == c->sport &&
		get32(sctp + 4) == prt_probe_sctp_tag(c) ? PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE;
}

static enum prt_cls_verdict ipproto_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans)
{
	const struct prt_cookie c = prt_reply_cookie(k, &v->src, v->proto, self->proto);
	enum prt_cls_verdict rc;
	uint8_t reason;

	switch (v->v6 ? 0 : v->proto) {
	case IPPROTO_ICMP:
		rc = prt_probe_icmp_echo_answered(v, &c);
		reason = PRT_REASON_ECHO_REPLY;
		break;
	case IPPROTO_TCP:
		rc = tcp_answer(v, &c);
		reason = PRT_REASON_RST;
		break;
	case IPPROTO_UDP:
		rc = udp_answer(v, &c);
		reason = PRT_REASON_UDP_RESPONSE;
		break;
	case IPPROTO_SCTP:
		rc = sctp_answer(v, &c);
		reason = v->l4_len > 12 && v->l4[12] == 6 ? PRT_REASON_ABORT : PRT_REASON_INIT_ACK;
		break;
	default:
		return PRT_CLS_OTHER_PROTO; /* nothing in it to tell an answer from noise */
	}
	if (rc != PRT_CLS_RESULT)
		return rc;
	prt_reply_result(r, v, v->proto, self->proto);
	r->state = self->reply_state;
	r->reason = reason;
	ans->our_port = c.sport;
	return PRT_CLS_RESULT;
}

/* The IP id, and where the quote holds them, the source port (TCP, UDP,
 * SCTP) or the ICMP identifier. */
static enum prt_cls_verdict ipproto_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport)
{
	const struct prt_cookie c = prt_reply_cookie(k, &q->dst, q->proto, self->proto);
	bool has_port = q->proto == IPPROTO_TCP || q->proto == IPPROTO_UDP ||
		q->proto == IPPROTO_SCTP;

	*tport = q->proto;
	if (q->v6 || q->ip_id != c.ip_id)
		return PRT_CLS_BAD_COOKIE;
	if (has_port && q->l4_len >= 2 && get16(q->l4) != c.sport)
		return PRT_CLS_BAD_COOKIE;
	if (q->proto == IPPROTO_ICMP && q->l4_len >= 6 && get16(q->l4 + 4) != c.sport)
		return PRT_CLS_BAD_COOKIE;
	return PRT_CLS_RESULT;
}

/* nmap's rules (readip_pcap's callers in scan_engine_raw.cc): the target
 * itself saying it lacks the protocol or the port. */
static uint8_t ipproto_unreach_state(const struct prt_probe_ops *self, uint8_t code,
	bool from_target)
{
	(void)self;
	if (from_target && code == ICMP_UNREACH_PROTO)
		return PRT_STATE_CLOSED;
	if (from_target && code == ICMP_UNREACH_PORT)
		return PRT_STATE_OPEN;
	return PRT_STATE_FILTERED;
}

const struct prt_probe_ops prt_probe_ipproto = {
	.name = "ipproto",
	.flag = "-sO",
	.description = "IP protocols (-p 0-255): an answer open, protocol unreachable closed",
	.proto = IPPROTO_IP,
	.any_proto = true,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	.reply_state = PRT_STATE_OPEN,
	.port_unreach_state = PRT_STATE_OPEN,
	.unreach_state = PRT_STATE_FILTERED,
	.tmpl_init = ipproto_tmpl_init,
	.craft = ipproto_craft,
	.mean_len = ipproto_mean_len,
	.reply = ipproto_reply,
	.quoted = ipproto_quoted,
	.unreach_state_of = ipproto_unreach_state,
};
