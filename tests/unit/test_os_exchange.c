/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/osdetect against nmap -O's own exchange with the testbed's Linux
 * target (os_linux_exchange.h, from fixtures/os-linux-testbed.pcap): our
 * probes are nmap's byte for byte, and the tests computed from its answers
 * are the values nmap printed; answers cut short or not ours are refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmocka_common.h"
#include "os_linux_exchange.h"
#include "prt_osdetect.h"

static const uint8_t *pkt(int i)
{
	return os_linux[i - 5].ip; /* the fixture starts at the capture's packet 5 */
}

static size_t pkt_len(int i)
{
	return os_linux[i - 5].len;
}

static struct prt_os_sent sent_by(int i)
{
	const uint8_t *tcp = pkt(i) + 20;
	struct prt_os_sent s = {
		.seq = (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 | tcp[7],
		.ack = (uint32_t)tcp[8] << 24 | (uint32_t)tcp[9] << 16 | (uint32_t)tcp[10] << 8 |
			tcp[11],
	};
	return s;
}

/* The answers nmap got in its first try, tested here, give the values nmap
 * printed for those tests (the testbed is one hop away: T, not TG). */
static void answers_give_nmaps_values(void **state)
{
	static const struct {
		const char *test;
		int probe, reply; /* capture packet numbers; reply 0: none came */
	} tcp[] = {
		{"T1", 5, 6}, {"ECN", 29, 30}, {"T2", 32, 0}, {"T3", 33, 0}, {"T4", 34, 35},
		{"T5", 36, 37}, {"T6", 38, 39}, {"T7", 40, 41},
	};
	static const int seq_replies[] = {6, 9, 12, 15, 18, 21};
	static const char *const tests[] = {"SEQ", "OPS", "WIN", "ECN", "T1", "T2", "T3", "T4",
		"T5", "T6", "T7", "U1", "IE"};
	static struct prt_os_fp ours, nmap;
	static struct prt_os_seq seq;
	char err[256];

	(void)state;
	memset(&ours, 0, sizeof(ours));
	assert_int_equal(prt_os_fp_parse(&nmap, testbed_linux, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++) {
		struct prt_os_sent sent = sent_by(tcp[i].probe);
		assert_int_equal(prt_os_tcp_test(&ours, tcp[i].test, tcp[i].reply ?
			pkt(tcp[i].reply) : NULL, tcp[i].reply ? pkt_len(tcp[i].reply) : 0, &sent, 1), 0);
	}
	memset(&seq, 0, sizeof(seq));
	for (unsigned k = 0; k < 6; k++) {
		assert_int_equal(prt_os_seq_reply(&ours, k + 1, pkt(seq_replies[k]),
			pkt_len(seq_replies[k])), 0);
		assert_int_equal(prt_os_seq_add(&seq, k + 1, os_linux[seq_replies[k] - 6].us,
			pkt(seq_replies[k]), pkt_len(seq_replies[k])), 0);
	}
	/* SEQ: the SYN-ACKs with their probes' send times, T5-T7's and IE's IP IDs */
	for (int i = 37; i <= 41; i += 2)
		seq.closed_ipid[seq.nclosed++] = (uint16_t)(pkt(i)[4] << 8 | pkt(i)[5]);
	for (int i = 24; i <= 26; i += 2)
		seq.icmp_ipid[seq.nicmp++] = (uint16_t)(pkt(i)[4] << 8 | pkt(i)[5]);
	prt_os_seq_test(&ours, &seq);
	/* U1: packet 27 to a closed UDP port, 28 its port unreachable, one hop away */
	assert_int_equal(prt_os_u1_distance(pkt(28), pkt_len(28), pkt(27)), 1);
	assert_int_equal(prt_os_u1_test(&ours, pkt(28), pkt_len(28), pkt(27), pkt_len(27), 1), 0);
	/* IE: 24 and 26 answer the echo requests 23 and 25 */
	assert_int_equal(prt_os_ie_test(&ours, pkt(24), pkt_len(24), pkt(26), pkt_len(26), 1), 0);
	/* every value nmap printed for these tests, and no other */
	for (uint32_t i = 0; i < nmap.n; i++)
		for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++)
			if (strcmp(nmap.v[i].test, tests[t]) == 0) {
				const char *got = prt_os_fp_get(&ours, nmap.v[i].test, nmap.v[i].attr);
				if (got == NULL || strcmp(got, nmap.v[i].value) != 0)
					fail_msg("%s.%s: nmap %s, ours %s", nmap.v[i].test,
						nmap.v[i].attr, nmap.v[i].value, got ? got : "(none)");
			}
	for (uint32_t i = 0; i < ours.n; i++)
		if (prt_os_fp_get(&nmap, ours.v[i].test, ours.v[i].attr) == NULL)
			fail_msg("%s.%s=%s: nmap has none", ours.v[i].test, ours.v[i].attr,
				ours.v[i].value);
}

/* Answers cut short, with lengths past their ends, or not TCP are refused. */
static void hostile_answers(void **state)
{
	static struct prt_os_fp fp;
	struct prt_os_sent sent = {1, 2};
	uint8_t b[80];
	char s[64];

	(void)state;
	memcpy(b, pkt(6), pkt_len(6));
	for (size_t n = 0; n < pkt_len(6); n++)
		assert_true(prt_os_tcp_test(&fp, "T4", b, n, &sent, 1) == -EINVAL || n >= 40);
	b[32] = 0xf0; /* data offset 60: past the packet */
	assert_int_equal(prt_os_tcp_test(&fp, "T4", b, pkt_len(6), &sent, 1), -EINVAL);
	memcpy(b, pkt(6), pkt_len(6));
	b[9] = 17; /* UDP */
	assert_int_equal(prt_os_tcp_test(&fp, "T4", b, pkt_len(6), &sent, 1), -EINVAL);
	assert_int_equal(prt_os_seq_reply(&fp, 7, pkt(6), pkt_len(6)), -EINVAL);
	/* a port unreachable cut anywhere, or quoting another probe */
	memcpy(b, pkt(28), 80);
	for (size_t n = 0; n < 20 + 8 + 20 + 8; n++)
		assert_int_equal(prt_os_u1_test(&fp, b, n, pkt(27), pkt_len(27), 1), -EINVAL);
	assert_int_equal(prt_os_u1_test(&fp, pkt(28), pkt_len(28), pkt(36), pkt_len(36), 1),
		-EINVAL);
	assert_int_equal(prt_os_ie_test(&fp, pkt(24), 27, pkt(26), pkt_len(26), 1), -EINVAL);
	assert_int_equal(prt_os_ie_test(&fp, pkt(23), pkt_len(23), pkt(26), pkt_len(26), 1),
		-EINVAL); /* a request is not a reply */
	/* options: an MSS claiming 40 bytes, a length of 1, a timestamp cut short */
	assert_int_equal(prt_os_tcp_options((const uint8_t *)"\x02\x28\x05\xb4", 4, s, sizeof(s)),
		-EINVAL);
	assert_int_equal(prt_os_tcp_options((const uint8_t *)"\x03\x01\x0a", 3, s, sizeof(s)),
		-EINVAL);
	assert_int_equal(prt_os_tcp_options((const uint8_t *)"\x08\x06\x00\x00\x00\x01", 6, s,
		sizeof(s)), -EINVAL);
	assert_int_equal(prt_os_tcp_options((const uint8_t *)"\x01\x00\x02\x04", 4, s,
		sizeof(s)), 2);
	assert_string_equal(s, "NL"); /* nothing is read past the end of the list */
}

/* The IP ID classes, each from a sequence made for it (II and CI). */
static void ipid_classes(void **state)
{
	static const struct {
		uint16_t ids[3];
		unsigned n;
		const char *want; /* NULL: omitted */
	} cases[] = {
		{{5, 5}, 2, "5"},          {{0, 0}, 2, "Z"},         {{100, 101}, 2, "I"},
		{{100, 1400}, 2, "RI"},    {{256, 512}, 2, "BI"},    {{10, 12}, 2, "I"},
		{{100, 30000}, 2, "RI"},   {{1, 30000, 5}, 3, "RD"}, {{100, 151}, 2, NULL},
		{{65535, 3}, 2, "I"},      /* the 16-bit counter wrapped */
	};
	static struct prt_os_fp fp;
	struct prt_os_seq s;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got;
		memset(&s, 0, sizeof(s));
		memset(&fp, 0, sizeof(fp));
		memcpy(s.closed_ipid, cases[i].ids, sizeof(cases[i].ids));
		s.nclosed = cases[i].n;
		prt_os_seq_test(&fp, &s);
		got = prt_os_fp_get(&fp, "SEQ", "CI");
		if ((got == NULL) != (cases[i].want == NULL) ||
		    (got != NULL && strcmp(got, cases[i].want) != 0))
			fail_msg("case %zu: CI=%s, want %s", i, got ? got : "(none)",
				cases[i].want ? cases[i].want : "(none)");
		assert_null(prt_os_fp_get(&fp, "SEQ", "GCD")); /* no SYN-ACKs: no ISN tests */
	}
	/* only SYN-ACKs are SEQ answers */
	assert_int_equal(prt_os_seq_add(&s, 1, 0, pkt(35), pkt_len(35)), -EINVAL);
	assert_int_equal(prt_os_seq_add(&s, 1, 0, pkt(6), 39), -EINVAL);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The report beside nmap's fingerprint, from the same SEQ answers: the ISNs
 * as sent, SP as the index, TI=Z in words, TS=21 (a clock no host runs:
 * Linux's per-connection offsets) as "other". */
static void report_of_nmaps_exchange(void **state)
{
	static const int seq_replies[] = {6, 9, 12, 15, 18, 21};
	struct prt_os_seq seq;
	struct prt_os_seq_report r;

	(void)state;
	memset(&seq, 0, sizeof(seq));
	for (unsigned k = 0; k < 6; k++)
		assert_int_equal(prt_os_seq_add(&seq, k + 1, os_linux[seq_replies[k] - 6].us,
			pkt(seq_replies[k]), pkt_len(seq_replies[k])), 0);
	prt_os_seq_report(&seq, &r);
	assert_int_equal(r.n, 6);
	for (unsigned k = 0; k < 6; k++) {
		assert_int_equal(r.isn[k], get32(pkt(seq_replies[k]) + 24));
		assert_int_equal(r.ipid[k], 0);
	}
	assert_int_equal(r.index, 0x106);
	assert_string_equal(prt_os_seq_difficulty((uint32_t)r.index), "Good luck!");
	assert_string_equal(prt_os_ipid_class_name(r.ipid_class), "All zeros");
	assert_string_equal(prt_os_ts_class_name(r.ts_class), "other");
	assert_true(r.uptime_known);
}

/* Six answers 100 ms apart whose timestamps rise by @p step each. */
static void clock_of(struct prt_os_seq *s, uint32_t ts0, uint32_t step)
{
	memset(s, 0, sizeof(*s));
	s->n = 6;
	for (unsigned i = 0; i < 6; i++) {
		s->a[i].probe = (uint8_t)(i + 1);
		s->a[i].has_ts = true;
		s->a[i].tsval = ts0 + i * step;
		s->a[i].isn = 1000u + 64000u * i;
		s->a[i].ipid = (uint16_t)(7 + i);
		s->a[i].sent_us = 100000u * i;
	}
}

/* nmap's clock classes and the uptimes they imply; what fewer answers omit. */
static void report_clocks_and_uptime(void **state)
{
	static const struct {
		uint32_t ts0, step;
		const char *cls;
		uint32_t uptime;
	} clocks[] = {
		{864000000, 100, "1000HZ", 864000}, {8640000, 10, "100HZ", 86400},
		{2000, 0, "unknown class", 0},      {0xf0000000u, 1, "other", 0}, /* > 2 years */
		{3000000, 3, "other", 100000},      /* 30 Hz: 3000000 / 30 */
	};
	struct prt_os_seq s;
	struct prt_os_seq_report r;

	(void)state;
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		clock_of(&s, clocks[i].ts0, clocks[i].step);
		prt_os_seq_report(&s, &r);
		if (strcmp(prt_os_ts_class_name(r.ts_class), clocks[i].cls) != 0 || !r.uptime_known ||
		    r.uptime_s != clocks[i].uptime)
			fail_msg("clock %zu: %s, uptime %u", i, prt_os_ts_class_name(r.ts_class),
				r.uptime_s);
	}
	/* 2 Hz: one tick every other answer */
	clock_of(&s, 1000, 0);
	for (unsigned i = 0; i < 6; i++)
		s.a[i].tsval = 1000 + i / 2;
	prt_os_seq_report(&s, &r);
	assert_string_equal(prt_os_ts_class_name(r.ts_class), "2HZ");
	assert_int_equal(r.uptime_s, 500);
	/* the IP IDs count by one; a constant ISN step is trivial to predict */
	assert_string_equal(prt_os_ipid_class_name(r.ipid_class), "Incremental");
	assert_int_equal(r.index, 0);
	assert_string_equal(prt_os_seq_difficulty(0), "Trivial joke");
	/* an answer without timestamps: none listed, no uptime */
	s.a[3].has_ts = false;
	prt_os_seq_report(&s, &r);
	assert_string_equal(prt_os_ts_class_name(r.ts_class), "none returned (unsupported)");
	assert_false(r.uptime_known);
	s.a[3].has_ts = true;
	s.a[3].tsval = 0;
	prt_os_seq_report(&s, &r);
	assert_string_equal(prt_os_ts_class_name(r.ts_class), "zero timestamp");
	assert_false(r.uptime_known);
	/* three answers: classes, but no predictability index */
	clock_of(&s, 5000, 100);
	s.n = 3;
	prt_os_seq_report(&s, &r);
	assert_int_equal(r.index, -1);
	assert_int_equal(r.n, 3);
	assert_string_equal(prt_os_ipid_class_name(r.ipid_class), "Incremental");
	/* one answer: nothing to class */
	s.n = 1;
	prt_os_seq_report(&s, &r);
	assert_string_equal(prt_os_ipid_class_name(r.ipid_class), "Busy server or unknown class");
	assert_false(r.uptime_known);
}

/* Our probes, given what differs per host and try, are nmap's byte for byte
 * (checksums included): the sixteen nmap sent in its first try. */
static void probes_are_nmaps(void **state)
{
	static const int captured[PRT_OS_PROBES] = {
		[PRT_OS_SEQ1] = 5, [PRT_OS_SEQ2] = 8, [PRT_OS_SEQ3] = 11, [PRT_OS_SEQ4] = 14,
		[PRT_OS_SEQ5] = 17, [PRT_OS_SEQ6] = 20, [PRT_OS_IE1] = 23, [PRT_OS_IE2] = 25,
		[PRT_OS_U1] = 27, [PRT_OS_ECN] = 29, [PRT_OS_T2] = 32, [PRT_OS_T3] = 33,
		[PRT_OS_T4] = 34, [PRT_OS_T5] = 36, [PRT_OS_T6] = 38, [PRT_OS_T7] = 40,
	};
	uint8_t out[PRT_OS_PROBE_MAX];

	(void)state;
	for (int p = 0; p < PRT_OS_PROBES; p++) {
		const uint8_t *ip = pkt(captured[p]), *l4 = ip + 20;
		struct prt_os_probe_args a = {
			.src = get32(ip + 12), .dst = get32(ip + 16),
			.sport = (uint16_t)(l4[0] << 8 | l4[1]), .dport = (uint16_t)(l4[2] << 8 | l4[3]),
			.seq = get32(l4 + 4), .ack = get32(l4 + 8),
			.ipid = (uint16_t)(ip[4] << 8 | ip[5]), .ttl = ip[8],
			.icmp_id = (uint16_t)(l4[4] << 8 | l4[5]), .icmp_seq = (uint16_t)(l4[6] << 8 | l4[7]),
		};
		int n = prt_os_probe_build((enum prt_os_probe)p, &a, out, sizeof(out));
		if (n != (int)pkt_len(captured[p]) || memcmp(out, ip, (size_t)n) != 0) {
			for (int i = 0; n > 0 && i < n; i++)
				if (out[i] != ip[i])
					fail_msg("probe %d: %d bytes (nmap %zu), first difference at %d",
						p, n, pkt_len(captured[p]), i);
			fail_msg("probe %d: %d bytes, nmap %zu", p, n, pkt_len(captured[p]));
		}
		assert_int_equal(prt_os_probe_build((enum prt_os_probe)p, &a, out, (size_t)n - 1),
			-ENOSPC);
	}
	assert_int_equal(prt_os_probe_build(PRT_OS_PROBES, NULL, out, sizeof(out)), -EINVAL);
}

/* The capture's packet numbers of nmap's first try: each probe and its answer (0: none). */
static const int try_probe[PRT_OS_PROBES] = {
	[PRT_OS_SEQ1] = 5, [PRT_OS_SEQ2] = 8, [PRT_OS_SEQ3] = 11, [PRT_OS_SEQ4] = 14,
	[PRT_OS_SEQ5] = 17, [PRT_OS_SEQ6] = 20, [PRT_OS_IE1] = 23, [PRT_OS_IE2] = 25,
	[PRT_OS_U1] = 27, [PRT_OS_ECN] = 29, [PRT_OS_T2] = 32, [PRT_OS_T3] = 33,
	[PRT_OS_T4] = 34, [PRT_OS_T5] = 36, [PRT_OS_T6] = 38, [PRT_OS_T7] = 40,
};
static const int try_answer[PRT_OS_PROBES] = {
	[PRT_OS_SEQ1] = 6, [PRT_OS_SEQ2] = 9, [PRT_OS_SEQ3] = 12, [PRT_OS_SEQ4] = 15,
	[PRT_OS_SEQ5] = 18, [PRT_OS_SEQ6] = 21, [PRT_OS_IE1] = 24, [PRT_OS_IE2] = 26,
	[PRT_OS_U1] = 28, [PRT_OS_ECN] = 30, [PRT_OS_T4] = 35, [PRT_OS_T5] = 37,
	[PRT_OS_T6] = 39, [PRT_OS_T7] = 41,
};

/* A host's try on our clock with nmap's first try's numbers: every probe due
 * is nmap's, byte for byte; its answers replayed as they came (T2 and T3
 * unanswered, sent again once); the fingerprint equals what nmap printed. */
static void host_try_replays_nmap(void **state)
{
	static struct prt_os_host h;
	static struct prt_os_fp ours, nmap;
	struct prt_os_host_conf c = {
		.src = get32(pkt(5) + 12), .dst = get32(pkt(5) + 16), .tcp_open = 22,
		.tcp_closed = 81, .udp_closed = (uint16_t)(pkt(27)[22] << 8 | pkt(27)[23]),
		.sport_base = (uint16_t)(pkt(27)[20] << 8 | pkt(27)[21]),
		.seq_base = get32(pkt(5) + 24), .ack = get32(pkt(5) + 28),
		.icmp_id = (uint16_t)(pkt(23)[24] << 8 | pkt(23)[25]),
		.icmp_seq = (uint16_t)(pkt(23)[26] << 8 | pkt(23)[27]),
	};
	uint8_t out[PRT_OS_PROBE_MAX];
	uint64_t now, next;
	unsigned sends = 0;
	char err[256];

	(void)state;
	for (int p = 0; p < PRT_OS_PROBES; p++) {
		c.ipid[p] = (uint16_t)(pkt(try_probe[p])[4] << 8 | pkt(try_probe[p])[5]);
		c.ttl[p] = pkt(try_probe[p])[8];
	}
	prt_os_host_init(&h, &c, 1000000);
	for (now = 1000000; !prt_os_host_done(&h, now); now += 1000) {
		int p;
		assert_true(now < 4000000);
		while ((p = prt_os_host_due(&h, now, &next)) >= 0) {
			bool first = !(h.sent & (1u << p));
			int n = prt_os_host_probe(&h, p, now, out, sizeof(out));
			assert_int_equal(n, (int)pkt_len(try_probe[p]));
			assert_memory_equal(out, pkt(try_probe[p]), (size_t)n);
			sends++;
			if (first && try_answer[p] != 0)
				assert_int_equal(prt_os_host_answer(&h, pkt(try_answer[p]),
					pkt_len(try_answer[p])), p);
		}
		assert_true(next > now);
	}
	assert_int_equal(sends, PRT_OS_PROBES + 2); /* T2 and T3 once more */
	/* an answer again, or one to no probe of ours, is refused */
	assert_int_equal(prt_os_host_answer(&h, pkt(6), pkt_len(6)), -EINVAL);
	assert_int_equal(prt_os_host_answer(&h, pkt(7), pkt_len(7)), -EINVAL); /* our own RST */
	assert_int_equal(prt_os_host_finish(&h, &ours), 1);
	assert_int_equal(prt_os_fp_parse(&nmap, testbed_linux, err, sizeof(err)), 0);
	for (uint32_t i = 0; i < nmap.n; i++) {
		const char *got = prt_os_fp_get(&ours, nmap.v[i].test, nmap.v[i].attr);
		if (strcmp(nmap.v[i].test, "SCAN") == 0)
			continue;
		if (got == NULL || strcmp(got, nmap.v[i].value) != 0)
			fail_msg("%s.%s: nmap %s, ours %s", nmap.v[i].test, nmap.v[i].attr,
				nmap.v[i].value, got ? got : "(none)");
	}
	for (uint32_t i = 0; i < ours.n; i++)
		if (prt_os_fp_get(&nmap, ours.v[i].test, ours.v[i].attr) == NULL)
			fail_msg("%s.%s=%s: nmap has none", ours.v[i].test, ours.v[i].attr,
				ours.v[i].value);
}

/*
 * The table: several hosts at once, each answered as the testbed's Linux
 * answered nmap (the captured answer of the same probe, its ports, numbers
 * and quote made ours and its source the host's). Every try ends with the
 * fingerprint nmap printed.
 */
#define TABLE_SPORT 40000

static struct {
	uint8_t frames[64][PRT_OS_PROBE_MAX];
	size_t len[64];
	unsigned n, done, wrong;
} wire;

static void table_emit(void *ctx, const uint8_t *ip, size_t len)
{
	(void)ctx;
	assert_true(wire.n < 64 && len <= PRT_OS_PROBE_MAX);
	memcpy(wire.frames[wire.n], ip, len);
	wire.len[wire.n++] = len;
}

static void table_done(void *ctx, const struct prt_os_host *h)
{
	static struct prt_os_fp ours, nmap;
	char err[256];

	(void)ctx;
	prt_os_host_finish(h, &ours);
	assert_int_equal(prt_os_fp_parse(&nmap, testbed_linux, err, sizeof(err)), 0);
	for (uint32_t i = 0; i < nmap.n; i++) {
		const char *got = prt_os_fp_get(&ours, nmap.v[i].test, nmap.v[i].attr);
		if (strcmp(nmap.v[i].test, "SCAN") != 0 &&
		    (got == NULL || strcmp(got, nmap.v[i].value) != 0))
			wire.wrong++;
	}
	wire.done++;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The probe kind of one of our probes, from nmap's port layout or its ICMP code. */
static int kind_of(const uint8_t *ip)
{
	static const int by_offset[21] = {
		PRT_OS_U1, PRT_OS_SEQ1, PRT_OS_SEQ2, PRT_OS_SEQ3, PRT_OS_SEQ4, PRT_OS_SEQ5,
		PRT_OS_SEQ6, -1, -1, -1, -1, -1, -1, PRT_OS_ECN, -1, PRT_OS_T2, PRT_OS_T3,
		PRT_OS_T4, PRT_OS_T5, PRT_OS_T6, PRT_OS_T7,
	};

	if (ip[9] == 1)
		return ip[21] == 9 ? PRT_OS_IE1 : PRT_OS_IE2;
	return by_offset[((ip[20] << 8 | ip[21]) - TABLE_SPORT) % 21];
}

/* Our relative of nmap's @p v: where it was nmap's number (+1), ours (+1). */
static uint32_t relative(uint32_t v, uint32_t theirs, uint32_t ours)
{
	return v == theirs ? ours : v == theirs + 1 ? ours + 1 : v;
}

/* The captured answer to nmap's probe of our probe's kind, made an answer to ours. */
static size_t answer_to(const uint8_t *probe, size_t plen, uint32_t host, uint8_t *out)
{
	int k = kind_of(probe), a = k >= 0 ? try_answer[k] : 0;
	const uint8_t *theirs = k >= 0 ? pkt(try_probe[k]) : NULL;
	size_t len = a ? pkt_len(a) : 0;

	if (a == 0)
		return 0;
	memcpy(out, pkt(a), len);
	put32(out + 12, host);
	memcpy(out + 16, probe + 12, 4);
	if (out[9] == 6) {
		memcpy(out + 22, probe + 20, 2); /* to our port */
		put32(out + 24, relative(get32(out + 24), get32(theirs + 28), get32(probe + 28)));
		put32(out + 28, relative(get32(out + 28), get32(theirs + 24), get32(probe + 24)));
	} else if (out[20] == 0) { /* echo reply: our identifier and sequence */
		memcpy(out + 24, probe + 24, 4);
	} else { /* port unreachable: it quotes our probe as it arrived */
		memcpy(out + 28, probe, len - 28 < plen ? len - 28 : plen);
	}
	return len;
}

static void table_of_hosts(void **state)
{
	struct prt_os_table_conf c = {
		.capacity = 8, .src = get32(pkt(5) + 12), .sport_base = TABLE_SPORT,
		.sport_count = 2 * 21, .key = {1, 2}, .emit = table_emit, .done = table_done,
	};
	struct prt_os_target t = {.tcp_open = 22, .tcp_closed = 81, .udp_closed = 33434};
	const uint32_t hosts[3] = {0xc6130005, 0xc6130006, 0xc6130007};
	struct prt_os_table *tab = prt_os_table_create(&c);
	uint8_t ans[512];
	uint64_t now = 5000000;

	(void)state;
	assert_non_null(tab);
	memset(&wire, 0, sizeof(wire));
	for (int i = 0; i < 2; i++) {
		t.addr = hosts[i];
		assert_int_equal(prt_os_table_add(tab, &t, now), 0);
	}
	t.addr = hosts[2];
	assert_int_equal(prt_os_table_add(tab, &t, now), -ENOSPC); /* 42 ports: two hosts */
	t.addr = hosts[0];
	assert_int_equal(prt_os_table_add(tab, &t, now), -EEXIST);
	for (; wire.done < 3; now += 1000) {
		assert_true(now < 20000000);
		if (wire.done == 2 && prt_os_table_active(tab) == 0) {
			t.addr = hosts[2];
			assert_int_equal(prt_os_table_add(tab, &t, now), 0);
		}
		wire.n = 0;
		prt_os_table_poll(tab, now);
		for (unsigned i = 0; i < wire.n; i++) {
			uint32_t host = get32(wire.frames[i] + 16);
			size_t n = answer_to(wire.frames[i], wire.len[i], host, ans);
			if (n > 0)
				(void)prt_os_table_input(tab, ans, n); /* resends' answers: refused */
		}
	}
	assert_int_equal(wire.wrong, 0);
	assert_int_equal(prt_os_table_active(tab), 0);
	/* answers from no host of ours, or not IPv4 */
	assert_int_equal(prt_os_table_input(tab, pkt(6), pkt_len(6)), -ENOENT);
	assert_int_equal(prt_os_table_input(tab, pkt(6), 10), -EINVAL);
	prt_os_table_free(tab);
	c.sport_count = 20; /* not one host's ports */
	assert_null(prt_os_table_create(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_give_nmaps_values),
		cmocka_unit_test(hostile_answers),
		cmocka_unit_test(ipid_classes),
		cmocka_unit_test(report_of_nmaps_exchange),
		cmocka_unit_test(report_clocks_and_uptime),
		cmocka_unit_test(probes_are_nmaps),
		cmocka_unit_test(host_try_replays_nmap),
		cmocka_unit_test(table_of_hosts),
	};
	return cmocka_run_group_tests_name("os_exchange", tests, NULL, NULL);
}
