/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CLI_PRIV_H
#define PRT_APP_CLI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_target.h"

struct prt_app_conf;

/* What the option loop saw that is resolved once all options are known. */
struct cli_pending {
	bool have_port_spec;
	uint32_t top_ports; /* --top-ports / -F; 0 = not given */
	bool have_target_args;
	bool have_input_list;
	bool have_exclude_ports;
	bool ping_echo; /* -PE */
	/* -p items by nmap's protocol prefix: none, T:, U: (resolved once the
	 * scan types are known) */
	struct prt_port_list spec_any, spec_tcp, spec_udp;
};

/* Sort one -p value's items by their T:/U: prefixes into @p pend. @return 0 or -1 (printed) */
int prt_cli_port_spec(struct cli_pending *pend, const char *spec);

/* A copy of argv with nmap's two-letter single-dash flags (-oJ, -iL, -sS,
 * -Pn) rewritten as long options, so getopt_long can parse them. */
char **prt_cli_normalize(int argc, char **argv);

/* Resolve ports and targets and check the whole configuration. */
int prt_cli_finish(struct prt_app_conf *c, const struct cli_pending *pend);

/** -sV: compile the probe file (or read the cache) into c->matcher. @return 0 or -1 */
int prt_cli_build_matcher(struct prt_app_conf *c);

#endif
