/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip db [--db URL] COMMAND ...: the command line of the store's
 * reader. The store is named by --db or $DPDK_PRTIP_DB; nothing here needs
 * EAL, hugepages or root.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "prt_text.h"

/* The file a command writes: none, a scan format (-oX FILE ...), the report's page (-o FILE). */
enum db_output { DB_NO_FILE, DB_FORMAT_FILE, DB_PAGE_FILE };

static const char *const output_needed[] = {
	[DB_NO_FILE] = "takes no -o (that is for export and report)",
	[DB_FORMAT_FILE] = "needs -oX, -oN, -oG, -oJ, -oL or -oC FILE",
	[DB_PAGE_FILE] = "needs -o FILE.html",
};

static const struct {
	const char *name;
	unsigned nargs;
	int (*run)(struct db_ctx *x, char **args);
	enum db_output output;
	int trouble;               /**< the exit status when the store cannot be read */
	const char *synopsis, *what;
} verbs[] = {
	{"list", 0, db_list, DB_NO_FILE, PRT_EXIT_RUNTIME, "list",
		"the stored scans, oldest first"},
	{"show", 1, db_show, DB_NO_FILE, PRT_EXIT_RUNTIME, "show SCAN",
		"a scan: its runs, counts per state, and the ports that may be open with their "
		"services and certificates"},
	{"diff", 2, db_diff, DB_NO_FILE, 2, "diff SCAN_A SCAN_B",
		"what changed from A to B: hosts new and gone, ports opened and closed, services "
		"and certificates changed (exit 0: no change, 1: changes, 2: trouble)"},
	{"export", 1, db_export, DB_FORMAT_FILE, PRT_EXIT_RUNTIME,
		"export SCAN -oX|-oN|-oG|-oJ|-oL|-oC FILE",
		"the scan in an output format, as the scan would have written it ('-': stdout)"},
	{"report", 1, db_report, DB_PAGE_FILE, PRT_EXIT_RUNTIME, "report SCAN -o FILE.html",
		"a self-contained HTML page: summary, rate and replies over time, states per "
		"port, top services, certificate expiry, open ports"},
};

/* @p text from column 6, wrapped before column 80. */
static void wrapped(FILE *f, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strlen(p);
		if (n > 73) {
			n = 73;
			while (n > 0 && p[n] != ' ')
				n--;
		}
		fprintf(f, "      %.*s\n", (int)n, p);
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: dpdk-prtip db [--db URL] [--datadir DIR] COMMAND [ARGS]\n\n"
		   "Reads the results store a scan's --db wrote (a SQLite file or a\n"
		   "postgresql:// URL; default: $DPDK_PRTIP_DB). SCAN is a scan id, or 'latest'\n"
		   "or 'previous' by start time.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		fprintf(f, "  %s\n", verbs[i].synopsis);
		wrapped(f, verbs[i].what);
	}
	fprintf(f, "\n--datadir DIR: where nmap-services is (default /usr/share/nmap), for the\n"
		   "SERVICE column of an export and the report.\n");
}

/* A usage error of the db command: one line, and where its help is. */
static void __attribute__((format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("dpdk-prtip: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'dpdk-prtip db --help'.\n", stderr);
}

/* --db URL, --datadir DIR, -oX FILE anywhere; the rest are the verb and its arguments. */
static int parse(struct db_ctx *x, int argc, char **argv, char **pos, unsigned *npos)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **value = strcmp(a, "--db") == 0	 ? &x->url :
				     strcmp(a, "--datadir") == 0 ? &x->datadir :
				     strncmp(a, "-o", 2) == 0 && strlen(a) <= 3 ? &x->opath :
									  NULL;
		if (value != NULL) {
			if (i + 1 >= argc) {
				usage_error("db: %s needs a value", a);
				return -1;
			}
			if (value == &x->opath && a[2] == '\0') {
				x->oformat = 'H'; /* -o FILE: the report's page */
			} else if (value == &x->opath) {
				if (prt_writer_find(a[2]) == NULL) {
					usage_error("db: %s: unknown output format "
							"(-oX -oN -oG -oJ -oL -oC)", a);
					return -1;
				}
				x->oformat = a[2];
			}
			*value = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			x->url = a + 5;
		} else if (a[0] == '-' && a[1] != '\0') {
			usage_error("db: unknown option %s (see dpdk-prtip db --help)", a);
			return -1;
		} else {
			pos[(*npos)++] = argv[i];
		}
	}
	return 0;
}

static int run_verb(struct db_ctx *x, char **pos, unsigned npos)
{
	char err[320];
	int rc;

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(pos[0], verbs[i].name) != 0)
			continue;
		if (npos - 1 != verbs[i].nargs) {
			usage_error("db %s: takes %u argument%s: %s", verbs[i].name,
				verbs[i].nargs, verbs[i].nargs == 1 ? "" : "s", verbs[i].synopsis);
			return PRT_EXIT_USAGE;
		}
		const enum db_output given = x->oformat == 0 ? DB_NO_FILE :
					     x->oformat == 'H' ? DB_PAGE_FILE : DB_FORMAT_FILE;
		if (given != verbs[i].output) {
			usage_error("db %s: %s", verbs[i].name, output_needed[verbs[i].output]);
			return PRT_EXIT_USAGE;
		}
		if (prt_store_open(&x->st, x->url, NULL, err, sizeof(err)) != 0) {
			fprintf(stderr, "dpdk-prtip db: %s: %s\n", x->url, err);
			return verbs[i].trouble;
		}
		rc = verbs[i].run(x, pos + 1);
		prt_store_close_reader(x->st);
		return rc;
	}
	usage_error("db: unknown command '%s' (list, show, diff, export, report)", pos[0]);
	return PRT_EXIT_USAGE;
}

int prt_db_main(int argc, char **argv)
{
	struct db_ctx x = {.url = getenv("DPDK_PRTIP_DB"), .datadir = "/usr/share/nmap",
			   .out = stdout};
	char **pos = calloc((size_t)argc + 1, sizeof(char *));
	unsigned npos = 0;
	int rc = PRT_EXIT_USAGE;

	if (pos == NULL)
		return PRT_EXIT_RUNTIME;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			free(pos);
			return 0;
		}
	if (parse(&x, argc, argv, pos, &npos) != 0)
		goto out;
	if (npos == 0) {
		usage(stderr);
		goto out;
	}
	if (x.url == NULL || x.url[0] == '\0') {
		usage_error("db: which store? give --db FILE|postgresql://... or set "
				"DPDK_PRTIP_DB");
		goto out;
	}
	rc = run_verb(&x, pos, npos);
out:
	free(pos);
	return rc;
}

struct clean_call {
	prt_store_row_fn fn;
	void *arg;
};

/*
 * A store is a file (or a server) like any input: what its rows say reaches a
 * terminal (list, show, diff) or a page (report), so every value is cleaned
 * as captured text is (prt_text_clean) before a command sees it.
 */
static int clean_row(void *arg, unsigned n, const char *const *v)
{
	const struct clean_call *c = arg;
	const char *vals[64];
	size_t total = 0, at = 0;
	char *copy;
	int rc;

	n = n < 64 ? n : 64;
	for (unsigned i = 0; i < n; i++)
		total += v[i] != NULL ? strlen(v[i]) + 1 : 0;
	copy = malloc(total + 1);
	if (copy == NULL)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		vals[i] = NULL;
		if (v[i] == NULL)
			continue;
		vals[i] = strcpy(copy + at, v[i]);
		prt_text_clean(copy + at);
		at += strlen(v[i]) + 1;
	}
	rc = c->fn(c->arg, n, vals);
	free(copy);
	return rc;
}

int db_query(struct db_ctx *x, const char *sql, const char *const *params, unsigned n,
	prt_store_row_fn fn, void *arg)
{
	struct clean_call call = {fn, arg};
	char err[320] = "out of memory reading its rows"; /* a backend's error replaces it */
	int rc = prt_store_query(x->st, sql, params, n, clean_row, &call, err, sizeof(err));

	if (rc < 0) {
		fprintf(stderr, "dpdk-prtip db: %s: %s\n", x->url, err);
		return -1;
	}
	return rc;
}
