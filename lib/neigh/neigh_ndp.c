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
#include "prt_probe.h"

#define ND_RS 133
#define ND_RA 134
#define ND_NS PRT_ND_NS
#define ND_NA PRT_ND_NA
#define ND_REDIRECT 137
#define OPT_SLLA PRT_ND_OPT_SLLA
#define OPT_TLLA PRT_ND_OPT_TLLA
#define NA_SOLICITED 0x40
#define NA_OVERRIDE 0x20
#define ETH_LEN 14
#define IP6_LEN 40
#define ND_LEN 24 /* type, code, checksum, flags, target */

size_t prt_neigh_build_solicit(const struct prt_neigh *n, const struct prt_addr *target,
	uint8_t *frame)
{
	return prt_probe_ns_frame(frame, n->our_mac, n->our_ip6.b, target->b);
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
		*reply_len = prt_probe_nd_frame(reply, lla ? lla : eth->src_addr.addr_bytes,
			n->our_mac, n->our_ip6.b, ip6->src_addr, ND_NA, NA_SOLICITED | NA_OVERRIDE,
			n->our_ip6.b, OPT_TLLA);
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
