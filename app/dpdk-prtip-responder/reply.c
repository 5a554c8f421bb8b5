/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replies are written into fresh frames: a SYN-ACK or RST-ACK of 54 bytes,
 * an ICMP port unreachable quoting the probe's IP header and 8 bytes, as
 * the kernel's answers look to the scanner.
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "reply.h"

#define ETH sizeof(struct rte_ether_hdr)
#define IP4 sizeof(struct rte_ipv4_hdr)
#define TCP sizeof(struct rte_tcp_hdr)

bool rsp_parse_syn(const uint8_t *d, uint16_t len, struct rsp_probe *p)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)d;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(d + ETH);
	const struct rte_tcp_hdr *tcp;
	uint16_t ihl;

	if (len < ETH + IP4 || eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		return false;
	ihl = (uint16_t)((ip->version_ihl & 0xf) * 4);
	if ((ip->version_ihl >> 4) != 4 || ihl < IP4 || len < ETH + ihl + TCP ||
	    ip->next_proto_id != IPPROTO_TCP)
		return false;
	tcp = (const struct rte_tcp_hdr *)(d + ETH + ihl);
	*p = (struct rsp_probe){
		.frame = d,
		.ip_len = ihl,
		.saddr = rte_be_to_cpu_32(ip->src_addr),
		.daddr = rte_be_to_cpu_32(ip->dst_addr),
		.sport = rte_be_to_cpu_16(tcp->src_port),
		.dport = rte_be_to_cpu_16(tcp->dst_port),
		.seq = rte_be_to_cpu_32(tcp->sent_seq),
		.flags = tcp->tcp_flags,
	};
	return (p->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG;
}

/* Ethernet and IPv4 headers of a frame back to the probe's sender. */
static struct rte_ipv4_hdr *reply_headers(const struct rsp_probe *p, uint8_t *out, uint8_t proto,
	uint16_t ip_total)
{
	const struct rte_ether_hdr *in = (const struct rte_ether_hdr *)p->frame;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)out;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(out + ETH);

	rte_ether_addr_copy(&in->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&in->dst_addr, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, IP4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(ip_total);
	ip->time_to_live = 57;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(p->daddr);
	ip->dst_addr = rte_cpu_to_be_32(p->saddr);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return ip;
}

static uint16_t tcp_reply(const struct rsp_world *w, enum rsp_verdict v, const struct rsp_probe *p,
	bool bad_checksum, bool forged, uint8_t *out)
{
	struct rte_ipv4_hdr *ip = reply_headers(p, out, IPPROTO_TCP, IP4 + TCP);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(out + ETH + IP4);
	const bool open = v == RSP_OPEN || forged;

	memset(tcp, 0, TCP);
	tcp->src_port = rte_cpu_to_be_16(p->dport);
	tcp->dst_port = rte_cpu_to_be_16(p->sport);
	tcp->sent_seq = rte_cpu_to_be_32(open ? (uint32_t)rsp_pair_hash(w, p->daddr, p->dport, 9) :
		0);
	/* a forged SYN-ACK acknowledges a sequence number the probe did not carry */
	tcp->recv_ack = rte_cpu_to_be_32(p->seq + (forged ? 0x9e3779b9u : 1u));
	tcp->data_off = (TCP / 4) << 4;
	tcp->tcp_flags = open ? RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG :
		RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG;
	tcp->rx_win = rte_cpu_to_be_16(open ? 64240 : 0);
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	if (bad_checksum)
		tcp->cksum ^= 0x5a5a;
	return ETH + IP4 + TCP;
}

static uint16_t icmp_reply(const struct rsp_probe *p, bool bad_checksum, uint8_t *out)
{
	const uint16_t quoted = (uint16_t)(p->ip_len + 8);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(out + ETH + IP4);
	uint8_t *body = (uint8_t *)(icmp + 1);

	reply_headers(p, out, IPPROTO_ICMP, (uint16_t)(IP4 + sizeof(*icmp) + quoted));
	memset(icmp, 0, sizeof(*icmp));
	icmp->icmp_type = 3; /* destination unreachable */
	icmp->icmp_code = 3; /* port unreachable */
	memcpy(body, p->frame + ETH, quoted);
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, sizeof(*icmp) + quoted);
	if (bad_checksum)
		icmp->icmp_cksum ^= 0x5a5a;
	return (uint16_t)(ETH + IP4 + sizeof(*icmp) + quoted);
}

uint16_t rsp_reply(const struct rsp_world *w, enum rsp_verdict v, const struct rsp_probe *p,
	bool bad_checksum, bool forged, uint8_t *out)
{
	if (v == RSP_UNREACH && !forged)
		return icmp_reply(p, bad_checksum, out);
	return tcp_reply(w, v, p, bad_checksum, forged, out);
}

uint16_t rsp_garbage(const struct rsp_world *w, const struct rsp_probe *p, uint8_t *out)
{
	uint64_t h = rsp_pair_hash(w, p->daddr, p->dport, 77);
	struct rte_ipv4_hdr *ip = reply_headers(p, out, IPPROTO_TCP, IP4 + TCP);
	uint16_t len;

	/* a header that claims more than the frame holds, a bogus IHL or a
	 * frame cut inside the TCP header, chosen per pair */
	switch (h % 3) {
	case 0:
		ip->total_length = rte_cpu_to_be_16(1400);
		len = ETH + IP4 + TCP;
		break;
	case 1:
		ip->version_ihl = 0x4f;
		len = ETH + IP4 + TCP;
		break;
	default:
		len = (uint16_t)(ETH + IP4 + (h >> 8) % TCP);
		break;
	}
	for (uint16_t i = ETH + IP4; i < len; i++)
		out[i] = (uint8_t)(h >> (8 * (i % 8)));
	return len;
}

uint16_t rsp_arp_reply(const uint8_t *d, uint16_t len, const uint8_t mac[6], uint8_t *out)
{
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)d;
	const struct rte_arp_hdr *req = (const struct rte_arp_hdr *)(d + ETH);
	struct rte_ether_hdr *oeth = (struct rte_ether_hdr *)out;
	struct rte_arp_hdr *rep = (struct rte_arp_hdr *)(out + ETH);

	if (len < ETH + sizeof(*req) || eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP) ||
	    req->arp_opcode != rte_cpu_to_be_16(RTE_ARP_OP_REQUEST))
		return 0;
	rte_ether_addr_copy(&eth->src_addr, &oeth->dst_addr);
	memcpy(&oeth->src_addr, mac, 6);
	oeth->ether_type = eth->ether_type;
	*rep = *req;
	rep->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	memcpy(&rep->arp_data.arp_sha, mac, 6);
	rep->arp_data.arp_sip = req->arp_data.arp_tip;
	rep->arp_data.arp_tha = req->arp_data.arp_sha;
	rep->arp_data.arp_tip = req->arp_data.arp_sip;
	return (uint16_t)(ETH + sizeof(*rep));
}
