/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The option rows of every section, and what is made from them: getopt's
 * tables (a row's getopt value is its letter, or 256 + its place among all
 * rows) and lookups by any spelling.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_option.h"

#define CLI_VAL_BASE 256

/* Calls @p fn on every row that is an option, with its getopt value, until it returns true. */
static const struct cli_option *each_option(bool (*fn)(const struct cli_option *o, int val,
	const void *key), const void *key)
{
	int k = 0;

	for (unsigned s = 0; prt_cli_sections[s] != NULL; s++)
		for (size_t i = 0; i < prt_cli_sections[s]->n; i++, k++) {
			const struct cli_option *o = &prt_cli_sections[s]->options[i];
			int val = o->letter != 0 ? (unsigned char)o->letter : CLI_VAL_BASE + k;
			if (o->parse != NULL && fn(o, val, key))
				return o;
		}
	return NULL;
}

static bool has_val(const struct cli_option *o, int val, const void *key)
{
	(void)o;
	return val == *(const int *)key;
}

const struct cli_option *prt_cli_option_of(int val)
{
	return each_option(has_val, &val);
}

/* "--name" or "--name=...", nmap's spelling, or "-x" alone. */
static bool spelled(const struct cli_option *o, int val, const void *key)
{
	const char *t = key;

	(void)val;
	if (t[0] != '-')
		return false;
	if (t[1] == '-' && o->name != NULL) {
		size_t n = strlen(o->name);
		return strncmp(t + 2, o->name, n) == 0 && (t[2 + n] == '\0' || t[2 + n] == '=');
	}
	if (o->nmap != NULL && strcmp(t, o->nmap) == 0)
		return true;
	return o->letter != 0 && t[1] == o->letter && t[2] == '\0';
}

const struct cli_option *prt_cli_option_find(const char *token)
{
	return each_option(spelled, token);
}

bool prt_cli_takes_next(const char *token)
{
	const struct cli_option *o = prt_cli_option_find(token);

	return o != NULL && o->arg == CLI_ARG_REQUIRED && strchr(token, '=') == NULL;
}

struct getopt_build {
	struct option *longs;
	char *shorts;
	size_t nlong, nshort;
};

static bool add_getopt(const struct cli_option *o, int val, const void *key)
{
	struct getopt_build *b = (struct getopt_build *)(uintptr_t)key;
	const int has = o->arg == CLI_ARG_REQUIRED ? required_argument :
		o->arg == CLI_ARG_OPTIONAL ? optional_argument : no_argument;

	if (o->name != NULL)
		b->longs[b->nlong++] = (struct option){o->name, has, NULL, val};
	if (o->letter != 0) {
		b->shorts[b->nshort++] = o->letter;
		if (has != no_argument)
			b->shorts[b->nshort++] = ':';
	}
	return false;
}

int prt_cli_getopt_table(struct option **longopts, char **shortopts)
{
	size_t rows = 0;

	for (unsigned s = 0; prt_cli_sections[s] != NULL; s++)
		rows += prt_cli_sections[s]->n;
	struct getopt_build b = {calloc(rows + 1, sizeof(*b.longs)), calloc(2 * rows + 2, 1), 0, 0};
	if (b.longs == NULL || b.shorts == NULL) {
		free(b.longs);
		free(b.shorts);
		return -ENOMEM;
	}
	b.shorts[b.nshort++] = ':'; /* a missing value is ':', not '?' */
	each_option(add_getopt, &b);
	*longopts = b.longs;
	*shortopts = b.shorts;
	return 0;
}
