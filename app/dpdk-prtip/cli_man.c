/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip(8): the document --help prints, in troff's man macros. The
 * build writes it with dpdk-prtip-gen-man, so the manual has every option
 * row and cannot go stale. Text is escaped for troff: backslashes, hyphens
 * (options stay searchable and copyable), and a line that would start with
 * a control character.
 */
#include <string.h>

#include "cli.h"
#include "cli_option.h"

static void escaped(FILE *f, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		bool line_start = i == 0 || text[i - 1] == '\n';
		if (line_start && (ch == '.' || ch == '\''))
			fputs("\\&", f);
		if (ch == '\\')
			fputs("\\e", f);
		else if (ch == '-')
			fputs("\\-", f);
		else
			fputc(ch, f);
	}
}

static void man_title(FILE *f, const char *title)
{
	fputs(".SH \"", f);
	escaped(f, title, strlen(title));
	fputs("\"\n", f);
}

static void man_para(FILE *f, const char *text, size_t len)
{
	fputs(".PP\n", f);
	escaped(f, text, len);
	fputc('\n', f);
}

static void man_verbatim(FILE *f, const char *text, size_t len)
{
	fputs(".PP\n.RS 4\n.nf\n", f);
	for (const char *l = text; l < text + len;) {
		const char *nl = memchr(l, '\n', (size_t)(text + len - l));
		size_t ll = nl != NULL ? (size_t)(nl - l) : (size_t)(text + len - l);
		escaped(f, l + 1, ll - 1); /* without the space that marks the line */
		fputc('\n', f);
		l += ll + 1;
	}
	fputs(".fi\n.RE\n", f);
}

static void man_item(void *u, const char *shown, const char *help)
{
	FILE *f = u;

	fputs(".TP\n\\fB", f);
	escaped(f, shown, strlen(shown));
	fputs("\\fR\n", f);
	escaped(f, help, strlen(help));
	fputc('\n', f);
}

static const struct cli_help_style man_style = {
	.title = man_title,
	.para = man_para,
	.verbatim = man_verbatim,
	.item = man_item,
	.gap = "",
};

void prt_usage_man(FILE *f)
{
	fprintf(f, ".TH DPDK\\-PRTIP 8 \"\" \"dpdk-prtip %s\" \"System Administration\"\n",
		PRT_VERSION);
	fputs(".nh\n.ad l\n", f); /* no hyphenated options, no stretched lines */
	prt_cli_render(f, &man_style);
}
