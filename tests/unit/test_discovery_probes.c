/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host discovery's probes: the ICMP queries (echo, timestamp, address mask)
 * crafted and answered, and a scan with several arms of one protocol
 * (nmap's default -PE -PS443 -PA80 -PP) whose replies each find their arm
 * and pair.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "cmocka_common.h"
#include "scan_fixture.h"
#include "prt_classify.h"
#include "prt_common.h"
#include "prt_csum.h"
#include "prt_probe.h"

#define OUR_IP 0xc6120002u
#define TARGET 0xc6130005u /* host 5 of the target /24 */

static struct prt_cookie_key key;
static struct prt_target_set targets;
static struct prt_port_list host_port, p443, p80;
static struct prt_cls_ctx ctx;
static const struct prt_probe_params params = {.saddr = OUR_IP, .ttl = 64, .window = 1024};

static int setup(void **state)
{
	(void)state;
	prt_cookie_key_from_seed(&key, 99);
	test_targets(&targets, "198.19.0.0/24", NULL);
	test_ports(&host_port, NULL); /* ICMP arms scan "port 0" of a host */
	test_ports(&p443, "443");
	test_ports(&p80, "80");
	/* nmap's default discovery, in its order */
	ctx = (struct prt_cls_ctx){.keys = {.key = &key, .our_ip = OUR_IP, .sport_base = 40000,
		.sport_count = 1000}, .targets = &targets};
	prt_cls_add_arm(&ctx, &prt_probe_echo, &host_port);
	prt_cls_add_arm(&ctx, &prt_probe_syn, &p443);
	prt_cls_add_arm(&ctx, &prt_probe_ack, &p80);
	prt_cls_add_arm(&ctx, &prt_probe_timestamp, &host_port);
	prt_cls_add_arm(&ctx, &prt_probe_netmask, &host_port);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prt_target_set_free(&targets);
	prt_port_list_free(&host_port);
	prt_port_list_free(&p443);
	prt_port_list_free(&p80);
	return 0;
}

/* The probe of @p o to TARGET:@p port, as TX crafts it. @return its length */
static uint16_t probe_of(const struct prt_probe_ops *o, uint16_t port, uint8_t *frame)
{
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, port, o->proto, 40000, 1000);
	struct prt_probe_tmpl t;

	memset(&t, 0, sizeof(t));
	o->tmpl_init(o, &t, &params);
	return o->craft(&t, frame, TARGET, port, &c);
}

/* Turn our IPv4 probe around: addresses swapped, TTL 63, header checksum redone. */
static void turn_around(uint8_t *frame)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);
	uint32_t a = ip->src_addr;

	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	ip->time_to_live = 63;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, 20));
}

/* The reply a host sends to the query of @p o: its bytes back with @p type
 * and, where @p word_xor is not 0, the echoed word changed. */
static uint16_t query_reply(const struct prt_probe_ops *o, uint8_t type, uint32_t word_xor,
	uint8_t *frame)
{
	uint16_t len = probe_of(o, 0, frame), sum;
	uint8_t *icmp = frame + 34;
	uint32_t w;

	turn_around(frame);
	icmp[0] = type;
	memcpy(&w, icmp + 8, 4);
	w ^= word_xor;
	memcpy(icmp + 8, &w, 4);
	icmp[2] = icmp[3] = 0;
	sum = prt_csum_fold(prt_csum_add(0, icmp, (size_t)len - 34));
	memcpy(icmp + 2, &sum, 2);
	return len;
}

static void queries_are_well_formed(void **state)
{
	static const struct {
		const struct prt_probe_ops *o;
		uint8_t type;
		uint16_t icmp_len;
	} want[] = {{&prt_probe_echo, 8, 16}, {&prt_probe_timestamp, 13, 20},
		{&prt_probe_netmask, 17, 12}};
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, 0, IPPROTO_ICMP, 40000, 1000);
	uint8_t frame[128];

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
		uint16_t len = probe_of(want[i].o, 0, frame);
		const uint8_t *icmp = frame + 34;
		uint32_t w;

		assert_int_equal(len, 34 + want[i].icmp_len);
		assert_int_equal(rte_be_to_cpu_16(ip->total_length), 20 + want[i].icmp_len);
		assert_int_equal(ip->next_proto_id, IPPROTO_ICMP);
		assert_int_equal(prt_csum_fold(prt_csum_add(0, ip, 20)), 0);
		assert_int_equal(prt_csum_fold(prt_csum_add(0, icmp, want[i].icmp_len)), 0);
		assert_int_equal(icmp[0], want[i].type);
		assert_int_equal(icmp[4] << 8 | icmp[5], c.sport);
		assert_int_equal(icmp[6] << 8 | icmp[7], (uint16_t)c.seq);
		memcpy(&w, icmp + 8, 4);
		/* echo and timestamp carry the whole cookie where the reply echoes it */
		assert_int_equal(rte_be_to_cpu_32(w), want[i].type == 17 ? 0 : c.seq);
	}
	/* ICMPv6 has no timestamp or mask query: no IPv6 form */
	assert_null(prt_probe_timestamp.craft6);
	assert_null(prt_probe_netmask.craft6);
	assert_non_null(prt_probe_echo.craft6);
}

/* Each reply finds its own arm among five, and the pair of that arm. */
static void replies_find_their_arm(void **state)
{
	const uint64_t host = 5, nports = ctx.nports;
	struct prt_cls_out o;
	uint8_t f[128];
	uint16_t len;

	(void)state;
	assert_int_equal(nports, 5);
	len = query_reply(&prt_probe_echo, 0, 0, f);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.reason, PRT_REASON_ECHO_REPLY);
	assert_int_equal(o.result.state, PRT_STATE_UP);
	assert_int_equal(o.pair, host * nports + 0);
	len = query_reply(&prt_probe_timestamp, 14, 0, f);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.reason, PRT_REASON_TIMESTAMP_REPLY);
	assert_int_equal(o.result.ttl, 63);
	assert_int_equal(o.pair, host * nports + 3);
	len = query_reply(&prt_probe_netmask, 18, 0, f);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.reason, PRT_REASON_MASK_REPLY);
	assert_int_equal(o.pair, host * nports + 4);
	/* a timestamp reply that does not echo the originate word is not ours */
	len = query_reply(&prt_probe_timestamp, 14, rte_cpu_to_be_32(1), f);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_COOKIE);
	/* a timestamp reply is no echo reply and the reverse */
	len = query_reply(&prt_probe_echo, 14, 0, f);
	assert_int_not_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	/* every truncation is refused */
	len = query_reply(&prt_probe_timestamp, 14, 0, f);
	for (uint16_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, f, cut);
		assert_int_not_equal(prt_classify(&ctx, copy, cut, &o), PRT_CLS_RESULT);
		free(copy);
	}
}

/* A TCP answer to our probe on @p port: the probe turned around with
 * @p flags, seq @p seq and ack @p ack, its checksum redone. */
static uint16_t tcp_answer(const struct prt_probe_ops *o, uint16_t port, uint8_t flags,
	bool seq_is_ack, uint8_t *f)
{
	uint16_t len = probe_of(o, port, f);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(f + 34);
	uint16_t sp = tcp->src_port;
	uint32_t seq = tcp->sent_seq, ack = tcp->recv_ack;

	turn_around(f);
	tcp->src_port = tcp->dst_port;
	tcp->dst_port = sp;
	/* a reset to a segment with ACK takes its sequence number from that ACK
	 * (RFC 9293 3.10.7.1); an answer to a SYN acknowledges seq + 1 */
	tcp->sent_seq = seq_is_ack ? ack : rte_cpu_to_be_32(7);
	tcp->recv_ack = seq_is_ack ? 0 : rte_cpu_to_be_32(rte_be_to_cpu_32(seq) + 1);
	tcp->tcp_flags = flags;
	tcp->data_off = 5 << 4;
	len = 34 + 20;
	ip->total_length = rte_cpu_to_be_16(40);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, 20));
	tcp->cksum = 0;
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	return len;
}

static void tcp_arms_share_the_protocol(void **state)
{
	const uint64_t host = 5, nports = ctx.nports;
	struct prt_cls_out o;
	uint8_t f[128];
	uint16_t len;

	(void)state;
	/* the SYN to 443 answered by a SYN-ACK: the SYN arm (number 1) */
	len = tcp_answer(&prt_probe_syn, 443, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, false, f);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_OPEN);
	assert_int_equal(o.pair, host * nports + 1);
	/* the ACK to 80 answered by a reset: the ACK arm (number 2), unfiltered */
	len = tcp_answer(&prt_probe_ack, 80, RTE_TCP_RST_FLAG, true, f);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_UNFILTERED);
	assert_int_equal(o.pair, host * nports + 2);
	/* a reset from 443 as if to an ACK: no arm sent that */
	len = tcp_answer(&prt_probe_ack, 443, RTE_TCP_RST_FLAG, true, f);
	assert_int_not_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
}

/* -PR: a broadcast who-has from our MAC and address; the target's reply is up,
 * with no arm's cookie to check, but only when it is to our address and
 * only when the scan has an ARP arm. */
static void arp_request_and_reply(void **state)
{
	struct prt_probe_params p = params;
	struct prt_cls_ctx cx = ctx;
	static const uint8_t head[8] = {0, 1, 8, 0, 6, 4, 0, 1};
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	struct prt_probe_tmpl t;
	struct prt_cls_out o;
	uint16_t len;

	(void)state;
	memcpy(p.src_mac, "\x02\x00\x00\x00\x00\x02", 6);
	prt_probe_arp.tmpl_init(&prt_probe_arp, &t, &p);
	len = prt_probe_arp.craft(&t, frame, TARGET, 0, NULL);
	assert_int_equal(len, 60);
	assert_memory_equal(frame, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x02\x08\x06", 14);
	assert_memory_equal(frame + 14, head, 8);
	assert_memory_equal(frame + 14 + 8, p.src_mac, 6);
	assert_memory_equal(frame + 14 + 14, "\xc6\x12\x00\x02", 4);
	assert_memory_equal(frame + 14 + 24, "\xc6\x13\x00\x05", 4);
	/* the reply: sender the target, target us */
	frame[14 + 7] = 2;
	memcpy(frame + 14 + 18, frame + 14 + 8, 10);
	memcpy(frame + 14 + 8, "\x02\x00\x00\x00\x00\x09\xc6\x13\x00\x05", 10);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_NOT_IPV4); /* no ARP arm */
	prt_cls_add_arm(&cx, &prt_probe_arp, &host_port);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_UP);
	assert_int_equal(o.result.reason, PRT_REASON_ARP_RESPONSE);
	assert_string_equal(prt_reason_name(&o.result), "arp-response");
	assert_int_equal(o.pair, 5 * prt_cls_nports(&cx) + cx.arm[cx.narms - 1].base);
	/* a request, another's address, a sender outside the scan, a cut message */
	frame[14 + 7] = 1;
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_UNEXPECTED);
	frame[14 + 7] = 2;
	frame[14 + 27] ^= 1;
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_NOT_FOR_US);
	frame[14 + 27] ^= 1;
	frame[14 + 15] = 0x14; /* 198.20.0.5 */
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_NOT_TARGET);
	assert_int_equal(prt_classify(&cx, frame, 14 + 27, &o), PRT_CLS_TRUNCATED);
	/* an IPv4 datagram of protocol 255 is not ARP's */
	assert_false(prt_cls_arm_takes(&cx.arm[cx.narms - 1], PRT_PROTO_ARP));
}

/* -PR on IPv6: a neighbor solicitation to the target's solicited-node group;
 * its solicited advertisement (from any of its addresses: the target field
 * names the host) is up. */
static void nd_solicitation_and_advertisement(void **state)
{
	struct prt_probe_params p = params;
	struct prt_target_set t6;
	struct prt_cls_ctx cx = ctx;
	static const uint8_t our_mac[6] = {2, 0, 0, 0, 0, 2}, its_mac[6] = {2, 0, 0, 0, 0, 9};
	uint8_t frame[PRT_PROBE_MAX_FRAME], *nd = frame + 14 + 40;
	struct prt_addr target, other, link_local;
	struct prt_probe_tmpl t;
	struct prt_cls_out o;
	uint16_t len;

	(void)state;
	test_targets(&t6, "198.19.0.0/24", "2001:2:0:100::/120", NULL);
	cx.targets = &t6;
	prt_parse_ipv6("2001:2::2", &p.saddr6);
	prt_parse_ipv6("2001:2::2", &cx.keys.our_ip6);
	prt_parse_ipv6("2001:2:0:100::5", &target);
	prt_parse_ipv6("2001:2:0:200::5", &other);
	prt_parse_ipv6("fe80::9", &link_local);
	memcpy(p.src_mac, our_mac, 6);
	prt_probe_arp.tmpl_init6(&prt_probe_arp, &t, &p);
	len = prt_probe_arp.craft6(&t, frame, &target, 0, NULL);
	assert_int_equal(len, 14 + 40 + 32);
	assert_memory_equal(frame, "\x33\x33\xff\x00\x00\x05\x02\x00\x00\x00\x00\x02\x86\xdd",
		14);
	assert_int_equal(frame[14 + 6], IPPROTO_ICMPV6);
	assert_int_equal(frame[14 + 7], 255); /* hop limit */
	assert_memory_equal(frame + 14 + 8, p.saddr6.b, 16);
	assert_memory_equal(frame + 14 + 24, "\xff\x02\0\0\0\0\0\0\0\0\0\x01\xff\x00\x00\x05",
		16);
	assert_int_equal(nd[0], PRT_ND_NS);
	assert_memory_equal(nd + 8, target.b, 16);
	assert_int_equal(nd[24], PRT_ND_OPT_SLLA);
	assert_memory_equal(nd + 26, our_mac, 6);
	assert_int_equal(prt_csum_fold(prt_csum_add(prt_csum_pseudo6(frame + 14 + 8, frame + 14 + 24,
		IPPROTO_ICMPV6, 32), nd, 32)), 0);

	/* the advertisement: no arm, then the arm */
	len = (uint16_t)prt_probe_nd_frame(frame, our_mac, its_mac, target.b, p.saddr6.b,
		PRT_ND_NA, 0x60, target.b, PRT_ND_OPT_TLLA);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_UNEXPECTED);
	prt_cls_add_arm(&cx, &prt_probe_arp, &host_port);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_UP);
	assert_int_equal(o.result.reason, PRT_REASON_ND_RESPONSE);
	assert_string_equal(prt_reason_name(&o.result), "nd-response");
	/* host 5 after the 256 IPv4 hosts */
	assert_int_equal(o.pair, (256 + 5) * prt_cls_nports(&cx) + cx.arm[cx.narms - 1].base);
	/* from its link-local address: the target field names it */
	len = (uint16_t)prt_probe_nd_frame(frame, our_mac, its_mac, link_local.b, p.saddr6.b,
		PRT_ND_NA, 0x60, target.b, PRT_ND_OPT_TLLA);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.pair, (256 + 5) * prt_cls_nports(&cx) + cx.arm[cx.narms - 1].base);
	/* unsolicited, crossed a router, about a host outside the scan, cut short */
	len = (uint16_t)prt_probe_nd_frame(frame, our_mac, its_mac, target.b, p.saddr6.b,
		PRT_ND_NA, 0x20, target.b, PRT_ND_OPT_TLLA);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_UNEXPECTED);
	len = (uint16_t)prt_probe_nd_frame(frame, our_mac, its_mac, target.b, p.saddr6.b,
		PRT_ND_NA, 0x60, target.b, PRT_ND_OPT_TLLA);
	frame[14 + 7] = 254;
	assert_int_not_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	len = (uint16_t)prt_probe_nd_frame(frame, our_mac, its_mac, other.b, p.saddr6.b,
		PRT_ND_NA, 0x60, other.b, PRT_ND_OPT_TLLA);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_NOT_TARGET);
	assert_int_equal(prt_classify(&cx, frame, len - 20, &o), PRT_CLS_TRUNCATED);
	/* to another address */
	len = (uint16_t)prt_probe_nd_frame(frame, our_mac, its_mac, target.b, other.b,
		PRT_ND_NA, 0x60, target.b, PRT_ND_OPT_TLLA);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_NOT_FOR_US);
	prt_target_set_free(&t6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queries_are_well_formed),
		cmocka_unit_test(replies_find_their_arm),
		cmocka_unit_test(tcp_arms_share_the_protocol),
		cmocka_unit_test(arp_request_and_reply),
		cmocka_unit_test(nd_solicitation_and_advertisement),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
