/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 neighbor discovery (RFC 4861), the part a scanner needs: solicit the
 * router's MAC, learn it from its advertisement, and advertise our own
 * address when solicited. NDP arrives straight in ICMPv6 (no extension
 * headers), with hop limit 255 (anything else crossed a router: dropped).
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "prt_csum.h"
#include "prt_neigh.h"

#define ND_RS 133
#define ND_RA 134
#define ND_NS 135
#define ND_NA 136
#define ND_REDIRECT 137
#define OPT_SLLA 1
#define OPT_TLLA 2
#define NA_SOLICITED 0x40
#define NA_OVERRIDE 0x20
#define ETH_LEN 14
#define IP6_LEN 40
#define ND_LEN 24 /* type, code, checksum, flags, target */

/* Ethernet + IPv6 + an NS/NA with one link-layer address option. */
static size_t build_nd(uint8_t *frame, const uint8_t *eth_dst, const uint8_t *our_mac,
	const uint8_t *src, const uint8_t *dst, uint8_t type, uint8_t flags, const uint8_t *target,
	uint8_t opt)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(frame + ETH_LEN);
	uint8_t *nd = frame + ETH_LEN + IP6_LEN;
	const uint16_t plen = ND_LEN + 8;
	uint16_t sum;

	memset(frame, 0, ETH_LEN + IP6_LEN + plen);
	memcpy(eth->dst_addr.addr_bytes, eth_dst, 6);
	memcpy(eth->src_addr.addr_bytes, our_mac, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(plen);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = 255;
	memcpy(ip6->src_addr, src, 16);
	memcpy(ip6->dst_addr, dst, 16);
	nd[0] = type;
	nd[4] = flags;
	memcpy(nd + 8, target, 16);
	nd[ND_LEN] = opt;
	nd[ND_LEN + 1] = 1; /* length in units of 8 bytes */
	memcpy(nd + ND_LEN + 2, our_mac, 6);
	sum = prt_csum_fold(prt_csum_add(prt_csum_pseudo6(src, dst, IPPROTO_ICMPV6, plen), nd,
		plen));
	memcpy(nd + 2, &sum, 2);
	return ETH_LEN + IP6_LEN + plen;
}

size_t prt_neigh_build_solicit(const struct prt_neigh *n, const struct prt_addr *target,
	uint8_t *frame)
{
	/* the solicited-node multicast group of the target and its MAC */
	uint8_t dst[16] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};
	uint8_t mac[6] = {0x33, 0x33, 0xff};

	memcpy(dst + 13, target->b + 13, 3);
	memcpy(mac + 3, target->b + 13, 3);
	return build_nd(frame, mac, n->our_mac, n->our_ip6.b, dst, ND_NS, 0, target->b, OPT_SLLA);
}

/* The link-layer address option of type @p want in [opt, end), or NULL. */
static const uint8_t *find_lla(const uint8_t *opt, const uint8_t *end, uint8_t want)
{
	while (end - opt >= 8) {
		size_t olen = (size_t)opt[1] * 8;
		if (olen == 0 || olen > (size_t)(end - opt))
			return NULL; /* RFC 4861 4.6: a zero length option is invalid */
		if (opt[0] == want && olen >= 8)
			return opt + 2;
		opt += olen;
	}
	return NULL;
}

enum prt_neigh_verdict prt_neigh_input6(struct prt_neigh *n, const uint8_t *frame, size_t len,
	uint8_t *reply, size_t *reply_len)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(frame + ETH_LEN);
	const uint8_t *nd = frame + ETH_LEN + IP6_LEN, *end, *lla;
	size_t plen;

	if (len < ETH_LEN + IP6_LEN + 4 || ip6->proto != IPPROTO_ICMPV6)
		return PRT_NEIGH_NOT_ARP;
	if (nd[0] < ND_RS || nd[0] > ND_REDIRECT)
		return PRT_NEIGH_NOT_ARP; /* other ICMPv6: errors and echo for the classifier */
	plen = rte_be_to_cpu_16(ip6->payload_len);
	if (plen > len - ETH_LEN - IP6_LEN || ip6->hop_limits != 255 || nd[1] != 0)
		return PRT_NEIGH_BOGUS;
	if (prt_csum_fold(prt_csum_add(prt_csum_pseudo6(ip6->src_addr, ip6->dst_addr,
		    IPPROTO_ICMPV6, (uint32_t)plen), nd, plen)) != 0)
		return PRT_NEIGH_BOGUS;
	if (nd[0] != ND_NS && nd[0] != ND_NA)
		return PRT_NEIGH_IGNORED; /* router advertisements and the like */
	if (plen < ND_LEN)
		return PRT_NEIGH_BOGUS;
	end = nd + plen;
	if (nd[0] == ND_NS) {
		static const uint8_t unspecified[16];
		if (!n->has_ip6 || memcmp(nd + 8, n->our_ip6.b, 16) != 0 || reply == NULL)
			return PRT_NEIGH_IGNORED;
		if (memcmp(ip6->src_addr, unspecified, 16) == 0)
			return PRT_NEIGH_IGNORED; /* duplicate address detection: not a peer */
		lla = find_lla(nd + ND_LEN, end, OPT_SLLA);
		*reply_len = build_nd(reply, lla ? lla : eth->src_addr.addr_bytes, n->our_mac,
			n->our_ip6.b, ip6->src_addr, ND_NA, NA_SOLICITED | NA_OVERRIDE, n->our_ip6.b,
			OPT_TLLA);
		return PRT_NEIGH_REPLY;
	}
	if (!n->gw6_wanted || memcmp(nd + 8, n->gw_ip6.b, 16) != 0)
		return PRT_NEIGH_IGNORED;
	lla = find_lla(nd + ND_LEN, end, OPT_TLLA);
	if (lla == NULL)
		lla = eth->src_addr.addr_bytes;
	if (rte_is_zero_ether_addr((const struct rte_ether_addr *)lla) ||
	    rte_is_multicast_ether_addr((const struct rte_ether_addr *)lla))
		return PRT_NEIGH_BOGUS;
	memcpy(n->gw_mac6, lla, 6);
	n->gw6_known = true;
	return PRT_NEIGH_LEARNED;
}
