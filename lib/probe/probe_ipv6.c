/* SPDX-License-Identifier: BSD-3-Clause */
/* The Ethernet + IPv6 part of the IPv6 probe templates, and its per-probe patch. */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>

#include "prt_csum.h"
#include "prt_probe.h"

void prt_probe_ipv6_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t nh, uint16_t l4_len)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)t->frame;
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(t->frame + PRT_PROBE_ETH_LEN);
	const struct prt_udp_payloads *udp = t->udp; /* kept: the caller set it */

	memset(t, 0, sizeof(*t));
	t->udp = udp;
	t->l4_len = l4_len;
	t->len = (uint16_t)(PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN + l4_len);
	memcpy(eth->dst_addr.addr_bytes, p->dst_mac6, 6);
	memcpy(eth->src_addr.addr_bytes, p->src_mac, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(l4_len);
	ip6->proto = nh;
	ip6->hop_limits = p->ttl;
	memcpy(ip6->src_addr, p->saddr6.b, 16);
}
