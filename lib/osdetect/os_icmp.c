/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fingerprint's ICMP tests (nmap's book, "TCP/IP Fingerprinting Methods
 * Supported by Nmap"): U1, the port unreachable our UDP probe to a closed
 * port draws, judged by how much of the probe it quotes and how faithfully;
 * IE, the two echo replies, judged by their DF bits and codes against the
 * two requests (the first DF with code 9, the second neither). The quote
 * also tells the hop distance: the TTL we sent less the TTL it arrived with.
 */
#include <errno.h>
#include <string.h>

#include "os_packet.h"

/* The IPv4 header checksum of the 20 bytes at @p h, its own field as zero. */
static uint16_t ip_sum(const uint8_t *h)
{
	uint32_t s = 0;

	for (int i = 0; i < 20; i += 2)
		if (i != 10)
			s += be16(h + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The quote inside a port unreachable: the IPv4 header and UDP header we
 * sent, as the host returned them. */
struct quote {
	const uint8_t *ip, *udp, *end;
};

static bool quote_of(const struct ip4 *v, struct quote *q)
{
	const uint8_t *icmp = v->p + v->hlen;
	const uint8_t *end = v->p + v->len;
	size_t qhl;

	if (v->len < v->hlen + 8 + 20 || icmp[0] != 3 || icmp[1] != 3)
		return false;
	q->ip = icmp + 8;
	qhl = (size_t)(q->ip[0] & 0x0f) * 4;
	if (qhl < 20 || q->ip + qhl + 8 > end || q->ip[9] != 17)
		return false;
	q->udp = q->ip + qhl;
	q->end = end;
	return true;
}

int prt_os_u1_distance(const uint8_t *ip, size_t len, const uint8_t *sent)
{
	struct ip4 v;
	struct quote q;

	if (!ip4_view(ip, len, 1, &v) || !quote_of(&v, &q) || q.ip[8] > sent[8])
		return 0;
	return sent[8] - q.ip[8] + 1;
}

bool prt_os_u1_quotes(const uint8_t *ip, size_t len, const uint8_t *sent, size_t sent_len)
{
	const uint8_t *sent_udp = sent + (size_t)(sent[0] & 0x0f) * 4;
	struct ip4 v;
	struct quote q;

	return sent_len >= (size_t)(sent_udp - sent) + 9 && ip4_view(ip, len, 1, &v) &&
		quote_of(&v, &q) && memcmp(q.udp, sent_udp, 4) == 0; /* its ports: our probe's */
}

int prt_os_u1_test(struct prt_os_fp *fp, const uint8_t *ip, size_t len, const uint8_t *sent,
	size_t sent_len, int distance)
{
	const uint8_t *sent_udp = sent + (size_t)(sent[0] & 0x0f) * 4;
	struct ip4 v;
	struct quote q;
	const uint8_t *d;

	if (ip == NULL)
		return prt_os_fp_set(fp, "U1", "R", "N");
	if (!prt_os_u1_quotes(ip, len, sent, sent_len) || !ip4_view(ip, len, 1, &v) ||
	    !quote_of(&v, &q))
		return -EINVAL;
	prt_os_fp_set(fp, "U1", "R", "Y");
	prt_os_fp_set(fp, "U1", "DF", (ip[6] & 0x40) ? "Y" : "N");
	set_ttl(fp, "U1", ip[8], distance);
	set_hex(fp, "U1", "IPL", be16(ip + 2));
	set_hex(fp, "U1", "UN", be32(v.p + v.hlen + 4));
	if (be16(q.ip + 2) == be16(sent + 2))
		prt_os_fp_set(fp, "U1", "RIPL", "G");
	else
		set_hex(fp, "U1", "RIPL", be16(q.ip + 2));
	if (be16(q.ip + 4) == be16(sent + 4))
		prt_os_fp_set(fp, "U1", "RID", "G");
	else
		set_hex(fp, "U1", "RID", be16(q.ip + 4));
	prt_os_fp_set(fp, "U1", "RIPCK", be16(q.ip + 10) == 0 ? "Z" :
		be16(q.ip + 10) == ip_sum(q.ip) ? "G" : "I");
	if (be16(q.udp + 6) == be16(sent_udp + 6))
		prt_os_fp_set(fp, "U1", "RUCK", "G");
	else
		set_hex(fp, "U1", "RUCK", be16(q.udp + 6));
	for (d = q.udp + 8; d < q.end && *d == sent_udp[8]; d++)
		;
	return prt_os_fp_set(fp, "U1", "RUD", d < q.end ? "I" : "G");
}

/* An echo reply's DF bit and code: @return false when it is not one. */
static bool echo_reply(const uint8_t *ip, size_t len, bool *df, uint8_t *code)
{
	struct ip4 v;

	if (!ip4_view(ip, len, 1, &v) || v.len < v.hlen + 8 || v.p[v.hlen] != 0)
		return false;
	*df = (ip[6] & 0x40) != 0;
	*code = v.p[v.hlen + 1];
	return true;
}

int prt_os_ie_test(struct prt_os_fp *fp, const uint8_t *r1, size_t l1, const uint8_t *r2,
	size_t l2, int distance)
{
	bool df1, df2;
	uint8_t c1, c2;

	if (r1 == NULL || r2 == NULL)
		return prt_os_fp_set(fp, "IE", "R", "N");
	if (!echo_reply(r1, l1, &df1, &c1) || !echo_reply(r2, l2, &df2, &c2))
		return -EINVAL;
	prt_os_fp_set(fp, "IE", "R", "Y");
	prt_os_fp_set(fp, "IE", "DFI", df1 && df2 ? "Y" : df1 ? "S" : !df2 ? "N" : "O");
	set_ttl(fp, "IE", r2[8], distance);
	if (c1 == c2 && c1 == 0)
		prt_os_fp_set(fp, "IE", "CD", "Z");
	else if (c1 == c2)
		set_hex(fp, "IE", "CD", c1);
	else
		prt_os_fp_set(fp, "IE", "CD", c1 == 9 && c2 == 0 ? "S" : "O");
	return 0;
}
