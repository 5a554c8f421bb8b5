/* SPDX-License-Identifier: BSD-3-Clause */
/* Every writer through the output set, into real files, read back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "prt_output.h"

#define TS 1764201600123000000ULL /* 2025-11-27T00:00:00.123Z */
/* an IPv4 address as the record holds it (::ffff:a.b.c.d) */
#define V4(x) {.b = {[10] = 0xff, [11] = 0xff, [12] = (uint8_t)((x) >> 24), \
	[13] = (uint8_t)((x) >> 16), [14] = (uint8_t)((x) >> 8), [15] = (uint8_t)(x)}}

static const struct prt_result open80 = {.ts = TS, .addr = V4(0xc6130001), .port = 80, .proto = 6,
	.state = PRT_STATE_OPEN, .reason = PRT_REASON_SYN_ACK, .ttl = 64};
static const struct prt_result icmp22 = {.ts = TS, .addr = V4(0xc6130001), .port = 22, .proto = 6,
	.state = PRT_STATE_FILTERED, .reason = PRT_REASON_ICMP, .icmp_type = 3, .icmp_code = 13,
	.ttl = 250};
static const struct prt_result closed = {.ts = TS, .addr = V4(0xc6130001), .port = 23, .proto = 6,
	.state = PRT_STATE_CLOSED, .reason = PRT_REASON_RST, .ttl = 64};
static const struct prt_result silent = {.ts = TS, .addr = V4(0xc6130002), .port = 80, .proto = 6,
	.state = PRT_STATE_FILTERED, .reason = PRT_REASON_NO_RESPONSE};

static const struct prt_output_summary sum4 = {.ips = 2, .ports = 3, .probes = 6,
	.replies = 3, .state_count = {1, 1, 2}, .start_ns = TS,
	.send_end_ns = TS + 500000000ULL, .end_ns = TS + 2000000000ULL};

static char *tmp_path(void)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/prt-out-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return path;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);

	assert_non_null(f);
	assert_true(fread(buf, 1, (1 << 16) - 1, f) > 0);
	fclose(f);
	return buf;
}

/* Close @p out with @p sum; the text of its file at @p path, which is removed. */
static char *close_and_read(struct prt_output *out, const struct prt_output_summary *sum,
	const char *path)
{
	char *text;

	assert_int_equal(prt_output_close(out, sum), 0);
	text = slurp(path);
	unlink(path);
	return text;
}

static struct prt_output_opts base_opts(void)
{
	return (struct prt_output_opts){.version = "9.9", .cmdline = "dpdk-prtip -- -p 22-23,80 x",
		.scans = {{"syn", 6, NULL}}, .nscans = 1, .start_ns = TS, .stream_states = PRT_OUTPUT_ALL};
}

/* The four results through one writer into a file; returns its text. */
static char *run_writer(const struct prt_writer_ops *ops, const struct prt_output_opts *opts)
{
	struct prt_output out;
	char *path = tmp_path();

	assert_int_equal(prt_output_init(&out, opts), 0);
	assert_int_equal(prt_output_add(&out, ops, path), 0);
	assert_int_equal(prt_output_write(&out, &open80), 0);
	assert_int_equal(prt_output_write(&out, &icmp22), 0);
	assert_int_equal(prt_output_write(&out, &closed), 0);
	assert_int_equal(prt_output_write(&out, &silent), 0);
	return close_and_read(&out, &sum4, path);
}

static void ndjson_lines(void **state)
{
	struct prt_output_opts opts = base_opts();
	char *out = run_writer(&prt_writer_ndjson, &opts);

	(void)state;
	assert_non_null(strstr(out, "{\"ip\":\"198.19.0.1\",\"port\":80,\"proto\":\"tcp\","
		"\"state\":\"open\",\"reason\":\"syn-ack\",\"ttl\":64,"
		"\"ts\":\"2025-11-27T00:00:00.123Z\"}\n"));
	assert_non_null(strstr(out, "\"port\":22,\"proto\":\"tcp\",\"state\":\"filtered\","
		"\"reason\":\"admin-prohibited\",\"icmp_type\":3,\"icmp_code\":13,\"ttl\":250"));
	assert_non_null(strstr(out, "\"state\":\"filtered\",\"reason\":\"no-response\",\"ttl\":0"));
	int lines = 0;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 4);
	free(out);
}

/* By default the streams write what answered (masscan's and ZMap's way); a
 * state list rules every format: the per-host ones summarise what it leaves
 * out. */
static void output_states(void **state)
{
	struct prt_output_opts opts = base_opts();
	const struct prt_writer_ops *streams[] = {&prt_writer_ndjson, &prt_writer_list,
		&prt_writer_csv};
	uint32_t mask;
	char err[256], *out;

	(void)state;
	opts.stream_states = 0;
	for (size_t i = 0; i < 3; i++) {
		out = run_writer(streams[i], &opts);
		assert_non_null(strstr(out, "198.19.0.1"));
		assert_null(strstr(out, "198.19.0.2"));
		free(out);
	}
	assert_int_equal(prt_output_states_parse("open,closed", &mask, err, sizeof(err)), 0);
	opts.stream_states = opts.list_states = mask;
	out = run_writer(&prt_writer_list, &opts);
	assert_string_equal(out, "#masscan\n"
		"open tcp 80 198.19.0.1 1764201600\n"
		"closed tcp 23 198.19.0.1 1764201600\n"
		"# end\n");
	free(out);
	out = run_writer(&prt_writer_normal, &opts);
	assert_non_null(strstr(out, "80/tcp open"));
	assert_non_null(strstr(out, "23/tcp closed"));
	assert_null(strstr(out, "22/tcp"));
	assert_non_null(strstr(out, "Not shown: 1 filtered tcp port"));
	free(out);
	assert_int_equal(prt_output_states_parse("no-response", &mask, err, sizeof(err)), 0);
	assert_int_equal(mask, PRT_OUTPUT_SILENT);
	assert_int_equal(prt_output_states_parse("open|filtered,answered", &mask, err,
		sizeof(err)), 0);
	assert_int_equal(mask, PRT_OUTPUT_ANSWERED);
	assert_int_equal(prt_output_states_parse("open,shut", &mask, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'shut' is not a state"));
	assert_int_equal(prt_output_states_parse("", &mask, err, sizeof(err)), -1);
}

static void masscan_list(void **state)
{
	struct prt_output_opts opts = base_opts();
	char *out = run_writer(&prt_writer_list, &opts);

	(void)state;
	assert_string_equal(out, "#masscan\n"
		"open tcp 80 198.19.0.1 1764201600\n"
		"filtered tcp 22 198.19.0.1 1764201600\n"
		"closed tcp 23 198.19.0.1 1764201600\n"
		"filtered tcp 80 198.19.0.2 1764201600\n"
		"# end\n");
	free(out);
}

static void text_table(void **state)
{
	struct prt_output_opts opts = base_opts();
	char *out = run_writer(&prt_writer_text, &opts);

	(void)state;
	/* two ports of one host are few enough for nmap to list them all */
	assert_non_null(strstr(out, "Scan report for 198.19.0.1\n"
		"PORT   STATE    REASON\n"
		"22/tcp filtered admin-prohibited ttl 250\n"
		"23/tcp closed   reset ttl 64\n"
		"80/tcp open     syn-ack ttl 64\n"));
	assert_null(strstr(out, "198.19.0.2\n"));
	assert_non_null(strstr(out, "1 host did not answer on any scanned port (all filtered"));
	assert_non_null(strstr(out, "Scan done: 2 IPs x 3 ports, 6 probes, 3 replies: 1 open, "
		"1 closed, 2 filtered in 2.00 s (sending 0.50 s, 12 probes/s)"));
	free(out);

	/* nmap's --open: the rest is summarised, as nmap does */
	opts.only_open = true;
	out = run_writer(&prt_writer_text, &opts);
	assert_null(strstr(out, "23/tcp"));
	assert_non_null(strstr(out, "Not shown: 1 filtered tcp port (admin-prohibited), "
		"1 closed tcp port (reset)\nPORT   STATE REASON\n80/tcp open  syn-ack ttl 64"));
	free(out);
}

/* A FIN scan: host .1 drops 3 ports (open|filtered, listed) and resets 57;
 * host .2 drops 30 and resets 30 (more than nmap lists: both summarised);
 * host .3 is silent. Written through @p w into a file, returned. */
static char *fin_scan(const struct prt_writer_ops *w, const struct prt_output_opts *opts)
{
	struct prt_output_summary sum = {.ips = 3, .ports = 60};
	struct prt_result r = {.ts = TS, .proto = 6, .ttl = 64};
	struct prt_output out;
	char *path = tmp_path();

	assert_int_equal(prt_output_init(&out, opts), 0);
	assert_int_equal(prt_output_add(&out, w, path), 0);
	/* as the scan delivers them: every reply first, then the silent pairs */
	for (int quiet = 0; quiet <= 1; quiet++)
		for (uint16_t port = 1; port <= 60; port++) {
			for (uint32_t host = 1; host <= 2; host++) {
				bool dropped = port <= (host == 1 ? 3 : 30);
				if (dropped != (quiet == 1))
					continue;
				r.addr = prt_addr_from_v4(0xc6130000 + host);
				r.port = port;
				r.state = dropped ? PRT_STATE_OPEN_FILTERED : PRT_STATE_CLOSED;
				r.reason = dropped ? PRT_REASON_NO_RESPONSE : PRT_REASON_RST;
				assert_int_equal(prt_output_write(&out, &r), 0);
			}
		}
	r = (struct prt_result){.ts = TS, .addr = V4(0xc6130003), .port = 1, .proto = 6,
		.state = PRT_STATE_OPEN_FILTERED, .reason = PRT_REASON_NO_RESPONSE};
	assert_int_equal(prt_output_write(&out, &r), 0);
	sum.state_count[PRT_STATE_OPEN_FILTERED] = 34;
	sum.state_count[PRT_STATE_CLOSED] = 87;
	return close_and_read(&out, &sum, path);
}

static void text_table_stealth_states(void **state)
{
	struct prt_output_opts opts = base_opts();
	char *buf = fin_scan(&prt_writer_text, &opts);

	(void)state;
	assert_non_null(strstr(buf, "Scan report for 198.19.0.1\n"
		"Not shown: 57 closed tcp ports (reset)\n"
		"PORT  STATE         REASON\n"
		"1/tcp open|filtered no-response\n"
		"2/tcp open|filtered no-response\n"
		"3/tcp open|filtered no-response\n"));
	assert_non_null(strstr(buf, "Scan report for 198.19.0.2\n"
		"All 60 scanned ports on 198.19.0.2 are in ignored states.\n"
		"Not shown: 30 closed tcp ports (reset), 30 open|filtered tcp ports (no-response)\n"));
	assert_non_null(strstr(buf, "1 host did not answer on any scanned port "
		"(all open|filtered, not listed)"));
	assert_non_null(strstr(buf, "87 closed, 0 filtered, 34 open|filtered in"));
	free(buf);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* nmap's --open: the states a port may be open in (open|filtered too), in
 * every format; a host with none is left out. */
static void open_means_nmaps_open(void **state)
{
	struct prt_output_opts opts = base_opts();
	char *buf;

	(void)state;
	opts.only_open = true;
	buf = fin_scan(&prt_writer_ndjson, &opts);
	assert_int_equal(count_of(buf, "\"state\":\"open|filtered\""), 34);
	assert_int_equal(count_of(buf, "\n"), 34); /* and nothing closed */
	free(buf);
	buf = fin_scan(&prt_writer_grepable, &opts);
	assert_non_null(strstr(buf, "Host: 198.19.0.1 ()\tPorts: 1/open|filtered/tcp//"));
	assert_null(strstr(buf, "198.19.0.2")); /* its 30 are summarised: nothing to list */
	assert_null(strstr(buf, "198.19.0.3")); /* it never answered */
	assert_null(strstr(buf, "/closed/"));
	free(buf);
	opts.xml_stylesheet = "/usr/share/nmap/nmap&.xsl";
	buf = fin_scan(&prt_writer_xml, &opts);
	assert_non_null(strstr(buf, "<!DOCTYPE nmaprun>\n<?xml-stylesheet "
		"href=\"file:///usr/share/nmap/nmap&amp;.xsl\" type=\"text/xsl\"?>\n"));
	assert_int_equal(count_of(buf, "<host "), 1);
	assert_int_equal(count_of(buf, "<state state=\"open|filtered\""), 3);
	assert_non_null(strstr(buf, "<extraports state=\"closed\" count=\"57\""));
	free(buf);
}

/* A two-line nmap-services for the SERVICE column. */
static struct prt_service_names *services(void)
{
	static struct prt_service_names names;
	char *path = tmp_path();
	FILE *f = fopen(path, "w");

	/* a name with markup names nothing: every format prints names as they are */
	fputs("# comment\nssh\t22/tcp\t0.18\nhttp\t80/tcp\t0.48\nhttp\t80/udp\t0.001\n"
		"x\"/><a>\t25/tcp\t0.1\nX11:1\t6001/tcp\t0.1\n", f);
	fclose(f);
	assert_int_equal(prt_service_names_load(&names, path), 0);
	assert_string_equal(prt_service_name(&names, 6, 80), "http");
	assert_null(prt_service_name(&names, 6, 23));
	assert_null(prt_service_name(&names, 6, 25));
	assert_string_equal(prt_service_name(&names, 6, 6001), "X11:1");
	/* -sO's names: nmap-protocols' "name number" lines */
	f = fopen(path, "w");
	fputs("# comment\nicmp 1 # Internet Control Message\na/n 107\n<b> 9\nbig 300\n", f);
	fclose(f);
	assert_int_equal(prt_service_names_add_protocols(&names, path), 0);
	unlink(path);
	assert_string_equal(prt_service_name(&names, 0, 1), "icmp");
	assert_string_equal(prt_service_name(&names, 0, 107), "a/n");
	assert_null(prt_service_name(&names, 0, 9));
	assert_string_equal(prt_service_name(&names, 6, 22), "ssh"); /* the ports' names stay */
	return &names;
}

static void nmap_normal(void **state)
{
	struct prt_output_opts opts = base_opts();
	char *out;

	(void)state;
	opts.services = services();
	out = run_writer(&prt_writer_normal, &opts);
	assert_non_null(strstr(out, "# dpdk-prtip 9.9 scan initiated Thu Nov 27 00:00:00 2025 as: "
		"dpdk-prtip -- -p 22-23,80 x\n"));
	assert_non_null(strstr(out, "\nNmap scan report for 198.19.0.1\n"
		"Host is up, received user-set.\n"
		"PORT   STATE    SERVICE\n"
		"22/tcp filtered ssh\n"
		"23/tcp closed   unknown\n"
		"80/tcp open     http\n"));
	assert_non_null(strstr(out, "# dpdk-prtip done at Thu Nov 27 00:00:02 2025 -- 2 IP "
		"addresses (1 host up) scanned in 2.00 seconds\n"));
	free(out);

	opts.reason = true;
	out = run_writer(&prt_writer_normal, &opts);
	assert_non_null(strstr(out, "PORT   STATE    SERVICE REASON\n"
		"22/tcp filtered ssh     admin-prohibited ttl 250\n"
		"23/tcp closed   unknown reset ttl 64\n"
		"80/tcp open     http    syn-ack ttl 64\n"));
	free(out);
	prt_service_names_free((struct prt_service_names *)opts.services);
}

static void nmap_grepable(void **state)
{
	struct prt_output_opts opts = base_opts();
	char *out;

	(void)state;
	opts.services = services();
	out = run_writer(&prt_writer_grepable, &opts);
	assert_non_null(strstr(out, "# dpdk-prtip 9.9 scan initiated "));
	assert_non_null(strstr(out, "Host: 198.19.0.1 ()\tStatus: Up\n"
		"Host: 198.19.0.1 ()\tPorts: 22/filtered/tcp//ssh///, 23/closed/tcp/////, "
		"80/open/tcp//http///\n"));
	assert_non_null(strstr(out, "# dpdk-prtip done at "));
	free(out);
	prt_service_names_free((struct prt_service_names *)opts.services);
}

static void nmap_xml(void **state)
{
	struct prt_output_opts opts = base_opts();
	struct prt_port_list ports;
	char err[64], *out;

	(void)state;
	prt_port_list_init(&ports);
	assert_int_equal(prt_port_list_add_spec(&ports, "22-23,80", err, sizeof(err)), 0);
	assert_int_equal(prt_port_list_finalize(&ports, NULL), 0);
	opts.scans[0].ports = &ports;
	opts.cmdline = "dpdk-prtip -- --exclude a&b <x> \"q\" --open";
	out = run_writer(&prt_writer_xml, &opts);
	assert_true(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n",
		56) == 0);
	/* no "--" inside the comment, every special character escaped in the attribute */
	assert_non_null(strstr(out, "as: dpdk-prtip -&#45; -&#45;exclude a&amp;b &lt;x&gt; "
		"&quot;q&quot; -&#45;open -->\n"));
	assert_non_null(strstr(out, "<nmaprun scanner=\"dpdk-prtip\" args=\"dpdk-prtip -- "
		"--exclude a&amp;b &lt;x&gt; &quot;q&quot; --open\" start=\"1764201600\""));
	assert_non_null(strstr(out, "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"3\" "
		"services=\"22-23,80\"/>"));
	assert_non_null(strstr(out, "<port protocol=\"tcp\" portid=\"22\"><state state=\"filtered\" "
		"reason=\"admin-prohibited\" reason_ttl=\"250\"/><service name=\"unknown\" "
		"method=\"table\" conf=\"3\"/></port>"));
	assert_non_null(strstr(out, "<hosts up=\"1\" down=\"1\" total=\"2\"/>\n</runstats>\n"
		"</nmaprun>\n"));
	free(out);
	opts.xml_scanner_nmap = true;
	out = run_writer(&prt_writer_xml, &opts);
	assert_non_null(strstr(out, "<nmaprun scanner=\"nmap\""));
	free(out);
	prt_port_list_free(&ports);
}

static void csv_fields(void **state)
{
	struct prt_output_opts opts = base_opts();
	char err[160], *out;

	(void)state;
	out = run_writer(&prt_writer_csv, &opts);
	assert_string_equal(out, "ip,port,proto,state,reason,ttl,ts\n"
		"198.19.0.1,80,tcp,open,syn-ack,64,2025-11-27T00:00:00.123Z\n"
		"198.19.0.1,22,tcp,filtered,admin-prohibited,250,2025-11-27T00:00:00.123Z\n"
		"198.19.0.1,23,tcp,closed,reset,64,2025-11-27T00:00:00.123Z\n"
		"198.19.0.2,80,tcp,filtered,no-response,0,2025-11-27T00:00:00.123Z\n");
	free(out);
	opts.csv_fields = "state,ip,icmp_code,ts_unix";
	out = run_writer(&prt_writer_csv, &opts);
	assert_non_null(strstr(out, "state,ip,icmp_code,ts_unix\nopen,198.19.0.1,0,1764201600\n"
		"filtered,198.19.0.1,13,1764201600\n"));
	free(out);
	assert_int_equal(prt_csv_fields_valid("ip,port", err, sizeof(err)), 0);
	assert_int_equal(prt_csv_fields_valid("ip,bogus", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown field 'bogus'"));
	assert_int_equal(prt_csv_fields_valid("ip,", err, sizeof(err)), -1);
	assert_int_equal(prt_csv_fields_valid("", err, sizeof(err)), -1);
}

static void append_and_discard_keep_old_content(void **state)
{
	struct prt_output_opts opts = base_opts();
	struct prt_output out;
	char *path = tmp_path(), *text;
	FILE *f = fopen(path, "w");

	(void)state;
	fputs("earlier\n", f);
	fclose(f);
	opts.append = true;
	/* a failed start: the file is as it was */
	assert_int_equal(prt_output_init(&out, &opts), 0);
	assert_int_equal(prt_output_add(&out, &prt_writer_list, path), 0);
	prt_output_discard(&out);
	text = slurp(path);
	assert_string_equal(text, "earlier\n");
	free(text);
	/* a scan: added after it */
	assert_int_equal(prt_output_init(&out, &opts), 0);
	assert_int_equal(prt_output_add(&out, &prt_writer_list, path), 0);
	assert_int_equal(prt_output_write(&out, &open80), 0);
	assert_int_equal(prt_output_close(&out, &sum4), 0);
	text = slurp(path);
	assert_string_equal(text, "earlier\n#masscan\nopen tcp 80 198.19.0.1 1764201600\n# end\n");
	free(text);
	/* an XML document holds one scan: appending to a non-empty one is refused */
	assert_int_equal(prt_output_init(&out, &opts), 0);
	assert_int_equal(prt_output_add(&out, &prt_writer_xml, path), -EEXIST);
	prt_output_discard(&out);
	unlink(path);
}

/* A checkpoint's host table comes back as it was: the tables print the same. */
/* The silent pairs of a host that never answered: the outputs only count
 * the host, so one result stands for all (the end of a scan writes one per
 * host, not one per pair) and every format reads the same either way; not
 * so when a stream writes silent states or the host answered. */
static char *silent_host_written(const struct prt_writer_ops *ops, unsigned times)
{
	struct prt_output_opts opts = base_opts();
	struct prt_output out;
	struct prt_result r = silent;
	char *path = tmp_path();

	opts.stream_states = 0; /* the default: streams write what answered */
	assert_int_equal(prt_output_init(&out, &opts), 0);
	assert_int_equal(prt_output_add(&out, ops, path), 0);
	assert_int_equal(prt_output_write(&out, &open80), 0);
	/* a host in the table lists its silent ports: each counts (the streams keep none) */
	assert_int_equal(prt_output_counts_only(&out, &(struct prt_result){.addr = open80.addr,
		.port = 81, .proto = 6, .state = PRT_STATE_FILTERED,
		.reason = PRT_REASON_NO_RESPONSE}), !ops->by_host);
	assert_true(prt_output_counts_only(&out, &silent));
	for (unsigned i = 0; i < times; i++, r.port++)
		assert_int_equal(prt_output_write(&out, &r), 0);
	return close_and_read(&out, &sum4, path);
}

static void silent_host_counts_only(void **state)
{
	const struct prt_writer_ops *ops[] = {&prt_writer_normal, &prt_writer_grepable,
		&prt_writer_xml, &prt_writer_ndjson, &prt_writer_csv, &prt_writer_text};
	struct prt_output_opts opts = base_opts(); /* streams write every state */
	struct prt_output out;

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		char *once = silent_host_written(ops[i], 1), *each = silent_host_written(ops[i], 3);
		assert_string_equal(once, each);
		free(once);
		free(each);
	}
	assert_int_equal(prt_output_init(&out, &opts), 0);
	assert_false(prt_output_counts_only(&out, &silent));
	assert_false(prt_output_counts_only(&out, &open80)); /* an answer is no count */
	assert_int_equal(prt_output_close(&out, &sum4), 0);
}

static void host_table_save_and_restore(void **state)
{
	struct prt_output_opts opts = base_opts();
	struct prt_output a, b;
	char *pa = strdup(tmp_path()), *pb = strdup(tmp_path()), *ta, *tb;
	struct prt_result r = {.ts = TS, .proto = 6, .ttl = 64};
	FILE *f = tmpfile();

	(void)state;
	assert_int_equal(prt_output_init(&a, &opts), 0);
	assert_int_equal(prt_output_add(&a, &prt_writer_normal, pa), 0);
	for (uint16_t port = 1; port <= 40; port++)
		for (uint32_t host = 1; host <= 3; host++) {
			r.addr = prt_addr_from_v4(0xc6130000 + host);
			r.port = port;
			r.state = port % 7 == 0 ? PRT_STATE_OPEN : PRT_STATE_CLOSED;
			r.reason = port % 7 == 0 ? PRT_REASON_SYN_ACK : PRT_REASON_RST;
			assert_int_equal(prt_output_write(&a, &r), 0);
		}
	assert_int_equal(prt_hosts_save(prt_output_hosts(&a), f), 0);
	rewind(f);
	assert_int_equal(prt_output_init(&b, &opts), 0);
	assert_int_equal(prt_output_add(&b, &prt_writer_normal, pb), 0);
	assert_int_equal(prt_hosts_restore(prt_output_hosts(&b), f), 0);
	assert_int_equal(prt_output_close(&a, &sum4), 0);
	assert_int_equal(prt_output_close(&b, &sum4), 0);
	ta = slurp(pa);
	tb = slurp(pb);
	assert_string_equal(ta, tb);
	assert_non_null(strstr(ta, "Not shown: 35 closed tcp ports (reset)"));
	/* a damaged (cut) table is refused, not half believed */
	char head[30];
	FILE *cut = tmpfile();
	rewind(f);
	assert_int_equal(fread(head, 1, sizeof(head), f), sizeof(head));
	fwrite(head, 1, sizeof(head), cut);
	rewind(cut);
	assert_int_equal(prt_output_init(&b, &opts), 0);
	assert_int_equal(prt_hosts_restore(prt_output_hosts(&b), cut), -EINVAL);
	prt_output_discard(&b);
	fclose(cut);
	fclose(f);
	unlink(pa);
	unlink(pb);
	free(ta);
	free(tb);
	free(pa);
	free(pb);
}

/* Restore @p len bytes of @p buf into a fresh table and view every host as
 * the writers would: a refusal is fine, a crash or a bad index is not. */
static int restore_bytes(const uint8_t *buf, size_t len)
{
	struct prt_hosts t;
	FILE *f = tmpfile();
	int rc;

	assert_int_equal(prt_hosts_init(&t), 0);
	if (len > 0)
		assert_int_equal(fwrite(buf, 1, len, f), len);
	rewind(f);
	rc = prt_hosts_restore(&t, f);
	if (rc == 0) {
		assert_int_equal(prt_hosts_sort(&t), 0);
		for (size_t i = 0; i < t.count; i++) {
			struct prt_host_view v;
			assert_int_equal(prt_host_view_init(t.sorted[i], PRT_OUTPUT_ALL, false, &v), 0);
			prt_host_view_free(&v);
		}
	}
	prt_hosts_free(&t);
	fclose(f);
	return rc;
}

/* A tampered host table (a checkpoint's tail): states and reasons out of
 * range, groups whose ports disagree with their kind, every cut and every bit
 * flip. Each is refused or restored consistently, never read out of bounds. */
static void host_table_tampered(void **state)
{
	struct prt_hosts t;
	struct prt_result r = {.ts = TS, .proto = 6, .ttl = 64};
	uint8_t buf[4096], bad[4096];
	size_t len;
	FILE *f = tmpfile();
	/* count (8), address (16), two times (16), ngroups (1), then the kind:
	 * port (2), proto (1), state (1), reason (1) */
	const size_t state_at = 8 + 16 + 16 + 1 + 3, reason_at = state_at + 1;

	(void)state;
	assert_int_equal(prt_hosts_init(&t), 0);
	r.addr = prt_addr_from_v4(0xc6130001);
	for (uint16_t port = 1; port <= 30; port++) {
		r.port = port;
		r.state = port % 7 == 0 ? PRT_STATE_OPEN : PRT_STATE_CLOSED;
		r.reason = port % 7 == 0 ? PRT_REASON_SYN_ACK : PRT_REASON_RST;
		assert_int_equal(prt_hosts_add(&t, &r), 0);
	}
	assert_int_equal(prt_hosts_save(&t, f), 0);
	prt_hosts_free(&t);
	len = (size_t)ftell(f);
	assert_true(len < sizeof(buf));
	rewind(f);
	assert_int_equal(fread(buf, 1, len, f), len);
	fclose(f);
	assert_int_equal(restore_bytes(buf, len), 0);
	const uint8_t values[] = {PRT_STATE_COUNT, 200, 255};
	for (size_t v = 0; v < sizeof(values); v++) {
		memcpy(bad, buf, len);
		bad[state_at] = values[v];
		assert_int_equal(restore_bytes(bad, len), -EINVAL);
		memcpy(bad, buf, len);
		bad[reason_at] = values[v];
		assert_int_equal(restore_bytes(bad, len), -EINVAL);
	}
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(restore_bytes(buf, cut), -EINVAL);
	/* fuzz_host_table: a group that keeps a count but no port (its ports array
	 * NULL) was copied from NULL when viewed (UBSan) */
	{
		const uint8_t one[] = {1, 0, 0, 0, 0, 0, 0, 0};
		const size_t n_at = state_at - 3 + 8 + 8;
		memcpy(bad, buf, n_at);
		memcpy(bad, one, sizeof(one)); /* one host */
		memset(bad + 8 + 16 + 16, 1, 1); /* one group */
		memset(bad + n_at - 8, 0, 8);
		bad[n_at - 8] = 3;              /* three ports counted, so listed, not summarised */
		memset(bad + n_at, 0, 4);       /* n = 0, so no port follows */
		memset(bad + n_at + 4, 0, 4);   /* no banners */
		assert_int_equal(restore_bytes(bad, n_at + 8), 0);
	}
	for (size_t bit = 0; bit < len * 8; bit++) {
		memcpy(bad, buf, len);
		bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		int rc = restore_bytes(bad, len);
		assert_true(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
	}
}

static void unwritable_path_and_discard(void **state)
{
	struct prt_output_opts opts = base_opts();
	struct prt_output out;
	char *path = tmp_path();

	(void)state;
	assert_int_equal(prt_output_init(&out, &opts), 0);
	assert_int_equal(prt_output_add(&out, &prt_writer_ndjson, "/nonexistent/dir/x"), -ENOENT);
	assert_int_equal(prt_output_add(&out, &prt_writer_list, path), 0);
	assert_int_equal(access(path, F_OK), 0);
	prt_output_discard(&out);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_ptr_equal(prt_writer_find('J'), &prt_writer_ndjson);
	assert_ptr_equal(prt_writer_find('L'), &prt_writer_list);
	assert_ptr_equal(prt_writer_find('X'), &prt_writer_xml);
	assert_null(prt_writer_find('Q'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ndjson_lines),
		cmocka_unit_test(output_states),
		cmocka_unit_test(masscan_list),
		cmocka_unit_test(text_table),
		cmocka_unit_test(text_table_stealth_states),
		cmocka_unit_test(open_means_nmaps_open),
		cmocka_unit_test(nmap_normal),
		cmocka_unit_test(nmap_grepable),
		cmocka_unit_test(nmap_xml),
		cmocka_unit_test(csv_fields),
		cmocka_unit_test(append_and_discard_keep_old_content),
		cmocka_unit_test(silent_host_counts_only),
		cmocka_unit_test(host_table_save_and_restore),
		cmocka_unit_test(host_table_tampered),
		cmocka_unit_test(unwritable_path_and_discard),
	};
	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
