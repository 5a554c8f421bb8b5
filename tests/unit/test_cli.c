/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The option table (app/dpdk-prtip/cli_option.h) and what is made from it:
 * every row reachable by each of its spellings, none twice, all in --help
 * within 79 columns; the parser over nmap's spellings; the checkpoint's
 * option list.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_common.h"

#include "checkpoint.h"
#include "cli.h"
#include "cli_option.h"

#define ARGC(v) ((int)(sizeof(v) / sizeof((v)[0])))

static char *help_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	prt_usage(f);
	fclose(f);
	return buf;
}

/* Every option row, in order. */
static const struct cli_option *row_at(unsigned k)
{
	for (unsigned s = 0; prt_cli_sections[s] != NULL; s++) {
		if (k < prt_cli_sections[s]->n)
			return &prt_cli_sections[s]->options[k];
		k -= (unsigned)prt_cli_sections[s]->n;
	}
	return NULL;
}

static void test_every_spelling_finds_its_row_and_no_other(void **state)
{
	const struct cli_option *o;
	unsigned rows = 0;
	char tok[64];

	(void)state;
	for (unsigned k = 0; (o = row_at(k)) != NULL; k++) {
		if (o->parse == NULL) { /* a help line only (TARGET) */
			assert_null(o->name);
			assert_non_null(o->help);
			continue;
		}
		rows++;
		assert_true(o->name != NULL || o->letter != 0);
		if (o->name != NULL) {
			snprintf(tok, sizeof(tok), "--%s", o->name);
			assert_ptr_equal(prt_cli_option_find(tok), o);
			snprintf(tok, sizeof(tok), "--%s=x", o->name);
			assert_ptr_equal(prt_cli_option_find(tok), o);
			assert_int_equal(prt_cli_takes_next(tok), false);
		}
		if (o->letter != 0) {
			snprintf(tok, sizeof(tok), "-%c", o->letter);
			assert_ptr_equal(prt_cli_option_find(tok), o);
			assert_int_equal(prt_cli_takes_next(tok), o->arg == CLI_ARG_REQUIRED);
		}
		if (o->nmap != NULL) {
			assert_int_equal(strlen(o->nmap), 3); /* -oX, -sV, -PS */
			assert_ptr_equal(prt_cli_option_find(o->nmap), o);
		}
		/* getopt's value leads back to the row */
		for (unsigned j = 0; j < k; j++) {
			const struct cli_option *p = row_at(j);
			if (p->parse == NULL)
				continue;
			assert_false(o->name != NULL && p->name != NULL && strcmp(o->name, p->name) == 0);
			assert_false(o->letter != 0 && o->letter == p->letter);
			assert_false(o->nmap != NULL && p->nmap != NULL && strcmp(o->nmap, p->nmap) == 0);
		}
	}
	assert_true(rows > 80);
	assert_null(prt_cli_option_find("--no-such-option"));
	assert_null(prt_cli_option_find("-Q"));
}

static void test_getopt_table_has_every_row(void **state)
{
	struct option *longs;
	char *shorts;
	unsigned n = 0;

	(void)state;
	assert_int_equal(prt_cli_getopt_table(&longs, &shorts), 0);
	for (; longs[n].name != NULL; n++) {
		const struct cli_option *o = prt_cli_option_of(longs[n].val);
		assert_non_null(o);
		assert_string_equal(o->name, longs[n].name);
		assert_int_equal(longs[n].has_arg, o->arg == CLI_ARG_REQUIRED ? required_argument :
			o->arg == CLI_ARG_OPTIONAL ? optional_argument : no_argument);
	}
	assert_true(n > 80);
	assert_non_null(strstr(shorts, "p:"));
	assert_non_null(strstr(shorts, "T:"));
	assert_ptr_equal(prt_cli_option_of('F'), prt_cli_option_find("--fast"));
	free(longs);
	free(shorts);
}

/* Each row is in --help by the spelling users type, and no line is wider than 79. */
static void test_help_documents_every_row_in_79_columns(void **state)
{
	char *help = help_text(), tok[64];
	const struct cli_option *o;

	(void)state;
	for (char *line = help, *nl; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= 79);
	}
	for (unsigned k = 0; (o = row_at(k)) != NULL; k++) {
		if (o->parse == NULL)
			continue;
		if (o->nmap != NULL)
			snprintf(tok, sizeof(tok), "%s", o->nmap);
		else if (o->name != NULL)
			snprintf(tok, sizeof(tok), "--%s", o->name);
		else
			snprintf(tok, sizeof(tok), "-%c ", o->letter);
		assert_non_null(strstr(help, tok));
	}
	/* the scan types come from the probe registry, each with its name */
	assert_non_null(strstr(help, "-sO, --scan-type ipproto"));
	assert_non_null(strstr(help, "-sY, --scan-type sctpinit"));
	free(help);
}

/* The manual: the same rows, in man macros, every line troff reads as text
 * or as one of the macros written (a text line starting with '.' or '\''
 * would be a request). */
static void test_manual_has_every_row_as_troff(void **state)
{
	static const char *const macros[] = {".TH ", ".SH ", ".PP", ".TP", ".nf", ".fi", ".RS ",
		".RE", ".nh", ".ad l"};
	char *buf = NULL, tok[80];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const struct cli_option *o;

	(void)state;
	assert_non_null(f);
	prt_usage_man(f);
	fclose(f);
	assert_memory_equal(buf, ".TH DPDK\\-PRTIP 8 ", 18);
	for (char *line = buf, *nl; *line != '\0'; line = nl + 1) {
		bool known = false;
		nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_int_not_equal(line[0], '\'');
		for (size_t m = 0; m < sizeof(macros) / sizeof(macros[0]); m++)
			known |= strncmp(line, macros[m], strlen(macros[m])) == 0;
		assert_true(line[0] != '.' || known);
	}
	for (unsigned k = 0; (o = row_at(k)) != NULL; k++) {
		if (o->parse == NULL || o->name == NULL)
			continue;
		/* --max-rate as \-\-max\-rate */
		size_t n = (size_t)snprintf(tok, sizeof(tok), "\\-\\-");
		for (const char *c = o->name; *c != '\0' && n + 3 < sizeof(tok); c++)
			n += (size_t)snprintf(tok + n, sizeof(tok) - n, *c == '-' ? "\\-" : "%c", *c);
		if (o->nmap == NULL)
			assert_non_null(strstr(buf, tok));
	}
	assert_non_null(strstr(buf, "\\-sO, \\-\\-scan\\-type ipproto"));
	free(buf);
}

/* What bash's completion function offers for the words @p line (the last
 * one being completed), with the script the build installs. */
static char *complete_words(const char *script, const char *line)
{
	char cmd[1024], *out = calloc(1, 4096);
	FILE *p;

	snprintf(cmd, sizeof(cmd), "bash -c 'source %s; COMP_WORDS=(%s); "
		 "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _dpdk_prtip; echo \"${COMPREPLY[*]}\"'",
		 script, line);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(out);
	assert_non_null(fgets(out, 4096, p));
	assert_int_equal(pclose(p), 0);
	out[strcspn(out, "\n")] = '\0';
	return out;
}

static bool has_word(const char *words, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = words; (p = strstr(p, w)) != NULL; p += n)
		if ((p == words || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* The completion knows every row: each option's spellings complete from
 * their first letters; a FILE value completes to files, another value to
 * nothing; EAL's options before "--". */
static void test_bash_completion_offers_every_row(void **state)
{
	char script[] = "/tmp/prt-completion-XXXXXX", line[128], *got;
	const struct cli_option *o;
	int fd = mkstemp(script);
	FILE *f = fdopen(fd, "w");

	(void)state;
	assert_non_null(f);
	prt_usage_completion(f);
	fclose(f);
	got = complete_words(script, "dpdk-prtip -- -");
	for (unsigned k = 0; (o = row_at(k)) != NULL; k++) {
		char spelled[64];
		if (o->parse == NULL)
			continue;
		if (o->nmap != NULL)
			snprintf(spelled, sizeof(spelled), "%s", o->nmap);
		else if (o->name != NULL)
			snprintf(spelled, sizeof(spelled), "--%s", o->name);
		else
			snprintf(spelled, sizeof(spelled), "-%c", o->letter);
		assert_true(has_word(got, spelled));
	}
	assert_true(has_word(got, "-sS") && has_word(got, "-sO"));
	free(got);
	got = complete_words(script, "dpdk-prtip --no-pci -- --max-r");
	assert_string_equal(got, "--max-rate --max-retries --max-runtime");
	free(got);
	snprintf(line, sizeof(line), "dpdk-prtip -- -oX %.*s", (int)strlen(script) - 3, script);
	got = complete_words(script, line);
	assert_string_equal(got, script);
	free(got);
	got = complete_words(script, "dpdk-prtip -- -p 8");
	assert_string_equal(got, "");
	free(got);
	got = complete_words(script, "dpdk-prtip --file-pr");
	assert_string_equal(got, "--file-prefix");
	free(got);
	unlink(script);
}

static int parse(struct prt_app_conf *c, int argc, char **argv)
{
	return prt_cli_parse(argc, argv, c);
}

#define BASE "dpdk-prtip", "-S", "198.18.0.2", "--router-mac", "02:00:00:00:00:01", \
	"--allow-special-ranges", "--user", "root"

static void test_nmap_spellings_parse(void **state)
{
	struct prt_app_conf c;
	char *timing[] = {BASE, "-T4", "-Pn", "-p", "22", "-vv", "-n", "-6", "198.18.0.1"};
	char *arms[] = {BASE, "-sSU", "-p", "T:22,U:53", "-Pn", "198.18.0.1"};
	char *disc[] = {BASE, "-PS22,80", "-PE", "-p22", "198.18.0.0/30"};
	char *ipproto[] = {BASE, "-sO", "-Pn", "-p", "1,6,17", "-oX", "-", "198.18.0.1"};

	(void)state;
	assert_int_equal(parse(&c, ARGC(timing), timing), 0);
	assert_int_equal(c.rate, 1000000); /* -T4 */
	assert_true(c.wait_s == 1.25);
	assert_true(c.verbose);
	assert_int_equal(c.arms[0].ports.n, 1);
	prt_cli_free(&c);

	assert_int_equal(parse(&c, ARGC(arms), arms), 0);
	assert_int_equal(c.narms, 2);
	assert_ptr_equal(c.arms[0].probe, &prt_probe_syn);
	assert_ptr_equal(c.arms[1].probe, &prt_probe_udp);
	assert_int_equal(c.arms[0].ports.ports[0], 22);
	assert_int_equal(c.arms[1].ports.ports[0], 53);
	prt_cli_free(&c);

	assert_int_equal(parse(&c, ARGC(disc), disc), 0);
	assert_int_equal(c.discovery, PRT_DISCOVERY_BEFORE);
	assert_int_equal(c.ndisc, 2);
	assert_ptr_equal(c.disc[0].probe, &prt_probe_syn);
	assert_int_equal(c.disc[0].ports.n, 2); /* 22 and 80 */
	assert_ptr_equal(c.disc[1].probe, &prt_probe_echo);
	prt_cli_free(&c);

	assert_int_equal(parse(&c, ARGC(ipproto), ipproto), 0);
	assert_ptr_equal(c.arms[0].probe, &prt_probe_ipproto);
	assert_int_equal(c.arms[0].ports.n, 3);
	assert_int_equal(c.n_outputs, 1);
	assert_int_equal(c.outputs[0].format, 'X');
	assert_true(c.stdout_format);
	prt_cli_free(&c);
}

static void test_usage_errors_and_help(void **state)
{
	struct prt_app_conf c;
	char *bad[][12] = {
		{BASE, "-T9", "198.18.0.1"},
		{BASE, "-sC", "198.18.0.1"},
		{BASE, "-sSQ", "198.18.0.1"},
		{BASE, "-PE22", "198.18.0.1"},
		{BASE, "--sni", "a", "198.18.0.1"},
		{BASE, "-Pn", "-oX"},
		{BASE, "-vQ", "198.18.0.1"},
	};
	char *version[] = {BASE, "-V"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = 0;
		while (n < 12 && bad[i][n] != NULL)
			n++;
		assert_int_equal(parse(&c, n, bad[i]), -1);
		prt_cli_free(&c);
	}
	assert_int_equal(parse(&c, ARGC(version), version), 1);
	prt_cli_free(&c);
}

/* A checkpoint keeps the options that say which scan runs, not how. */
static void test_checkpoint_keeps_the_scan_options_only(void **state)
{
	char *argv[] = {"dpdk-prtip", "-p", "22", "--user", "root", "--checkpoint=ck",
		"--resume", "f", "--checkpoint-every", "5", "-T4", "198.18.0.1"};
	const char want[] = "-p\0" "22\0" "-T4\0" "198.18.0.1";
	uint32_t len;
	char *args = prt_checkpoint_args(ARGC(argv), argv, &len);

	(void)state;
	assert_non_null(args);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(args, want, sizeof(want));
	free(args);
}

/* -c FILE: its lines become arguments where -c stood; --echo writes a file
 * that reads back to the same arguments. */
static void test_conf_file_and_echo(void **state)
{
	char path[] = "/tmp/test_cli_conf_XXXXXX", *out = NULL;
	struct prt_cli_argv x;
	struct prt_app_conf c;
	size_t len = 0;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	(void)state;
	assert_non_null(f);
	fputs("# a scan\n\nsource-ip = 198.18.0.2\nrouter-mac=02:00:00:00:00:01\n"
	      "allow-special-ranges = true\nbanners = false\nPS\nports = 22,80 \n"
	      "user = root\ntarget = 198.18.0.0/30\n", f);
	fclose(f);
	char *argv[] = {"dpdk-prtip", "--rate", "5", "-c", path, "--rate", "7", "-v"};
	assert_int_equal(prt_cli_expand_conf(ARGC(argv), argv, &x), 0);
	const char *want[] = {"dpdk-prtip", "--rate", "5", "--source-ip=198.18.0.2",
		"--router-mac=02:00:00:00:00:01", "--allow-special-ranges", "--PS", "--ports=22,80",
		"--user=root", "198.18.0.0/30", "--rate", "7", "-v"};
	assert_int_equal(x.n, ARGC(want));
	for (int i = 0; i < x.n; i++)
		assert_string_equal(x.v[i], want[i]);
	assert_null(x.v[x.n]);
	/* the later --rate wins, as typed there */
	assert_int_equal(prt_cli_parse(x.n, x.v, &c), 0);
	assert_int_equal(c.rate, 7);
	assert_false(c.banners);
	assert_true(c.verbose);
	assert_ptr_equal(c.disc[0].probe, &prt_probe_syn); /* PS alone: nmap's port 80 */
	assert_int_equal(c.disc[0].ports.ports[0], 80);
	prt_cli_free(&c);

	/* a value that looks like -c is the option's */
	char *value[] = {"dpdk-prtip", "--datadir", "-c", "198.18.0.1"};
	prt_cli_argv_free(&x);
	assert_int_equal(prt_cli_expand_conf(ARGC(value), value, &x), 0);
	assert_int_equal(x.n, 4);
	prt_cli_argv_free(&x);

	/* --echo, read back, echoes the same */
	char *echo[] = {"dpdk-prtip", "-c", path, "-sSU", "-p", "T:22,U:53", "-oX", "-", "--echo"};
	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(prt_cli_expand_conf(ARGC(echo), echo, &x), 0);
	FILE *saved = stdout;
	stdout = f;
	assert_int_equal(prt_cli_parse(x.n, x.v, &c), 1);
	stdout = saved;
	fclose(f);
	prt_cli_free(&c);
	prt_cli_argv_free(&x);
	assert_non_null(strstr(out, "\nscan-type = syn\nscan-type = udp\n"));
	assert_non_null(strstr(out, "\nPS\n"));
	assert_non_null(strstr(out, "\nallow-special-ranges = true\n"));
	assert_non_null(strstr(out, "\ntarget = 198.18.0.0/30\n"));
	assert_null(strstr(out, "echo"));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(out, f);
	fclose(f);
	char *again[] = {"dpdk-prtip", "-c", path, "--echo"}, *out2 = NULL;
	f = open_memstream(&out2, &len);
	assert_int_equal(prt_cli_expand_conf(ARGC(again), again, &x), 0);
	stdout = f;
	assert_int_equal(prt_cli_parse(x.n, x.v, &c), 1);
	stdout = saved;
	fclose(f);
	assert_string_equal(out, out2);
	prt_cli_free(&c);
	prt_cli_argv_free(&x);
	free(out);
	free(out2);

	/* what a file may not say */
	static const char *const bad[] = {"bogus = 1\n", "banners = maybe\n", "rate\n",
		"conf = x\n", "target =\n", "--rate = 5\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = fopen(path, "w");
		fputs(bad[i], f);
		fclose(f);
		char *one[] = {"dpdk-prtip", "-c", path};
		assert_int_equal(prt_cli_expand_conf(ARGC(one), one, &x), -1);
	}
	char *missing[] = {"dpdk-prtip", "-c"};
	assert_int_equal(prt_cli_expand_conf(ARGC(missing), missing, &x), -1);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_spelling_finds_its_row_and_no_other),
		cmocka_unit_test(test_getopt_table_has_every_row),
		cmocka_unit_test(test_help_documents_every_row_in_79_columns),
		cmocka_unit_test(test_manual_has_every_row_as_troff),
		cmocka_unit_test(test_bash_completion_offers_every_row),
		cmocka_unit_test(test_nmap_spellings_parse),
		cmocka_unit_test(test_usage_errors_and_help),
		cmocka_unit_test(test_checkpoint_keeps_the_scan_options_only),
		cmocka_unit_test(test_conf_file_and_echo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
