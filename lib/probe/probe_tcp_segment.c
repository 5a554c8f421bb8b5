/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The segments of a connection (lib/tcp): any flags, window and payload, on
 * the Ethernet and IP header of the family's 20-byte TCP template. They are
 * few next to the probes, so every checksum is computed whole.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "prt_csum.h"
#include "prt_probe.h"

uint16_t prt_probe_tcp_segment(const struct prt_probe_tmpl *t, uint8_t *frame, size_t cap,
	const struct prt_addr *daddr, const struct prt_tcp_fields *f, uint8_t flags, uint16_t win,
	uint16_t mss, const uint8_t *data, uint16_t len)
{
	const bool v6 = t->frame[12] == 0x86 && t->frame[13] == 0xdd;
	const size_t ip_len = v6 ? PRT_PROBE_IP6_LEN : PRT_PROBE_IP_LEN;
	const uint16_t hlen = (uint16_t)(sizeof(struct rte_tcp_hdr) + (mss ? 4 : 0));
	const uint16_t l4_len = (uint16_t)(hlen + len);
	uint8_t *ip = frame + PRT_PROBE_ETH_LEN;
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + ip_len);
	uint32_t phdr;

	if (PRT_PROBE_ETH_LEN + ip_len + l4_len > cap)
		return 0;
	memcpy(frame, t->frame, PRT_PROBE_ETH_LEN + ip_len);
	if (v6) {
		struct rte_ipv6_hdr *h = (struct rte_ipv6_hdr *)ip;
		h->payload_len = rte_cpu_to_be_16(l4_len);
		memcpy(h->dst_addr, daddr->b, 16);
		phdr = prt_csum_pseudo6(h->src_addr, h->dst_addr, IPPROTO_TCP, l4_len);
	} else {
		struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;
		h->total_length = rte_cpu_to_be_16((uint16_t)(ip_len + l4_len));
		h->packet_id = rte_cpu_to_be_16(f->ip_id);
		h->dst_addr = rte_cpu_to_be_32(prt_addr_v4(daddr));
		h->hdr_checksum = 0;
		h->hdr_checksum = prt_csum_fold(prt_csum_add(0, h, ip_len));
		phdr = prt_csum_pseudo4(h->src_addr, h->dst_addr, IPPROTO_TCP, l4_len);
	}
	memset(tcp, 0, sizeof(*tcp));
	tcp->src_port = rte_cpu_to_be_16(f->sport);
	tcp->dst_port = rte_cpu_to_be_16(f->dport);
	tcp->sent_seq = rte_cpu_to_be_32(f->seq);
	tcp->recv_ack = rte_cpu_to_be_32(f->ack);
	tcp->data_off = (uint8_t)((hlen / 4) << 4);
	tcp->tcp_flags = flags;
	tcp->rx_win = rte_cpu_to_be_16(win);
	if (mss) {
		uint8_t *opt = (uint8_t *)(tcp + 1);
		opt[0] = 2; /* MSS */
		opt[1] = 4;
		opt[2] = (uint8_t)(mss >> 8);
		opt[3] = (uint8_t)mss;
	}
	if (len > 0)
		memcpy((uint8_t *)tcp + hlen, data, len);
	tcp->cksum = prt_csum_fold(prt_csum_add(phdr, tcp, l4_len));
	return (uint16_t)(PRT_PROBE_ETH_LEN + ip_len + l4_len);
}
