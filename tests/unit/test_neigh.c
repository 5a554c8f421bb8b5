/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include <stdlib.h>

#include "cmocka_common.h"
#include "prt_common.h"
#include "prt_csum.h"
#include "prt_neigh.h"

static struct prt_neigh scanner(void)
{
	struct prt_neigh n = {
		.our_mac = {0x02, 0, 0, 0, 0, 0x02},
		.our_ip = 0xc6120002,
		.gw_ip = 0xc6120001,
	};
	return n;
}

static void answers_requests_for_our_address(void **state)
{
	struct prt_neigh n = scanner(), peer = scanner();
	uint8_t req[64], reply[64];
	size_t len;

	(void)state;
	/* the router asks who has 198.18.0.2 */
	peer.our_ip = 0xc6120001;
	peer.our_mac[5] = 0x01;
	assert_int_equal(prt_neigh_build_request(&peer, 0xc6120002, req), 60);
	assert_int_equal(prt_neigh_input(&n, req, 60, reply, &len), PRT_NEIGH_REPLY);
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)reply;
	const struct rte_arp_hdr *arp = (const struct rte_arp_hdr *)(eth + 1);
	assert_int_equal(rte_be_to_cpu_16(arp->arp_opcode), RTE_ARP_OP_REPLY);
	assert_memory_equal(arp->arp_data.arp_sha.addr_bytes, n.our_mac, 6);
	assert_memory_equal(eth->dst_addr.addr_bytes, peer.our_mac, 6);
	assert_int_equal(rte_be_to_cpu_32(arp->arp_data.arp_sip), 0xc6120002);
	assert_int_equal(rte_be_to_cpu_32(arp->arp_data.arp_tip), 0xc6120001);

	/* a request for somebody else is not ours to answer */
	prt_neigh_build_request(&peer, 0xc6120009, req);
	assert_int_equal(prt_neigh_input(&n, req, 60, reply, &len), PRT_NEIGH_IGNORED);
}

static void learns_the_gateway(void **state)
{
	struct prt_neigh n = scanner(), gw = scanner();
	uint8_t req[64], reply[64];
	size_t len;

	(void)state;
	gw.our_ip = 0xc6120001;
	gw.our_mac[5] = 0x01;
	prt_neigh_build_request(&n, n.gw_ip, req);
	assert_int_equal(prt_neigh_input(&gw, req, 60, reply, &len), PRT_NEIGH_REPLY);
	assert_false(n.gw_known);
	assert_int_equal(prt_neigh_input(&n, reply, len, NULL, NULL), PRT_NEIGH_LEARNED);
	assert_true(n.gw_known);
	assert_memory_equal(n.gw_mac, gw.our_mac, 6);
}

static void hostile_frames(void **state)
{
	struct prt_neigh n = scanner();
	uint8_t req[64], reply[64];
	size_t len;

	(void)state;
	prt_neigh_build_request(&n, 0xc6120002, req);
	for (size_t cut = 14; cut < 42; cut++)
		assert_int_equal(prt_neigh_input(&n, req, cut, reply, &len), PRT_NEIGH_BOGUS);
	for (size_t cut = 0; cut < 14; cut++)
		assert_int_equal(prt_neigh_input(&n, req, cut, reply, &len), PRT_NEIGH_NOT_ARP);
	req[18] = 8; /* hlen 8 */
	assert_int_equal(prt_neigh_input(&n, req, 60, reply, &len), PRT_NEIGH_BOGUS);
	/* a reply claiming the gateway with a broadcast MAC is refused */
	struct prt_neigh gw = scanner();
	gw.our_ip = 0xc6120001;
	memset(gw.our_mac, 0xff, 6);
	prt_neigh_build_request(&n, n.gw_ip, req);
	assert_int_equal(prt_neigh_input(&gw, req, 60, reply, &len), PRT_NEIGH_REPLY);
	assert_int_equal(prt_neigh_input(&n, reply, len, NULL, NULL), PRT_NEIGH_BOGUS);
	assert_false(n.gw_known);
}

/* The IPv6 side: us 2001:2::2 behind router 2001:2::1. */
static struct prt_neigh scanner6(void)
{
	struct prt_neigh n = scanner();

	prt_parse_ipv6("2001:2::2", &n.our_ip6);
	prt_parse_ipv6("2001:2::1", &n.gw_ip6);
	n.has_ip6 = true;
	n.gw6_wanted = true;
	return n;
}

/* The router's solicitation for our address (built as we build ours). */
static size_t router_solicits(uint8_t *frame, const char *target)
{
	struct prt_neigh router = scanner6();
	struct prt_addr t;

	router.our_mac[5] = 0x01;
	router.our_ip6 = router.gw_ip6;
	prt_parse_ipv6(target, &t);
	return prt_neigh_build_solicit(&router, &t, frame);
}

static uint16_t icmp6_sum(const uint8_t *frame, size_t len)
{
	return prt_csum_fold(prt_csum_add(prt_csum_pseudo6(frame + 22, frame + 38, 58,
		(uint32_t)(len - 54)), frame + 54, len - 54));
}

static void ndp_advertises_our_address(void **state)
{
	struct prt_neigh n = scanner6();
	uint8_t ns[PRT_NEIGH_FRAME_MAX], na[PRT_NEIGH_FRAME_MAX];
	size_t len = router_solicits(ns, "2001:2::2"), rlen = 0;

	(void)state;
	assert_int_equal(len, 14 + 40 + 32);
	assert_int_equal(icmp6_sum(ns, len), 0);
	/* sent to the solicited-node group of the target */
	assert_memory_equal(ns, "\x33\x33\xff\x00\x00\x02", 6);
	assert_int_equal(prt_neigh_input(&n, ns, len, na, &rlen), PRT_NEIGH_REPLY);
	assert_int_equal(rlen, 14 + 40 + 32);
	assert_memory_equal(na, "\x02\x00\x00\x00\x00\x01", 6); /* to the router's MAC */
	assert_int_equal(na[54], 136);                               /* advertisement */
	assert_int_equal(na[54 + 4], 0x60);                          /* solicited, override */
	assert_memory_equal(na + 54 + 8, n.our_ip6.b, 16);
	assert_int_equal(na[21], 255);                               /* hop limit */
	assert_int_equal(icmp6_sum(na, rlen), 0);
	/* and the router learns us: our advertisement resolves it for the peer */
	struct prt_neigh peer = scanner6();
	peer.gw_ip6 = n.our_ip6;
	assert_int_equal(prt_neigh_input(&peer, na, rlen, NULL, &len), PRT_NEIGH_LEARNED);
	assert_true(peer.gw6_known);
	assert_memory_equal(peer.gw_mac6, n.our_mac, 6);
}

static void ndp_hostile_and_foreign_traffic(void **state)
{
	struct prt_neigh n = scanner6();
	uint8_t f[PRT_NEIGH_FRAME_MAX], reply[PRT_NEIGH_FRAME_MAX];
	size_t len, rlen;

	(void)state;
	/* solicitations for other addresses (a flood) are not answered */
	len = router_solicits(f, "2001:2::77");
	assert_int_equal(prt_neigh_input(&n, f, len, reply, &rlen), PRT_NEIGH_IGNORED);
	/* a solicitation that crossed a router (hop limit < 255) is bogus */
	len = router_solicits(f, "2001:2::2");
	f[21] = 64;
	assert_int_equal(prt_neigh_input(&n, f, len, reply, &rlen), PRT_NEIGH_BOGUS);
	/* a bad checksum */
	len = router_solicits(f, "2001:2::2");
	f[len - 1] ^= 1;
	assert_int_equal(prt_neigh_input(&n, f, len, reply, &rlen), PRT_NEIGH_BOGUS);
	/* a router advertisement: counted, nothing learned */
	len = router_solicits(f, "2001:2::2");
	f[54] = 134;
	f[56] = f[57] = 0;
	uint16_t sum = icmp6_sum(f, len);
	memcpy(f + 56, &sum, 2);
	assert_int_equal(prt_neigh_input(&n, f, len, reply, &rlen), PRT_NEIGH_IGNORED);
	assert_false(n.gw6_known);
	/* a zero-length option must not loop: the advertisement falls back to the frame's MAC */
	len = router_solicits(f, "2001:2::1");
	f[54] = 136;
	f[54 + 25] = 0;
	f[56] = f[57] = 0;
	sum = icmp6_sum(f, len);
	memcpy(f + 56, &sum, 2);
	assert_int_equal(prt_neigh_input(&n, f, len, reply, &rlen), PRT_NEIGH_LEARNED);
	/* every truncation of a solicitation is handled */
	len = router_solicits(f, "2001:2::2");
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, f, cut);
		enum prt_neigh_verdict v = prt_neigh_input(&n, copy, cut, reply, &rlen);
		assert_true(v == PRT_NEIGH_BOGUS || v == PRT_NEIGH_NOT_ARP);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_requests_for_our_address),
		cmocka_unit_test(learns_the_gateway),
		cmocka_unit_test(hostile_frames),
		cmocka_unit_test(ndp_advertises_our_address),
		cmocka_unit_test(ndp_hostile_and_foreign_traffic),
	};
	return cmocka_run_group_tests_name("neigh", tests, NULL, NULL);
}
