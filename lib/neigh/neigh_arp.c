/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "prt_neigh.h"
#include "prt_probe.h"

size_t prt_neigh_build_request(const struct prt_neigh *n, uint32_t target_ip, uint8_t *frame)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t zero[6];

	return prt_probe_arp_frame(frame, RTE_ARP_OP_REQUEST, bcast, n->our_mac, n->our_ip, zero, target_ip);
}

enum prt_neigh_verdict prt_neigh_input(struct prt_neigh *n, const uint8_t *frame, size_t len,
	uint8_t *reply, size_t *reply_len)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_arp_hdr *arp = (const struct rte_arp_hdr *)(eth + 1);
	uint32_t sip, tip;

	if (len >= sizeof(*eth) && eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6))
		return prt_neigh_input6(n, frame, len, reply, reply_len);
	if (len < sizeof(*eth) || eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP))
		return PRT_NEIGH_NOT_ARP;
	if (len < sizeof(*eth) + sizeof(*arp) ||
	    arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) || arp->arp_hlen != 6 ||
	    arp->arp_plen != 4)
		return PRT_NEIGH_BOGUS;
	sip = rte_be_to_cpu_32(arp->arp_data.arp_sip);
	tip = rte_be_to_cpu_32(arp->arp_data.arp_tip);

	switch (rte_be_to_cpu_16(arp->arp_opcode)) {
	case RTE_ARP_OP_REQUEST:
		if (tip != n->our_ip || reply == NULL)
			return PRT_NEIGH_IGNORED;
		*reply_len = prt_probe_arp_frame(reply, RTE_ARP_OP_REPLY, arp->arp_data.arp_sha.addr_bytes,
			n->our_mac, n->our_ip, arp->arp_data.arp_sha.addr_bytes, sip);
		return PRT_NEIGH_REPLY;
	case RTE_ARP_OP_REPLY:
		if (n->gw_ip == 0 || sip != n->gw_ip || tip != n->our_ip)
			return PRT_NEIGH_IGNORED;
		if (rte_is_zero_ether_addr(&arp->arp_data.arp_sha) ||
		    rte_is_multicast_ether_addr(&arp->arp_data.arp_sha))
			return PRT_NEIGH_BOGUS;
		memcpy(n->gw_mac, arp->arp_data.arp_sha.addr_bytes, 6);
		n->gw_known = true;
		return PRT_NEIGH_LEARNED;
	default:
		return PRT_NEIGH_IGNORED;
	}
}
