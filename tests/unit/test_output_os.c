/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -O's result through every writer that prints it, into real files read
 * back: nmap's lines in -oN, its <os> element in -oX (parsed by a real XML
 * parser, the fingerprint's line breaks kept), the OS field of -oG, the
 * record of -oJ (parsed as JSON), and -oC's row of its own; the report
 * beside the verdict (uptime, sequences) where nmap writes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_output.h"

#define TS 1764201600123000000ULL
#define HOST {.b = {[10] = 0xff, [11] = 0xff, [12] = 198, [13] = 19, [14] = 0, [15] = 5}}

static const struct prt_result open22 = {.ts = TS, .addr = HOST, .port = 22, .proto = 6,
	.state = PRT_STATE_OPEN, .reason = PRT_REASON_SYN_ACK, .ttl = 64};
static const struct prt_output_summary sum = {.ips = 1, .ports = 1, .probes = 1, .replies = 1,
	.state_count = {1}, .start_ns = TS, .send_end_ns = TS + 1, .end_ns = TS + 2};

static const struct prt_os_out_class linux5 = {"general purpose", "Linux", "Linux", "5.X",
	"cpe:/o:linux:linux_kernel:5"};
static const struct prt_os_out_class axis = {"webcam", "AXIS", "embedded", "",
	"cpe:/h:axis:210a_network_camera"};

/* The testbed's verdict: no perfect match, three guesses, a printed fingerprint. */
static struct prt_host_os guessed(void)
{
	struct prt_host_os os = {.addr = HOST, .open_tcp = 22, .closed_tcp = 81,
		.closed_udp = 42850, .distance = 1, .tries = 5, .nmatches = 3,
		.fingerprint = "OS:SCAN(V=0.1.0%E=4)SEQ(SP=106%GCD=1%ISR=109%TI=Z%CI=Z%II=I%TS=21)O\n"
			"OS:PS(O1=M5B4ST11NWA)\n"};

	snprintf(os.m[0].name, sizeof(os.m[0].name), "Linux 5.3 - 5.4");
	os.m[0].accuracy = 0.96;
	os.m[0].line = 68140;
	os.m[0].nclasses = 1;
	os.m[0].c[0] = linux5;
	snprintf(os.m[1].name, sizeof(os.m[1].name), "AXIS 210A <camera> & \"co\"");
	os.m[1].accuracy = 0.94;
	os.m[1].line = 61815;
	os.m[1].nclasses = 2;
	os.m[1].c[0] = linux5;
	os.m[1].c[1] = axis;
	snprintf(os.m[2].name, sizeof(os.m[2].name), "Linux 2.4");
	os.m[2].accuracy = 0.80; /* more than ten points below the best: not listed */
	return os;
}

static bool verbose; /* -v for the writers of the next file */

static char *write_with(const struct prt_writer_ops *ops, const struct prt_host_os *os,
	const char *kind, const char *csv_fields)
{
	struct prt_output_opts opts = {.version = "9.9", .cmdline = "dpdk-prtip -- -O x",
		.scans = {{"syn", 6, NULL}}, .nscans = 1, .start_ns = TS, .os_detect = true,
		.csv_fields = csv_fields, .verbose = verbose};
	struct prt_output out;
	char path[64] = "/tmp/prt-os-XXXXXX", cmd[512], *text = calloc(1, 1 << 16);
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(prt_output_init(&out, &opts), 0);
	assert_int_equal(prt_output_add(&out, ops, path), 0);
	assert_int_equal(prt_output_write(&out, &open22), 0);
	assert_int_equal(prt_output_os(&out, os), 0);
	assert_int_equal(prt_output_close(&out, &sum), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(fread(text, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	if (kind != NULL) { /* a real parser reads it */
		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s=%s", getenv("PRT_CHECK_OUTPUTS"),
			kind, path);
		assert_int_equal(system(cmd), 0);
	}
	unlink(path);
	return text;
}

static char *write_one(const struct prt_writer_ops *ops, const struct prt_host_os *os,
	const char *kind)
{
	return write_with(ops, os, kind, NULL);
}

static void normal_prints_nmaps_lines(void **state)
{
	struct prt_host_os os = guessed();
	char *t;

	(void)state;
	t = write_one(&prt_writer_normal, &os, NULL);
	/* a fingerprint good enough to submit: no guesses, no classes unless asked */
	assert_null(strstr(t, "Aggressive OS guesses"));
	assert_null(strstr(t, "Device type"));
	assert_non_null(strstr(t, "No exact OS matches for host (If you know what OS is running "
		"on it, see https://nmap.org/submit/ ).\nTCP/IP fingerprint:\nOS:SCAN(V=0.1.0"));
	assert_non_null(strstr(t, "Network Distance: 1 hop\n"));
	free(t);
	os.guess = true;
	t = write_one(&prt_writer_normal, &os, NULL);
	assert_non_null(strstr(t, "Aggressive OS guesses: Linux 5.3 - 5.4 (96%), AXIS 210A "
		"<camera> & \"co\" (94%)\n"));
	assert_non_null(strstr(t, "Device type: general purpose|webcam\n"));
	assert_non_null(strstr(t, "Running (JUST GUESSING): Linux 5.X (96%), AXIS embedded (94%)\n"));
	assert_non_null(strstr(t, "OS CPE: cpe:/o:linux:linux_kernel:5 "
		"cpe:/h:axis:210a_network_camera\n"));
	free(t);
	/* a perfect match: its name and classes, no fingerprint */
	os.guess = false;
	os.nperfect = 1;
	os.m[0].accuracy = 1.0;
	t = write_one(&prt_writer_normal, &os, NULL);
	assert_non_null(strstr(t, "OS details: Linux 5.3 - 5.4\n"));
	assert_non_null(strstr(t, "Running: Linux 5.X\n"));
	assert_null(strstr(t, "TCP/IP fingerprint"));
	free(t);
	/* not good enough to submit: nmap says why it prints no fingerprint */
	os = guessed();
	snprintf(os.reason, sizeof(os.reason), "Missing a closed TCP port so results incomplete");
	os.closed_tcp = 0;
	t = write_one(&prt_writer_normal, &os, NULL);
	assert_non_null(strstr(t, "Warning: OSScan results may be unreliable"));
	assert_non_null(strstr(t, "No exact OS matches for host (test conditions non-ideal).\n"));
	assert_null(strstr(t, "TCP/IP fingerprint"));
	free(t);
}

static void xml_has_nmaps_os_element(void **state)
{
	struct prt_host_os os = guessed();
	char *t;

	(void)state;
	t = write_one(&prt_writer_xml, &os, "xml");
	assert_non_null(strstr(t, "</ports>\n<os><portused state=\"open\" proto=\"tcp\" "
		"portid=\"22\"/>\n<portused state=\"closed\" proto=\"tcp\" portid=\"81\"/>\n"
		"<portused state=\"closed\" proto=\"udp\" portid=\"42850\"/>\n"));
	assert_non_null(strstr(t, "<osmatch name=\"Linux 5.3 - 5.4\" accuracy=\"96\" "
		"line=\"68140\">\n<osclass type=\"general purpose\" vendor=\"Linux\" "
		"osfamily=\"Linux\" osgen=\"5.X\" accuracy=\"96\"><cpe>cpe:/o:linux:linux_kernel:5"
		"</cpe></osclass>\n"));
	assert_non_null(strstr(t, "name=\"AXIS 210A &lt;camera&gt; &amp; &quot;co&quot;\""));
	assert_null(strstr(t, "Linux 2.4"));
	assert_non_null(strstr(t, "<osfingerprint fingerprint=\"OS:SCAN(V=0.1.0%E=4)SEQ("
		"SP=106%GCD=1%ISR=109%TI=Z%CI=Z%II=I%TS=21)O&#xa;OS:PS(O1=M5B4ST11NWA)&#xa;\"/>"));
	assert_non_null(strstr(t, "</os>\n<distance value=\"1\"/>\n</host>"));
	free(t);
}

static void grepable_and_json(void **state)
{
	struct prt_host_os os = guessed();
	char *t;

	(void)state;
	t = write_one(&prt_writer_grepable, &os, NULL);
	assert_null(strstr(t, "\tOS: ")); /* nmap's field names perfect matches only */
	free(t);
	os.nperfect = 1;
	os.m[0].accuracy = 1.0;
	t = write_one(&prt_writer_grepable, &os, NULL);
	assert_non_null(strstr(t, "/\tOS: Linux 5.3 - 5.4\n"));
	free(t);
	t = write_one(&prt_writer_ndjson, &os, "json");
	assert_non_null(strstr(t, "{\"ip\":\"198.19.0.5\",\"os\":{\"perfect\":1,\"ports\":{"
		"\"open_tcp\":22,\"closed_tcp\":81,\"closed_udp\":42850},\"distance\":1,"
		"\"matches\":[{\"name\":\"Linux 5.3 - 5.4\",\"accuracy\":100,\"line\":68140,"
		"\"classes\":[{\"type\":\"general purpose\",\"vendor\":\"Linux\",\"family\":\"Linux\","
		"\"generation\":\"5.X\",\"cpe\":\"cpe:/o:linux:linux_kernel:5\"}]}"));
	free(t);
}

static void csv_row_per_host(void **state)
{
	struct prt_host_os os = guessed();
	char *t;

	(void)state;
	t = write_one(&prt_writer_csv, &os, NULL);
	assert_string_equal(t, "ip,port,proto,state,reason,ttl,ts,os,os_accuracy,os_cpe\n"
		"198.19.0.5,22,tcp,open,syn-ack,64,2025-11-27T00:00:00.123Z,,,\n"
		"198.19.0.5,,,,,,,Linux 5.3 - 5.4,96,cpe:/o:linux:linux_kernel:5\n");
	free(t);
	/* outside text is quoted; a host with no guess has empty OS cells */
	snprintf(os.m[0].name, sizeof(os.m[0].name), "=Linux \"5\", 6");
	t = write_with(&prt_writer_csv, &os, NULL, "os,ip");
	assert_string_equal(t, "os,ip\n,198.19.0.5\n\"'=Linux \"\"5\"\", 6\",198.19.0.5\n");
	free(t);
	os.nmatches = 0;
	t = write_with(&prt_writer_csv, &os, NULL, "ip,os_accuracy,os");
	assert_non_null(strstr(t, "\n198.19.0.5,,\n"));
	free(t);
	/* columns without an OS field: no row for the host */
	t = write_with(&prt_writer_csv, &os, NULL, "ip,port");
	assert_string_equal(t, "ip,port\n198.19.0.5,22\n");
	free(t);
}

/* The testbed's SEQ answers as the report carries them, booted two days ago. */
static struct prt_host_os sequenced(void)
{
	struct prt_host_os os = guessed();
	struct prt_os_out_seq *s = &os.seq;

	s->n = 6;
	for (unsigned i = 0; i < 6; i++) {
		s->isn[i] = 0x5f3a1c00u + 0x1111u * i;
		s->tsval[i] = 0xab00 + i;
	}
	s->ipid[1] = 0xbeef;
	s->index = 262;
	snprintf(s->difficulty, sizeof(s->difficulty), "Good luck!");
	snprintf(s->ipid_class, sizeof(s->ipid_class), "All zeros");
	snprintf(s->ts_class, sizeof(s->ts_class), "other");
	s->ts_values = true;
	s->lastboot = (int64_t)time(NULL) - 2 * 86400;
	return os;
}

static void sequence_report_where_nmap_writes_it(void **state)
{
	struct prt_host_os os = sequenced();
	char *t;

	(void)state;
	t = write_one(&prt_writer_xml, &os, "xml");
	assert_non_null(strstr(t, "</os>\n<uptime seconds=\"1728"));
	assert_non_null(strstr(t, "\" lastboot=\""));
	assert_non_null(strstr(t, "/>\n<distance value=\"1\"/>\n<tcpsequence index=\"262\" "
		"difficulty=\"Good luck!\" values=\"5F3A1C00,5F3A2D11,5F3A3E22,5F3A4F33,5F3A6044,"
		"5F3A7155\"/>\n<ipidsequence class=\"All zeros\" values=\"0,BEEF,0,0,0,0\"/>\n"
		"<tcptssequence class=\"other\" values=\"AB00,AB01,AB02,AB03,AB04,AB05\"/>\n"
		"</host>"));
	free(t);
	/* normal output says it with -v only, the uptime before the distance */
	t = write_one(&prt_writer_normal, &os, NULL);
	assert_null(strstr(t, "Uptime guess"));
	assert_null(strstr(t, "TCP Sequence Prediction"));
	free(t);
	verbose = true;
	t = write_one(&prt_writer_normal, &os, NULL);
	verbose = false;
	assert_non_null(strstr(t, "Uptime guess: 2.000 days (since "));
	assert_non_null(strstr(t, ")\nNetwork Distance: 1 hop\nTCP Sequence Prediction: "
		"Difficulty=262 (Good luck!)\nIP ID Sequence Generation: All zeros\n"));
	free(t);
	t = write_one(&prt_writer_grepable, &os, NULL);
	assert_non_null(strstr(t, "\tSeq Index: 262\tIP ID Seq: All zeros\n"));
	free(t);
	t = write_one(&prt_writer_ndjson, &os, "json");
	assert_non_null(strstr(t, ",\"distance\":1,\"uptime\":{\"seconds\":1728"));
	assert_non_null(strstr(t, "},\"tcp_sequence\":{\"index\":262,\"difficulty\":"
		"\"Good luck!\",\"values\":\"5F3A1C00,5F3A2D11,5F3A3E22,5F3A4F33,5F3A6044,5F3A7155\"},"
		"\"ipid_sequence\":{\"class\":\"All zeros\",\"values\":\"0,BEEF,0,0,0,0\"},"
		"\"tcp_ts_sequence\":{\"class\":\"other\",\"values\":\"AB00,AB01,AB02,AB03,AB04,"
		"AB05\"},\"matches\":["));
	free(t);
	/* three answers: the classes without the sequence; no timestamps: none listed */
	os.seq.n = 3;
	os.seq.index = -1;
	os.seq.ts_values = false;
	os.seq.lastboot = 0;
	snprintf(os.seq.ts_class, sizeof(os.seq.ts_class), "none returned (unsupported)");
	t = write_one(&prt_writer_xml, &os, "xml");
	assert_null(strstr(t, "<uptime"));
	assert_null(strstr(t, "<tcpsequence"));
	assert_non_null(strstr(t, "<ipidsequence class=\"All zeros\" values=\"0,BEEF,0\"/>\n"
		"<tcptssequence class=\"none returned (unsupported)\"/>\n"));
	free(t);
	t = write_one(&prt_writer_grepable, &os, NULL);
	assert_null(strstr(t, "Seq Index"));
	assert_non_null(strstr(t, "\tIP ID Seq: All zeros\n"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normal_prints_nmaps_lines),
		cmocka_unit_test(xml_has_nmaps_os_element),
		cmocka_unit_test(grepable_and_json),
		cmocka_unit_test(csv_row_per_host),
		cmocka_unit_test(sequence_report_where_nmap_writes_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
