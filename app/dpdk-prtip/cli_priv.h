/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CLI_PRIV_H
#define PRT_APP_CLI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_target.h"

struct prt_app_conf;
struct prt_probe_ops;

/* What the option loop saw that is resolved once all options are known. */
#define CLI_PORT_PREFIXES 3 /* T: U: S: */

struct cli_pending {
	bool have_port_spec;
	uint32_t top_ports; /* --top-ports / -F; 0 = not given */
	bool have_target_args;
	bool have_input_list;
	bool have_exclude_ports;
	uint64_t min_rate; /* --min-rate; 0 = not given */
	int timing;        /* -T0..-T5; -1 = not given */
	bool have_retries, have_wait;
	bool echo;         /* --echo: print the options in -c's form, run nothing */
	/* -p items by nmap's protocol prefix: none, then T:, U:, S: (resolved
	 * once the scan types are known) */
	struct prt_port_list spec_any, spec_proto[CLI_PORT_PREFIXES];
};

/* Sort one -p value's items by their T:/U:/S: prefixes into @p pend. @return 0 or -1 (printed) */
int prt_cli_port_spec(struct cli_pending *pend, const char *spec);

/* argv as getopt_long reads it, and what the user typed for each argument. */
struct cli_args {
	char **v;
	const char **orig;
	char **owned; /* arguments made here (-PS22 -> --PS=22), freed with the rest */
	int n, cap, nowned;
};

/* argv with nmap's spellings rewritten as long options (cli_nmap.c); nmap
 * options this scanner lacks are refused. @return 0 or -1 (printed) */
int prt_cli_normalize(int argc, char **argv, struct cli_args *a);
void prt_cli_args_free(struct cli_args *a);

/* -T0..-T5: nmap's timing templates by number or name. @return 0 or -1 (printed) */
int prt_cli_timing(const char *arg, int *timing);

/* Apply the template to what the options left at their defaults. */
void prt_cli_apply_timing(struct prt_app_conf *c, const struct cli_pending *pend);

/* Resolve ports and targets and check the whole configuration. */
int prt_cli_finish(struct prt_app_conf *c, const struct cli_pending *pend);

/* "bad --opt 'value': why" on stderr (usage error). @return -1 */
int prt_cli_bad_value(const char *opt, const char *val, const char *why);

/* "A<sep>B" copied into @p buf and split there; *second is NULL without
 * @p sep. @return 0, or -1 when @p val does not fit */
int prt_cli_split_two(const char *val, char sep, char buf[32], char **second);

/* A number of seconds 0..max (fractions allowed). @return 0 or -1 (printed) */
int prt_cli_seconds(const char *opt, const char *val, double max, double *out);

/* The same, and at least @p min seconds. @return 0 or -1 (printed) */
int prt_cli_seconds_min(const char *opt, const char *val, double min, double max, double *out);

/* --scan-type with an ICMP query: -sn with that probe. @return 0 or -1 (printed) */
int prt_cli_sweep_with(struct prt_app_conf *c, const struct prt_probe_ops *o);

/* Decide whether and how hosts are discovered (after the targets and the
 * regime are known). @return 0 or -1 (printed) */
int prt_cli_finish_discovery(struct prt_app_conf *c);

/* Each section's checks once every option is known (cli_ports.c,
 * cli_targets.c, cli_addresses.c, cli_order.c, cli_outputs.c,
 * cli_sessions.c, cli_timing.c). @return 0 or -1 (printed) */
int prt_cli_finish_ports(struct prt_app_conf *c, const struct cli_pending *pend);
int prt_cli_finish_targets(struct prt_app_conf *c, const struct cli_pending *pend);
int prt_cli_finish_addresses(const struct prt_app_conf *c);
int prt_cli_finish_shard(struct prt_app_conf *c);
int prt_cli_finish_outputs(struct prt_app_conf *c);
int prt_cli_finish_sessions(struct prt_app_conf *c);
/* -O: the reference prints loaded, the scan able to feed it. @return 0 or -1 (said) */
int prt_cli_finish_osscan(struct prt_app_conf *c);
int prt_cli_finish_rate(struct prt_app_conf *c, const struct cli_pending *pend);

/** -sV: start compiling the probe file (or reading the cache) into c->matcher,
 * on a thread of its own (prt_cli_matcher_ready() waits). @return 0 or -1 */
int prt_cli_build_matcher(struct prt_app_conf *c);
/** The matcher and its build, if any (the build is waited for first). */
void prt_cli_matcher_discard(struct prt_app_conf *c);

#endif
