/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CLI_PRIV_H
#define PRT_APP_CLI_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_target.h"

struct prt_app_conf;
struct prt_probe_ops;

/* getopt_long values of the long options; each group is contiguous, since
 * the groups are parsed in files of their own. */
enum {
	OPT_SOURCE_MAC = 256,
	OPT_ROUTER_IP,
	OPT_ROUTER_MAC,
	OPT_SOURCE_PORT,
	OPT_TOP_PORTS,
	OPT_EXCLUDE_PORTS,
	OPT_IL,
	OPT_EXCLUDE,
	OPT_EXCLUDEFILE,
	OPT_SEED,
	OPT_RATE,
	OPT_MIN_RATE,
	OPT_NO_DNS,
	OPT_VERBOSE,
	OPT_MAX_RETRIES,
	OPT_WAIT,
	OPT_RESUME,
	OPT_CHECKPOINT,
	OPT_CHECKPOINT_EVERY,
	OPT_MAX_RUNTIME,
	OPT_STATS_EVERY,
	OPT_PORT,
	OPT_TTL,
	OPT_DATADIR,
	OPT_DRIVER_PROFILE,
	OPT_SCAN_TYPE,
	OPT_IPV6,
	OPT_ARP_TIMEOUT,
	OPT_BANDWIDTH,
	OPT_TX_LCORES,
	OPT_RX_LCORES,
	OPT_SHARD,
	OPT_SHARDS,
	OPT_ALLOW_SPECIAL,
	OPT_MAX_TARGETS,
	OPT_MAX_STATE_MEMORY,
	OPT_USER,
	OPT_TIMING,
	/* outputs: cli_outputs.c */
	OPT_OUTPUTS_FIRST,
	OPT_OJ = OPT_OUTPUTS_FIRST,
	OPT_OL,
	OPT_ON,
	OPT_OX,
	OPT_OG,
	OPT_OC,
	OPT_OA,
	OPT_REASON,
	OPT_APPEND,
	OPT_XML_NMAP,
	OPT_OUTPUT_FIELDS,
	OPT_OPEN,
	OPT_OUTPUT_STATES,
	OPT_OUTPUTS_LAST = OPT_OUTPUT_STATES,
	/* connections, -sV, TLS: cli_sessions.c */
	OPT_SESSIONS_FIRST,
	OPT_BANNERS = OPT_SESSIONS_FIRST,
	OPT_BANNER_WAIT,
	OPT_CONN_TIMEOUT,
	OPT_MAX_CONNS,
	OPT_SERVICE_PROBES,
	OPT_SV,
	OPT_VERSION_INTENSITY,
	OPT_VERSION_LIGHT,
	OPT_VERSION_ALL,
	OPT_SERVICE_CACHE,
	OPT_SSL_CERT,
	OPT_SCRIPT,
	OPT_SNI,
	OPT_MAX_TLS_MEMORY,
	OPT_SESSIONS_LAST = OPT_MAX_TLS_MEMORY,
	/* host discovery: cli_discovery.c */
	OPT_DISCOVERY_FIRST,
	OPT_SN = OPT_DISCOVERY_FIRST,
	OPT_PN,
	OPT_PE,
	OPT_PP,
	OPT_PM,
	OPT_PS,
	OPT_PA,
	OPT_PU,
	OPT_PY,
	OPT_PR,
	OPT_ARPSCAN,
	OPT_DISCOVERY_LAST = OPT_ARPSCAN,
};

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

/* Whether the long option @p name (without "--") takes a value. */
bool prt_cli_long_takes_value(const char *name);

/* -T0..-T5: nmap's timing templates by number or name. @return 0 or -1 (printed) */
int prt_cli_timing(const char *arg, int *timing);

/* --scan-type NAME (and -sS, -sU ...): the default's replacement or a further arm.
 * @return 0 or -1 (printed) */
int prt_cli_scan_type(struct prt_app_conf *c, const char *val);

/* Apply the template to what the options left at their defaults. */
void prt_cli_apply_timing(struct prt_app_conf *c, const struct cli_pending *pend);

/* Resolve ports and targets and check the whole configuration. */
int prt_cli_finish(struct prt_app_conf *c, const struct cli_pending *pend);

/* "bad --opt 'value': why" on stderr (usage error). @return -1 */
int prt_cli_bad_value(const char *opt, const char *val, const char *why);

/* A number of seconds 0..max (fractions allowed). @return 0 or -1 (printed) */
int prt_cli_seconds(const char *opt, const char *val, double max, double *out);

/* The same, and at least @p min seconds. @return 0 or -1 (printed) */
int prt_cli_seconds_min(const char *opt, const char *val, double min, double max, double *out);

/* The output options (OPT_OUTPUTS_FIRST..LAST). @return 0 or -1 (printed) */
int prt_cli_output_option(struct prt_app_conf *c, int opt, const char *arg);

/* The connection, -sV and TLS options (OPT_SESSIONS_FIRST..LAST). @return 0 or -1 */
int prt_cli_session_option(struct prt_app_conf *c, int opt, const char *arg);

/* The host discovery options (OPT_DISCOVERY_FIRST..LAST). @return 0 or -1 (printed) */
int prt_cli_discovery_option(struct prt_app_conf *c, int opt, const char *arg);

/* --scan-type with an ICMP query: -sn with that probe. @return 0 or -1 (printed) */
int prt_cli_sweep_with(struct prt_app_conf *c, const struct prt_probe_ops *o);

/* Decide whether and how hosts are discovered (after the targets and the
 * regime are known). @return 0 or -1 (printed) */
int prt_cli_finish_discovery(struct prt_app_conf *c);

/** -sV: compile the probe file (or read the cache) into c->matcher. @return 0 or -1 */
int prt_cli_build_matcher(struct prt_app_conf *c);

#endif
