/* SPDX-License-Identifier: BSD-3-Clause */
/* rte_ipv4_udptcp_cksum_verify() is experimental in 22.11: an independent check */
#define ALLOW_EXPERIMENTAL_API
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "cmocka_common.h"
#include "prt_csum.h"
#include "prt_common.h"
#include "prt_probe.h"
#include "prt_udp_payloads.h"

static const struct prt_probe_params params = {
	.src_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
	.dst_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
	.saddr = 0xc6120002, /* 198.18.0.2 */
	.ttl = 64,
	.window = 1024,
	.mss = 1460,
};

/* SYN 198.18.0.2:40000 -> 198.19.0.1:80, seq 0x01020304, IP id 0x4242.
 * Decoded independently by tshark: checksums 0xac61 (IPv4) and 0x6767 (TCP)
 * reported correct, MSS option 1460, flags 0x002 (SYN). */
static const uint8_t golden_syn[58] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x2c, 0x42, 0x42, 0x00, 0x00, 0x40, 0x06, 0xac, 0x61,
	0xc6, 0x12, 0x00, 0x02, 0xc6, 0x13, 0x00, 0x01,
	0x9c, 0x40, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
	0x60, 0x02, 0x04, 0x00, 0x67, 0x67, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};

static void syn_matches_golden_packet(void **state)
{
	struct prt_probe_tmpl t;
	struct prt_cookie c = {.seq = 0x01020304, .sport = 40000, .ip_id = 0x4242};
	uint8_t frame[PRT_PROBE_MAX_FRAME];

	(void)state;
	prt_probe_syn.tmpl_init(&prt_probe_syn, &t, &params);
	assert_int_equal(t.len, sizeof(golden_syn));
	prt_probe_syn.craft(&t, frame, 0xc6130001, 80, &c);
	assert_memory_equal(frame, golden_syn, sizeof(golden_syn));
}

/* Many targets: the incremental checksums always equal a full recompute. */
static void checksums_valid_for_every_target(void **state)
{
	struct prt_probe_tmpl t;
	uint8_t frame[PRT_PROBE_MAX_FRAME];

	(void)state;
	prt_probe_syn.tmpl_init(&prt_probe_syn, &t, &params);
	for (uint32_t i = 0; i < 20000; i++) {
		struct prt_cookie c = {.seq = i * 2654435761u, .sport = (uint16_t)(1024 + i),
			.ip_id = (uint16_t)(i * 7)};
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
		const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)(ip + 1);
		prt_probe_syn.craft(&t, frame, 0xc6130000 + i * 613, (uint16_t)(i * 31), &c);
		assert_int_equal(rte_ipv4_cksum(ip), 0); /* valid header sums to 0xffff */
		assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, tcp), 0);
		assert_int_equal(rte_be_to_cpu_32(tcp->sent_seq), c.seq);
		assert_int_equal(rte_be_to_cpu_16(tcp->src_port), c.sport);
		assert_int_equal(tcp->tcp_flags, RTE_TCP_SYN_FLAG);
	}
}

static void rst_template(void **state)
{
	struct prt_probe_params p = params;
	struct prt_probe_tmpl t;
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	const struct prt_tcp_fields f = {.daddr = 0xc6130001, .sport = 40000, .dport = 80,
		.seq = 0x01020305};
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)(ip + 1);

	(void)state;
	p.mss = 0;
	p.window = 0;
	prt_probe_tcp_tmpl_init(&t, &p, RTE_TCP_RST_FLAG);
	assert_int_equal(t.len, 54);
	prt_probe_tcp_craft(&t, frame, &f);
	assert_int_equal(tcp->tcp_flags, RTE_TCP_RST_FLAG);
	assert_int_equal(rte_be_to_cpu_32(tcp->sent_seq), 0x01020305);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, tcp), 0);
	assert_int_equal(rte_ipv4_cksum(ip), 0); /* valid header sums to 0xffff */
}

/* With TX offload the frame carries what a NIC needs; finishing the checksums
 * as a NIC does gives the software frame byte for byte. */
static void offload_frame_finishes_to_the_software_one(void **state)
{
	struct prt_probe_params hw = params;
	struct prt_probe_tmpl t_sw, t_hw;
	uint8_t sw[PRT_PROBE_MAX_FRAME], nic[PRT_PROBE_MAX_FRAME];

	(void)state;
	hw.hw_cksum = true;
	prt_probe_syn.tmpl_init(&prt_probe_syn, &t_sw, &params);
	prt_probe_syn.tmpl_init(&prt_probe_syn, &t_hw, &hw);
	for (uint32_t i = 0; i < 5000; i++) {
		struct prt_cookie c = {.seq = i * 40503u, .sport = (uint16_t)(2000 + i),
			.ip_id = (uint16_t)i};
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(nic + 14);
		struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
		prt_probe_syn.craft(&t_sw, sw, 0xc6130000 + i * 7, (uint16_t)(i * 13), &c);
		prt_probe_syn.craft(&t_hw, nic, 0xc6130000 + i * 7, (uint16_t)(i * 13), &c);
		assert_int_equal(ip->hdr_checksum, 0);
		assert_int_equal(tcp->cksum, rte_ipv4_phdr_cksum(ip, 0));
		/* what the NIC does */
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		tcp->cksum = prt_csum_fold(prt_csum_add(0, tcp, t_hw.l4_len));
		assert_memory_equal(nic, sw, t_sw.len);
	}
}

static void registry(void **state)
{
	unsigned n = 0;

	(void)state;
	assert_ptr_equal(prt_probe_find("syn"), &prt_probe_syn);
	assert_null(prt_probe_find("nope"));
	for (const struct prt_probe_ops *o; (o = prt_probe_at(n)) != NULL; n++) {
		assert_ptr_equal(prt_probe_find(o->name), o);
		/* port scans are -s*, ICMP host discovery -P* as in nmap */
		assert_true(o->flag[0] == '-' && o->flag[1] == (prt_probe_hosts_only(o) ? 'P' : 's'));
		/* every module reads its own answers and the probes ICMP errors quote */
		assert_non_null(o->reply);
		assert_non_null(o->quoted);
	}
	assert_int_equal(n, 16);
}

/* Every scan type's frame: its nmap flags, the cookie where the reply will
 * echo it, MSS only on a SYN, and checksums a verifier accepts. */
static void every_scan_type_crafts_its_segment(void **state)
{
	static const struct {
		const char *name;
		uint8_t flags;
	} types[] = {
		{"syn", RTE_TCP_SYN_FLAG},
		{"connect", RTE_TCP_SYN_FLAG},
		{"ack", RTE_TCP_ACK_FLAG},
		{"fin", RTE_TCP_FIN_FLAG},
		{"null", 0},
		{"xmas", RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_URG_FLAG},
		{"window", RTE_TCP_ACK_FLAG},
		{"maimon", RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG},
	};
	struct prt_cookie c = {.seq = 0xdeadbeef, .sport = 41000, .ip_id = 7};
	uint8_t frame[PRT_PROBE_MAX_FRAME];

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const struct prt_probe_ops *o = prt_probe_find(types[i].name);
		struct prt_probe_tmpl t;
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
		const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)(ip + 1);
		int syn = !!(types[i].flags & RTE_TCP_SYN_FLAG);

		assert_non_null(o);
		o->tmpl_init(o, &t, &params);
		o->craft(&t, frame, 0xc6130001, 8080, &c);
		assert_int_equal(tcp->tcp_flags, types[i].flags);
		assert_int_equal(t.len, 14 + 20 + 20 + (syn ? 4 : 0));
		assert_int_equal(tcp->data_off >> 4, syn ? 6 : 5);
		assert_int_equal(rte_be_to_cpu_32(tcp->sent_seq), c.seq);
		assert_int_equal(rte_be_to_cpu_32(tcp->recv_ack),
			(types[i].flags & RTE_TCP_ACK_FLAG) ? c.seq : 0);
		assert_int_equal(rte_be_to_cpu_16(tcp->src_port), 41000);
		assert_int_equal(rte_be_to_cpu_16(tcp->dst_port), 8080);
		assert_int_equal(rte_ipv4_cksum(ip), 0);
		assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, tcp), 0);
	}
}

static void echo_request(void **state)
{
	struct prt_cookie c = {.seq = 0xa1b2c3d4, .sport = 0x4455, .ip_id = 9};
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	struct prt_probe_tmpl t;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
	const uint8_t *icmp = frame + 34;

	(void)state;
	prt_probe_echo.tmpl_init(&prt_probe_echo, &t, &params);
	prt_probe_echo.craft(&t, frame, 0xc6130001, 0, &c);
	assert_int_equal(t.len, 14 + 20 + 16);
	assert_int_equal(ip->next_proto_id, IPPROTO_ICMP);
	assert_int_equal(rte_ipv4_cksum(ip), 0);
	assert_int_equal(icmp[0], 8); /* echo request */
	assert_int_equal(icmp[4] << 8 | icmp[5], 0x4455);
	assert_int_equal(icmp[6] << 8 | icmp[7], 0xc3d4);
	assert_memory_equal(icmp + 8, "\xa1\xb2\xc3\xd4prti", 8);
	assert_int_equal(prt_csum_fold(prt_csum_add(0, icmp, 16)), 0);
	assert_false(t.hw_cksum);
}

/* IPv6 probes of every kind: header fields and checksums a verifier accepts. */
static void ipv6_probes(void **state)
{
	struct prt_probe_params p6 = params;
	struct prt_cookie c = {.seq = 0x11223344, .sport = 41001};
	struct prt_addr dst;
	uint8_t frame[2048];
	struct prt_probe_tmpl t = {0};
	struct prt_udp_payloads none;
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(frame + 14);
	uint16_t len;

	(void)state;
	prt_parse_ipv6("2001:2::2", &p6.saddr6);
	prt_parse_ipv6("2001:2:0:100::5", &dst);
	for (unsigned i = 0; prt_probe_at(i) != NULL; i++) {
		const struct prt_probe_ops *o = prt_probe_at(i);
		if (o->proto != IPPROTO_TCP)
			continue;
		o->tmpl_init6(o, &t, &p6);
		len = o->craft6(&t, frame, &dst, 443, &c);
		assert_int_equal(len, 14 + 40 + ((o->tcp_flags & RTE_TCP_SYN_FLAG) ? 24 : 20));
		assert_int_equal(frame[12] << 8 | frame[13], 0x86dd);
		assert_memory_equal(ip6->dst_addr, dst.b, 16);
		assert_memory_equal(ip6->src_addr, p6.saddr6.b, 16);
		assert_int_equal(ip6->proto, IPPROTO_TCP);
		assert_int_equal(rte_ipv6_udptcp_cksum_verify(ip6, ip6 + 1), 0);
	}
	assert_int_equal(prt_udp_payloads_empty(&none), 0);
	t.udp = &none;
	prt_probe_udp.tmpl_init6(&prt_probe_udp, &t, &p6);
	len = prt_probe_udp.craft6(&t, frame, &dst, 53, &c);
	assert_int_equal(len, 14 + 40 + 8);
	assert_int_equal(rte_be_to_cpu_16(ip6->payload_len), 8);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify(ip6, ip6 + 1), 0);
	prt_udp_payloads_free(&none);
	prt_probe_echo.tmpl_init6(&prt_probe_echo, &t, &p6);
	len = prt_probe_echo.craft6(&t, frame, &dst, 0, &c);
	assert_int_equal(len, 14 + 40 + 16);
	assert_int_equal(frame[54], 128);
	assert_int_equal(prt_csum_fold(prt_csum_add(prt_csum_pseudo6(ip6->src_addr, ip6->dst_addr,
		IPPROTO_ICMPV6, 16), frame + 54, 16)), 0);
}

/* A connection's segment with data, on the v4 and v6 RST templates. */
static void connection_segments(void **state)
{
	struct prt_probe_params p = params;
	struct prt_probe_tmpl t4, t6;
	struct prt_addr dst4 = prt_addr_from_v4(0xc6130005), dst6;
	const struct prt_tcp_fields f = {.sport = 40000, .dport = 80, .seq = 1001, .ack = 5001,
		.ip_id = 9};
	const char get[] = "GET / HTTP/1.0\r\n\r\n";
	uint8_t frame[2048];
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(frame + 14);
	const struct rte_tcp_hdr *tcp;
	uint16_t len;

	(void)state;
	p.window = 0;
	p.mss = 0;
	prt_parse_ipv6("2001:2::2", &p.saddr6);
	prt_parse_ipv6("2001:2:0:100::5", &dst6);
	prt_probe_tcp_tmpl_init(&t4, &p, RTE_TCP_RST_FLAG);
	prt_probe_tcp6_tmpl_init(&t6, &p, RTE_TCP_RST_FLAG);

	len = prt_probe_tcp_segment(&t4, frame, sizeof(frame), &dst4, &f,
		RTE_TCP_PSH_FLAG | RTE_TCP_ACK_FLAG, 65535, 0, (const uint8_t *)get, sizeof(get) - 1);
	tcp = (const struct rte_tcp_hdr *)(ip + 1);
	assert_int_equal(len, 14 + 20 + 20 + sizeof(get) - 1);
	assert_int_equal(rte_be_to_cpu_16(ip->total_length), 20 + 20 + sizeof(get) - 1);
	assert_int_equal(rte_be_to_cpu_32(ip->dst_addr), 0xc6130005);
	assert_int_equal(rte_ipv4_cksum(ip), 0);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, tcp), 0);
	assert_int_equal(tcp->tcp_flags, RTE_TCP_PSH_FLAG | RTE_TCP_ACK_FLAG);
	assert_int_equal(rte_be_to_cpu_32(tcp->recv_ack), 5001);
	assert_int_equal(rte_be_to_cpu_16(tcp->rx_win), 65535);
	assert_memory_equal(tcp + 1, get, sizeof(get) - 1);

	len = prt_probe_tcp_segment(&t6, frame, sizeof(frame), &dst6, &f, RTE_TCP_FIN_FLAG |
		RTE_TCP_ACK_FLAG, 100, 0, NULL, 0);
	assert_int_equal(len, 14 + 40 + 20);
	assert_memory_equal(ip6->dst_addr, dst6.b, 16);
	assert_int_equal(rte_be_to_cpu_16(ip6->payload_len), 20);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify(ip6, ip6 + 1), 0);
	/* a frame that would not fit is refused, not cut */
	assert_int_equal(prt_probe_tcp_segment(&t4, frame, 60, &dst4, &f, RTE_TCP_ACK_FLAG, 1, 0,
		(const uint8_t *)get, sizeof(get) - 1), 0);
	/* our own SYN (a later -sV connection) carries the MSS option */
	len = prt_probe_tcp_segment(&t4, frame, sizeof(frame), &dst4, &f, RTE_TCP_SYN_FLAG, 65535,
		1460, NULL, 0);
	tcp = (const struct rte_tcp_hdr *)(ip + 1);
	assert_int_equal(len, 14 + 20 + 24);
	assert_int_equal(tcp->data_off >> 4, 6);
	assert_int_equal(((const uint8_t *)(tcp + 1))[3], 1460 & 0xff);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, tcp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syn_matches_golden_packet),
		cmocka_unit_test(checksums_valid_for_every_target),
		cmocka_unit_test(rst_template),
		cmocka_unit_test(offload_frame_finishes_to_the_software_one),
		cmocka_unit_test(registry),
		cmocka_unit_test(every_scan_type_crafts_its_segment),
		cmocka_unit_test(echo_request),
		cmocka_unit_test(ipv6_probes),
		cmocka_unit_test(connection_segments),
	};
	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
