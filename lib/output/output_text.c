/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The human table on stdout, in the shape of nmap's normal output with our
 * reason names: per host the ports in states nmap lists, the rest
 * summarised by count and reason ("Not shown: 8 closed tcp ports (rst)"),
 * hosts that answered nothing counted in one line, then our summary.
 * The grouping by host is the output set's (output_hosts.c).
 */
#include <stdlib.h>

#include "output_table.h"
#include "prt_output.h"

static const struct prt_table_style stdout_style = {
	.report = "Scan report for",
	.reason_column = true,
};

static void *text_open(FILE *f, const struct prt_output_opts *opts)
{
	return prt_table_open(f, opts, false);
}

static void print_summary(FILE *f, const struct prt_output_summary *s)
{
	double secs = s->end_ns > s->start_ns ? (double)(s->end_ns - s->start_ns) / 1e9 : 0;
	double send = s->send_end_ns > s->start_ns ?
		(double)(s->send_end_ns - s->start_ns) / 1e9 : 0;

	if (s->state_count[PRT_STATE_UP] + s->state_count[PRT_STATE_DOWN] > 0) {
		/* host discovery: hosts, not ports */
		fprintf(f, "\n%s: %llu IPs, %llu probes, %llu replies: %llu hosts up, %llu down in "
			   "%.2f s (sending %.2f s, %.0f probes/s)\n",
			s->interrupted ? "Scan interrupted" : "Scan done", (unsigned long long)s->ips,
			(unsigned long long)s->probes, (unsigned long long)s->replies,
			(unsigned long long)s->state_count[PRT_STATE_UP],
			(unsigned long long)s->state_count[PRT_STATE_DOWN], secs, send,
			send > 0 ? (double)s->probes / send : 0.0);
		return;
	}
	fprintf(f, "\n%s: %llu IPs x %u ports, %llu probes, %llu replies: %llu open, %llu closed, "
		   "%llu filtered",
		s->interrupted ? "Scan interrupted" : "Scan done", (unsigned long long)s->ips,
		s->ports, (unsigned long long)s->probes, (unsigned long long)s->replies,
		(unsigned long long)s->state_count[PRT_STATE_OPEN],
		(unsigned long long)s->state_count[PRT_STATE_CLOSED],
		(unsigned long long)s->state_count[PRT_STATE_FILTERED]);
	/* the stealth scans' states, only when they occur */
	for (int st = PRT_STATE_OPEN_FILTERED; st <= PRT_STATE_UNFILTERED; st++)
		if (s->state_count[st] > 0)
			fprintf(f, ", %llu %s", (unsigned long long)s->state_count[st],
				prt_state_name((enum prt_state)st));
	fprintf(f, " in %.2f s (sending %.2f s, %.0f probes/s)\n", secs, send,
		send > 0 ? (double)s->probes / send : 0.0);
}

static int text_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	struct prt_output_opts *opts = state;

	if (hosts->silent > 0)
		fprintf(f, "\n%llu host%s did not answer %s (all %s, not listed)\n",
			(unsigned long long)hosts->silent, hosts->silent == 1 ? "" : "s",
			opts->discovery ? "the probe" : "on any scanned port",
			prt_state_name((enum prt_state)hosts->silent_state));
	print_summary(f, s);
	free(opts);
	return 0;
}

static int text_host(void *state, FILE *f, const struct prt_host *h)
{
	return prt_table_print_host(f, h, state, &stdout_style) < 0 ? -1 : 0;
}

const struct prt_writer_ops prt_writer_text = {
	.name = "text",
	.flag = "stdout",
	.by_host = true,
	.open = text_open,
	.host = text_host,
	.close = text_close,
};
