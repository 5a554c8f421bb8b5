/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_TEST_REPLY_FRAME_H
#define PRT_TEST_REPLY_FRAME_H

/* The Ethernet and IPv4 headers of a target's answer, shared by the tests
 * that build answers to classify. */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "prt_csum.h"

/**
 * Write Ethernet (IPv4 type) and an IPv4 header without options from @p src
 * to @p dst (host order) for @p l4_len bytes of @p proto, its checksum right.
 * @return where the L4 header goes (frame + 34); its first bytes are zeroed
 */
static inline uint8_t *test_ipv4_reply(uint8_t *frame, uint32_t src, uint32_t dst,
	uint8_t proto, uint16_t l4_len, uint8_t ttl)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);

	memset(frame, 0, 14 + 20 + 8);
	frame[12] = 0x08;
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4_len));
	ip->time_to_live = ttl;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = rte_cpu_to_be_32(dst);
	ip->hdr_checksum = prt_csum_fold(prt_csum_add(0, ip, 20));
	return frame + 14 + 20;
}

#endif
