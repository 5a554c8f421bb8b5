/* SPDX-License-Identifier: BSD-3-Clause */
/* -oN: nmap's normal output, with nmap's reason names; --reason adds the column. */
#include <stdlib.h>

#include "output_table.h"
#include "prt_output.h"

static const struct prt_table_style normal_style = {
	.report = "Nmap scan report for",
	.host_is_up = true,
	.nmap_reasons = true,
};

static void *normal_open(FILE *f, const struct prt_output_opts *opts)
{
	return prt_table_open(f, opts, true);
}

static int normal_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	struct prt_output_opts *opts = state;
	struct prt_table_style style = normal_style;
	int rc = 0;

	style.reason_column = opts->reason;
	for (size_t i = 0; i < hosts->count; i++)
		if (prt_table_print_host(f, hosts->sorted[i], opts, &style) < 0)
			rc = -1;
	fputc('\n', f);
	prt_table_print_done(f, "dpdk-prtip", s, hosts);
	free(opts);
	return rc;
}

const struct prt_writer_ops prt_writer_normal = {
	.name = "normal",
	.flag = "-oN",
	.ext = "nmap",
	.by_host = true,
	.open = normal_open,
	.close = normal_close,
};
