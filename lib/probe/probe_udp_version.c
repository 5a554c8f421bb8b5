/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV over UDP: nmap-service-probes' UDP probes to a port, every one from a
 * source port of its own, so that an answer names the probe it answers
 * without any state: probe k of a port's plan leaves from the port after
 * the -sU probe's cookie port, k + 1 further on in the source range. The
 * -sU probe's own port is never one of them, so a late answer to the port
 * scan is not taken for a version probe's.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "prt_csum.h"
#include "prt_probe.h"
#include "prt_reply.h"

#define UDP_HDR 8

/* How far @p sport is from @p cookie_port in the source range, going up and around. */
static uint32_t offset_of(const struct prt_reply_keys *k, uint16_t sport, uint16_t cookie_port)
{
	uint32_t at = (uint32_t)(sport - k->sport_base), from = (uint32_t)(cookie_port -
		k->sport_base);

	return (at + k->sport_count - from) % k->sport_count;
}

uint16_t prt_udpv_sport(const struct prt_reply_keys *k, const struct prt_addr *dst,
	uint16_t dport, uint32_t idx)
{
	struct prt_cookie c = prt_reply_cookie(k, dst, dport, IPPROTO_UDP);
	uint32_t from = (uint32_t)(c.sport - k->sport_base);

	return (uint16_t)(k->sport_base + (from + 1 + idx) % k->sport_count);
}

int prt_udpv_answer(const struct prt_reply_keys *k, const struct prt_ip_view *v,
	uint32_t nmax, uint16_t *dport, const uint8_t **data, size_t *len)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)v->l4;
	uint16_t ours;
	uint32_t off;

	if (v->proto != IPPROTO_UDP || prt_probe_udp_check(v) != PRT_CLS_RESULT)
		return -1;
	ours = prt_be16(udp->dst_port);
	if (ours < k->sport_base || (uint32_t)(ours - k->sport_base) >= k->sport_count)
		return -1;
	*dport = prt_be16(udp->src_port);
	off = offset_of(k, ours, prt_reply_cookie(k, &v->src, *dport, IPPROTO_UDP).sport);
	if (off == 0 || off > nmax)
		return -1;
	*data = (const uint8_t *)(udp + 1);
	*len = prt_be16(udp->dgram_len) - UDP_HDR;
	return (int)(off - 1);
}

/* UDP header, payload and checksum at @p udp; @p sum: the pseudo header but its length. */
static uint16_t put_udp(struct rte_udp_hdr *udp, uint16_t sport, uint16_t dport,
	const uint8_t *data, uint16_t len, uint32_t sum)
{
	uint16_t udp_len = (uint16_t)(UDP_HDR + len), cksum;

	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16(udp_len);
	udp->dgram_cksum = 0;
	memcpy(udp + 1, data, len);
	/* the length twice: in the pseudo header and in the UDP header */
	sum += (uint32_t)udp->dgram_len + udp->dgram_len + udp->src_port + udp->dst_port;
	cksum = prt_csum_fold(prt_csum_add(sum, data, len));
	udp->dgram_cksum = cksum == 0 ? 0xffff : cksum; /* 0 would mean "no checksum" */
	return udp_len;
}

uint16_t prt_udpv_craft(const struct prt_probe_tmpl *t, uint8_t *frame, size_t cap,
	const struct prt_addr *dst, uint16_t sport, uint16_t dport, uint16_t ip_id,
	const uint8_t *data, uint16_t len)
{
	const bool v4 = prt_addr_is_v4(dst);
	const size_t ip_len = v4 ? PRT_PROBE_IP_LEN : PRT_PROBE_IP6_LEN;
	uint8_t *l3 = frame + PRT_PROBE_ETH_LEN;
	uint16_t udp_len;

	if (PRT_PROBE_ETH_LEN + ip_len + UDP_HDR + (size_t)len > cap)
		return 0;
	if (v4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;
		uint32_t daddr_be = rte_cpu_to_be_32(prt_addr_v4(dst));
		uint16_t id = rte_cpu_to_be_16(ip_id), total;

		prt_probe_ipv4_craft(t, frame, daddr_be, id);
		udp_len = put_udp((struct rte_udp_hdr *)(ip + 1), sport, dport, data, len,
			prt_csum_add32(t->phdr_sum, daddr_be));
		total = rte_cpu_to_be_16((uint16_t)(PRT_PROBE_IP_LEN + udp_len));
		ip->total_length = total;
		ip->hdr_checksum = prt_csum_fold(prt_csum_add32(t->ip_sum + id + total, daddr_be));
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)l3;
		uint32_t dsum = prt_probe_ipv6_craft(t, frame, dst);

		udp_len = put_udp((struct rte_udp_hdr *)(ip6 + 1), sport, dport, data, len,
			t->phdr_sum + dsum);
		ip6->payload_len = rte_cpu_to_be_16(udp_len);
	}
	return (uint16_t)(PRT_PROBE_ETH_LEN + ip_len + udp_len);
}
