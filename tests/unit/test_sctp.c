/* SPDX-License-Identifier: BSD-3-Clause */
/* -sY and -sZ: the SCTP probes against golden packets, and their answers
 * read back through the classifier (which knows nothing of SCTP). */
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
#define SCTP_OFF (14 + 20)

static const struct prt_probe_params params = {
	.src_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
	.dst_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
	.saddr = OUR_IP,
	.ttl = 64,
	.window = 1024,
	.mss = 1460,
};

/* INIT 198.18.0.2:40000 -> 198.19.0.1:80, initiate tag 0x01020304, IP id
 * 0x4242. Decoded independently by tshark (-o sctp.checksum:CRC-32C,
 * -o ip.check_checksum:TRUE): IPv4 checksum 0xabdb and CRC32C 0xc7caade1
 * reported correct, INIT chunk, a_rwnd 65536, 10 outbound and 2048 inbound
 * streams, TSN 1. */
static const uint8_t golden_init[66] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x34, 0x42, 0x42, 0x00, 0x00, 0x40, 0x84, 0xab, 0xdb,
	0xc6, 0x12, 0x00, 0x02, 0xc6, 0x13, 0x00, 0x01,
	0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0xc7, 0xca, 0xad, 0xe1,
	0x01, 0x00, 0x00, 0x14, 0x01, 0x02, 0x03, 0x04, 0x00, 0x01, 0x00, 0x00,
	0x00, 0x0a, 0x08, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static struct prt_cookie_key key;
static struct prt_target_set targets;
static struct prt_port_list ports;

/* CRC32c bit by bit (RFC 9260 appendix A), independent of the module's. */
static uint32_t crc32c(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffff;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* Is the SCTP checksum of the packet at @p sctp right? */
static bool crc_ok(const uint8_t *sctp, size_t len)
{
	uint8_t copy[256];
	uint32_t want;

	memcpy(copy, sctp, len);
	memset(copy + 8, 0, 4);
	want = rte_cpu_to_le_32(crc32c(copy, len));
	return memcmp(&want, sctp + 8, 4) == 0;
}

static int setup(void **state)
{
	(void)state;
	prt_cookie_key_from_seed(&key, 7);
	test_targets(&targets, "198.19.0.0/24", NULL);
	test_ports(&ports, "80,2905");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prt_target_set_free(&targets);
	prt_port_list_free(&ports);
	return 0;
}

static void init_matches_golden_packet(void **state)
{
	struct prt_probe_tmpl t;
	struct prt_cookie c = {.seq = 0x01020304, .sport = 40000, .ip_id = 0x4242};
	uint8_t frame[PRT_PROBE_MAX_FRAME];

	(void)state;
	prt_probe_sctp_init.tmpl_init(&prt_probe_sctp_init, &t, &params);
	assert_int_equal(prt_probe_sctp_init.craft(&t, frame, TARGET, 80, &c),
		sizeof(golden_init));
	assert_memory_equal(frame, golden_init, sizeof(golden_init));
	assert_true(crc_ok(frame + SCTP_OFF, sizeof(golden_init) - SCTP_OFF));
}

/* COOKIE ECHO: the tag is the packet's own; every checksum right, for many cookies. */
static void cookie_echo_carries_the_tag(void **state)
{
	struct prt_probe_tmpl t;
	uint8_t frame[PRT_PROBE_MAX_FRAME];

	(void)state;
	prt_probe_sctp_cookie.tmpl_init(&prt_probe_sctp_cookie, &t, &params);
	for (uint32_t i = 0; i < 5000; i++) {
		struct prt_cookie c = {.seq = i * 2654435761u, .sport = (uint16_t)(1024 + i),
			.ip_id = (uint16_t)i};
		uint16_t len = prt_probe_sctp_cookie.craft(&t, frame, TARGET + i, 2905, &c);
		uint32_t tag;

		assert_int_equal(len, 14 + 20 + 12 + 8);
		assert_int_equal(prt_csum_fold(prt_csum_add(0, frame + 14, 20)), 0);
		assert_true(crc_ok(frame + SCTP_OFF, len - SCTP_OFF));
		assert_int_equal(frame[SCTP_OFF + 12], 10); /* COOKIE ECHO */
		memcpy(&tag, frame + SCTP_OFF + 4, 4);
		assert_int_equal(rte_be_to_cpu_32(tag), c.seq != 0 ? c.seq : 1);
	}
}

static struct prt_cls_ctx ctx(const struct prt_probe_ops *scan)
{
	struct prt_cls_ctx c = {.keys = {.key = &key, .our_ip = OUR_IP,
		.sport_base = 40000, .sport_count = 1000}, .targets = &targets};

	prt_cls_add_arm(&c, scan, &ports);
	return c;
}

/* The target's answer to our probe to @p port: one chunk of @p type with
 * @p vtag (or the cookie's tag when 0), its checksum right. */
static size_t answer(uint8_t *frame, uint16_t port, uint8_t type, uint32_t vtag)
{
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, port, IPPROTO_SCTP, 40000,
		1000);
	uint32_t tag = rte_cpu_to_be_32(vtag ? vtag : c.seq ? c.seq : 1), crc;
	uint16_t sport = rte_cpu_to_be_16(port), dport = rte_cpu_to_be_16(c.sport);
	const size_t l4 = 12 + 8;
	uint8_t *sctp = test_ipv4_reply(frame, TARGET, OUR_IP, IPPROTO_SCTP, l4, 61);

	memset(sctp, 0, l4);
	memcpy(sctp, &sport, 2);
	memcpy(sctp + 2, &dport, 2);
	memcpy(sctp + 4, &tag, 4);
	sctp[12] = type;
	sctp[13] = type == 6 ? 1 : 0; /* an ABORT's T bit: the tag is reflected */
	sctp[15] = 8;
	crc = rte_cpu_to_le_32(crc32c(sctp, l4));
	memcpy(sctp + 8, &crc, 4);
	return 14 + 20 + l4;
}

static void init_ack_open_abort_closed(void **state)
{
	struct prt_cls_ctx cx = ctx(&prt_probe_sctp_init);
	struct prt_cls_out o;
	uint8_t frame[128];
	size_t len;

	(void)state;
	len = answer(frame, 80, 2, 0);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_OPEN);
	assert_int_equal(o.result.reason, PRT_REASON_INIT_ACK);
	assert_int_equal(o.result.proto, IPPROTO_SCTP);
	assert_int_equal(o.result.port, 80);
	assert_int_equal(o.result.ttl, 61);
	assert_int_equal(o.pair, 1 * 2 + 0); /* 198.19.0.1 is host 1, port 80 the first */
	len = answer(frame, 2905, 6, 0);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_CLOSED);
	assert_int_equal(o.result.reason, PRT_REASON_ABORT);
	assert_string_equal(prt_reason_name(&o.result), "abort");
	assert_string_equal(prt_proto_name(o.result.proto), "sctp");
	/* someone else's association, a port not scanned, a broken checksum */
	len = answer(frame, 80, 2, 0x5eed);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_COOKIE);
	len = answer(frame, 81, 6, 0);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_NOT_TARGET);
	len = answer(frame, 80, 2, 0);
	frame[len - 1] ^= 1;
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_CHECKSUM);
	/* a chunk that answers nothing (HEARTBEAT) */
	len = answer(frame, 80, 4, 0);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_UNEXPECTED);
	/* a TCP scan sent no SCTP */
	cx.arm[0].probe = &prt_probe_syn;
	len = answer(frame, 80, 2, 0);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_OTHER_PROTO);
}

static void cookie_echo_abort_closed_init_ack_unexpected(void **state)
{
	struct prt_cls_ctx cx = ctx(&prt_probe_sctp_cookie);
	struct prt_cls_out o;
	uint8_t frame[128];
	size_t len;

	(void)state;
	len = answer(frame, 2905, 6, 0);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_CLOSED);
	len = answer(frame, 2905, 2, 0);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_UNEXPECTED);
	assert_int_equal(prt_probe_sctp_cookie.silent_state, PRT_STATE_OPEN_FILTERED);
	assert_int_equal(prt_probe_sctp_init.silent_state, PRT_STATE_FILTERED);
}

/* Every cut of a valid answer, and chunk lengths that lie, are refused. */
static void truncations_and_bad_lengths_refused(void **state)
{
	struct prt_cls_ctx cx = ctx(&prt_probe_sctp_init);
	struct prt_cls_out o;
	uint8_t frame[128];
	size_t len = answer(frame, 80, 2, 0);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);

	(void)state;
	for (size_t l4 = 0; l4 < 12 + 8; l4++) {
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, 20));
		assert_int_not_equal(prt_classify(&cx, frame, 14 + 20 + l4, &o), PRT_CLS_RESULT);
	}
	len = answer(frame, 80, 2, 0);
	frame[SCTP_OFF + 15] = 2; /* a chunk shorter than its header */
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_IP_HEADER);
	frame[SCTP_OFF + 15] = 200; /* longer than the packet */
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_TRUNCATED);
}

/* An ICMP port unreachable quoting our INIT: filtered (nmap's -sY). */
static void unreachable_quoting_init_is_filtered(void **state)
{
	struct prt_cls_ctx cx = ctx(&prt_probe_sctp_init);
	struct prt_probe_tmpl t;
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, 80, IPPROTO_SCTP, 40000, 1000);
	uint8_t probe[PRT_PROBE_MAX_FRAME], frame[128];
	uint8_t *icmp = test_ipv4_reply(frame, TARGET, OUR_IP, IPPROTO_ICMP, 8 + 28, 64);
	struct prt_cls_out o;
	uint16_t sum;

	(void)state;
	prt_probe_sctp_init.tmpl_init(&prt_probe_sctp_init, &t, &params);
	prt_probe_sctp_init.craft(&t, probe, TARGET, 80, &c);
	icmp[0] = 3;
	icmp[1] = 3;
	memcpy(icmp + 8, probe + 14, 28); /* the IP header and 8 bytes: ports and tag 0 */
	sum = prt_csum_fold(prt_csum_add(0, icmp, 8 + 28));
	memcpy(icmp + 2, &sum, 2);
	assert_int_equal(prt_classify(&cx, frame, 14 + 20 + 8 + 28, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_FILTERED);
	assert_int_equal(o.result.reason, PRT_REASON_ICMP);
	assert_int_equal(o.result.port, 80);
	/* a quote of someone else's INIT (another source port) is not ours */
	icmp[8 + 20] ^= 0x40;
	memset(icmp + 2, 0, 2);
	sum = prt_csum_fold(prt_csum_add(0, icmp, 8 + 28));
	memcpy(icmp + 2, &sum, 2);
	assert_int_equal(prt_classify(&cx, frame, 14 + 20 + 8 + 28, &o), PRT_CLS_BAD_COOKIE);
}

/* IPv6: the same chunk behind an IPv6 header; no pseudo header in SCTP's checksum. */
static void ipv6_init_checksum(void **state)
{
	struct prt_probe_params p = params;
	struct prt_probe_tmpl t;
	struct prt_addr dst;
	struct prt_cookie c = {.seq = 77, .sport = 40001};
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	uint16_t len;

	(void)state;
	assert_int_equal(prt_parse_ipv6("2001:2::2", &p.saddr6), 0);
	assert_int_equal(prt_parse_ipv6("2001:2::80", &dst), 0);
	prt_probe_sctp_init.tmpl_init6(&prt_probe_sctp_init, &t, &p);
	len = prt_probe_sctp_init.craft6(&t, frame, &dst, 80, &c);
	assert_int_equal(len, 14 + 40 + 12 + 20);
	assert_int_equal(frame[14 + 6], IPPROTO_SCTP);
	assert_memory_equal(frame + 14 + 24, dst.b, 16);
	assert_true(crc_ok(frame + 14 + 40, 12 + 20));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_matches_golden_packet),
		cmocka_unit_test(cookie_echo_carries_the_tag),
		cmocka_unit_test(init_ack_open_abort_closed),
		cmocka_unit_test(cookie_echo_abort_closed_init_ack_unexpected),
		cmocka_unit_test(truncations_and_bad_lengths_refused),
		cmocka_unit_test(unreachable_quoting_init_is_filtered),
		cmocka_unit_test(ipv6_init_checksum),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
