/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -PR: neighbour discovery on the local segment, nmap's -PR and masscan's
 * --arpscan. An IPv4 target gets a broadcast ARP "who has T? tell S" (RFC
 * 826), an IPv6 one a neighbor solicitation to its solicited-node group
 * (RFC 4861, as nmap sends for IPv6 targets on the segment); a host there
 * answers with its MAC, which makes it up. Neither request has a field its
 * reply echoes, so there is no cookie: a reply counts when it is addressed
 * to our address and names a target (what nmap checks too); an
 * advertisement must also be solicited and carry hop limit 255 (it did not
 * cross a router). Hosts off the segment never answer: -PR is for the
 * scanner's own network. lib/neigh still answers requests for our address
 * and learns the router's MAC; the classifier hands this module the ARP
 * replies and the neighbor advertisements.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "prt_csum.h"
#include "prt_probe.h"

#define ARP_LEN 28 /* Ethernet/IPv4 ARP: 8 bytes of header, two MAC + IPv4 pairs */
#define ND_LEN 24  /* NS/NA: type, code, checksum, flags, target */
#define ND_OPT_LEN 8
#define NA_SOLICITED 0x40

size_t prt_probe_arp_frame(uint8_t *frame, uint16_t op, const uint8_t *eth_dst,
	const uint8_t *sha, uint32_t sip, const uint8_t *tha, uint32_t tip)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);

	memset(frame, 0, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN); /* padded to the minimum */
	memcpy(eth->dst_addr.addr_bytes, eth_dst, 6);
	memcpy(eth->src_addr.addr_bytes, sha, 6);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = 6;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(op);
	memcpy(arp->arp_data.arp_sha.addr_bytes, sha, 6);
	arp->arp_data.arp_sip = rte_cpu_to_be_32(sip);
	memcpy(arp->arp_data.arp_tha.addr_bytes, tha, 6);
	arp->arp_data.arp_tip = rte_cpu_to_be_32(tip);
	return RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
}

size_t prt_probe_nd_frame(uint8_t *frame, const uint8_t *eth_dst, const uint8_t *our_mac,
	const uint8_t *src, const uint8_t *dst, uint8_t type, uint8_t flags, const uint8_t *target,
	uint8_t opt)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)frame;
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(frame + PRT_PROBE_ETH_LEN);
	uint8_t *nd = frame + PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN;
	const uint16_t plen = ND_LEN + ND_OPT_LEN;
	uint16_t sum;

	memset(frame, 0, PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN + plen);
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
	return PRT_PROBE_ETH_LEN + PRT_PROBE_IP6_LEN + plen;
}

size_t prt_probe_ns_frame(uint8_t *frame, const uint8_t *our_mac, const uint8_t *src,
	const uint8_t *target)
{
	/* the solicited-node multicast group of the target and its MAC */
	uint8_t dst[16] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};
	uint8_t mac[6] = {0x33, 0x33, 0xff};

	memcpy(dst + 13, target + 13, 3);
	memcpy(mac + 3, target + 13, 3);
	return prt_probe_nd_frame(frame, mac, our_mac, src, dst, PRT_ND_NS, 0, target,
		PRT_ND_OPT_SLLA);
}

/* A broadcast request from our MAC and address; the target's address is per probe. */
static void arp_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, unknown[6];

	(void)self;
	memset(t, 0, sizeof(*t));
	t->len = (uint16_t)prt_probe_arp_frame(t->frame, RTE_ARP_OP_REQUEST, bcast, p->src_mac,
		p->saddr, unknown, 0);
	t->l4_len = ARP_LEN;
}

static uint16_t arp_craft(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
	uint16_t dport, const struct prt_cookie *c)
{
	uint32_t tpa = rte_cpu_to_be_32(daddr);

	(void)dport;
	(void)c;
	memcpy(frame, t->frame, t->len);
	memcpy(frame + PRT_PROBE_ETH_LEN + 24, &tpa, 4);
	return t->len;
}

/* A solicitation from our MAC and address; the target is per probe. */
static void nd_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	static const uint8_t unknown[16];

	(void)self;
	memset(t, 0, sizeof(*t));
	t->len = (uint16_t)prt_probe_ns_frame(t->frame, p->src_mac, p->saddr6.b, unknown);
	t->l4_len = ND_LEN + ND_OPT_LEN;
}

/* The group, its MAC and the checksum all follow the target: made whole. */
static uint16_t nd_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_addr *daddr, uint16_t dport, const struct prt_cookie *c)
{
	const uint8_t *src = t->frame + PRT_PROBE_ETH_LEN + 8; /* the IPv6 source */

	(void)dport;
	(void)c;
	return (uint16_t)prt_probe_ns_frame(frame, t->frame + 6, src, daddr->b);
}

/* A neighbor advertisement: the classifier gives its target address as the
 * view's source, dst (our address), hop limit and checksum checked. */
static enum prt_cls_verdict nd_reply(const struct prt_probe_ops *self,
	const struct prt_ip_view *v, struct prt_result *r)
{
	const uint8_t *nd = v->l4;

	if (v->l4_len < ND_LEN)
		return PRT_CLS_TRUNCATED;
	if (nd[0] != PRT_ND_NA || nd[1] != 0 || v->ttl != 255)
		return PRT_CLS_BAD_IP_HEADER;
	if (!(nd[4] & NA_SOLICITED))
		return PRT_CLS_UNEXPECTED; /* an unsolicited announcement: not our answer */
	prt_reply_result(r, v, 0, self->proto);
	r->state = self->reply_state;
	r->reason = PRT_REASON_ND_RESPONSE;
	return PRT_CLS_RESULT;
}

/* The classifier's view of an ARP reply: src is its sender's address and
 * l4 the ARP message, dst (our address) checked already. */
static enum prt_cls_verdict arp_reply(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *v, struct prt_result *r,
	struct prt_reply_answer *ans)
{
	static const uint8_t ether_ipv4[6] = {0, 1, 8, 0, 6, 4};
	const uint8_t *arp = v->l4;

	(void)k;
	(void)ans;
	if (v->v6)
		return nd_reply(self, v, r);
	if (v->l4_len < ARP_LEN)
		return PRT_CLS_TRUNCATED;
	if (memcmp(arp, ether_ipv4, sizeof(ether_ipv4)) != 0)
		return PRT_CLS_BAD_IP_HEADER;
	if (arp[6] != 0 || arp[7] != RTE_ARP_OP_REPLY)
		return PRT_CLS_UNEXPECTED; /* a request, someone else's business */
	prt_reply_result(r, v, 0, self->proto);
	r->state = self->reply_state;
	r->reason = PRT_REASON_ARP_RESPONSE;
	return PRT_CLS_RESULT;
}

/* No ICMP error quotes an ARP request. */
static enum prt_cls_verdict arp_quoted(const struct prt_probe_ops *self,
	const struct prt_reply_keys *k, const struct prt_ip_view *q, uint16_t *tport)
{
	(void)self;
	(void)k;
	(void)q;
	*tport = 0;
	return PRT_CLS_UNEXPECTED;
}

const struct prt_probe_ops prt_probe_arp = {
	.name = "arp",
	.flag = "-PR",
	.description = "ARP request (IPv4) or neighbor solicitation (IPv6) on the local "
		"segment: a reply is up",
	.proto = PRT_PROTO_ARP,
	.ethertype = RTE_ETHER_TYPE_ARP,
	.silent_state = PRT_STATE_DOWN,
	.reply_state = PRT_STATE_UP,
	.port_unreach_state = PRT_STATE_DOWN,
	.unreach_state = PRT_STATE_DOWN,
	.tmpl_init = arp_tmpl_init,
	.craft = arp_craft,
	.tmpl_init6 = nd_tmpl_init,
	.craft6 = nd_craft,
	.reply = arp_reply,
	.quoted = arp_quoted,
};
