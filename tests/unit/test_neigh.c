/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "cmocka_common.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_requests_for_our_address),
		cmocka_unit_test(learns_the_gateway),
		cmocka_unit_test(hostile_frames),
	};
	return cmocka_run_group_tests_name("neigh", tests, NULL, NULL);
}
