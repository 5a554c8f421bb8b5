/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bash completion for dpdk-prtip, written at build time from the option rows
 * (as the manual is), so it knows every option the parser knows. Before
 * "--" it offers EAL's common options; after it, the scanner's: long names,
 * one-letter aliases and nmap's spellings, file names after an option whose
 * value is a FILE, BASE or DIR, nothing after one that takes another value.
 * It needs bash alone (no bash-completion helpers).
 */
#include <string.h>

#include "cli.h"
#include "cli_option.h"

/* EAL options a scan on an appliance uses (the rest still work when typed) */
static const char eal_words[] = "--lcores -l -a --allow -b --block --vdev --no-pci --no-huge "
	"-m --socket-mem --file-prefix --in-memory --huge-dir --iova-mode --log-level "
	"--proc-type --main-lcore --";

static bool names_a_path(const struct cli_option *o)
{
	return o->meta != NULL && (strcmp(o->meta, "FILE") == 0 || strcmp(o->meta, "BASE") == 0 ||
				   strcmp(o->meta, "DIR") == 0 || strstr(o->meta, "PATH") != NULL);
}

/* "--scan-type syn, -sS" from a help line made from data: its words that are
 * options of their own (not one followed by its value, which a row has) */
static void item_words(void *u, const char *shown, const char *help)
{
	FILE *f = u;

	(void)help;
	for (const char *p = shown; *p != '\0';) {
		size_t n = strcspn(p, ", ");
		if (p[0] == '-' && n > 1 && p[n] != ' ')
			fprintf(f, " %.*s", (int)n, p);
		p += n;
		p += strspn(p, ", ");
	}
}

/* Every spelling of @p o, each after @p sep: " --max-rate", "|-p", "|-oX" */
static void spellings(FILE *f, const struct cli_option *o, char sep)
{
	if (o->name != NULL && o->nmap == NULL)
		fprintf(f, "%c--%s", sep, o->name);
	if (o->letter != 0)
		fprintf(f, "%c-%c", sep, o->letter);
	if (o->nmap != NULL)
		fprintf(f, "%c%s", sep, o->nmap);
}

/* The options after which the next word is a value, as a case pattern:
 * @p paths chooses those whose value is a path, else the others. It starts
 * with a word no one types, so it is a pattern even when nothing follows. */
static void value_pattern(FILE *f, bool paths)
{
	fputs("__none__", f);
	for (const struct cli_section *const *s = prt_cli_sections; *s != NULL; s++)
		for (size_t i = 0; i < (*s)->n; i++) {
			const struct cli_option *o = &(*s)->options[i];
			if (o->arg == CLI_ARG_REQUIRED && names_a_path(o) == paths)
				spellings(f, o, '|');
		}
}

void prt_usage_completion(FILE *f)
{
	fprintf(f, "# bash completion for dpdk-prtip %s: written from its option table\n",
		PRT_VERSION);
	fputs("_dpdk_prtip()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i\n"
	      "\tlocal scanner=0\n"
	      "\tCOMPREPLY=()\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\t[[ ${COMP_WORDS[i]} == -- ]] && scanner=1\n"
	      "\tdone\n"
	      "\tif ((!scanner)); then\n", f);
	fprintf(f, "\t\tCOMPREPLY=($(compgen -W '%s' -- \"$cur\"))\n", eal_words);
	fputs("\t\treturn\n\tfi\n\tcase $prev in\n\t", f);
	value_pattern(f, true);
	fputs(")\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\t\treturn;;\n\t", f);
	value_pattern(f, false);
	fputs(")\n\t\treturn;;\n\tesac\n"
	      "\tif [[ $cur == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W '", f);
	for (const struct cli_section *const *s = prt_cli_sections; *s != NULL; s++) {
		for (size_t i = 0; i < (*s)->n; i++)
			spellings(f, &(*s)->options[i], ' ');
		if ((*s)->items != NULL)
			(*s)->items(item_words, f);
	}
	fputs("' -- \"$cur\"))\n\tfi\n}\ncomplete -F _dpdk_prtip dpdk-prtip\n", f);
}
