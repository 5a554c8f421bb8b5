/* SPDX-License-Identifier: BSD-3-Clause */
/* -sO: each protocol's probe (the header nmap sends, checksums right, the
 * cookie in it), and the answers and ICMP errors read back through the
 * classifier with nmap's states. */
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "cmocka_common.h"
#include "scan_fixture.h"
#include "prt_classify.h"
#include "prt_common.h"
#include "prt_csum.h"
#include "prt_probe.h"
#include "reply_frame.h"

#define OUR_IP 0xc6120002u /* 198.18.0.2 */
#define TARGET 0xc6130001u /* 198.19.0.1 */
#define ROUTER 0xc6120001u /* 198.18.0.1 */
#define L4 (14 + 20)
#define GRE 47

static const struct prt_probe_params params = {
	.src_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
	.dst_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
	.saddr = OUR_IP,
	.ttl = 64,
};

static struct prt_cookie_key key;
static struct prt_target_set targets;
static struct prt_port_list protos;

static int setup(void **state)
{
	(void)state;
	prt_cookie_key_from_seed(&key, 11);
	test_targets(&targets, "198.19.0.0/24", NULL);
	test_ports(&protos, "0-255");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prt_target_set_free(&targets);
	prt_port_list_free(&protos);
	return 0;
}

static struct prt_cookie cookie(uint8_t proto)
{
	return prt_cookie_v4(&key, OUR_IP, TARGET, proto, IPPROTO_IP, 40000, 1000);
}

static uint16_t craft(uint8_t proto, uint8_t *frame)
{
	struct prt_probe_tmpl t;
	struct prt_cookie c = cookie(proto);

	prt_probe_ipproto.tmpl_init(&prt_probe_ipproto, &t, &params);
	return prt_probe_ipproto.craft(&t, frame, TARGET, proto, &c);
}

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)be16_at(p) << 16 | be16_at(p + 2);
}

/* The sum of the IPv4 pseudo header of @p frame's datagram. */
static uint32_t phdr(const uint8_t *frame, size_t l4_len)
{
	uint32_t s, d;

	memcpy(&s, frame + 14 + 12, 4);
	memcpy(&d, frame + 14 + 16, 4);
	return prt_csum_pseudo4(s, d, frame[14 + 9], (uint16_t)l4_len);
}

/* nmap's probe per protocol: the header, its length, the cookie in it. */
static void probes_carry_the_header_nmap_sends(void **state)
{
	static const struct {
		uint8_t proto;
		uint16_t l4_len;
		bool pseudo; /* the checksum covers the pseudo header */
	} want[] = {
		{IPPROTO_ICMP, 16, false}, {IPPROTO_IGMP, 8, false}, {IPPROTO_TCP, 20, true},
		{IPPROTO_UDP, 8, true}, {IPPROTO_SCTP, 32, false}, {GRE, 0, false},
		{0, 0, false}, {255, 0, false},
	};
	uint8_t frame[PRT_PROBE_MAX_FRAME];

	(void)state;
	for (size_t i = 0; i < PRT_ARRAY_SIZE(want); i++) {
		const uint8_t *l4 = frame + L4;
		struct prt_cookie c = cookie(want[i].proto);
		uint16_t len = craft(want[i].proto, frame);

		assert_int_equal(len, L4 + want[i].l4_len);
		assert_int_equal(frame[14 + 9], want[i].proto);
		assert_int_equal(be16_at(frame + 14 + 2), 20 + want[i].l4_len);
		assert_int_equal(be16_at(frame + 14 + 4), c.ip_id);
		assert_int_equal(be32_at(frame + 14 + 16), TARGET);
		assert_int_equal(prt_csum_fold(prt_csum_add(0, frame + 14, 20)), 0);
		if (want[i].l4_len == 0 || want[i].proto == IPPROTO_SCTP)
			continue;
		assert_int_equal(prt_csum_fold(prt_csum_add(want[i].pseudo ?
			phdr(frame, want[i].l4_len) : 0, l4, want[i].l4_len)), 0);
	}
	craft(IPPROTO_TCP, frame);
	assert_int_equal(be16_at(frame + L4), cookie(IPPROTO_TCP).sport);
	assert_int_equal(be16_at(frame + L4 + 2), 80);
	assert_int_equal(frame[L4 + 13], 0x10); /* ACK alone */
	assert_int_equal(be32_at(frame + L4 + 8), cookie(IPPROTO_TCP).seq);
	craft(IPPROTO_UDP, frame);
	assert_int_equal(be16_at(frame + L4 + 2), 40125);
	craft(IPPROTO_ICMP, frame);
	assert_int_equal(frame[L4], 8);
	assert_int_equal(be32_at(frame + L4 + 8), cookie(IPPROTO_ICMP).seq);
	craft(IPPROTO_IGMP, frame);
	assert_int_equal(frame[L4], 0x11);
	craft(IPPROTO_SCTP, frame);
	assert_int_equal(frame[L4 + 12], 1); /* INIT */
	assert_int_equal(be32_at(frame + L4 + 16), prt_probe_sctp_tag(&(struct prt_cookie){
		cookie(IPPROTO_SCTP).seq, 0, 0}));
	{
		uint32_t crc = prt_probe_sctp_crc(frame + L4, 32); /* checked in test_sctp.c */
		assert_memory_equal(&crc, frame + L4 + 8, 4);
	}
}

static struct prt_cls_ctx ctx(void)
{
	struct prt_cls_ctx c = {.keys = {.key = &key, .our_ip = OUR_IP,
		.sport_base = 40000, .sport_count = 1000}, .targets = &targets};

	prt_cls_add_arm(&c, &prt_probe_ipproto, &protos);
	return c;
}

static void expect(const struct prt_cls_ctx *cx, const uint8_t *frame, size_t len,
	uint8_t proto, uint8_t state, uint8_t reason)
{
	struct prt_cls_out o;

	assert_int_equal(prt_classify(cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.port, proto);
	assert_int_equal(o.result.proto, IPPROTO_IP);
	assert_int_equal(o.result.state, state);
	assert_int_equal(o.result.reason, reason);
	assert_int_equal(o.pair, 1 * 256 + proto); /* 198.19.0.1 is host 1 */
}

/* An L4 answer of @p len bytes from the target; the caller fills it and sums it. */
static uint8_t *answer(uint8_t *frame, uint8_t proto, uint16_t len)
{
	uint8_t *l4 = test_ipv4_reply(frame, TARGET, OUR_IP, proto, len, 64);

	memset(l4, 0, len);
	return l4;
}

static void put_sum(uint8_t *at, uint32_t sum, const uint8_t *p, size_t len)
{
	uint16_t c = prt_csum_fold(prt_csum_add(sum, p, len));

	memcpy(at, &c, 2);
}

static void answers_in_the_protocol_are_open(void **state)
{
	struct prt_cls_ctx cx = ctx();
	struct prt_cookie c;
	struct prt_cls_out o;
	uint8_t frame[128], *l4;

	(void)state;
	/* an echo reply echoing identifier, sequence and word */
	c = cookie(IPPROTO_ICMP);
	l4 = answer(frame, IPPROTO_ICMP, 16);
	l4[4] = (uint8_t)(c.sport >> 8), l4[5] = (uint8_t)c.sport;
	l4[6] = (uint8_t)(c.seq >> 8), l4[7] = (uint8_t)c.seq;
	for (int i = 0; i < 4; i++)
		l4[8 + i] = (uint8_t)(c.seq >> (24 - 8 * i));
	put_sum(l4 + 2, 0, l4, 16);
	expect(&cx, frame, L4 + 16, IPPROTO_ICMP, PRT_STATE_OPEN, PRT_REASON_ECHO_REPLY);
	l4[11] ^= 1; /* another word, the checksum still right */
	memset(l4 + 2, 0, 2);
	put_sum(l4 + 2, 0, l4, 16);
	assert_int_equal(prt_classify(&cx, frame, L4 + 16, &o), PRT_CLS_BAD_COOKIE);
	/* a reset from port 80 echoing our acknowledgment */
	c = cookie(IPPROTO_TCP);
	l4 = answer(frame, IPPROTO_TCP, 20);
	l4[1] = 80;
	l4[2] = (uint8_t)(c.sport >> 8), l4[3] = (uint8_t)c.sport;
	for (int i = 0; i < 4; i++)
		l4[4 + i] = (uint8_t)(c.seq >> (24 - 8 * i));
	l4[12] = 5 << 4;
	l4[13] = 0x04;
	put_sum(l4 + 16, phdr(frame, 20), l4, 20);
	expect(&cx, frame, L4 + 20, IPPROTO_TCP, PRT_STATE_OPEN, PRT_REASON_RST);
	l4[17] ^= 1;
	assert_int_equal(prt_classify(&cx, frame, L4 + 20, &o), PRT_CLS_BAD_CHECKSUM);
	/* a datagram from 40125 to our port */
	c = cookie(IPPROTO_UDP);
	l4 = answer(frame, IPPROTO_UDP, 8);
	l4[0] = 40125 >> 8, l4[1] = 40125 & 0xff;
	l4[2] = (uint8_t)(c.sport >> 8), l4[3] = (uint8_t)c.sport;
	l4[5] = 8;
	expect(&cx, frame, L4 + 8, IPPROTO_UDP, PRT_STATE_OPEN, PRT_REASON_UDP_RESPONSE);
	l4[3] ^= 1; /* another port: not our probe's */
	assert_int_equal(prt_classify(&cx, frame, L4 + 8, &o), PRT_CLS_BAD_COOKIE);
	/* a protocol with no room for a cookie proves nothing */
	l4 = answer(frame, GRE, 8);
	assert_int_equal(prt_classify(&cx, frame, L4 + 8, &o), PRT_CLS_OTHER_PROTO);
	/* cut headers */
	l4 = answer(frame, IPPROTO_TCP, 12);
	assert_int_equal(prt_classify(&cx, frame, L4 + 12, &o), PRT_CLS_TRUNCATED);
}

/* An ICMP destination unreachable of @p code from @p src quoting our probe of
 * @p proto, @p quoted bytes of it (from its IP header on). */
static size_t unreachable(uint8_t *frame, uint32_t src, uint8_t code, uint8_t proto,
	size_t quoted)
{
	uint8_t probe[PRT_PROBE_MAX_FRAME];
	uint8_t *icmp;

	craft(proto, probe);
	icmp = test_ipv4_reply(frame, src, OUR_IP, IPPROTO_ICMP, (uint16_t)(8 + quoted), 63);
	memset(icmp, 0, 8);
	icmp[0] = 3;
	icmp[1] = code;
	memcpy(icmp + 8, probe + 14, quoted);
	put_sum(icmp + 2, 0, icmp, 8 + quoted);
	return L4 + 8 + quoted;
}

/* nmap's rules: from the target, protocol unreachable closed and port
 * unreachable open; anything else, or from a router, filtered. A bare
 * probe's quote is its IP header alone: the IP id is the cookie. */
static void unreachables_as_nmap_reads_them(void **state)
{
	struct prt_cls_ctx cx = ctx();
	struct prt_cls_out o;
	uint8_t frame[128];
	size_t len;

	(void)state;
	len = unreachable(frame, TARGET, 2, GRE, 20);
	expect(&cx, frame, len, GRE, PRT_STATE_CLOSED, PRT_REASON_ICMP);
	assert_string_equal(prt_reason_name(&(struct prt_result){.reason = PRT_REASON_ICMP,
		.icmp_type = 3, .icmp_code = 2, .addr = prt_addr_from_v4(TARGET)}), "proto-unreach");
	len = unreachable(frame, ROUTER, 2, GRE, 20);
	expect(&cx, frame, len, GRE, PRT_STATE_FILTERED, PRT_REASON_ICMP);
	len = unreachable(frame, TARGET, 3, IPPROTO_UDP, 28);
	expect(&cx, frame, len, IPPROTO_UDP, PRT_STATE_OPEN, PRT_REASON_ICMP);
	len = unreachable(frame, ROUTER, 3, IPPROTO_UDP, 28);
	expect(&cx, frame, len, IPPROTO_UDP, PRT_STATE_FILTERED, PRT_REASON_ICMP);
	len = unreachable(frame, TARGET, 13, IPPROTO_TCP, 28);
	expect(&cx, frame, len, IPPROTO_TCP, PRT_STATE_FILTERED, PRT_REASON_ICMP);
	/* another IP id: someone else's datagram */
	len = unreachable(frame, TARGET, 2, GRE, 20);
	frame[L4 + 8 + 5] ^= 1;
	memset(frame + L4 + 2, 0, 2);
	put_sum(frame + L4 + 2, 0, frame + L4, 8 + 20);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_COOKIE);
	/* a UDP probe's quote with another source port */
	len = unreachable(frame, TARGET, 3, IPPROTO_UDP, 28);
	frame[L4 + 8 + 20 + 1] ^= 1;
	memset(frame + L4 + 2, 0, 2);
	put_sum(frame + L4 + 2, 0, frame + L4, 8 + 28);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_COOKIE);
	/* a quote shorter than an IP header */
	len = unreachable(frame, TARGET, 2, GRE, 16);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_TRUNCATED);
}

/* The other scan types still need 8 quoted bytes, and -sO stands apart from them. */
static void port_scans_keep_their_quote_floor(void **state)
{
	struct prt_cls_ctx cx = ctx();
	struct prt_cls_out o;
	uint8_t frame[128];
	size_t len = unreachable(frame, TARGET, 3, IPPROTO_UDP, 24);

	(void)state;
	cx.arm[0].probe = &prt_probe_udp;
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_TRUNCATED);
	assert_true(prt_probe_ipproto.any_proto);
	assert_false(prt_probe_udp.any_proto);
	assert_int_equal(prt_probe_ipproto.silent_state, PRT_STATE_OPEN_FILTERED);
	assert_null(prt_probe_ipproto.craft6); /* IPv4 only */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probes_carry_the_header_nmap_sends),
		cmocka_unit_test(answers_in_the_protocol_are_open),
		cmocka_unit_test(unreachables_as_nmap_reads_them),
		cmocka_unit_test(port_scans_keep_their_quote_floor),
	};
	return cmocka_run_group_tests_name("ipproto", tests, setup, teardown);
}
