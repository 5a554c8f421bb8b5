/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sY and -sZ: SCTP INIT and COOKIE ECHO scans (RFC 9260), nmap's states.
 * The cookie is the source port and a 32-bit tag: an INIT carries it as its
 * Initiate Tag, which the INIT ACK or ABORT answering it carries as its
 * Verification Tag (9260 8.4 rule 3 for the ABORT); a COOKIE ECHO carries
 * it as its own Verification Tag, which the ABORT of a closed port reflects
 * (8.4 rule 8, the T bit set). Every packet ends in a CRC32c over the whole
 * SCTP packet, computed per probe and checked on every answer.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_hash_crc.h>

#include "prt_probe.h"

#define SCTP_HDR 12      /* ports, verification tag, checksum */
#define CHUNK_HDR 4      /* type, flags, length */
#define INIT_LEN 20      /* INIT chunk with no parameters */
#define COOKIE_LEN 8     /* COOKIE ECHO chunk with a 4-byte cookie */
#define CHUNK_INIT 1
#define CHUNK_INIT_ACK 2
#define CHUNK_ABORT 6
#define CHUNK_COOKIE_ECHO 10

/* A tag of 0 is reserved (an INIT's Verification Tag): tags are never 0. */
uint32_t prt_probe_sctp_tag(const struct prt_cookie *c)
{
	return c->seq != 0 ? c->seq : 1;
}

/* CRC32c of @p len bytes from @p crc on. rte_hash_crc() would read through
 * a cast uint64_t pointer, and a packet after an odd-sized header is not
 * 8-byte aligned: the words are copied out first. */
static uint32_t crc_bytes(const uint8_t *p, size_t len, uint32_t crc)
{
	uint64_t w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		crc = rte_hash_crc_8byte(w, crc);
	}
	for (; len > 0; p++, len--)
		crc = rte_hash_crc_1byte(*p, crc);
	return crc;
}

/* RFC 9260 appendix A: CRC32c over the packet with its checksum field 0,
 * complemented, stored least significant byte first. */
uint32_t prt_probe_sctp_crc(const uint8_t *sctp, size_t len)
{
	uint32_t crc = crc_bytes(sctp, 8, 0xffffffff);

	crc = rte_hash_crc_4byte(0, crc);
	crc = crc_bytes(sctp + SCTP_HDR, len - SCTP_HDR, crc);
	return rte_cpu_to_le_32(~crc);
}

/* The chunk after the common header: an INIT (its tag per probe, then
 * a_rwnd, outbound and inbound streams, initial TSN) or a COOKIE ECHO. */
static void write_chunk(uint8_t *chunk, uint8_t type)
{
	if (type == CHUNK_INIT) {
		const uint32_t a_rwnd = rte_cpu_to_be_32(65536), tsn = rte_cpu_to_be_32(1);
		const uint16_t out = rte_cpu_to_be_16(10), in = rte_cpu_to_be_16(2048);
		chunk[0] = CHUNK_INIT;
		chunk[3] = INIT_LEN;
		memcpy(chunk + 8, &a_rwnd, 4);
		memcpy(chunk + 12, &out, 2);
		memcpy(chunk + 14, &in, 2);
		memcpy(chunk + 16, &tsn, 4);
	} else {
		chunk[0] = CHUNK_COOKIE_ECHO;
		chunk[3] = COOKIE_LEN;
		memcpy(chunk + CHUNK_HDR, "prti", 4);
	}
}

static uint16_t chunk_len(const struct prt_probe_ops *self)
{
	return self->sctp_chunk == CHUNK_INIT ? INIT_LEN : COOKIE_LEN;
}

static void sctp_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	prt_probe_ipv4_tmpl_init(t, p, IPPROTO_SCTP, (uint16_t)(SCTP_HDR + chunk_len(self)));
	write_chunk(t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN + SCTP_HDR, self->sctp_chunk);
	t->hw_cksum = false; /* no NIC offload is asked for: the IPv4 checksum is done here */
}

static void sctp6_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	prt_probe_ipv6_tmpl_init(t, p, IPPROTO_SCTP, (uint16_t)(SCTP_HDR + chunk_len(self)));
	write_chunk(t->frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN + SCTP_HDR,
		self->sctp_chunk);
	t->hw_cksum = false;
}

/* Ports, tags and the checksum of the SCTP packet at @p sctp. */
static void fill_sctp(uint8_t *sctp, uint16_t l4_len, uint16_t dport, const struct prt_cookie *c)
{
	uint16_t sport = rte_cpu_to_be_16(c->sport), dport_be = rte_cpu_to_be_16(dport);
	uint32_t tag = rte_cpu_to_be_32(prt_probe_sctp_tag(c)), crc;

	memcpy(sctp, &sport, 2);
	memcpy(sctp + 2, &dport_be, 2);
	if (sctp[SCTP_HDR] == CHUNK_INIT)
		memcpy(sctp + SCTP_HDR + CHUNK_HDR, &tag, 4); /* the packet's own tag stays 0 */
	else
		memcpy(sctp + 4, &tag, 4);
	crc = prt_probe_sctp_crc(sctp, l4_len);
	memcpy(sctp + 8, &crc, 4);
}

uint16_t prt_probe_sctp_init_write(uint8_t *sctp, uint16_t dport, const struct prt_cookie *c)
{
	memset(sctp, 0, SCTP_HDR + INIT_LEN);
	write_chunk(sctp + SCTP_HDR, CHUNK_INIT);
	fill_sctp(sctp, SCTP_HDR + INIT_LEN, dport, c);
	return SCTP_HDR + INIT_LEN;
}

static uint16_t sctp_craft(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
	uint16_t dport, const struct prt_cookie *c)
{
	prt_probe_ipv4_craft(t, frame, rte_cpu_to_be_32(daddr), rte_cpu_to_be_16(c->ip_id));
	fill_sctp(frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN, t->l4_len, dport, c);
	return t->len;
}

static uint16_t sctp6_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c)
{
	prt_probe_ipv6_craft(t, frame, daddr);
	fill_sctp(frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN, t->l4_len, dport, c);
	return t->len;
}

/* The first chunk of an answer: INIT ACK (to an INIT) open, ABORT closed. */
static enum prt_cls_verdict judge(const struct prt_probe_ops *self, uint8_t chunk,
	struct prt_result *r)
{
	if (chunk == CHUNK_ABORT) {
		r->state = PRT_STATE_CLOSED;
		r->reason = PRT_REASON_ABORT;
		return PRT_CLS_RESULT;
	}
	if (chunk == CHUNK_INIT_ACK && self->sctp_chunk == CHUNK_INIT) {
		r->state = PRT_STATE_OPEN;
		r->reason = PRT_REASON_INIT_ACK;
		return PRT_CLS_RESULT;
	}
	return PRT_CLS_UNEXPECTED;
}

enum prt_cls_verdict prt_probe_sctp_check(const struct prt_ip_view *v)
{
	const uint8_t *sctp = v->l4;
	uint16_t first_len;
	uint32_t crc;

	if (v->l4_len < SCTP_HDR + CHUNK_HDR)
		return PRT_CLS_TRUNCATED;
	first_len = (uint16_t)(sctp[SCTP_HDR + 2] << 8 | sctp[SCTP_HDR + 3]);
	if (first_len < CHUNK_HDR)
		return PRT_CLS_BAD_IP_HEADER;
	if (first_len > v->l4_len - SCTP_HDR)
		return PRT_CLS_TRUNCATED;
	crc = prt_probe_sctp_crc(sctp, v->l4_len);
	return memcmp(&crc, sctp + 8, 4) == 0 ? PRT_CLS_RESULT : PRT_CLS_BAD_CHECKSUM;
}

static enum prt_cls_verdict sctp_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans)
{
	const uint8_t *sctp = v->l4;
	enum prt_cls_verdict rc = prt_probe_sctp_check(v);
	uint32_t vtag;
	uint16_t tport;
	struct prt_cookie c;

	if (rc != PRT_CLS_RESULT)
		return rc;
	tport = (uint16_t)(sctp[0] << 8 | sctp[1]);
	c = prt_reply_cookie(k, &v->src, tport, IPPROTO_SCTP);
	memcpy(&vtag, sctp + 4, 4);
	if (c.sport != (uint16_t)(sctp[2] << 8 | sctp[3]) ||
	    rte_be_to_cpu_32(vtag) != prt_probe_sctp_tag(&c))
		return PRT_CLS_BAD_COOKIE;
	prt_reply_result(r, v, tport, IPPROTO_SCTP);
	ans->our_port = c.sport;
	return judge(self, sctp[SCTP_HDR], r);
}

/* A quoted probe: its ports and the tag where the probe carries it (the
 * INIT's Initiate Tag lies past the 8 bytes routers must quote: the ports
 * and the zero tag are what is checked then). */
static enum prt_cls_verdict sctp_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport)
{
	const uint8_t *l4 = q->l4;
	struct prt_cookie c;
	uint32_t vtag, want;

	*tport = (uint16_t)(l4[2] << 8 | l4[3]);
	c = prt_reply_cookie(k, &q->dst, *tport, IPPROTO_SCTP);
	memcpy(&vtag, l4 + 4, 4);
	want = self->sctp_chunk == CHUNK_INIT ? 0 : prt_probe_sctp_tag(&c);
	if (c.sport != (uint16_t)(l4[0] << 8 | l4[1]) || rte_be_to_cpu_32(vtag) != want)
		return PRT_CLS_BAD_COOKIE;
	if (self->sctp_chunk == CHUNK_INIT && q->l4_len >= SCTP_HDR + CHUNK_HDR + 4) {
		uint32_t itag;
		memcpy(&itag, l4 + SCTP_HDR + CHUNK_HDR, 4);
		if (rte_be_to_cpu_32(itag) != prt_probe_sctp_tag(&c))
			return PRT_CLS_BAD_COOKIE;
	}
	return PRT_CLS_RESULT;
}

/* nmap: an ICMP unreachable (any code) is filtered for both scans. */
#define PRT_PROBE_SCTP_COMMON \
	.proto = IPPROTO_SCTP, \
	.port_unreach_state = PRT_STATE_FILTERED, \
	.unreach_state = PRT_STATE_FILTERED, \
	.tmpl_init = sctp_tmpl_init, \
	.craft = sctp_craft, \
	.tmpl_init6 = sctp6_tmpl_init, \
	.craft6 = sctp6_craft, \
	.reply = sctp_reply, \
	.quoted = sctp_quoted

const struct prt_probe_ops prt_probe_sctp_init = {
	.name = "sctpinit",
	.flag = "-sY",
	.description = "SCTP INIT: INIT ACK open, ABORT closed",
	.sctp_chunk = CHUNK_INIT,
	.silent_state = PRT_STATE_FILTERED,
	PRT_PROBE_SCTP_COMMON,
};

const struct prt_probe_ops prt_probe_sctp_cookie = {
	.name = "sctpcookieecho",
	.flag = "-sZ",
	.description = "SCTP COOKIE ECHO: ABORT closed, silence open|filtered",
	.sctp_chunk = CHUNK_COOKIE_ECHO,
	.silent_state = PRT_STATE_OPEN_FILTERED,
	PRT_PROBE_SCTP_COMMON,
};
