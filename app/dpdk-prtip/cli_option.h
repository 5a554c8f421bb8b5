/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CLI_OPTION_H
#define PRT_APP_CLI_OPTION_H

/*
 * Every option is declared once, as a row of its section's table, in the
 * file that parses it: its long name, one-letter alias, nmap's single-dash
 * spelling, whether it takes a value, its parser, its help paragraph and
 * whether it says which scan runs (a checkpoint keeps those). getopt's
 * table, the rewriting of nmap's spellings, --help and the checkpoint's
 * option list are all made from these rows (cli_options.c, cli_help.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <getopt.h>

struct prt_app_conf;
struct cli_pending;

/* What a parser may change: the configuration, and what is resolved once
 * every option is known. */
struct cli_ctx {
	struct prt_app_conf *c;
	struct cli_pending *pend;
};

enum cli_arg {
	CLI_ARG_NONE,
	CLI_ARG_REQUIRED,
	CLI_ARG_OPTIONAL, /* attached only: --PS=22, nmap's -PS22 */
};

struct cli_option {
	const char *name;  /* the long option without "--"; NULL: a help line only */
	char letter;       /* getopt's one-letter alias (-p), or 0 */
	const char *nmap;  /* nmap's single-dash spelling (-oX, -sV, -PS), or NULL */
	enum cli_arg arg;
	const char *meta;  /* the value's name in --help (FILE, SECS) */
	/* @return 0, -1 after a usage error was printed, 1 after --help/--version */
	int (*parse)(struct cli_ctx *x, const struct cli_option *self, const char *arg);
	const char *help;  /* NULL: not listed on its own (a synonym another row shows) */
	const char *shown; /* how --help spells it, when not "-p, --ports SPEC" */
	bool not_scan;     /* says how the scan runs, not which: no checkpoint keeps it */
};

/* A section of --help and of the manual: prose, then its options. */
struct cli_section {
	const char *title;
	const char *intro;  /* paragraphs before the options ("\n\n" between them), or NULL */
	const struct cli_option *options;
	size_t n;
	/* help lines made from other data (the probe registry's scan types) */
	void (*items)(void (*emit)(void *u, const char *shown, const char *help), void *u);
	const char *outro;  /* paragraphs after them, or NULL */
};

#define CLI_SECTION(t, i, opts, o) {.title = (t), .intro = (i), .options = (opts), \
	.n = sizeof(opts) / sizeof((opts)[0]), .outro = (o)}

/* The sections in --help's order (cli_help.c), NULL-terminated. */
extern const struct cli_section *const prt_cli_sections[];

/* Each file's section. */
extern const struct cli_section prt_cli_section_scan_types, prt_cli_section_discovery,
	prt_cli_section_sessions, prt_cli_section_osscan, prt_cli_section_targets, prt_cli_section_ports,
	prt_cli_section_addresses, prt_cli_section_timing, prt_cli_section_order,
	prt_cli_section_resume, prt_cli_section_conf,
	prt_cli_section_output, prt_cli_section_misc;

/* How a document is written: --help's text (cli_help.c) or the manual's
 * troff (cli_man.c). */
struct cli_help_style {
	void (*title)(FILE *f, const char *title);
	void (*para)(FILE *f, const char *text, size_t len);
	/* lines as written, each starting with a space (commands, tables) */
	void (*verbatim)(FILE *f, const char *text, size_t len);
	void (*item)(void *f, const char *shown, const char *help);
	const char *gap; /* between blocks */
};

/* Every section in @p st's style. */
void prt_cli_render(FILE *f, const struct cli_help_style *st);

/* An option as getopt returned it (row NULL: a target), for --echo. */
struct cli_given {
	const struct cli_option *row;
	const char *arg;
};

/* The options and targets in -c's form on @p f. @return 0 or -1 (printed) */
int prt_cli_echo(FILE *f, const struct cli_given *given, unsigned n);

/* -c's row: read before getopt runs (prt_cli_expand_conf), nothing to do then. */
int prt_cli_conf_row(struct cli_ctx *x, const struct cli_option *self, const char *arg);

/* The option @p token names as typed: "--name", "--name=VALUE", nmap's
 * spelling or "-x". NULL when none does. */
const struct cli_option *prt_cli_option_find(const char *token);

/* The option of getopt_long's return value @p val. */
const struct cli_option *prt_cli_option_of(int val);

/* getopt_long's long options and short option string (the caller frees
 * both). @return 0 or -ENOMEM */
int prt_cli_getopt_table(struct option **longopts, char **shortopts);

/* Whether the option @p token (as typed) takes the next argument as its value. */
bool prt_cli_takes_next(const char *token);

#endif
