/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Configuration files, masscan's way: `-c FILE` reads `name = value` lines,
 * each name a long option (a row's name), `target = ...` for targets, and
 * `--echo` prints a command line's options in that form, so
 * `--echo > scan.conf` then `-c scan.conf` runs the same scan. A file's
 * lines become arguments where -c stood, before anything else reads the
 * command line: options after it win as they would typed there, and a
 * checkpoint keeps what the file said, not its name.
 *
 * A line: `name = value`, `name` alone (a flag, or an option whose value is
 * optional given none), `flag = true` / `flag = false`; blank lines and
 * lines starting with '#' are skipped. The value is the rest of the line,
 * trimmed; '#' inside it is part of it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_option.h"
#include "cli_priv.h"

#define CONF_LINE_MAX 4096

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int push(struct prt_cli_argv *out, char *arg)
{
	if (arg == NULL)
		return -ENOMEM;
	if (out->n + 1 >= out->cap) {
		int cap = out->cap * 2 + 16;
		char **v = realloc(out->v, (size_t)cap * sizeof(*v));
		if (v == NULL) {
			free(arg);
			return -ENOMEM;
		}
		out->v = v;
		out->cap = cap;
	}
	out->v[out->n++] = arg;
	out->v[out->n] = NULL;
	return 0;
}

static int conf_error(const char *path, unsigned line, const char *what, const char *name)
{
	prt_usage_error("%s:%u: %s '%s'", path, line, what, name);
	return -1;
}

/* One `name = value` line as an argument ("--name=value", "--name"), or none. */
static int conf_line(struct prt_cli_argv *out, const char *path, unsigned line, char *text)
{
	char *eq = strchr(text, '='), *name = text, *value = NULL, *arg;
	const struct cli_option *o;
	char token[128];

	if (eq != NULL) {
		*eq = '\0';
		value = trim(eq + 1);
	}
	name = trim(name);
	if (strcmp(name, "target") == 0 || strcmp(name, "range") == 0) /* masscan's name */
		return value != NULL && *value != '\0' ? push(out, strdup(value)) :
			conf_error(path, line, "no address after", name);
	snprintf(token, sizeof(token), "--%s", name);
	o = name[0] != '\0' && name[0] != '-' && strlen(name) < 100 ?
		prt_cli_option_find(token) : NULL;
	if (o == NULL || o->name == NULL || strcmp(o->name, name) != 0)
		return conf_error(path, line, "unknown option", name);
	if (o->parse == prt_cli_conf_row)
		return conf_error(path, line, "a file cannot read another file:", name);
	if (o->arg == CLI_ARG_NONE && value != NULL) {
		if (strcmp(value, "false") == 0)
			return 0;
		if (strcmp(value, "true") != 0)
			return conf_error(path, line, "true, false or nothing after", name);
		value = NULL;
	}
	if (o->arg == CLI_ARG_REQUIRED && (value == NULL || *value == '\0'))
		return conf_error(path, line, "a value is needed after", name);
	if (value == NULL || (*value == '\0' && o->arg == CLI_ARG_OPTIONAL))
		return push(out, strdup(token));
	arg = malloc(strlen(token) + strlen(value) + 2);
	if (arg != NULL)
		sprintf(arg, "%s=%s", token, value);
	return push(out, arg);
}

static int read_conf(struct prt_cli_argv *out, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[CONF_LINE_MAX];
	unsigned line = 0;
	int rc = 0;

	if (f == NULL) {
		prt_usage_error("-c %s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
		char *text;
		line++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			prt_usage_error("%s:%u: line longer than %d bytes", path, line,
				CONF_LINE_MAX - 2);
			rc = -1;
			break;
		}
		text = trim(buf);
		if (*text == '\0' || *text == '#')
			continue;
		rc = conf_line(out, path, line, text);
		if (rc == -ENOMEM)
			prt_usage_error("out of memory");
	}
	if (rc == 0 && ferror(f)) {
		prt_usage_error("-c %s: %s", path, strerror(EIO));
		rc = -1;
	}
	fclose(f);
	return rc < 0 ? -1 : 0;
}

/* -c FILE, --conf FILE or --conf=FILE at argv[i]: the file's path, and how
 * many arguments the option took (0 when argv[i] is not one). */
static const char *conf_path(int argc, char **argv, int i, int *took)
{
	*took = 0;
	if (strncmp(argv[i], "--conf=", 7) == 0) {
		*took = 1;
		return argv[i] + 7;
	}
	if (strcmp(argv[i], "-c") != 0 && strcmp(argv[i], "--conf") != 0)
		return NULL;
	*took = i + 1 < argc ? 2 : 1;
	return i + 1 < argc ? argv[i + 1] : NULL;
}

int prt_cli_expand_conf(int argc, char **argv, struct prt_cli_argv *out)
{
	bool rest = false;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < argc; i++) {
		int took = 0;
		const char *path = i > 0 && !rest ? conf_path(argc, argv, i, &took) : NULL;
		if (took == 0) {
			/* argv's own strings are copied too: one owner frees them all */
			rest |= i > 0 && strcmp(argv[i], "--") == 0;
			if (push(out, strdup(argv[i])) != 0)
				goto nomem;
			/* a value is the user's: in "-p -c" -c is not an option */
			if (!rest && i > 0 && i + 1 < argc && prt_cli_takes_next(argv[i]) &&
			    push(out, strdup(argv[++i])) != 0)
				goto nomem;
			continue;
		}
		if (path == NULL) {
			prt_usage_error("option '%s' needs a value", argv[i]);
			prt_cli_argv_free(out);
			return -1;
		}
		if (read_conf(out, path) != 0) {
			prt_cli_argv_free(out);
			return -1;
		}
		i += took - 1;
	}
	return 0;
nomem:
	prt_usage_error("out of memory");
	prt_cli_argv_free(out);
	return -1;
}

void prt_cli_argv_free(struct prt_cli_argv *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* -c is read before getopt runs (prt_cli_expand_conf): its row is for getopt and --help. */
int prt_cli_conf_row(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)x, (void)self, (void)arg;
	return 0;
}

static int parse_echo(struct cli_ctx *x, const struct cli_option *self, const char *arg)
{
	(void)self, (void)arg;
	x->pend->echo = true;
	return 0;
}

/* A value as the rest of a line: a line break cannot be in one. */
static int echo_value(FILE *f, const char *name, const char *value)
{
	if (strchr(value, '\n') != NULL) {
		prt_usage_error("--echo: the value of %s holds a line break, which a file line cannot",
			name);
		return -1;
	}
	fprintf(f, "%s = %s\n", name, value);
	return 0;
}

int prt_cli_echo(FILE *f, const struct cli_given *given, unsigned n)
{
	fputs("# dpdk-prtip configuration (read it back with -c FILE)\n", f);
	for (unsigned i = 0; i < n; i++) {
		const struct cli_option *o = given[i].row;
		int rc = 0;
		if (o == NULL)
			rc = echo_value(f, "target", given[i].arg);
		else if (o->name == NULL || o->parse == parse_echo)
			continue; /* -n does nothing; --echo is this */
		else if (o->arg == CLI_ARG_NONE)
			fprintf(f, "%s = true\n", o->name);
		else if (given[i].arg == NULL)
			fprintf(f, "%s\n", o->name);
		else
			rc = echo_value(f, o->name, given[i].arg);
		if (rc != 0)
			return -1;
	}
	return fflush(f) == 0 ? 0 : -1;
}

static const struct cli_option options[] = {
	{.name = "conf", .letter = 'c', .arg = CLI_ARG_REQUIRED, .meta = "FILE",
		.parse = prt_cli_conf_row, .help = "read options from FILE where -c stands: one "
		"'name = value' a line (a long option's name; 'name' alone or 'name = true' for a "
		"flag; 'target = ADDRESSES' for targets; '#' starts a comment line). Options after "
		"-c win; a checkpoint keeps the file's options, not its name"},
	{.name = "echo", .parse = parse_echo, .help = "check the options, print them in -c's "
		"form on stdout and exit: --echo > scan.conf, then -c scan.conf runs the same scan "
		"(masscan's --echo)"},
};

const struct cli_section prt_cli_section_conf = CLI_SECTION("CONFIGURATION FILES", NULL,
	options, NULL);
