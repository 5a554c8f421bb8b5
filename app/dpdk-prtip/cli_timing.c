/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nmap's timing templates, -T0 (paranoid) to -T5 (insane), as this scanner's
 * knobs: the rate, the retry passes, the longest wait after the last probe
 * and the connections (-sT/-sV) at once. nmap's templates set a delay
 * between probes, round-trip timeouts and retries; here the round trips are
 * measured anyway (the wait and the retry gap follow them, bounded by
 * --wait), so a template sets the rate and the bound. Options given
 * explicitly win over the template, in any order. docs/user-guide.md has
 * the table and nmap's values next to ours.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"
#include "prt_common.h"

static const struct {
	const char *name;
	uint64_t rate;    /* probes/s; nmap: one probe per scan delay */
	uint32_t retries;
	double wait_s;    /* the most to wait for a late reply: nmap's max RTT timeout */
	uint64_t conns;   /* connections at once per RX lcore (0: from the rate) */
} templates[] = {
	{"paranoid", 1, 10, 300, 1},  /* nmap: 5 min between probes, one at a time */
	{"sneaky", 1, 10, 15, 1},     /* nmap: 15 s between probes */
	{"polite", 3, 10, 10, 1},     /* nmap: 0.4 s between probes */
	{"normal", 100000, 1, 3, 0},  /* our defaults */
	{"aggressive", 1000000, 1, 1.25, 0}, /* nmap: max RTT 1.25 s */
	{"insane", 10000000, 1, 0.3, 0},     /* nmap: max RTT 0.3 s */
};

int prt_cli_timing(const char *arg, int *timing)
{
	for (int t = 0; t < (int)PRT_ARRAY_SIZE(templates); t++) {
		char digit[2] = {(char)('0' + t), '\0'};
		if (strcmp(arg, digit) == 0 || strcmp(arg, templates[t].name) == 0) {
			*timing = t;
			return 0;
		}
	}
	return prt_cli_bad_value("-T", arg, "must be 0-5 or paranoid, sneaky, polite, normal, "
		"aggressive, insane");
}

void prt_cli_apply_timing(struct prt_app_conf *c, const struct cli_pending *pend)
{
	if (pend->timing < 0)
		return;
	if (!c->have_rate && pend->min_rate == 0) {
		c->rate = templates[pend->timing].rate;
		c->have_rate = true;
	}
	if (!pend->have_retries)
		c->max_retries = templates[pend->timing].retries;
	if (!pend->have_wait)
		c->wait_s = templates[pend->timing].wait_s;
	if (c->max_conns == 0)
		c->max_conns = templates[pend->timing].conns;
}
