/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SEQ, the test of a host's sequence generators (nmap's book, "TCP/IP
 * Fingerprinting Methods Supported by Nmap"): from the six SYN-ACKs to the
 * SEQ probes sent 100 ms apart, the ISNs' greatest common divisor (GCD),
 * rate (ISR, 8 log2 of the mean increments per second) and predictability
 * (SP, 8 log2 of their standard deviation), the TCP timestamp clock (TS);
 * and the IP ID sequence classes of the open port's answers (TI), the
 * closed port's (CI, from T5-T7) and the echo replies' (II), and whether TCP
 * and ICMP share one counter (SS). The arithmetic is nmap's, down to its
 * single-precision rates and 32-bit modular differences.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "os_packet.h"

enum ipid_class { ID_UNKNOWN, ID_ZERO, ID_RANDOM, ID_CONSTANT, ID_RPI, ID_BROKEN, ID_INCR2,
	ID_INCR };

enum ts_class { TS_UNKNOWN, TS_UNSUPPORTED, TS_ZERO };

/* The smaller of the two ways round the 32-bit circle. */
static uint32_t mod_diff(uint32_t a, uint32_t b)
{
	return a - b < b - a ? a - b : b - a;
}

static uint32_t gcd_all(const uint32_t *v, unsigned n)
{
	uint32_t a = n ? v[0] : 1;

	for (unsigned i = 1; i < n; i++) {
		uint32_t b = v[i];
		while (b != 0) {
			uint32_t c = a % b;
			a = b;
			b = c;
		}
	}
	return a;
}

static enum ipid_class ipid_class(const uint16_t *ids, unsigned n)
{
	uint32_t d[PRT_OS_SEQ_PROBES] = {0};
	bool zero = true, all0 = true, under10 = true, by256 = true, even = true;

	for (unsigned i = 1; i < n; i++) {
		uint32_t raw = (uint32_t)ids[i] - (uint32_t)ids[i - 1];
		if (n > 2 && raw > 20000)
			return ID_RANDOM;
		zero = zero && ids[i] == 0 && ids[i - 1] == 0;
		d[i - 1] = raw & 0xffff;
	}
	if (zero)
		return ID_ZERO;
	for (unsigned i = 0; i + 1 < n; i++)
		all0 = all0 && d[i] == 0;
	if (all0)
		return ID_CONSTANT;
	for (unsigned i = 0; i + 1 < n; i++)
		if (d[i] > 1000 && (d[i] % 256 != 0 || d[i] >= 25600))
			return ID_RPI;
	for (unsigned i = 0; i + 1 < n; i++) {
		by256 = by256 && d[i] <= 5120 && d[i] % 256 == 0;
		even = even && d[i] % 2 == 0;
		under10 = under10 && d[i] <= 9;
	}
	return by256 ? ID_BROKEN : even ? ID_INCR2 : under10 ? ID_INCR : ID_UNKNOWN;
}

static void set_ipid(struct prt_os_fp *fp, const char *attr, enum ipid_class c, uint16_t first)
{
	static const char *const names[] = {
		[ID_ZERO] = "Z", [ID_RANDOM] = "RD", [ID_RPI] = "RI", [ID_BROKEN] = "BI",
		[ID_INCR2] = "I", [ID_INCR] = "I",
	};

	if (c == ID_CONSTANT)
		set_hex(fp, "SEQ", attr, first);
	else if (c != ID_UNKNOWN)
		prt_os_fp_set(fp, "SEQ", attr, names[c]);
}

int prt_os_seq_add(struct prt_os_seq *s, unsigned probe, uint64_t sent_us, const uint8_t *ip,
	size_t len)
{
	const uint8_t *tcp, *o;
	struct ip4 v;
	size_t thl, i;
	struct prt_os_seq_answer *a;

	if (probe < 1 || probe > PRT_OS_SEQ_PROBES || s->n == PRT_OS_SEQ_PROBES ||
	    !ip4_view(ip, len, 6, &v) || v.len < v.hlen + 20)
		return -EINVAL;
	tcp = v.p + v.hlen;
	thl = (size_t)(tcp[12] >> 4) * 4;
	if (thl < 20 || v.hlen + thl > v.len || (tcp[13] & 0x12) != 0x12) /* a SYN-ACK */
		return -EINVAL;
	a = &s->a[s->n++];
	memset(a, 0, sizeof(*a));
	a->probe = (uint8_t)probe;
	a->sent_us = sent_us;
	a->isn = be32(tcp + 4);
	a->ipid = be16(ip + 4);
	for (o = tcp + 20, i = 0; i < thl - 20;) { /* the timestamp option, if any */
		uint8_t kind = o[i], olen = kind <= 1 ? 1 : (i + 1 < thl - 20 ? o[i + 1] : 0);
		if (kind == 0 || (kind > 1 && (olen < 2 || i + olen > thl - 20)))
			break;
		if (kind == 8 && olen >= 10) {
			a->has_ts = true;
			a->tsval = be32(o + i + 2);
		}
		i += olen;
	}
	return 0;
}

/* GCD, ISR and SP from four answers or more. */
static void isn_tests(struct prt_os_fp *fp, const struct prt_os_seq *s)
{
	uint32_t diffs[PRT_OS_SEQ_PROBES] = {0};
	float rates[PRT_OS_SEQ_PROBES] = {0};
	double avg = 0, sd = 0;
	unsigned n = s->n, isr = 0, sp = 0;
	uint32_t gcd, div;

	for (unsigned j = 1; j < n; j++) {
		uint64_t us = s->a[j].sent_us - s->a[j - 1].sent_us;
		diffs[j - 1] = mod_diff(s->a[j].isn, s->a[j - 1].isn);
		rates[j - 1] = (float)(diffs[j - 1] * 1000000.0 / (double)(us ? us : 1));
		avg += rates[j - 1];
	}
	avg /= n - 1;
	gcd = gcd_all(diffs, n - 1);
	if (gcd != 0) {
		isr = (unsigned)(log(avg) / log(2.0) * 8 + 0.5);
		div = gcd > 9 ? gcd : 1;
		for (unsigned i = 0; i + 1 < n; i++) {
			double r = rates[i] / div - avg / div;
			sd += r * r;
		}
		sd = sqrt(sd / (n - 2));
		sp = sd <= 1 ? 0 : (unsigned)(log(sd) / log(2.0) * 8 + 0.5);
	}
	set_hex(fp, "SEQ", "SP", sp);
	set_hex(fp, "SEQ", "GCD", gcd);
	set_hex(fp, "SEQ", "ISR", isr);
}

/* TS: the timestamp clock's rate in nmap's classes. */
static void ts_test(struct prt_os_fp *fp, const struct prt_os_seq *s)
{
	enum ts_class c = TS_UNKNOWN;
	double hz = 0;

	for (unsigned i = 0; i < s->n; i++)
		if (!s->a[i].has_ts)
			c = TS_UNSUPPORTED;
		else if (s->a[i].tsval == 0)
			c = TS_ZERO;
	if (c != TS_UNKNOWN) {
		prt_os_fp_set(fp, "SEQ", "TS", c == TS_ZERO ? "0" : "U");
		return;
	}
	if (s->n < 2)
		return;
	for (unsigned i = 1; i < s->n; i++) {
		uint64_t us = s->a[i].sent_us - s->a[i - 1].sent_us;
		hz += mod_diff(s->a[i].tsval, s->a[i - 1].tsval) / ((us ? us : 1) / 1000000.0) /
			(s->n - 1);
	}
	if (hz <= 0)
		return;
	set_hex(fp, "SEQ", "TS", hz <= 5.66 ? 1 : hz > 70 && hz <= 150 ? 7 :
		hz > 150 && hz <= 350 ? 8 : (unsigned)(0.5 + log(hz) / log(2.0)));
}

static bool incrementing(enum ipid_class c)
{
	return c == ID_INCR || c == ID_BROKEN || c == ID_RPI;
}

void prt_os_seq_test(struct prt_os_fp *fp, const struct prt_os_seq *s)
{
	uint16_t tcp_ids[PRT_OS_SEQ_PROBES];
	enum ipid_class ti = ID_UNKNOWN, ci = ID_UNKNOWN, ii = ID_UNKNOWN;

	if (s->n > PRT_OS_SEQ_PROBES)
		return;
	if (s->n >= 4)
		isn_tests(fp, s);
	for (unsigned i = 0; i < s->n; i++)
		tcp_ids[i] = s->a[i].ipid;
	if (s->n >= 3)
		ti = ipid_class(tcp_ids, s->n);
	if (s->nclosed >= 2)
		ci = ipid_class(s->closed_ipid, s->nclosed < 3 ? s->nclosed : 3);
	if (s->nicmp >= 2)
		ii = ipid_class(s->icmp_ipid, 2);
	set_ipid(fp, "TI", ti, tcp_ids[0]);
	set_ipid(fp, "CI", ci, s->closed_ipid[0]);
	set_ipid(fp, "II", ii, s->icmp_ipid[0]);
	if (incrementing(ti) && incrementing(ii)) {
		uint32_t avg = ((uint32_t)tcp_ids[s->n - 1] - tcp_ids[0]) / (s->n - 1);
		prt_os_fp_set(fp, "SEQ", "SS",
			s->icmp_ipid[0] < (uint32_t)tcp_ids[s->n - 1] + 3 * avg ? "S" : "O");
	}
	ts_test(fp, s);
}
