/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -sV over UDP on main: nmap's plan for a port, nmap's walk over answers
 * recorded from dnsmasq 2.90 and net-snmp 5.9.3 (Debian 12), and what
 * snmp-info adds, its BER reader fed every cut of a real answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_snmp_info.h"
#include "prt_udp_version.h"

#define PROBES "/usr/share/nmap/nmap-service-probes"
#define ENTERPRISES "/usr/share/nmap/nselib/data/enterprise_numbers.txt"
#define CACHE "/tmp/prt-test-hscache-nmap" /* shared with test_match: compiled once */

/* dnsmasq 2.90's answer to DNSVersionBindReq */
static const char dnsmasq_hex[] =
	"0006858000010001000000000776657273696f6e0462696e640000100003c00c0010000300000000000d"
	"0c646e736d6173712d322e3930";
/* net-snmp's answers to SNMPv1public (community public) and SNMPv3GetRequest */
static const char snmp1_hex[] =
	"302b02010004067075626c6963a21e02044c33a7560201000201003010300e06082b060102010105000402"
	"766d";
static const char snmp3_hex[] =
	"306d020103300f02024a69020300ffe30401000201030421301f041180001f8880988957365982126b00"
	"0000000201010201000400040004003034041180001f8880988957365982126b000000000400a81d0202"
	"37f00201000201003011300f060a2b060106030f01010400410101";

static struct prt_sp_db db;
static struct prt_matcher *matcher;

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
	return n;
}

static int setup(void **state)
{
	char err[256];

	(void)state;
	if (access(PROBES, R_OK) != 0)
		return 0; /* each test skips */
	mkdir(CACHE, 0700);
	if (prt_sp_load(&db, PROBES, err, sizeof(err)) != 0 ||
	    prt_matcher_create(&db, CACHE, &matcher, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (matcher != NULL) {
		prt_matcher_free(matcher);
		prt_sp_free(&db);
	}
	return 0;
}

static int32_t plan_index(uint16_t port, const char *name)
{
	uint16_t plan[PRT_UDPV_PLAN_MAX];
	uint32_t n = prt_udpv_plan(&db, port, 7, plan, PRT_UDPV_PLAN_MAX);

	for (uint32_t i = 0; i < n; i++)
		if (strcmp(db.probes[plan[i]].name, name) == 0)
			return (int32_t)i;
	return -1;
}

static void plan_is_nmaps_order(void **state)
{
	uint16_t plan[PRT_UDPV_PLAN_MAX], few[PRT_UDPV_PLAN_MAX];
	uint32_t n, nfew;

	(void)state;
	if (matcher == NULL)
		skip();
	/* the probes that list the port first, in file order */
	assert_int_equal(plan_index(53, "DNSVersionBindReq"), 0);
	assert_int_equal(plan_index(53, "DNSStatusRequest"), 1);
	assert_int_equal(plan_index(161, "SNMPv1public"), 0);
	assert_int_equal(plan_index(161, "SNMPv3GetRequest"), 1);
	/* then the others up to the intensity's rarity, each once, UDP only */
	n = prt_udpv_plan(&db, 9999, 7, plan, PRT_UDPV_PLAN_MAX);
	assert_true(n > 10);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(db.probes[plan[i]].proto, IPPROTO_UDP);
		assert_true(db.probes[plan[i]].rarity <= 7);
		for (uint32_t k = 0; k < i; k++)
			assert_int_not_equal(plan[k], plan[i]);
	}
	/* --version-intensity 0: only the probes that list the port (nmap's rule) */
	nfew = prt_udpv_plan(&db, 161, 0, few, PRT_UDPV_PLAN_MAX);
	assert_int_equal(nfew, 2);
	assert_int_equal(prt_udpv_plan(&db, 9999, 0, few, PRT_UDPV_PLAN_MAX), 0);
}

static void dnsmasq_is_named_by_its_first_probe(void **state)
{
	struct prt_udpv *u;
	struct prt_udpv_answers a = {0};
	struct prt_banner b;
	uint8_t d[256];
	size_t len = unhex(dnsmasq_hex, d);

	(void)state;
	if (matcher == NULL)
		skip();
	u = prt_udpv_create(&db, matcher, 7, NULL);
	assert_non_null(u);
	/* nothing yet: the walk waits for its first probe */
	assert_false(prt_udpv_pick(u, &a, 53, false, &b));
	assert_int_equal(prt_udpv_add(u, &a, 53, 0, 64, d, len), 0);
	/* the first entry's hard match names the port at once */
	assert_true(prt_udpv_pick(u, &a, 53, false, &b));
	assert_true(b.has_svc);
	assert_int_equal(b.proto, IPPROTO_UDP);
	assert_string_equal(b.svc.service, "domain");
	assert_string_equal(b.svc.product, "dnsmasq");
	assert_string_equal(b.svc.version, "2.90");
	assert_string_equal(b.svc.cpe[0], "a:thekelleys:dnsmasq:2.90");
	assert_int_equal(b.len, len);
	/* an entry past the plan is refused; a repeat is ignored */
	assert_int_equal(prt_udpv_add(u, &a, 53, PRT_UDPV_PLAN_MAX, 64, d, len), -EINVAL);
	assert_int_equal(prt_udpv_add(u, &a, 53, 0, 64, d, len), 0);
	assert_int_equal(a.n, 1);
	prt_udpv_answers_free(&a);
	/* the same answer to a later probe: an earlier one may still answer */
	assert_int_equal(prt_udpv_add(u, &a, 5300, 3, 64, (const uint8_t *)"??", 2), 0);
	assert_false(prt_udpv_pick(u, &a, 5300, false, &b));
	/* when every wait is over, an answer nothing matched is reported as it came */
	assert_true(prt_udpv_pick(u, &a, 5300, true, &b));
	assert_false(b.has_svc);
	assert_int_equal(b.len, 2);
	prt_udpv_answers_free(&a);
	/* a port that answered nothing: decided when silence is final, nothing to say */
	assert_true(prt_udpv_pick(u, &a, 9999, true, &b));
	assert_int_equal(b.len, 0);
	assert_false(b.has_svc);
	prt_udpv_free(u);
}

static void net_snmp_gets_snmp_info(void **state)
{
	struct prt_udpv *u;
	struct prt_udpv_answers a = {0};
	struct prt_banner b;
	uint8_t v1[256], v3[256];
	size_t n1 = unhex(snmp1_hex, v1), n3 = unhex(snmp3_hex, v3);

	(void)state;
	if (matcher == NULL || access(ENTERPRISES, R_OK) != 0)
		skip();
	u = prt_udpv_create(&db, matcher, 7, ENTERPRISES);
	assert_non_null(u);
	assert_int_equal(prt_udpv_add(u, &a, 161, 0, 64, v1, n1), 0);
	/* SNMPv1public names it, but snmp-info waits for the SNMPv3 answer */
	assert_false(prt_udpv_pick(u, &a, 161, false, &b));
	assert_int_equal(prt_udpv_add(u, &a, 161, 1, 64, v3, n3), 0);
	assert_true(prt_udpv_pick(u, &a, 161, false, &b));
	assert_string_equal(b.svc.service, "snmp");
	assert_string_equal(b.svc.product, "SNMPv1 server; net-snmp SNMPv3 server");
	assert_string_equal(b.svc.info, "public");
	prt_udpv_answers_free(&a);
	/* the SNMPv3 answer alone: its own line says net-snmp, and the script
	 * adds to what was found as it always does */
	assert_int_equal(prt_udpv_add(u, &a, 161, 1, 64, v3, n3), 0);
	assert_true(prt_udpv_pick(u, &a, 161, true, &b));
	assert_true(b.has_svc);
	assert_string_equal(b.svc.product, "net-snmp; net-snmp SNMPv3 server");
	prt_udpv_answers_free(&a);
	prt_udpv_free(u);
}

static void snmp_answers_are_read_with_care(void **state)
{
	uint8_t v3[256], v1[256];
	size_t n3 = unhex(snmp3_hex, v3), n1 = unhex(snmp1_hex, v1);
	uint32_t ent = 0;
	struct prt_service_info info = {.product = "SNMPv1 server"};

	(void)state;
	assert_int_equal(prt_snmp_engine_enterprise(v3, n3, &ent), 0);
	assert_int_equal(ent, 8072);
	/* every cut of it is refused, never read past */
	for (size_t len = 0; len < 0x6f && len < n3; len++)
		assert_int_equal(prt_snmp_engine_enterprise(v3, len, &ent), -1);
	/* an SNMPv1 answer is not one; nor a length that claims more than is there */
	assert_int_equal(prt_snmp_engine_enterprise(v1, n1, &ent), -1);
	v3[1] = 0x84; /* long form, four bytes of length: far past the end */
	assert_int_equal(prt_snmp_engine_enterprise(v3, n3, &ent), -1);
	v3[1] = 0x80; /* indefinite length: not in SNMP */
	assert_int_equal(prt_snmp_engine_enterprise(v3, n3, &ent), -1);
	/* an enterprise with no name: its number */
	prt_snmp_info_apply(4242424, NULL, &info);
	assert_string_equal(info.product, "SNMPv1 server; 4242424 SNMPv3 server");
}

static void enterprise_names_come_from_nmaps_file(void **state)
{
	struct prt_enterprises *e;
	char path[] = "/tmp/prt-enterprises-XXXXXX";
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	/* comments and lines without a number are skipped */
	assert_true(write(fd, "# header\n0\tReserved\n9\tciscoSystems\n8072\tnet-snmp\nx\ty\n",
		53) == 53);
	close(fd);
	assert_int_equal(prt_enterprises_load(&e, path), 0);
	assert_string_equal(prt_enterprise_name(e, 8072), "net-snmp");
	assert_string_equal(prt_enterprise_name(e, 9), "ciscoSystems");
	assert_null(prt_enterprise_name(e, 10));
	prt_enterprises_free(e);
	/* out of order: refused, not searched wrongly */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(write(fd, "9\tb\n3\ta\n", 8) == 8);
	close(fd);
	assert_int_equal(prt_enterprises_load(&e, path), -EINVAL);
	unlink(path);
	assert_int_equal(prt_enterprises_load(&e, path), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_is_nmaps_order),
		cmocka_unit_test(dnsmasq_is_named_by_its_first_probe),
		cmocka_unit_test(net_snmp_gets_snmp_info),
		cmocka_unit_test(snmp_answers_are_read_with_care),
		cmocka_unit_test(enterprise_names_come_from_nmaps_file),
	};
	return cmocka_run_group_tests_name("udp_version", tests, setup, teardown);
}
