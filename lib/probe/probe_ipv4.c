/* SPDX-License-Identifier: BSD-3-Clause */
/* The Ethernet + IPv4 part of every probe template, and its per-probe patch. */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>

#include "prt_csum.h"
#include "prt_probe.h"

void prt_probe_ipv4_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t proto, uint16_t l4_len)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)t->frame;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(t->frame + PRT_PROBE_ETH_LEN);
	const struct prt_udp_payloads *udp = t->udp; /* kept: the caller set it */

	memset(t, 0, sizeof(*t));
	t->udp = udp;
	t->l4_len = l4_len;
	t->len = (uint16_t)(PRT_PROBE_ETH_LEN + PRT_PROBE_IP_LEN + l4_len);
	memcpy(eth->dst_addr.addr_bytes, p->dst_mac, 6);
	memcpy(eth->src_addr.addr_bytes, p->src_mac, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(PRT_PROBE_IP_LEN + l4_len));
	ip->time_to_live = p->ttl;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(p->saddr);
	/* id, dst_addr and the checksum are per probe: zero in the sum */
	t->ip_sum = prt_csum_add(0, ip, PRT_PROBE_IP_LEN);
	t->hw_cksum = p->hw_cksum;
}
