/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: -O's tries against hostile hosts. A table of four hosts
 * sends its probes; the input is a program of answers, each built from one
 * of the probes sent (addresses and ports swapped, an echo made a reply, the
 * UDP probe quoted in a port unreachable: the shapes the parsers expect)
 * and then overwritten by the input's bytes at the input's offset, with the
 * input's length (truncated or padded). Every try then ends, and its
 * fingerprint is computed, printed, wrapped and read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_osdetect.h"

#define HOSTS 4
#define OURS 0xc6120002u
#define TARGET(i) (0xc6130005u + (uint32_t)(i))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t sent[HOSTS][PRT_OS_PROBES][PRT_OS_PROBE_MAX];
static uint16_t sent_len[HOSTS][PRT_OS_PROBES];
static unsigned nsent[HOSTS];
static unsigned ended;

static int host_index(const uint8_t *ip)
{
	uint32_t dst = (uint32_t)ip[16] << 24 | (uint32_t)ip[17] << 16 | (uint32_t)ip[18] << 8 |
		ip[19];

	return dst >= TARGET(0) && dst < TARGET(HOSTS) ? (int)(dst - TARGET(0)) : -1;
}

static void emit(void *ctx, const uint8_t *ip, size_t len)
{
	int h = host_index(ip);

	(void)ctx;
	if (h < 0 || len > PRT_OS_PROBE_MAX)
		abort(); /* a probe to nobody, or longer than promised */
	memcpy(sent[h][nsent[h] % PRT_OS_PROBES], ip, len);
	sent_len[h][nsent[h] % PRT_OS_PROBES] = (uint16_t)len;
	nsent[h]++;
}

static void done(void *ctx, const struct prt_os_host *h)
{
	static struct prt_os_fp fp, back;
	char text[PRT_OS_VALUE_MAX * 200], wrapped[sizeof(text) * 2], err[128];
	struct prt_os_seq seq;
	struct prt_os_seq_report report;

	(void)ctx;
	ended++;
	prt_os_host_finish(h, &fp);
	if (prt_os_fp_format(&fp, text, sizeof(text)) < 0)
		abort(); /* every fingerprint fits a buffer this size */
	if (prt_os_fp_wrap(text, wrapped, sizeof(wrapped)) < 0 ||
	    prt_os_fp_parse(&back, wrapped, err, sizeof(err)) != 0 || back.n != fp.n)
		abort(); /* what we print reads back whole */
	prt_os_host_seq(h, &seq);
	prt_os_seq_report(&seq, &report);
	if (report.n > PRT_OS_SEQ_PROBES || (report.index >= 0 && report.n < 4) ||
	    strlen(prt_os_ipid_class_name(report.ipid_class)) == 0 ||
	    strlen(prt_os_ts_class_name(report.ts_class)) == 0)
		abort(); /* the report beside it holds what it may */
}

/* The answer a host would give to probe @p p, before the input spoils it. */
static size_t shape(const uint8_t *probe, size_t len, uint8_t *out, size_t cap)
{
	const size_t hl = (size_t)(probe[0] & 0x0f) * 4;

	if (probe[9] == 17) { /* U1: a port unreachable quoting it */
		size_t n = 20 + 8 + len;
		if (n > cap)
			return 0;
		memcpy(out, probe, 20);
		out[9] = 1;
		memset(out + 20, 0, 8);
		out[20] = 3;
		out[21] = 3;
		memcpy(out + 28, probe, len);
		out[2] = (uint8_t)(n >> 8);
		out[3] = (uint8_t)n;
	} else {
		memcpy(out, probe, len);
		if (probe[9] == 1) {
			out[hl] = 0; /* echo reply */
		} else if (len >= hl + 4) {
			memcpy(out + hl, probe + hl + 2, 2);
			memcpy(out + hl + 2, probe + hl, 2);
		}
	}
	memcpy(out + 12, probe + 16, 4);
	memcpy(out + 16, probe + 12, 4);
	return probe[9] == 17 ? 20 + 8 + len : len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct prt_os_table_conf conf = {
		.capacity = HOSTS, .src = OURS, .sport_base = 40000, .sport_count = 21 * HOSTS,
		.emit = emit, .done = done,
	};
	struct prt_os_table *t = prt_os_table_create(&conf);
	uint64_t now = 0;
	size_t at = 0;

	if (t == NULL)
		return 0;
	memset(nsent, 0, sizeof(nsent));
	ended = 0;
	for (int i = 0; i < HOSTS; i++) {
		const struct prt_os_target target = {.addr = TARGET(i), .tcp_open = 22,
			.tcp_closed = 81, .udp_closed = 40000, .distance = i % 2};
		prt_os_table_add(t, &target, 0);
	}
	/* each step: host, probe, time step (x 8 ms), offset, length (0xff: the shape's),
	 * the count of bytes that follow (up to 16), the bytes */
	while (at + 6 <= size) {
		uint8_t ip[512];
		const unsigned h = data[at] % HOSTS, p = data[at + 1] % PRT_OS_PROBES;
		const size_t off = data[at + 3], want = data[at + 4];
		size_t n = 0, k = data[at + 5] % 17;

		if (k > size - at - 6)
			k = size - at - 6;
		now += (uint64_t)(data[at + 2] % 64) * 1000 * 8;
		prt_os_table_poll(t, now);
		if (sent_len[h][p] > 0)
			n = shape(sent[h][p], sent_len[h][p], ip, sizeof(ip));
		if (off + k <= sizeof(ip)) {
			memcpy(ip + off, data + at + 6, k);
			if (off + k > n)
				n = off + k;
		}
		if (want != 0xff) /* the length the input says, cut or padded with what was there */
			n = want < n ? want : n;
		prt_os_table_input(t, ip, n);
		at += 6 + k;
	}
	for (int i = 0; i < 100 && prt_os_table_active(t) > 0; i++)
		prt_os_table_poll(t, now += 100000);
	if (ended != HOSTS)
		abort(); /* every try ends */
	prt_os_table_free(t);
	return 0;
}
