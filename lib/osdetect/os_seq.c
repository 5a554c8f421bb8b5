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
 *
 * The same answers make the report nmap gives beside the fingerprint: the
 * ISNs and their predictability index, the IP ID and timestamp classes in
 * words, and the uptime the timestamp clock implies.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "os_packet.h"

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

static enum prt_os_ipid_class ipid_class(const uint16_t *ids, unsigned n)
{
	uint32_t d[PRT_OS_SEQ_PROBES] = {0};
	bool zero = true, all0 = true, under10 = true, by256 = true, even = true;

	for (unsigned i = 1; i < n; i++) {
		uint32_t raw = (uint32_t)ids[i] - (uint32_t)ids[i - 1];
		if (n > 2 && raw > 20000)
			return PRT_OS_IPID_RANDOM;
		zero = zero && ids[i] == 0 && ids[i - 1] == 0;
		d[i - 1] = raw & 0xffff;
	}
	if (zero)
		return PRT_OS_IPID_ZERO;
	for (unsigned i = 0; i + 1 < n; i++)
		all0 = all0 && d[i] == 0;
	if (all0)
		return PRT_OS_IPID_CONSTANT;
	for (unsigned i = 0; i + 1 < n; i++)
		if (d[i] > 1000 && (d[i] % 256 != 0 || d[i] >= 25600))
			return PRT_OS_IPID_RPI;
	for (unsigned i = 0; i + 1 < n; i++) {
		by256 = by256 && d[i] <= 5120 && d[i] % 256 == 0;
		even = even && d[i] % 2 == 0;
		under10 = under10 && d[i] <= 9;
	}
	return by256 ? PRT_OS_IPID_BROKEN : even ? PRT_OS_IPID_INCR2 :
		under10 ? PRT_OS_IPID_INCR : PRT_OS_IPID_UNKNOWN;
}

static void set_ipid(struct prt_os_fp *fp, const char *attr, enum prt_os_ipid_class c,
	uint16_t first)
{
	static const char *const names[] = {
		[PRT_OS_IPID_ZERO] = "Z", [PRT_OS_IPID_RANDOM] = "RD", [PRT_OS_IPID_RPI] = "RI",
		[PRT_OS_IPID_BROKEN] = "BI", [PRT_OS_IPID_INCR2] = "I", [PRT_OS_IPID_INCR] = "I",
	};

	if (c == PRT_OS_IPID_CONSTANT)
		set_hex(fp, "SEQ", attr, first);
	else if (c != PRT_OS_IPID_UNKNOWN)
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
static void isn_stats(const struct prt_os_seq *s, uint32_t *gcd, unsigned *isr, unsigned *sp)
{
	uint32_t diffs[PRT_OS_SEQ_PROBES] = {0};
	float rates[PRT_OS_SEQ_PROBES] = {0};
	double avg = 0, sd = 0;
	unsigned n = s->n;
	uint32_t div;

	for (unsigned j = 1; j < n; j++) {
		uint64_t us = s->a[j].sent_us - s->a[j - 1].sent_us;
		diffs[j - 1] = mod_diff(s->a[j].isn, s->a[j - 1].isn);
		rates[j - 1] = (float)(diffs[j - 1] * 1000000.0 / (double)(us ? us : 1));
		avg += rates[j - 1];
	}
	avg /= n - 1;
	*gcd = gcd_all(diffs, n - 1);
	*isr = *sp = 0;
	if (*gcd == 0)
		return;
	*isr = (unsigned)(log(avg) / log(2.0) * 8 + 0.5);
	div = *gcd > 9 ? *gcd : 1;
	for (unsigned i = 0; i + 1 < n; i++) {
		double r = rates[i] / div - avg / div;
		sd += r * r;
	}
	sd = sqrt(sd / (n - 2));
	*sp = sd <= 1 ? 0 : (unsigned)(log(sd) / log(2.0) * 8 + 0.5);
}

/* What the answers alone say of the timestamps: none on one of them, a zero
 * on one (the later answer wins, as in nmap), else the rate will tell. */
static enum prt_os_ts_class ts_told(const struct prt_os_seq *s)
{
	enum prt_os_ts_class c = PRT_OS_TS_UNKNOWN;

	for (unsigned i = 0; i < s->n; i++)
		if (!s->a[i].has_ts)
			c = PRT_OS_TS_UNSUPPORTED;
		else if (s->a[i].tsval == 0)
			c = PRT_OS_TS_ZERO;
	return c;
}

/* The timestamp clock's mean rate in Hz over two answers or more. */
static double ts_hz(const struct prt_os_seq *s)
{
	double hz = 0;

	for (unsigned i = 1; i < s->n; i++) {
		uint64_t us = s->a[i].sent_us - s->a[i - 1].sent_us;
		hz += mod_diff(s->a[i].tsval, s->a[i - 1].tsval) / ((us ? us : 1) / 1000000.0) /
			(s->n - 1);
	}
	return hz;
}

/* TS: the timestamp clock's rate in nmap's classes. */
static void ts_test(struct prt_os_fp *fp, const struct prt_os_seq *s)
{
	enum prt_os_ts_class c = ts_told(s);
	double hz;

	if (c != PRT_OS_TS_UNKNOWN) {
		prt_os_fp_set(fp, "SEQ", "TS", c == PRT_OS_TS_ZERO ? "0" : "U");
		return;
	}
	if (s->n < 2 || (hz = ts_hz(s)) <= 0)
		return;
	set_hex(fp, "SEQ", "TS", hz <= 5.66 ? 1 : hz > 70 && hz <= 150 ? 7 :
		hz > 150 && hz <= 350 ? 8 : (unsigned)(0.5 + log(hz) / log(2.0)));
}

static bool incrementing(enum prt_os_ipid_class c)
{
	return c == PRT_OS_IPID_INCR || c == PRT_OS_IPID_BROKEN || c == PRT_OS_IPID_RPI;
}

void prt_os_seq_test(struct prt_os_fp *fp, const struct prt_os_seq *s)
{
	uint16_t tcp_ids[PRT_OS_SEQ_PROBES];
	enum prt_os_ipid_class ti = PRT_OS_IPID_UNKNOWN, ci = ti, ii = ti;
	uint32_t gcd;
	unsigned isr, sp;

	if (s->n > PRT_OS_SEQ_PROBES)
		return;
	if (s->n >= 4) {
		isn_stats(s, &gcd, &isr, &sp);
		set_hex(fp, "SEQ", "SP", sp);
		set_hex(fp, "SEQ", "GCD", gcd);
		set_hex(fp, "SEQ", "ISR", isr);
	}
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

/* The timestamp clock's class by its rate, and the uptime it implies from
 * the first answer's value (nmap's ranges; over two years is not believed). */
static void ts_uptime(const struct prt_os_seq *s, struct prt_os_seq_report *r)
{
	const double hz = ts_hz(s);
	const uint32_t ts0 = s->a[0].tsval;
	uint64_t up = 0;

	if (hz > 0 && hz < 5.66) {
		r->ts_class = PRT_OS_TS_2HZ;
		up = ts0 / 2;
	} else if (hz > 70 && hz < 150) {
		r->ts_class = PRT_OS_TS_100HZ;
		up = ts0 / 100;
	} else if (hz > 724 && hz < 1448) {
		r->ts_class = PRT_OS_TS_1000HZ;
		up = ts0 / 1000;
	} else if (hz > 0) {
		r->ts_class = PRT_OS_TS_OTHER;
		up = hz < 4294967295.0 ? ts0 / (uint32_t)(0.5 + hz) : 0;
	}
	r->uptime_known = true; /* nmap: a rate of zero is an uptime of zero */
	r->uptime_s = up > 63072000 ? 0 : (uint32_t)up;
}

void prt_os_seq_report(const struct prt_os_seq *s, struct prt_os_seq_report *r)
{
	uint32_t gcd;
	unsigned isr, sp;

	memset(r, 0, sizeof(*r));
	r->index = -1;
	if (s->n > PRT_OS_SEQ_PROBES)
		return;
	r->n = (uint8_t)s->n;
	for (unsigned i = 0; i < s->n; i++) {
		r->isn[i] = s->a[i].isn;
		r->ipid[i] = s->a[i].ipid;
		r->tsval[i] = s->a[i].tsval;
	}
	if (s->n >= 4) {
		isn_stats(s, &gcd, &isr, &sp);
		r->index = (int32_t)sp;
	}
	r->ipid_class = s->n >= 3 ? ipid_class(r->ipid, s->n) : PRT_OS_IPID_UNKNOWN;
	r->ts_class = ts_told(s);
	if (r->ts_class == PRT_OS_TS_UNKNOWN && s->n >= 2)
		ts_uptime(s, r);
}

const char *prt_os_ipid_class_name(enum prt_os_ipid_class c)
{
	static const char *const names[] = {
		[PRT_OS_IPID_UNKNOWN] = "Busy server or unknown class",
		[PRT_OS_IPID_ZERO] = "All zeros",
		[PRT_OS_IPID_RANDOM] = "Randomized",
		[PRT_OS_IPID_CONSTANT] = "Duplicated ipid (!)",
		[PRT_OS_IPID_RPI] = "Random positive increments",
		[PRT_OS_IPID_BROKEN] = "Broken little-endian incremental",
		[PRT_OS_IPID_INCR2] = "Incrementing by 2",
		[PRT_OS_IPID_INCR] = "Incremental",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : names[0];
}

const char *prt_os_ts_class_name(enum prt_os_ts_class c)
{
	static const char *const names[] = {
		[PRT_OS_TS_UNKNOWN] = "unknown class",
		[PRT_OS_TS_UNSUPPORTED] = "none returned (unsupported)",
		[PRT_OS_TS_ZERO] = "zero timestamp",
		[PRT_OS_TS_2HZ] = "2HZ",
		[PRT_OS_TS_100HZ] = "100HZ",
		[PRT_OS_TS_1000HZ] = "1000HZ",
		[PRT_OS_TS_OTHER] = "other",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : names[0];
}

const char *prt_os_seq_difficulty(uint32_t index)
{
	return index < 3 ? "Trivial joke" : index < 6 ? "Easy" : index < 11 ? "Medium" :
		index < 12 ? "Formidable" : index < 16 ? "Worthy challenge" : "Good luck!";
}
