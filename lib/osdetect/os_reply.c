/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fingerprint's per-answer tests, from the answer's bytes (its IPv4
 * header on) and what the probe carried (format: nmap's book, "TCP/IP
 * Fingerprinting Methods Supported by Nmap"): T1-T7 and ECN (R, DF, T or
 * TG, W, S, A, F, O, RD, Q, CC), the SEQ probes' O1-O6 and W1-W6, U1 (the
 * port unreachable's quote of our UDP probe) and IE (the two echo replies).
 * Every length is checked: a short or bogus answer is refused, not read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os_packet.h"

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

int prt_os_tcp_options(const uint8_t *o, size_t len, char *out, size_t cap)
{
	size_t n = 0, i = 0;
	char part[16];

	out[0] = '\0';
	while (i < len) {
		uint8_t kind = o[i], olen = kind <= 1 ? 1 : (i + 1 < len ? o[i + 1] : 0);
		if (kind > 1 && (olen < 2 || i + olen > len))
			return -EINVAL; /* a length past the header, or below its own two bytes */
		part[0] = '\0';
		if (kind == 0)
			snprintf(part, sizeof(part), "L");
		else if (kind == 1)
			snprintf(part, sizeof(part), "N");
		else if (kind == 2 && olen >= 4)
			snprintf(part, sizeof(part), "M%X", be16(o + i + 2));
		else if (kind == 3 && olen >= 3)
			snprintf(part, sizeof(part), "W%X", o[i + 2]);
		else if (kind == 4)
			snprintf(part, sizeof(part), "S");
		else if (kind == 8 && olen >= 10)
			snprintf(part, sizeof(part), "T%c%c", be32(o + i + 2) ? '1' : '0',
				be32(o + i + 6) ? '1' : '0');
		else if (kind == 2 || kind == 3 || kind == 8)
			return -EINVAL; /* shorter than the option is */
		if (n + strlen(part) >= cap)
			return -ENOSPC;
		memcpy(out + n, part, strlen(part) + 1);
		n += strlen(part);
		if (kind == 0)
			break;
		i += olen;
	}
	return (int)n;
}

/* The TCP header of an answer: @return its length, 0 when not a whole one. */
static size_t tcp_view(const struct ip4 *v, const uint8_t **tcp)
{
	size_t thl;

	if (v->len < v->hlen + 20)
		return 0;
	*tcp = v->p + v->hlen;
	thl = (size_t)((*tcp)[12] >> 4) * 4;
	return thl >= 20 && v->hlen + thl <= v->len ? thl : 0;
}

static const char *flags(uint8_t f, char *s)
{
	static const struct { uint8_t bit; char c; } order[] = {
		{TH_ECE, 'E'}, {TH_URG, 'U'}, {0x10, 'A'}, {0x08, 'P'}, {TH_RST, 'R'},
		{TH_SYN, 'S'}, {TH_FIN, 'F'},
	};
	char *p = s;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (f & order[i].bit)
			*p++ = order[i].c;
	*p = '\0';
	return s;
}

static const char *rel(uint32_t v, uint32_t base, char other_base, char *s)
{
	if (v == 0)
		snprintf(s, 3, "Z");
	else if (v == base)
		snprintf(s, 3, "%c", other_base);
	else if (v == base + 1)
		snprintf(s, 3, "%c+", other_base);
	else
		snprintf(s, 3, "O");
	return s;
}

static uint32_t crc32(const uint8_t *d, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= d[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

int prt_os_tcp_test(struct prt_os_fp *fp, const char *test, const uint8_t *ip, size_t len,
	const struct prt_os_sent *sent, int distance)
{
	const bool t1 = strcmp(test, "T1") == 0, ecn = strcmp(test, "ECN") == 0;
	const uint8_t *tcp;
	struct ip4 v;
	size_t thl;
	char s[64], opts[64];
	int n;

	if (ip == NULL)
		return prt_os_fp_set(fp, test, "R", "N");
	if (!ip4_view(ip, len, 6, &v) || (thl = tcp_view(&v, &tcp)) == 0)
		return -EINVAL;
	prt_os_fp_set(fp, test, "R", "Y");
	prt_os_fp_set(fp, test, "DF", (ip[6] & 0x40) ? "Y" : "N");
	set_ttl(fp, test, ip[8], distance);
	/* nmap's order of the attributes: W, O, CC for ECN; W, S, A, F, O, RD for T2-T7 */
	if (!t1)
		set_hex(fp, test, "W", be16(tcp + 14));
	n = prt_os_tcp_options(tcp + 20, thl - 20, opts, sizeof(opts));
	if (ecn) {
		uint8_t f = tcp[13];
		prt_os_fp_set(fp, test, "O", n > 0 ? opts : "");
		prt_os_fp_set(fp, test, "CC", (f & TH_ECE) && (f & TH_CWR) ? "S" : (f & TH_ECE) ?
			"Y" : !(f & TH_CWR) ? "N" : "O");
	} else {
		prt_os_fp_set(fp, test, "S", rel(be32(tcp + 4), sent->ack, 'A', s));
		prt_os_fp_set(fp, test, "A", rel(be32(tcp + 8), sent->seq, 'S', s));
		prt_os_fp_set(fp, test, "F", flags(tcp[13], s));
		if (!t1)
			prt_os_fp_set(fp, test, "O", n > 0 ? opts : "");
		if ((tcp[13] & TH_RST) && v.len > v.hlen + thl)
			set_hex(fp, test, "RD", crc32(tcp + thl, v.len - v.hlen - thl));
		else
			prt_os_fp_set(fp, test, "RD", "0");
	}
	n = 0;
	if (tcp[12] & 0x0f)                            /* reserved bits not zero */
		s[n++] = 'R';
	if (!(tcp[13] & TH_URG) && be16(tcp + 18) != 0) /* urgent pointer without URG */
		s[n++] = 'U';
	s[n] = '\0';
	return prt_os_fp_set(fp, test, "Q", s);
}

int prt_os_seq_reply(struct prt_os_fp *fp, unsigned probe, const uint8_t *ip, size_t len)
{
	const uint8_t *tcp;
	struct ip4 v;
	size_t thl;
	char attr[4], s[64];
	int n;

	if (probe < 1 || probe > 6 || !ip4_view(ip, len, 6, &v) || (thl = tcp_view(&v, &tcp)) == 0)
		return -EINVAL;
	n = prt_os_tcp_options(tcp + 20, thl - 20, s, sizeof(s));
	snprintf(attr, sizeof(attr), "O%u", probe);
	prt_os_fp_set(fp, "OPS", attr, n > 0 ? s : "");
	snprintf(attr, sizeof(attr), "W%u", probe);
	set_hex(fp, "WIN", attr, be16(tcp + 14));
	return 0;
}
