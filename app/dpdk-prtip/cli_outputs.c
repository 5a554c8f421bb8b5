/* SPDX-License-Identifier: BSD-3-Clause */
/* Output options: -oJ -oL -oN -oX -oG -oC, -oA, and what shapes the files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"

#include "prt_common.h"

/* "-" is stdout, as in nmap (-oX -): that format replaces the table there. */
static int add_output(struct prt_app_conf *c, char format, const char *path, bool owned)
{
	for (unsigned i = 0; i < c->n_outputs; i++)
		if (strcmp(c->outputs[i].path, path) == 0 && strcmp(path, "-") == 0) {
			prt_usage_error("-o%c - and -o%c - both write to stdout: one format can",
				c->outputs[i].format, format);
			return -1;
		} else if (strcmp(c->outputs[i].path, path) == 0) {
			prt_usage_error("-o%c and -o%c name the same file '%s'", c->outputs[i].format,
				format, path);
			return -1;
		}
	if (c->n_outputs == PRT_OUTPUT_MAX - 1) { /* one is the table */
		prt_usage_error("too many output files");
		return -1;
	}
	if (strcmp(path, "-") == 0 && owned) {
		prt_usage_error("-oA needs a base name for its three files, not '-'");
		return -1;
	}
	c->stdout_format |= strcmp(path, "-") == 0;
	c->outputs[c->n_outputs].format = format;
	c->outputs[c->n_outputs].owned = owned;
	c->outputs[c->n_outputs++].path = path;
	return 0;
}

/* -oA BASE: nmap's three formats, BASE.nmap, BASE.xml and BASE.gnmap. */
static int add_output_all(struct prt_app_conf *c, const char *base)
{
	for (unsigned i = 0; prt_writers_all[i] != NULL; i++) {
		const struct prt_writer_ops *w = prt_writers_all[i];
		char *path = malloc(strlen(base) + strlen(w->ext) + 2);
		if (path == NULL) {
			prt_usage_error("out of memory");
			return -1;
		}
		sprintf(path, "%s.%s", base, w->ext);
		if (add_output(c, w->flag[2], path, true) != 0) {
			free(path);
			return -1;
		}
	}
	return 0;
}

static char output_letter(int opt)
{
	switch (opt) {
	case OPT_OJ: return 'J';
	case OPT_OL: return 'L';
	case OPT_ON: return 'N';
	case OPT_OX: return 'X';
	case OPT_OG: return 'G';
	default: return 'C';
	}
}

int prt_cli_output_option(struct prt_app_conf *c, int opt, const char *arg)
{
	char err[256];

	switch (opt) {
	case OPT_OJ:
	case OPT_OL:
	case OPT_ON:
	case OPT_OX:
	case OPT_OG:
	case OPT_OC:
		return add_output(c, output_letter(opt), arg, false);
	case OPT_OA:
		return add_output_all(c, arg);
	case OPT_REASON:
		c->reason = true;
		return 0;
	case OPT_APPEND:
		c->append_output = true;
		return 0;
	case OPT_XML_NMAP:
		c->xml_scanner_nmap = true;
		return 0;
	case OPT_OUTPUT_FIELDS:
		if (prt_csv_fields_valid(arg, err, sizeof(err)) != 0)
			return prt_cli_bad_value("--output-fields", arg, err);
		c->output_fields = arg;
		return 0;
	case OPT_OPEN:
		c->only_open = true;
		return 0;
	case OPT_OUTPUT_STATES:
		if (prt_output_states_parse(arg, &c->output_states, err, sizeof(err)) != 0)
			return prt_cli_bad_value("--output-states", arg, err);
		return 0;
	default:
		return -1;
	}
}
