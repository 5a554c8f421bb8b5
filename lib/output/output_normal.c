/* SPDX-License-Identifier: BSD-3-Clause */
/* -oN: nmap's normal output, --reason adds the column. */
#include <stdlib.h>

#include "output_table.h"
#include "prt_output.h"

static const struct prt_table_style normal_style = {
	.report = "Nmap scan report for",
	.host_is_up = true,
};

static void *normal_open(FILE *f, const struct prt_output_opts *opts)
{
	return prt_table_open(f, opts, true);
}

static int normal_host(void *state, FILE *f, const struct prt_host *h)
{
	const struct prt_output_opts *opts = state;
	struct prt_table_style style = normal_style;

	style.reason_column = opts->reason;
	return prt_table_print_host(f, h, opts, &style) < 0 ? -1 : 0;
}

static int normal_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	fputc('\n', f);
	prt_table_print_done(f, "dpdk-prtip", s, hosts);
	free(state);
	return 0;
}

const struct prt_writer_ops prt_writer_normal = {
	.name = "normal",
	.flag = "-oN",
	.ext = "nmap",
	.by_host = true,
	.open = normal_open,
	.host = normal_host,
	.close = normal_close,
};
