/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -PR: ARP discovery on the local segment (RFC 826), nmap's -PR and
 * masscan's --arpscan. Each target gets a broadcast "who has T? tell S";
 * a host on the segment answers with its MAC, which makes it up. A request
 * has no field its reply echoes, so there is no cookie: a reply counts when
 * it is addressed to our address and comes from a target (what nmap checks
 * too). Hosts off the segment never answer: -PR is for the scanner's own
 * network. lib/neigh still answers requests for our address and learns the
 * router's MAC; the classifier hands this module the ARP replies.
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

#include "prt_probe.h"

#define ARP_LEN 28 /* Ethernet/IPv4 ARP: 8 bytes of header, two MAC + IPv4 pairs */

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
	.description = "ARP request on the local segment: a reply is up",
	.proto = PRT_PROTO_ARP,
	.ethertype = RTE_ETHER_TYPE_ARP,
	.silent_state = PRT_STATE_DOWN,
	.reply_state = PRT_STATE_UP,
	.port_unreach_state = PRT_STATE_DOWN,
	.unreach_state = PRT_STATE_DOWN,
	.tmpl_init = arp_tmpl_init,
	.craft = arp_craft,
	.reply = arp_reply,
	.quoted = arp_quoted,
};
