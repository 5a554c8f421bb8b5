/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_CLASSIFY_QUICK_H
#define PRT_CLASSIFY_QUICK_H

/**
 * @file
 * The RX lcore's cheapest path: a reply for a pair that is already answered
 * changes nothing, and a flood of them (forged, replayed, a host that answers
 * every probe twice) must cost little. A plain IPv4/TCP frame of an answered pair
 * is recognised here from its fixed-offset fields, inline in the RX loop,
 * without the parse into a view, the result zeroing and the calls of
 * prt_classify(). Whatever this does not recognise goes to prt_classify(),
 * which may still call it a duplicate (IP options, for one).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "prt_bswap.h"
#include "prt_classify.h"

/** Can prt_cls_quick_duplicate() say yes in this scan? (Once per burst.) */
static inline bool prt_cls_quick_applies(const struct prt_cls_ctx *c)
{
	return c->answered != NULL && !c->sessions && prt_cls_arm_of_proto(c, IPPROTO_TCP) != NULL;
}

/**
 * Is @p frame a TCP reply, other than a SYN-ACK, for a pair already
 * answered? Every length prt_classify() checks is checked, so a frame called
 * a duplicate here is one prt_classify() calls a duplicate too, with one
 * exception: the IPv4 header checksum is not summed. Valid or not, a frame of
 * an answered pair changes nothing (prt_classify() skips the TCP checksum of
 * duplicates for the same reason); only the counter it lands in could differ.
 * Call only when prt_cls_quick_applies().
 */
static inline bool prt_cls_quick_duplicate(const struct prt_cls_ctx *c, const uint8_t *frame,
	size_t len)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)frame;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	const struct rte_tcp_hdr *tcp = (const struct rte_tcp_hdr *)(ip + 1);
	size_t total, tcp_hlen;
	int64_t pair;

	if (len < sizeof(*eth) + sizeof(*ip) + sizeof(*tcp))
		return false;
	total = prt_be16(ip->total_length);
	/* 0x45: IPv4 without options; the offset field's MF and offset bits
	 * make it a fragment (DF may be set) */
	if (eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    ip->version_ihl != 0x45 || ip->next_proto_id != IPPROTO_TCP ||
	    total > len - sizeof(*eth) ||
	    (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG |
						    RTE_IPV4_HDR_OFFSET_MASK)) != 0 ||
	    prt_be32(ip->dst_addr) != c->keys.our_ip)
		return false;
	if (total < sizeof(*ip) + sizeof(*tcp))
		return false;
	tcp_hlen = (size_t)(tcp->data_off >> 4) * 4;
	if (tcp_hlen < sizeof(*tcp) || tcp_hlen > total - sizeof(*ip))
		return false;
	/* a SYN-ACK is verified in full: its reset goes only to a real answer */
	if ((tcp->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_RST_FLAG)) == RTE_TCP_SYN_FLAG)
		return false;
	pair = prt_cls_pair_at(c, prt_target_set_index_of(c->targets, prt_be32(ip->src_addr)),
		prt_cls_port_index(c, prt_be16(tcp->src_port), IPPROTO_TCP));
	return pair >= 0 && prt_cls_is_answered(c, (uint64_t)pair);
}

#endif
