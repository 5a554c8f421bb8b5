/* SPDX-License-Identifier: BSD-3-Clause */
/* -sU: the nmap-payloads parser, the datagrams, and the answers read back. */
#define ALLOW_EXPERIMENTAL_API /* rte_ipv4_udptcp_cksum_verify(): an independent check */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "cmocka_common.h"
#include "prt_classify.h"
#include "prt_csum.h"
#include "prt_probe.h"
#include "prt_udp_payloads.h"
#include "reply_frame.h"

#define OUR_IP 0xc6120002u
#define TARGET 0xc6130005u

static const char sample[] =
	"# comment\n"
	"udp 7 \"\\x0D\\x0A\\x0D\\x0A\"\n"
	"udp 53,69 \"\\x00\\x00\\x10\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"\n"
	"udp 53\n  \"\\x77\\x77\" # a second DNS payload: the first one wins\n"
	"udp 123\n"
	"  \"\\xE3\\x00\\x04\\xFA\\x00\\x01\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\"\n"
	"  \"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\"\n"
	"  \"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xC5\\x4F\\x23\\x4B\\x71\\xB1\\x52\\xF3\"\n"
	"  source 123\n"
	"udp 17185-17186 \"a\\tb\\\\c\\\"\"\n";

static struct prt_udp_payloads pl;
static struct prt_cookie_key key;
static struct prt_target_set targets;
static struct prt_port_list ports;

static char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/prt-payloads-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int setup(void **state)
{
	char err[256], *path = write_tmp(sample);

	(void)state;
	assert_int_equal(prt_udp_payloads_load(&pl, path, err, sizeof(err)), 0);
	unlink(path);
	prt_cookie_key_from_seed(&key, 99);
	prt_target_set_init(&targets);
	prt_target_set_add_spec(&targets, "198.19.0.0/24", err, sizeof(err));
	prt_target_set_finalize(&targets, NULL);
	prt_port_list_init(&ports);
	prt_port_list_add_spec(&ports, "53,123,161", err, sizeof(err));
	prt_port_list_finalize(&ports, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	prt_udp_payloads_free(&pl);
	prt_target_set_free(&targets);
	prt_port_list_free(&ports);
	return 0;
}

static void payloads_parse(void **state)
{
	(void)state;
	assert_int_equal(pl.by_port[7].len, 4);
	assert_memory_equal(prt_udp_payload_data(&pl, 7), "\r\n\r\n", 4);
	assert_int_equal(pl.by_port[53].len, 12); /* the first of two */
	assert_int_equal(pl.by_port[69].len, 12);
	assert_int_equal(pl.by_port[123].len, 48); /* three strings joined; "source" skipped */
	assert_int_equal(pl.by_port[17186].len, 6);
	assert_memory_equal(prt_udp_payload_data(&pl, 17186), "a\tb\\c\"", 6);
	assert_int_equal(pl.by_port[161].len, 0);
	assert_non_null(prt_udp_payload_echo(&pl, 53));
	assert_non_null(prt_udp_payload_echo(&pl, 123));
	assert_null(prt_udp_payload_echo(&pl, 69));
	assert_null(prt_udp_payload_echo(&pl, 7));
}

/* fuzz_nmap_files: an empty payload as the file's first one (no pool yet)
 * was copied from and to NULL (UBSan); it loads as a zero-length payload. */
static void empty_first_payload(void **state)
{
	struct prt_udp_payloads p;
	char err[256], *path = write_tmp("udp 7 \"\"\nudp 9 \"x\"\n");

	(void)state;
	assert_int_equal(prt_udp_payloads_load(&p, path, err, sizeof(err)), 0);
	assert_int_equal(p.by_port[7].len, 0);
	assert_true(p.by_port[7].given);
	assert_int_equal(p.by_port[9].len, 1);
	prt_udp_payloads_free(&p);
	unlink(path);
}

static void payload_errors_name_the_line(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{"udp 53 \"\\x0\"\n", ":1: bad \\x escape"},
		{"\nudp 53 \"abc\n", ":2: unterminated string"},
		{"tcp 80 \"x\"\n", ":1: expected 'udp PORTS"},
		{"udp 99999 \"x\"\n", ":1: bad port list"},
		{"udp 1 \"\\q\"\n", ":1: unknown escape"},
	};
	struct prt_udp_payloads p;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *path = write_tmp(bad[i].text);
		assert_int_equal(prt_udp_payloads_load(&p, path, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, bad[i].want));
		unlink(path);
	}
	assert_int_equal(prt_udp_payloads_load(&p, "/nonexistent/nmap-payloads", err, sizeof(err)),
		-ENOENT);
}

/* nmap-service-probes' UDP probes fill the ports nmap-payloads left empty. */
static void service_probe_payloads(void **state)
{
	static const char probes[] =
		"# nmap-service-probes\n"
		"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
		"ports 9999\n"
		"Probe UDP Snmpish q|0\\x82\\0/public|\n"
		"rarity 4\n"
		"ports 161,9999\n"
		"match snmp m|^0|\n"
		"Probe UDP DNSish q|\\0\\0\\x10\\0|\n"
		"ports 53\n";
	char err[256], *path;
	struct prt_udp_payloads p;

	(void)state;
	/* write_tmp() returns one static buffer: load each file before writing the next */
	path = write_tmp(sample);
	assert_int_equal(prt_udp_payloads_load(&p, path, err, sizeof(err)), 0);
	unlink(path);
	path = write_tmp(probes);
	assert_int_equal(prt_udp_payloads_add_probes(&p, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(p.by_port[161].len, 10);
	assert_memory_equal(prt_udp_payload_data(&p, 161), "0\x82\0/public", 10);
	assert_int_equal(p.by_port[9999].len, 10); /* the UDP probe, not the TCP one */
	assert_int_equal(p.by_port[53].len, 12);   /* nmap-payloads' first stays */
	assert_non_null(prt_udp_payload_echo(&p, 53));
	prt_udp_payloads_free(&p);
	/* a probe string with a bad escape names the file and line */
	path = write_tmp(sample);
	assert_int_equal(prt_udp_payloads_load(&p, path, err, sizeof(err)), 0);
	unlink(path);
	path = write_tmp("Probe UDP X q|\\q|\nports 1\n");
	assert_int_equal(prt_udp_payloads_add_probes(&p, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":1: unknown escape"));
	unlink(path);
	prt_udp_payloads_free(&p);
}

static uint16_t craft(uint8_t *frame, uint16_t port, struct prt_cookie *c)
{
	struct prt_probe_params params = {.saddr = OUR_IP, .ttl = 64};
	struct prt_probe_tmpl t = {.udp = &pl};

	*c = prt_cookie_v4(&key, OUR_IP, TARGET, port, IPPROTO_UDP, 40000, 1000);
	prt_probe_udp.tmpl_init(&prt_probe_udp, &t, &params);
	return prt_probe_udp.craft(&t, frame, TARGET, port, c);
}

static void datagrams_carry_payload_and_cookie(void **state)
{
	uint8_t frame[2048];
	struct prt_cookie c;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(ip + 1);
	const uint8_t *data = (const uint8_t *)(udp + 1);

	(void)state;
	for (uint16_t port = 1; port < 200; port++) {
		uint16_t len = craft(frame, port, &c);
		assert_int_equal(len, 14 + 20 + 8 + pl.by_port[port].len);
		assert_int_equal(rte_be_to_cpu_16(ip->total_length), len - 14);
		assert_int_equal(rte_ipv4_cksum(ip), 0);
		assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
		assert_int_equal(rte_be_to_cpu_16(udp->src_port), c.sport);
		assert_int_equal(rte_be_to_cpu_16(udp->dgram_len), 8 + pl.by_port[port].len);
	}
	craft(frame, 53, &c); /* DNS: the id is the cookie, the rest as the file says */
	assert_int_equal(data[0] << 8 | data[1], (uint16_t)c.seq);
	assert_memory_equal(data + 2, prt_udp_payload_data(&pl, 53) + 2, 10);
	craft(frame, 123, &c); /* NTP: the transmit time's first word */
	uint32_t ntp;
	memcpy(&ntp, data + 40, 4);
	assert_int_equal(rte_be_to_cpu_32(ntp), c.seq);
}

/* A server's answer to our datagram to (TARGET, port): @p body at its start. */
static size_t answer(uint8_t *frame, uint16_t port, const uint8_t *body, size_t blen)
{
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, port, IPPROTO_UDP, 40000, 1000);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)test_ipv4_reply(frame, TARGET, OUR_IP,
		IPPROTO_UDP, (uint16_t)(8 + blen), 60);

	udp->src_port = rte_cpu_to_be_16(port);
	udp->dst_port = rte_cpu_to_be_16(c.sport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + blen));
	memcpy(udp + 1, body, blen);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	return 14 + 20 + 8 + blen;
}

static struct prt_cls_ctx ctx(void)
{
	struct prt_cls_ctx c = {.keys = {.key = &key, .udp = &pl, .our_ip = OUR_IP,
		.sport_base = 40000, .sport_count = 1000}, .targets = &targets};

	prt_cls_add_arm(&c, &prt_probe_udp, &ports);
	return c;
}

static void answers_are_open_when_they_echo_the_cookie(void **state)
{
	struct prt_cls_ctx cx = ctx();
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, 53, IPPROTO_UDP, 40000, 1000);
	uint8_t frame[256], dns[12] = {(uint8_t)(c.seq >> 8), (uint8_t)c.seq, 0x90};
	struct prt_cls_out o;
	size_t len;

	(void)state;
	len = answer(frame, 53, dns, sizeof(dns));
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_OPEN);
	assert_int_equal(o.result.reason, PRT_REASON_UDP_RESPONSE);
	assert_int_equal(o.result.proto, IPPROTO_UDP);
	assert_int_equal(o.result.port, 53);
	assert_int_equal(o.result.ttl, 60);
	dns[1] ^= 1; /* someone else's DNS answer to our port */
	len = answer(frame, 53, dns, sizeof(dns));
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_COOKIE);
	len = answer(frame, 53, dns, 1); /* too short to hold the id */
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_COOKIE);
	/* SNMP has no echoed field here: the source port is the cookie */
	len = answer(frame, 161, (const uint8_t *)"\x30\x00", 2);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_RESULT);
	/* a TCP scan sent no UDP */
	cx.arm[0].probe = &prt_probe_syn;
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_OTHER_PROTO);
}

/* An ICMP unreachable from the target quoting our datagram to @p port. */
static size_t unreachable(uint8_t *frame, uint16_t port, uint8_t code)
{
	uint8_t probe[2048];
	struct prt_cookie c;
	uint8_t *icmp = test_ipv4_reply(frame, TARGET, OUR_IP, IPPROTO_ICMP, 8 + 28, 64);
	uint16_t sum;

	craft(probe, port, &c);
	icmp[0] = 3;
	icmp[1] = code;
	memcpy(icmp + 8, probe + 14, 28);
	sum = prt_csum_fold(prt_csum_add(0, icmp, 8 + 28));
	memcpy(icmp + 2, &sum, 2);
	return 14 + 20 + 8 + 28;
}

static void icmp_port_unreachable_is_closed(void **state)
{
	struct prt_cls_ctx cx = ctx();
	uint8_t frame[256];
	struct prt_cls_out o;

	(void)state;
	assert_int_equal(prt_classify(&cx, frame, unreachable(frame, 161, 3), &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_CLOSED);
	assert_int_equal(o.result.reason, PRT_REASON_ICMP);
	assert_int_equal(o.result.port, 161);
	assert_int_equal(prt_classify(&cx, frame, unreachable(frame, 161, 13), &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_FILTERED);
	assert_int_equal(o.result.icmp_code, 13);
	assert_int_equal(prt_udp_payload_echo(&pl, 161), NULL);
	/* quoting another source port: not our probe */
	size_t len = unreachable(frame, 161, 3);
	frame[14 + 20 + 8 + 20 + 1] ^= 0x40;
	frame[14 + 20 + 2] = frame[14 + 20 + 3] = 0;
	uint16_t sum = prt_csum_fold(prt_csum_add(0, frame + 34, 36));
	memcpy(frame + 36, &sum, 2);
	assert_int_equal(prt_classify(&cx, frame, len, &o), PRT_CLS_BAD_COOKIE);
}

/* -sS -sU: one classifier for both; UDP pair numbers follow the TCP ports. */
static void tcp_and_udp_side_by_side(void **state)
{
	struct prt_cls_ctx cx = ctx();
	struct prt_port_list tcp;
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, 53, IPPROTO_UDP, 40000, 1000);
	uint8_t frame[256], dns[12] = {(uint8_t)(c.seq >> 8), (uint8_t)c.seq};
	struct prt_cls_out o;
	char err[64];

	(void)state;
	prt_port_list_init(&tcp);
	prt_port_list_add_spec(&tcp, "22,80", err, sizeof(err));
	prt_port_list_finalize(&tcp, NULL);
	cx.narms = 0;
	cx.nports = 0;
	prt_cls_add_arm(&cx, &prt_probe_syn, &tcp);
	prt_cls_add_arm(&cx, &prt_probe_udp, &ports); /* 53, 123, 161 */
	assert_int_equal(prt_classify(&cx, frame, answer(frame, 53, dns, sizeof(dns)), &o),
		PRT_CLS_RESULT);
	assert_int_equal(o.result.proto, IPPROTO_UDP);
	assert_int_equal(o.result.state, PRT_STATE_OPEN);
	assert_int_equal(o.pair, 5 * 5 + 2 + 0); /* host 5 x 5 ports, after 2 TCP ports */
	/* the UDP probe's port unreachable is closed, as -sU says, not filtered as -sS would */
	assert_int_equal(prt_classify(&cx, frame, unreachable(frame, 161, 3), &o), PRT_CLS_RESULT);
	assert_int_equal(o.result.state, PRT_STATE_CLOSED);
	assert_int_equal(o.pair, 5 * 5 + 2 + 2);
	prt_port_list_free(&tcp);
}

/* -sV over UDP: a version probe's frame, and its answer known by its port alone. */
static void version_probes_name_their_index(void **state)
{
	struct prt_cls_ctx cx = ctx();
	const struct prt_addr target = prt_addr_from_v4(TARGET);
	struct prt_cookie c = prt_cookie_v4(&key, OUR_IP, TARGET, 161, IPPROTO_UDP, 40000, 1000);
	struct prt_probe_params params = {.saddr = OUR_IP, .ttl = 64};
	struct prt_probe_tmpl t = {.udp = &pl};
	uint8_t frame[2048];
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + 14);
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(ip + 1);
	struct prt_ip_view v;
	const uint8_t *data;
	size_t dlen;
	uint16_t tport;

	(void)state;
	prt_probe_udp.tmpl_init(&prt_probe_udp, &t, &params);
	for (uint32_t at = 0; at < 64; at++) {
		uint16_t sport = prt_udpv_sport(&cx.keys, &target, 161, at);
		uint16_t len = prt_udpv_craft(&t, frame, sizeof(frame), &target, sport, 161, 7,
			(const uint8_t *)"probe!", 6);
		size_t alen;
		/* never the port scan's own source port; always in the range */
		assert_int_not_equal(sport, c.sport);
		assert_true(sport >= 40000 && sport < 41000);
		assert_int_equal(len, 14 + 20 + 8 + 6);
		assert_int_equal(rte_ipv4_cksum(ip), 0);
		assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
		assert_memory_equal(udp + 1, "probe!", 6);
		/* the answer to it, to that source port, says which probe it was */
		alen = answer(frame, 161, (const uint8_t *)"\x30\x00", 2);
		((struct rte_udp_hdr *)(frame + 34))->dst_port = rte_cpu_to_be_16(sport);
		((struct rte_udp_hdr *)(frame + 34))->dgram_cksum = 0;
		((struct rte_udp_hdr *)(frame + 34))->dgram_cksum = rte_ipv4_udptcp_cksum(
			(struct rte_ipv4_hdr *)(frame + 14), frame + 34);
		assert_int_equal(prt_cls_ip_view(&cx, frame, alen, &v), PRT_CLS_RESULT);
		assert_int_equal(prt_udpv_answer(&cx.keys, &v, 64, &tport, &data, &dlen), (int)at);
		assert_int_equal(tport, 161);
		assert_int_equal(dlen, 2);
		/* a plan shorter than the index: not ours */
		assert_int_equal(prt_udpv_answer(&cx.keys, &v, at, &tport, &data, &dlen), -1);
		/* a bad checksum: not an answer */
		frame[alen - 1] ^= 0xff;
		assert_int_equal(prt_udpv_answer(&cx.keys, &v, 64, &tport, &data, &dlen), -1);
	}
	/* the port scan's own answer is left to the classifier */
	assert_int_equal(prt_cls_ip_view(&cx, frame, answer(frame, 161, (const uint8_t *)"\x30",
		1), &v), PRT_CLS_RESULT);
	assert_int_equal(prt_udpv_answer(&cx.keys, &v, 64, &tport, &data, &dlen), -1);
	/* a payload that does not fit the frame is refused */
	assert_int_equal(prt_udpv_craft(&t, frame, 60, &target, 40001, 161, 7, frame, 100), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_first_payload),
		cmocka_unit_test(payloads_parse),
		cmocka_unit_test(payload_errors_name_the_line),
		cmocka_unit_test(service_probe_payloads),
		cmocka_unit_test(datagrams_carry_payload_and_cookie),
		cmocka_unit_test(answers_are_open_when_they_echo_the_cookie),
		cmocka_unit_test(icmp_port_unreachable_is_closed),
		cmocka_unit_test(tcp_and_udp_side_by_side),
		cmocka_unit_test(version_probes_name_their_index),
	};
	return cmocka_run_group_tests_name("udp", tests, setup, teardown);
}
