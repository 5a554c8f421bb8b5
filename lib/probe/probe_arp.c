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

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "prt_probe.h"

#define ARP_LEN 28 /* Ethernet/IPv4 ARP: 8 bytes of header, two MAC + IPv4 pairs */
#define ARP_REQUEST 1
#define ARP_REPLY 2

/* Broadcast, from our MAC; the request's constant fields, our MAC and address. */
static void arp_tmpl_init(const struct prt_probe_ops *self, struct prt_probe_tmpl *t,
	const struct prt_probe_params *p)
{
	static const uint8_t head[8] = {0, 1, 8, 0, 6, 4, 0, ARP_REQUEST};
	uint8_t *arp = t->frame + PRT_PROBE_ETH_LEN;
	uint32_t spa = rte_cpu_to_be_32(p->saddr);

	(void)self;
	memset(t, 0, sizeof(*t));
	memset(t->frame, 0xff, 6);
	memcpy(t->frame + 6, p->src_mac, 6);
	t->frame[12] = RTE_ETHER_TYPE_ARP >> 8;
	t->frame[13] = RTE_ETHER_TYPE_ARP & 0xff;
	memcpy(arp, head, sizeof(head));
	memcpy(arp + 8, p->src_mac, 6);
	memcpy(arp + 14, &spa, 4);
	/* the target MAC (unknown: 0) and address; then padding to Ethernet's minimum */
	t->l4_len = ARP_LEN;
	t->len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;
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
	if (arp[6] != 0 || arp[7] != ARP_REPLY)
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
