/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replies crafted as a target's stack would send them, then damaged every
 * way we can think of: truncated at every length, every bit flipped, bogus
 * lengths, fragments, wrong cookies. Nothing may crash or pass as a result
 * with a different meaning.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "cmocka_common.h"
#include "scan_fixture.h"
#include "prt_classify.h"
#include "prt_classify_quick.h"
#include "prt_common.h"
#include "prt_csum.h"
#include "prt_probe.h"

#define OUR_IP 0xc6120002u
#define TARGET 0xc6130005u

static struct prt_cookie_key key;
static struct prt_target_set targets;
static struct prt_port_list ports;
static struct prt_cls_ctx ctx;

static int setup(void **state)
{
	(void)state;
	prt_cookie_key_from_seed(&key, 1234);
	test_targets(&targets, "198.19.0.0/24", NULL);
	test_ports(&ports, "22,80,443");
	ctx = (struct prt_cls_ctx){.keys = {.key = &key, .our_ip = OUR_IP,
		.sport_base = 40000, .sport_count = 1000}, .targets = &targets};
	prt_cls_add_arm(&ctx, &prt_probe_syn, &ports);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prt_target_set_free(&targets);
	prt_port_list_free(&ports);
	return 0;
}

/* The target's answer to our probe to (TARGET, port), built with the same
 * template code a real stack's bytes would match. */
static size_t target_reply(uint8_t *frame, uint16_t port, uint8_t flags, int ack_delta)
{
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, port, IPPROTO_TCP, 40000, 1000);
	struct prt_probe_params p = {.src_mac = {2, 0, 0, 0, 0, 1}, .dst_mac = {2, 0, 0, 0, 0, 2},
		.saddr = TARGET, .ttl = 61, .window = 65535, .mss = 1460};
	struct prt_probe_tmpl t;
	struct prt_tcp_fields f = {.daddr = OUR_IP, .sport = port, .dport = c.sport,
		.seq = 777, .ack = c.seq + 1 + (uint32_t)ack_delta, .ip_id = 1};

	prt_probe_tcp_tmpl_init(&t, &p, flags);
	prt_probe_tcp_craft(&t, frame, &f);
	return t.len;
}

/* An ICMP error from a router quoting our probe's IP header + 8 bytes. */
static size_t icmp_reply(uint8_t *frame, uint16_t port, uint8_t type, uint8_t code)
{
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, port, IPPROTO_TCP, 40000, 1000);
	struct prt_probe_params p = {.saddr = OUR_IP, .ttl = 64, .window = 1024, .mss = 1460};
	struct prt_probe_tmpl t;
	uint8_t probe[PRT_PROBE_MAX_FRAME];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);
	uint8_t *icmp = (uint8_t *)(ip + 1);
	const size_t quoted = 20 + 8;
	uint16_t sum;

	prt_probe_syn.tmpl_init(&prt_probe_syn, &t, &p);
	prt_probe_syn.craft(&t, probe, TARGET, port, &c);
	memset(frame, 0, 14 + 20 + 8 + quoted);
	((struct rte_ether_hdr *)frame)->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 8 + quoted));
	ip->time_to_live = 250;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = rte_cpu_to_be_32(0xc6120001);
	ip->dst_addr = rte_cpu_to_be_32(OUR_IP);
	ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, 20));
	icmp[0] = type;
	icmp[1] = code;
	memcpy(icmp + 8, probe + 14, quoted);
	sum = prt_csum_fold(prt_csum_add(0, icmp, 8 + quoted));
	memcpy(icmp + 2, &sum, 2);
	return 14 + 20 + 8 + quoted;
}

static void syn_ack_is_open_and_asks_for_rst(void **state)
{
	uint8_t f[128];
	struct prt_cls_out o;
	size_t len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);

	(void)state;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_OPEN);
	assert_int_equal(o.result.reason, PRT_REASON_SYN_ACK);
	assert_int_equal(prt_addr_v4(&o.result.addr), TARGET);
	assert_int_equal(o.result.port, 80);
	assert_int_equal(o.result.ttl, 61);
	assert_int_equal(o.pair, 5 * 3 + 1);
	assert_true(o.send_rst);
	assert_int_equal(o.rst_seq, prt_cookie_v4(&key, OUR_IP, TARGET, 80, 6, 40000, 1000).seq + 1);
}

/* With sessions, a SYN-ACK's segment (numbers, window, MSS) is noted for
 * lib/tcp; so is any checksummed segment, even one the cookie rejects. */
static void segments_are_noted_for_connections(void **state)
{
	uint8_t f[128];
	struct prt_cls_out o;
	size_t len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	uint32_t iss = prt_cookie_v4(&key, OUR_IP, TARGET, 80, 6, 40000, 1000).seq;

	(void)state;
	ctx.sessions = true;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_true(o.tcp.valid);
	assert_int_equal(o.tcp.seq, 777);
	assert_int_equal(o.tcp.ack, iss + 1);
	assert_int_equal(o.tcp.mss, 1460);
	assert_int_equal(o.tcp.win, 65535);
	assert_int_equal(o.tcp.peer_port, 80);
	assert_int_equal(o.tcp.len, 0);
	/* a later segment of the connection: no cookie, still noted */
	len = target_reply(f, 80, RTE_TCP_ACK_FLAG, 5);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_COOKIE);
	assert_true(o.tcp.valid);
	assert_int_equal(o.tcp.mss, 0);
	/* a bad checksum: nothing noted */
	f[len - 1] ^= 1;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_CHECKSUM);
	assert_false(o.tcp.valid);
	ctx.sessions = false;
}

static void rst_is_closed(void **state)
{
	uint8_t f[128];
	struct prt_cls_out o;
	size_t len = target_reply(f, 443, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0);

	(void)state;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_CLOSED);
	assert_int_equal(o.result.reason, PRT_REASON_RST);
	assert_false(o.send_rst);
	/* Ethernet padding after the IP datagram is ignored */
	memset(f + len, 0xee, 20);
	assert_int_equal(prt_classify(&ctx, f, len + 20, &o), PRT_CLS_RESULT);
}


/* With the answered bitmap, a reset for an answered pair is a duplicate
 * before anything is computed (a broken checksum does not matter); a
 * SYN-ACK is still checked in full, since its reset goes out; a connection
 * scan sees every segment. */
static void answered_pairs_are_duplicates_early(void **state)
{
	uint64_t answered[4] = {0};
	const uint64_t pair = 5 * 3 + 1; /* TARGET:80 */
	uint8_t f[128];
	struct prt_cls_out o;
	size_t len;

	(void)state;
	ctx.answered = answered;
	len = target_reply(f, 80, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT); /* not answered yet */
	answered[pair >> 6] |= 1ULL << (pair & 63);
	f[len - 1] ^= 1; /* checksum broken */
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_DUPLICATE);
	ctx.sessions = true;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_CHECKSUM);
	ctx.sessions = false;
	len = target_reply(f, 443, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0); /* other pair */
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_true(o.send_rst);
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 1); /* wrong ack */
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_COOKIE);
	assert_string_equal(prt_cls_verdict_name(PRT_CLS_DUPLICATE), "duplicate");
	ctx.answered = NULL;
}
/* The RX lcore's inline test says "duplicate" only where prt_classify()
 * does (or where only the IPv4 header checksum is broken, which it skips),
 * and for every plain answered reset it does say so. */
static void quick_duplicate_agrees_with_classify(void **state)
{
	uint64_t answered[256 * 3 / 64] = {0}; /* a bit flip may name any pair of the scan */
	const uint64_t pair = 5 * 3 + 1; /* TARGET:80 */
	uint8_t good[128], f[128], *copy;
	struct prt_cls_out o;
	size_t len;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);

	(void)state;
	assert_false(prt_cls_quick_applies(&ctx)); /* no answered bitmap */
	ctx.answered = answered;
	assert_true(prt_cls_quick_applies(&ctx));
	len = target_reply(good, 80, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0);
	assert_false(prt_cls_quick_duplicate(&ctx, good, len)); /* not answered yet */
	answered[pair >> 6] |= 1ULL << (pair & 63);
	assert_true(prt_cls_quick_duplicate(&ctx, good, len));
	len = target_reply(f, 443, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0); /* other pair */
	assert_false(prt_cls_quick_duplicate(&ctx, f, len));
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0); /* verified in full */
	assert_false(prt_cls_quick_duplicate(&ctx, f, len));
	len = target_reply(f, 80, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
	assert_false(prt_cls_quick_duplicate(&ctx, f, len));
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG); /* DF is no fragment */
	assert_true(prt_cls_quick_duplicate(&ctx, f, len));
	ip->dst_addr = rte_cpu_to_be_32(OUR_IP + 1);
	assert_false(prt_cls_quick_duplicate(&ctx, f, len));
	ctx.sessions = true; /* a connection scan must see every segment */
	assert_false(prt_cls_quick_applies(&ctx));
	ctx.sessions = false;

	/* every cut, in an exact-size heap copy so ASan sees any overread */
	len = target_reply(good, 80, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0);
	for (size_t cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, good, cut);
		assert_int_equal(prt_cls_quick_duplicate(&ctx, copy, cut),
			prt_classify(&ctx, copy, cut, &o) == PRT_CLS_DUPLICATE);
		free(copy);
	}
	/* every bit flipped: a quick yes is a classify duplicate or a broken
	 * IPv4 header checksum; a classify duplicate without options is a quick yes */
	for (size_t bit = 0; bit < len * 8; bit++) {
		enum prt_cls_verdict v;
		bool quick;

		memcpy(f, good, len);
		f[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		quick = prt_cls_quick_duplicate(&ctx, f, len);
		v = prt_classify(&ctx, f, len, &o);
		if (quick)
			assert_true(v == PRT_CLS_DUPLICATE ||
				(v == PRT_CLS_BAD_CHECKSUM &&
				 prt_csum_fold(prt_csum_add(0, ip, 20)) != 0));
		else if (ip->version_ihl == 0x45)
			assert_int_not_equal(v, PRT_CLS_DUPLICATE);
	}
	ctx.answered = NULL;
}

static void icmp_unreachable_is_filtered(void **state)
{
	uint8_t f[128];
	struct prt_cls_out o;
	size_t len = icmp_reply(f, 22, 3, 13);

	(void)state;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_FILTERED);
	assert_int_equal(o.result.reason, PRT_REASON_ICMP);
	assert_int_equal(o.result.icmp_type, 3);
	assert_int_equal(o.result.icmp_code, 13);
	assert_int_equal(prt_addr_v4(&o.result.addr), TARGET);
	assert_int_equal(o.result.port, 22);
	len = icmp_reply(f, 22, 11, 0); /* time exceeded: not an answer */
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_UNEXPECTED);
}

static void wrong_cookie_rejected(void **state)
{
	uint8_t f[128];
	struct prt_cls_out o;

	(void)state;
	for (int d = -3; d <= 3; d++) {
		size_t len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, d);
		assert_int_equal(prt_classify(&ctx, f, len, &o),
			d == 0 ? PRT_CLS_RESULT : PRT_CLS_BAD_COOKIE);
	}
	/* a probe port not in the scan: its cookie checks out, the target does not */
	size_t len = target_reply(f, 8080, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_NOT_TARGET);
	/* SYN without ACK carries no answer to a SYN */
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG, 0);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_UNEXPECTED);
}

static void every_truncation_rejected(void **state)
{
	uint8_t f[128], *copy;
	struct prt_cls_out o;
	size_t lens[2];
	uint8_t frames[2][128];

	(void)state;
	lens[0] = target_reply(frames[0], 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	lens[1] = icmp_reply(frames[1], 80, 3, 1);
	for (int k = 0; k < 2; k++)
		for (size_t cut = 0; cut < lens[k]; cut++) {
			/* exact-size heap copies so ASan sees any overread */
			copy = malloc(cut ? cut : 1);
			memcpy(copy, frames[k], cut);
			assert_int_not_equal(prt_classify(&ctx, copy, cut, &o), PRT_CLS_RESULT);
			free(copy);
		}
	(void)f;
}

static void every_bit_flip_changes_nothing_silently(void **state)
{
	uint8_t good[128], f[128];
	struct prt_cls_out ref, o;
	size_t len = target_reply(good, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);

	(void)state;
	assert_int_equal(prt_classify(&ctx, good, len, &ref), PRT_CLS_RESULT);
	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(f, good, len);
		f[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (prt_classify(&ctx, f, len, &o) != PRT_CLS_RESULT)
			continue;
		/* only fields outside the checks may change: MACs, TTL, TOS, IP id, window */
		size_t byte = bit / 8;
		int harmless = byte < 12 || byte == 15 || byte == 18 || byte == 19 ||
			byte == 22 || byte == 48 || byte == 49;
		assert_true(harmless || o.result.state == ref.result.state);
		assert_int_equal(o.pair, ref.pair);
	}
}

static void bogus_headers(void **state)
{
	uint8_t f[128];
	struct prt_cls_out o;
	size_t len;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);

	(void)state;
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	ip->total_length = rte_cpu_to_be_16(1500);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_TRUNCATED);
	ip->total_length = rte_cpu_to_be_16(10);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_IP_HEADER);

	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	ip->version_ihl = 0x4f; /* IHL 60 > datagram */
	assert_int_not_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_RESULT);
	ip->version_ihl = 0x44; /* IHL 16 < 20 */
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_IP_HEADER);
	ip->version_ihl = 0x65;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_IP_HEADER);

	/* a valid fragment is still never a result */
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, 20));
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_FRAGMENT);

	/* TCP data offset beyond the segment */
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	f[14 + 20 + 12] = 0xf0;
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_TRUNCATED);

	/* not IP at all; an IPv4 header under the IPv6 EtherType */
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	((struct rte_ether_hdr *)f)->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_LLDP);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_NOT_IPV4);
	((struct rte_ether_hdr *)f)->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_BAD_IP_HEADER);
}

static void not_for_us(void **state)
{
	uint8_t f[128];
	struct prt_cls_out o;
	size_t len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	struct prt_cls_ctx other = ctx;

	(void)state;
	other.keys.our_ip = OUR_IP + 1;
	assert_int_equal(prt_classify(&other, f, len, &o), PRT_CLS_NOT_FOR_US);
}

/* What an RFC 9293 stack sends back to our probe for (TARGET, port) from a
 * closed port: built from the probe's bytes, not from our cookie formula. */
static size_t reset_for_probe(uint8_t *frame, const struct prt_probe_ops *ops, uint16_t port,
	uint16_t window)
{
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, port, IPPROTO_TCP, 40000, 1000);
	struct prt_probe_params p = {.saddr = OUR_IP, .ttl = 64, .window = 1024, .mss = 1460};
	struct prt_probe_params back = {.saddr = TARGET, .ttl = 64, .window = window};
	struct prt_probe_tmpl t;
	uint8_t probe[PRT_PROBE_MAX_FRAME];
	const struct rte_tcp_hdr *pt = (const struct rte_tcp_hdr *)(probe + 14 + 20);
	struct prt_tcp_fields f = {.daddr = OUR_IP, .sport = port, .dport = c.sport, .ip_id = 9};

	ops->tmpl_init(ops, &t, &p);
	ops->craft(&t, probe, TARGET, port, &c);
	if (pt->tcp_flags & RTE_TCP_ACK_FLAG) {
		/* <SEQ=SEG.ACK><CTL=RST> */
		f.seq = rte_be_to_cpu_32(pt->recv_ack);
		prt_probe_tcp_tmpl_init(&t, &back, RTE_TCP_RST_FLAG);
	} else {
		/* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; SYN and FIN count in SEG.LEN */
		f.ack = rte_be_to_cpu_32(pt->sent_seq) + !!(pt->tcp_flags & RTE_TCP_SYN_FLAG) +
			!!(pt->tcp_flags & RTE_TCP_FIN_FLAG);
		prt_probe_tcp_tmpl_init(&t, &back, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG);
	}
	prt_probe_tcp_craft(&t, frame, &f);
	return t.len;
}

static void stealth_scans_read_resets_like_nmap(void **state)
{
	static const struct {
		const char *name;
		uint16_t window;
		enum prt_state state;
		enum prt_state silent;
	} cases[] = {
		{"syn", 0, PRT_STATE_CLOSED, PRT_STATE_FILTERED},
		{"ack", 0, PRT_STATE_UNFILTERED, PRT_STATE_FILTERED},
		{"fin", 0, PRT_STATE_CLOSED, PRT_STATE_OPEN_FILTERED},
		{"null", 0, PRT_STATE_CLOSED, PRT_STATE_OPEN_FILTERED},
		{"xmas", 0, PRT_STATE_CLOSED, PRT_STATE_OPEN_FILTERED},
		{"maimon", 0, PRT_STATE_CLOSED, PRT_STATE_OPEN_FILTERED},
		{"window", 0, PRT_STATE_CLOSED, PRT_STATE_FILTERED},
		{"window", 4096, PRT_STATE_OPEN, PRT_STATE_FILTERED},
	};
	struct prt_cls_ctx c = ctx;
	struct prt_cls_out o;
	uint8_t f[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c.arm[0].probe = prt_probe_find(cases[i].name);
		assert_non_null(c.arm[0].probe);
		assert_int_equal(c.arm[0].probe->silent_state, cases[i].silent);
		size_t len = reset_for_probe(f, c.arm[0].probe, 443, cases[i].window);
		assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_RESULT);
		assert_int_equal(o.result.state, cases[i].state);
		assert_int_equal(o.result.reason, PRT_REASON_RST);
		assert_int_equal(o.result.port, 443);
		assert_false(o.send_rst);
		/* the same reset one sequence number off is someone else's */
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);
		struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
		if (c.arm[0].probe->tcp_flags & RTE_TCP_ACK_FLAG)
			tcp->sent_seq = rte_cpu_to_be_32(rte_be_to_cpu_32(tcp->sent_seq) + 1);
		else
			tcp->recv_ack = rte_cpu_to_be_32(rte_be_to_cpu_32(tcp->recv_ack) + 1);
		tcp->cksum = 0;
		tcp->cksum = prt_csum_fold(prt_csum_add(prt_csum_pseudo4(ip->src_addr, ip->dst_addr,
			IPPROTO_TCP, 20), tcp, 20));
		assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_BAD_COOKIE);
	}
	/* a SYN-ACK answers no stealth probe */
	c.arm[0].probe = &prt_probe_fin;
	size_t len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_UNEXPECTED);
	/* an ICMP error quoting our probe is filtered for every TCP scan */
	c.arm[0].probe = &prt_probe_ack;
	len = icmp_reply(f, 22, 3, 13);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_FILTERED);
}

/* The echo reply a host sends to our echo request: the request's bytes with
 * addresses swapped, type 0 and the checksum redone. */
static size_t echo_reply_for_probe(uint8_t *frame, uint32_t cookie_xor)
{
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, 0, IPPROTO_ICMP, 40000, 1000);
	struct prt_probe_params p = {.saddr = OUR_IP, .ttl = 64};
	struct prt_probe_tmpl t;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);
	uint8_t *icmp = frame + 14 + 20;
	uint32_t w;
	uint16_t sum;

	prt_probe_echo.tmpl_init(&prt_probe_echo, &t, &p);
	prt_probe_echo.craft(&t, frame, TARGET, 0, &c);
	ip->src_addr = rte_cpu_to_be_32(TARGET);
	ip->dst_addr = rte_cpu_to_be_32(OUR_IP);
	ip->time_to_live = 63;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, 20));
	icmp[0] = 0;
	memcpy(&w, icmp + 8, 4);
	w ^= cookie_xor;
	memcpy(icmp + 8, &w, 4);
	icmp[2] = icmp[3] = 0;
	sum = prt_csum_fold(prt_csum_add(0, icmp, t.l4_len));
	memcpy(icmp + 2, &sum, 2);
	return t.len;
}

static void echo_reply_is_up(void **state)
{
	struct prt_cls_ctx c = ctx;
	struct prt_port_list zero;
	struct prt_cls_out o;
	uint8_t f[128];
	size_t len;

	(void)state;
	prt_port_list_init(&zero);
	zero.bits[0] |= 1; /* -sn scans "port 0" of every host */
	assert_int_equal(prt_port_list_finalize(&zero, NULL), 0);
	c.arm[0].probe = &prt_probe_echo;
	c.arm[0].ports = &zero;
	c.nports = zero.n;
	len = echo_reply_for_probe(f, 0);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_UP);
	assert_int_equal(o.result.reason, PRT_REASON_ECHO_REPLY);
	assert_int_equal(o.result.proto, IPPROTO_ICMP);
	assert_int_equal(o.result.ttl, 63);
	assert_int_equal(o.pair, 5);
	/* the payload cookie is checked too, not only identifier and sequence */
	len = echo_reply_for_probe(f, rte_cpu_to_be_32(0x10000));
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_BAD_COOKIE);
	/* a TCP scan sent no echo request */
	len = echo_reply_for_probe(f, 0);
	assert_int_equal(prt_classify(&ctx, f, len, &o), PRT_CLS_UNEXPECTED);
	/* and a discovery scan sent no TCP */
	len = target_reply(f, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);
	assert_int_equal(prt_classify(&c, f, len, &o), PRT_CLS_UNEXPECTED);
	/* every truncation of an echo reply is rejected */
	len = echo_reply_for_probe(f, 0);
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, f, cut);
		assert_int_not_equal(prt_classify(&c, copy, cut, &o), PRT_CLS_RESULT);
		free(copy);
	}
	prt_port_list_free(&zero);
}

static void random_garbage_never_crashes(void **state)
{
	uint8_t good[128];
	struct prt_cls_out o;
	size_t len = target_reply(good, 80, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, 0);

	(void)state;
	srand(99);
	for (int i = 0; i < 200000; i++) {
		size_t n = (size_t)(rand() % 128);
		uint8_t *f = malloc(n ? n : 1);
		/* keep a valid-looking prefix some of the time, so deep paths are reached */
		size_t keep = (size_t)(rand() % 60);
		for (size_t b = 0; b < n; b++)
			f[b] = b < keep && b < len ? good[b] : (uint8_t)rand();
		(void)prt_classify(&ctx, f, n, &o);
		free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syn_ack_is_open_and_asks_for_rst),
		cmocka_unit_test(rst_is_closed),
		cmocka_unit_test(segments_are_noted_for_connections),
		cmocka_unit_test(answered_pairs_are_duplicates_early),
		cmocka_unit_test(quick_duplicate_agrees_with_classify),
		cmocka_unit_test(icmp_unreachable_is_filtered),
		cmocka_unit_test(wrong_cookie_rejected),
		cmocka_unit_test(every_truncation_rejected),
		cmocka_unit_test(every_bit_flip_changes_nothing_silently),
		cmocka_unit_test(bogus_headers),
		cmocka_unit_test(not_for_us),
		cmocka_unit_test(stealth_scans_read_resets_like_nmap),
		cmocka_unit_test(echo_reply_is_up),
		cmocka_unit_test(random_garbage_never_crashes),
	};
	return cmocka_run_group_tests_name("classify", tests, setup, teardown);
}
