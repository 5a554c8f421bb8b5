/* SPDX-License-Identifier: BSD-3-Clause */
/* The classifier on IPv6: replies, extension headers, fragments, ICMPv6 errors. */
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "cmocka_common.h"
#include "scan_fixture.h"
#include "prt_classify.h"
#include "prt_common.h"
#include "prt_csum.h"
#include "prt_probe.h"

/* us 2001:2::2, target 2001:2:0:100::5, behind 256 IPv4 targets */
static struct prt_cookie_key key;
static struct prt_target_set targets;
static struct prt_port_list ports;

static int setup(void **state)
{
	(void)state;
	prt_cookie_key_from_seed(&key, 1234);
	test_targets(&targets, "198.19.0.0/24", "2001:2:0:100::/120", NULL);
	test_ports(&ports, "22,80,443");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prt_target_set_free(&targets);
	prt_port_list_free(&ports);
	return 0;
}

static struct prt_cls_ctx ctx6(void)
{
	struct prt_cls_ctx c = {.keys = {.key = &key, .our_ip = 0xc6120002u,
		.sport_base = 40000, .sport_count = 1000}, .targets = &targets};

	prt_cls_add_arm(&c, &prt_probe_syn, &ports);
	prt_parse_ipv6("2001:2::2", &c.keys.our_ip6);
	return c;
}

/* The target's TCP answer to our probe to port @p port, optionally behind
 * a hop-by-hop options header. */
static size_t reply6_from(const struct prt_cls_ctx *c, const char *from, uint8_t *frame,
	uint16_t port, uint8_t flags, bool hop_by_hop)
{
	struct prt_addr target;
	struct prt_probe_params p = {.ttl = 57, .window = 65535};
	struct prt_probe_tmpl t;
	struct prt_cookie ck;
	uint8_t seg[PRT_PROBE_MAX_FRAME];

	assert_int_equal(prt_parse_ipv6(from, &target), 0);
	/* an IPv4 target in disguise carries the cookie of our IPv4 probe to it */
	if (prt_addr_is_v4(&target))
		ck = prt_cookie_v4(&key, c->keys.our_ip, prt_addr_v4(&target), port, IPPROTO_TCP, 40000,
			1000);
	else
		ck = prt_cookie_v6(&key, c->keys.our_ip6.b, target.b, port, IPPROTO_TCP, 40000, 1000);
	p.saddr6 = target;
	prt_probe_tcp6_tmpl_init(&t, &p, flags);
	struct prt_tcp_fields f = {.sport = port, .dport = ck.sport, .seq = 99, .ack = ck.seq + 1};
	prt_probe_tcp6_craft(&t, seg, &c->keys.our_ip6, &f);
	if (!hop_by_hop) {
		memcpy(frame, seg, t.len);
		return t.len;
	}
	/* Ethernet + IPv6, an 8-byte hop-by-hop header (PadN), then the segment */
	memcpy(frame, seg, 54);
	frame[20] = 0; /* next header: hop-by-hop */
	frame[54] = IPPROTO_TCP;
	frame[55] = 0;
	memcpy(frame + 56, "\x01\x04\x00\x00\x00\x00", 6);
	memcpy(frame + 62, seg + 54, t.len - 54);
	frame[19] = (uint8_t)(t.len - 54 + 8);
	return t.len + 8;
}

static size_t target_reply6(const struct prt_cls_ctx *c, uint8_t *frame, uint16_t port,
	uint8_t flags, bool hop_by_hop)
{
	return reply6_from(c, "2001:2:0:100::5", frame, port, flags, hop_by_hop);
}

/* An IPv6 frame whose source is an IPv4 target in disguise (::ffff:a.b.c.d),
 * with the cookie such a source would have: never taken for the IPv4 host,
 * whose connections it could otherwise drive. ::a.b.c.d likewise. */
static void ipv4_inside_ipv6_is_refused(void **state)
{
	struct prt_cls_ctx c = ctx6();
	struct prt_cls_out o;
	uint8_t f[256];
	size_t len;

	(void)state;
	len = reply6_from(&c, "::ffff:198.19.0.5", f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG,
		false);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_BAD_IP_HEADER);
	len = reply6_from(&c, "::198.19.0.5", f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, false);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_BAD_IP_HEADER);
}

static void ipv6_replies(void **state)
{
	struct prt_cls_ctx c = ctx6();
	struct prt_cls_out o;
	uint8_t f[256];
	char buf[PRT_ADDR_STRLEN];
	size_t len;

	(void)state;
	len = target_reply6(&c, f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, false);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_OPEN);
	assert_string_equal(prt_addr_str(&o.result.addr, buf, sizeof(buf)), "2001:2:0:100::5");
	assert_int_equal(o.result.ttl, 57);
	assert_true(o.send_rst);
	assert_int_equal(o.pair, (256 + 5) * 3 + 1); /* IPv6 indexes follow the 256 IPv4 ones */
	/* behind a hop-by-hop header: the same answer */
	len = target_reply6(&c, f, 443, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, true);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_CLOSED);
	/* a fragment header is never ours */
	len = target_reply6(&c, f, 443, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, true);
	f[20] = 44;
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_FRAGMENT);
	/* an extension header longer than the datagram */
	len = target_reply6(&c, f, 443, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, true);
	f[55] = 200;
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_TRUNCATED);
	/* nine chained extension headers: a crafted packet */
	memset(f, 0, sizeof(f));
	len = target_reply6(&c, f, 80, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, false);
	f[20] = 60;
	for (int i = 0; i < 10; i++) {
		f[54 + i * 8] = 60; /* next: destination options again */
		f[55 + i * 8] = 0;  /* 8 bytes long */
	}
	f[19] = 96;
	assert_int_equal(prt_classify(&c, f, 14 + 40 + 96, &o), PRT_CLS_BAD_IP_HEADER);
	/* not to us */
	len = target_reply6(&c, f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, false);
	f[14 + 24 + 15] ^= 1;
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_NOT_FOR_US);
	/* every truncation */
	len = target_reply6(&c, f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, true);
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, f, cut);
		assert_int_not_equal(prt_classify(&c, copy, cut, &o), PRT_CLS_RESULT);
		free(copy);
	}
}

/* An ICMPv6 error from the target network quoting our probe to port 22. */
static void icmp6_unreachable_quotes_our_probe(void **state)
{
	struct prt_cls_ctx c = ctx6();
	struct prt_cls_out o;
	struct prt_addr target, router;
	struct prt_probe_params p = {.ttl = 64, .window = 1024, .mss = 1460};
	struct prt_probe_tmpl t;
	uint8_t probe[PRT_PROBE_MAX_FRAME], f[256];
	struct prt_cookie ck;
	uint16_t sum;

	(void)state;
	prt_parse_ipv6("2001:2:0:100::5", &target);
	prt_parse_ipv6("2001:2::1", &router);
	ck = prt_cookie_v6(&key, c.keys.our_ip6.b, target.b, 22, IPPROTO_TCP, 40000, 1000);
	p.saddr6 = c.keys.our_ip6;
	prt_probe_syn.tmpl_init6(&prt_probe_syn, &t, &p);
	prt_probe_syn.craft6(&t, probe, &target, 22, &ck);
	/* Ethernet, IPv6 router -> us, ICMPv6 1/1 quoting the probe's IPv6 header and TCP */
	memset(f, 0, sizeof(f));
	memcpy(f, probe, 14);
	f[14] = 0x60;
	f[14 + 5] = 8 + 40 + 24;
	f[14 + 6] = IPPROTO_ICMPV6;
	f[14 + 7] = 64;
	memcpy(f + 22, router.b, 16);
	memcpy(f + 38, c.keys.our_ip6.b, 16);
	f[54] = 1;
	f[55] = 1;
	memcpy(f + 62, probe + 14, 40 + 24);
	sum = prt_csum_fold(prt_csum_add(prt_csum_pseudo6(f + 22, f + 38, IPPROTO_ICMPV6,
		8 + 40 + 24), f + 54, 8 + 40 + 24));
	memcpy(f + 56, &sum, 2);
	assert_int_equal(prt_classify(&c, f, 54 + 72, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_FILTERED);
	assert_int_equal(o.result.icmp_type, 1);
	assert_int_equal(o.result.icmp_code, 1);
	assert_string_equal(prt_reason_name(&o.result), "admin-prohibited");
	/* quoting a probe we did not send (another sequence number) */
	f[62 + 40 + 7] ^= 1;
	f[56] = f[57] = 0;
	sum = prt_csum_fold(prt_csum_add(prt_csum_pseudo6(f + 22, f + 38, IPPROTO_ICMPV6,
		8 + 40 + 24), f + 54, 8 + 40 + 24));
	memcpy(f + 56, &sum, 2);
	assert_int_equal(prt_classify(&c, f, 54 + 72, &o), PRT_CLS_BAD_COOKIE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv6_replies),
		cmocka_unit_test(ipv4_inside_ipv6_is_refused),
		cmocka_unit_test(icmp6_unreachable_quotes_our_probe),
	};
	return cmocka_run_group_tests_name("classify6", tests, setup, teardown);
}
