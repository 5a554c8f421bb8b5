/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --help, made from the sections' prose and option rows: a row's spelling
 * and help paragraph, wrapped to 79 columns. A paragraph that starts with a
 * space is printed as written (commands, tables). No row can be missing
 * from --help or stale in it: getopt's table comes from the same rows. The
 * manual page walks the same document in another style (cli_man.c).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"

#define WIDTH 79
#define INDENT 4
#define HELP_COL 25

static const struct cli_section name_section = {
	.title = "NAME",
	.intro = "dpdk-prtip - DPDK poll-mode network scanner (TCP, UDP, SCTP, ICMP, IP "
		"protocols, ARP; IPv4, IPv6; versions and certificates)",
};

static const struct cli_section synopsis_section = {
	.title = "SYNOPSIS",
	.intro = " dpdk-prtip [EAL options] -- -S SOURCE-IP\n"
		"            (--router-ip IP | --router-mac MAC) [options] TARGET...\n"
		" dpdk-prtip db [--db URL] list | show SCAN | diff SCAN_A SCAN_B\n"
		"            | export SCAN -oX|-oN|-oG|-oJ|-oL|-oC FILE | report SCAN -o FILE\n"
		" dpdk-prtip --check-setup [EAL options]",
};

static const struct cli_section description_section = {
	.title = "DESCRIPTION",
	.intro = "Sends probes (TCP SYN by default) from a DPDK port to every (address, port) "
		"pair of the targets in a seeded pseudo-random order, and reports each pair with "
		"nmap's state for the scan type: a SYN scan says open (SYN-ACK), closed (RST) or "
		"filtered (ICMP unreachable, or no answer after the retries and the wait). Replies "
		"are validated statelessly with a keyed SipHash cookie in the sequence (or "
		"acknowledgment) number and source port. The scanner owns its source address: it "
		"answers ARP for it; no kernel interface may carry that address, or the kernel "
		"would reset the probes' replies.\n\n"
		"EAL options come first (see dpdk docs); at least three lcores are needed: the main "
		"lcore (control, output, progress, telemetry), one TX and one RX lcore. By default "
		"the last worker lcore receives and all others transmit. Example on a veth:\n\n"
		"     --no-pci --file-prefix scan1 --lcores '0@0,1@1,2@0'\n"
		"     --in-memory --vdev net_af_packet0,iface=veth0\n\n"
		"nmap's single-dash options keep their meaning (-sS, -oX, -iL, -Pn, -T4); "
		"nmap options this scanner lacks are refused with what to use instead.",
};

static const struct cli_section telemetry_section = {
	.title = "TELEMETRY",
	.intro = "While it runs, DPDK's telemetry socket (mode 0600) answers /prtip/stats, "
		"/prtip/config, /prtip/lcores, /prtip/ratelim, /prtip/tcp, /prtip/match and "
		"/prtip/rate,PPS (never above --bandwidth's rate), e.g.\n\n"
		"   echo /prtip/stats | dpdk-telemetry.py -f PREFIX\n\n"
		"--metrics ADDR:PORT serves the same numbers (and the port's ethdev counters) to "
		"Prometheus as GET /metrics.",
};

static const struct cli_section exit_section = {
	.title = "EXIT STATUS",
	.intro = "0 scan complete; 1 runtime failure (port, ARP, output file); 2 usage error; "
		"130 interrupted (SIGINT/SIGTERM): outputs are flushed and closed valid.",
};

static const struct cli_section example_section = {
	.title = "EXAMPLE",
	.intro = " dpdk-prtip --no-pci --in-memory --file-prefix scan1 \\\n"
		"     --lcores '0@0,1@1,2@0' --vdev net_af_packet0,iface=veth0 -- \\\n"
		"     -S 198.18.0.2 --router-ip 198.18.0.1 --allow-special-ranges \\\n"
		"     -p 22,80,443 --rate 50000 -oJ out.ndjson 198.19.0.0/20",
};

const struct cli_section *const prt_cli_sections[] = {
	&name_section,
	&synopsis_section,
	&description_section,
	&prt_cli_section_scan_types,
	&prt_cli_section_discovery,
	&prt_cli_section_sessions,
	&prt_cli_section_osscan,
	&prt_cli_section_targets,
	&prt_cli_section_ports,
	&prt_cli_section_addresses,
	&prt_cli_section_timing,
	&prt_cli_section_order,
	&prt_cli_section_resume,
	&prt_cli_section_output,
	&prt_cli_section_conf,
	&telemetry_section,
	&prt_cli_section_misc,
	&exit_section,
	&example_section,
	NULL,
};

void prt_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("dpdk-prtip: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'dpdk-prtip -- --help' for the options.\n", stderr);
}

/* @p text's words from column @p col (the cursor is there), lines wrapped to
 * WIDTH and continued at @p indent. */
static void wrap(FILE *f, const char *text, size_t len, int col, int indent)
{
	const char *p = text, *end = text + len;
	bool first = true;

	while (p < end) {
		const char *w = p;
		while (w < end && *w != ' ')
			w++;
		int n = (int)(w - p);
		if (col + !first + n > WIDTH && col > indent) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, (size_t)n, f);
		col += n;
		first = false;
		p = w;
		while (p < end && *p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void text_title(FILE *f, const char *title)
{
	fprintf(f, "%s\n", title);
}

static void text_para(FILE *f, const char *text, size_t len)
{
	wrap(f, text, len, fprintf(f, "%*s", INDENT, ""), INDENT);
}

/* Lines as written, each starting with a space: indented one column less. */
static void text_verbatim(FILE *f, const char *text, size_t len)
{
	for (const char *l = text; l < text + len;) {
		const char *nl = memchr(l, '\n', (size_t)(text + len - l));
		size_t ll = nl != NULL ? (size_t)(nl - l) : (size_t)(text + len - l);
		fprintf(f, "%*s%.*s\n", INDENT - 1, "", (int)ll, l);
		l += ll + 1;
	}
}

static void text_item(void *u, const char *shown, const char *help)
{
	FILE *f = u;
	int col = fprintf(f, "%*s%s", INDENT, "", shown);

	/* the help from its column, or two spaces after a longer spelling */
	col += fprintf(f, "%*s", col + 2 <= HELP_COL ? HELP_COL - col : 2, "");
	wrap(f, help, strlen(help), col, HELP_COL);
}

static const struct cli_help_style text_style = {
	.title = text_title,
	.para = text_para,
	.verbatim = text_verbatim,
	.item = text_item,
	.gap = "\n",
};

/* Paragraphs separated by "\n\n"; one that starts with a space as written. */
static void prose(FILE *f, const struct cli_help_style *st, const char *text)
{
	for (const char *p = text; p != NULL && *p != '\0';) {
		const char *next = strstr(p, "\n\n");
		size_t len = next != NULL ? (size_t)(next - p) : strlen(p);
		if (p != text)
			fputs(st->gap, f);
		(p[0] == ' ' ? st->verbatim : st->para)(f, p, len);
		p = next != NULL ? next + 2 : NULL;
	}
}

/* "-p, --ports SPEC", "-oX FILE", "-PS[PORTS]", "--rate PPS". */
static const char *spelling(const struct cli_option *o, char *buf, size_t len)
{
	/* -PR takes a value only to say it has no ports: none shown */
	const bool shows = o->arg != CLI_ARG_NONE && o->meta != NULL;
	const char *meta = shows ? o->meta : "";
	const char *open = !shows ? "" : o->arg == CLI_ARG_OPTIONAL ? "[" : " ";
	const char *close = shows && o->arg == CLI_ARG_OPTIONAL ? "]" : "";

	if (o->shown != NULL)
		return o->shown;
	if (o->nmap != NULL)
		snprintf(buf, len, "%s%s%s%s", o->nmap, open, meta, close);
	else if (o->letter != 0 && o->name != NULL)
		snprintf(buf, len, "-%c, --%s%s%s%s", o->letter, o->name, open, meta, close);
	else if (o->letter != 0)
		snprintf(buf, len, "-%c%s%s%s", o->letter, open, meta, close);
	else
		snprintf(buf, len, "--%s%s%s%s", o->name, shows && o->arg == CLI_ARG_OPTIONAL ? "[=" :
			open, meta, close);
	return buf;
}

static void section(FILE *f, const struct cli_help_style *st, const struct cli_section *s)
{
	char buf[128];

	st->title(f, s->title);
	prose(f, st, s->intro);
	if (s->intro != NULL && (s->n > 0 || s->items != NULL))
		fputs(st->gap, f);
	if (s->items != NULL)
		s->items(st->item, f);
	for (size_t i = 0; i < s->n; i++)
		if (s->options[i].help != NULL)
			st->item(f, spelling(&s->options[i], buf, sizeof(buf)), s->options[i].help);
	if (s->outro != NULL) {
		fputs(st->gap, f);
		prose(f, st, s->outro);
	}
}

void prt_cli_render(FILE *f, const struct cli_help_style *st)
{
	for (unsigned s = 0; prt_cli_sections[s] != NULL; s++) {
		if (s > 0)
			fputs(st->gap, f);
		section(f, st, prt_cli_sections[s]);
	}
}

void prt_usage(FILE *f)
{
	prt_cli_render(f, &text_style);
}
