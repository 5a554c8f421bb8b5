/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sixteen probes of nmap's OS detection, as data (format: nmap's book,
 * "TCP/IP Fingerprinting Methods Supported by Nmap"): six SEQ SYNs whose
 * windows and option orders differ, ECN (a SYN with CWR, ECE and a reserved
 * bit), T2-T7 (odd flag sets to the open and the closed port), U1 (300 'C's
 * to a closed UDP port) and the two echo requests of IE. A probe is built
 * whole, IPv4 header on, checksums included; what differs per host and try
 * (addresses, ports, sequence numbers, IP ID, TTL) comes from the caller.
 */
#include <errno.h>
#include <string.h>

#include "prt_csum.h"
#include "prt_osdetect.h"

#define SYN 0x02
#define ACK 0x10
#define OPT_WS10_MSS265 "\x03\x03\x0a\x01\x02\x04\x01\x09\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x04\x02"

struct tcp_spec {
	uint8_t flags, reserved;  /**< reserved: the low bits of the data offset byte */
	uint16_t window, urgent;
	bool df;
	uint8_t optlen;
	const char *opts;
};

static const struct tcp_spec tcp_specs[] = {
	[PRT_OS_SEQ1] = {SYN, 0, 1, 0, false, 20,
		"\x03\x03\x0a\x01\x02\x04\x05\xb4\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x04\x02"},
	[PRT_OS_SEQ2] = {SYN, 0, 63, 0, false, 20,
		"\x02\x04\x05\x78\x03\x03\x00\x04\x02\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x00"},
	[PRT_OS_SEQ3] = {SYN, 0, 4, 0, false, 20,
		"\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x01\x01\x03\x03\x05\x01\x02\x04\x02\x80"},
	[PRT_OS_SEQ4] = {SYN, 0, 4, 0, false, 16,
		"\x04\x02\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x03\x03\x0a\x00"},
	[PRT_OS_SEQ5] = {SYN, 0, 16, 0, false, 20,
		"\x02\x04\x02\x18\x04\x02\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x03\x03\x0a\x00"},
	[PRT_OS_SEQ6] = {SYN, 0, 512, 0, false, 16,
		"\x02\x04\x01\x09\x04\x02\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00"},
	[PRT_OS_ECN] = {0xc0 | SYN, 0x08, 3, 0xf7f5, false, 12,
		"\x03\x03\x0a\x01\x02\x04\x05\xb4\x04\x02\x01\x01"},
	[PRT_OS_T2] = {0, 0, 128, 0, true, 20, OPT_WS10_MSS265},
	[PRT_OS_T3] = {0x2b, 0, 256, 0, false, 20, OPT_WS10_MSS265},
	[PRT_OS_T4] = {ACK, 0, 1024, 0, true, 20, OPT_WS10_MSS265},
	[PRT_OS_T5] = {SYN, 0, 31337, 0, false, 20, OPT_WS10_MSS265},
	[PRT_OS_T6] = {ACK, 0, 32768, 0, true, 20, OPT_WS10_MSS265},
	[PRT_OS_T7] = {0x29, 0, 65535, 0, false, 20,
		"\x03\x03\x0f\x01\x02\x04\x01\x09\x08\x0a\xff\xff\xff\xff\x00\x00\x00\x00\x04\x02"},
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* A checksum as prt_csum gives it: already in the byte order it is stored in. */
static void put_sum(uint8_t *p, uint16_t stored)
{
	memcpy(p, &stored, 2);
}

static void ip_header(uint8_t *p, const struct prt_os_probe_args *a, uint8_t tos, bool df,
	uint8_t proto, uint16_t len)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[1] = tos;
	put16(p + 2, len);
	put16(p + 4, a->ipid);
	p[6] = df ? 0x40 : 0;
	p[8] = a->ttl;
	p[9] = proto;
	put32(p + 12, a->src);
	put32(p + 16, a->dst);
	put_sum(p + 10, prt_csum_fold(prt_csum_add(0, p, 20)));
}

/* The checksum of an L4 segment after @p ip's header, with the pseudo header. */
static uint16_t l4_sum(const uint8_t *ip, uint8_t proto, uint16_t l4_len)
{
	uint32_t sa, da;

	memcpy(&sa, ip + 12, 4);
	memcpy(&da, ip + 16, 4);
	return prt_csum_fold(prt_csum_add(prt_csum_pseudo4(sa, da, proto, l4_len), ip + 20,
		l4_len));
}

static int tcp_probe(const struct tcp_spec *t, const struct prt_os_probe_args *a, uint8_t *out,
	size_t cap)
{
	const uint16_t l4 = (uint16_t)(20 + t->optlen), len = (uint16_t)(20 + l4);
	uint8_t *tcp = out + 20;

	if (cap < len)
		return -ENOSPC;
	ip_header(out, a, 0, t->df, 6, len);
	memset(tcp, 0, 20);
	put16(tcp, a->sport);
	put16(tcp + 2, a->dport);
	put32(tcp + 4, a->seq);
	put32(tcp + 8, a->ack);
	tcp[12] = (uint8_t)((l4 / 4) << 4 | t->reserved);
	tcp[13] = t->flags;
	put16(tcp + 14, t->window);
	put16(tcp + 18, t->urgent);
	memcpy(tcp + 20, t->opts, t->optlen);
	put_sum(tcp + 16, l4_sum(out, 6, l4));
	return len;
}

/* IE: the first request DF with code 9 and 120 zero bytes, the second with
 * TOS 4, code 0, 150 bytes, the next sequence number and identifier. */
static int echo_probe(bool second, const struct prt_os_probe_args *a, uint8_t *out, size_t cap)
{
	const uint16_t data = second ? 150 : 120, len = (uint16_t)(20 + 8 + data);
	uint8_t *icmp = out + 20;

	if (cap < len)
		return -ENOSPC;
	ip_header(out, a, second ? 4 : 0, !second, 1, len);
	memset(icmp, 0, 8u + data);
	icmp[0] = 8;
	icmp[1] = second ? 0 : 9;
	put16(icmp + 4, a->icmp_id);
	put16(icmp + 6, a->icmp_seq);
	put_sum(icmp + 2, prt_csum_fold(prt_csum_add(0, icmp, 8u + data)));
	return len;
}

/* U1: 300 bytes of 'C' to a closed UDP port (the quote shows what the host kept). */
static int udp_probe(const struct prt_os_probe_args *a, uint8_t *out, size_t cap)
{
	const uint16_t l4 = 8 + 300, len = 20 + l4;
	uint8_t *udp = out + 20;
	uint16_t sum;

	if (cap < len)
		return -ENOSPC;
	ip_header(out, a, 0, false, 17, len);
	put16(udp, a->sport);
	put16(udp + 2, a->dport);
	put16(udp + 4, l4);
	put16(udp + 6, 0);
	memset(udp + 8, 'C', 300);
	sum = l4_sum(out, 17, l4);
	put_sum(udp + 6, sum ? sum : 0xffff); /* zero would mean "no checksum" */
	return len;
}

int prt_os_probe_build(enum prt_os_probe p, const struct prt_os_probe_args *a, uint8_t *out,
	size_t cap)
{
	if (p == PRT_OS_IE1 || p == PRT_OS_IE2)
		return echo_probe(p == PRT_OS_IE2, a, out, cap);
	if (p == PRT_OS_U1)
		return udp_probe(a, out, cap);
	if ((unsigned)p >= sizeof(tcp_specs) / sizeof(tcp_specs[0]) || tcp_specs[p].opts == NULL)
		return -EINVAL;
	return tcp_probe(&tcp_specs[p], a, out, cap);
}
