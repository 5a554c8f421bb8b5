/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_APP_CLI_H
#define PRT_APP_CLI_H

/* The scanner's options, parsed and validated into one struct before EAL starts. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "privdrop.h"
#include "prt_classify.h"
#include "prt_events.h"
#include "prt_output.h"
#include "prt_match.h"
#include "prt_osdetect.h"
#include "prt_probe.h"
#include "prt_udp_payloads.h"
#include "prt_target.h"

#define PRT_EXIT_USAGE 2
#define PRT_EXIT_RUNTIME 1
#define PRT_EXIT_INTERRUPTED 130

/** Most lcores named by --tx-lcores or --rx-lcores. */
#define PRT_MAX_ROLE_LCORES 32

/** Largest ip x port product: the walk's domain (every IPv4 address x 65536 ports is 2^48). */
#define PRT_MAX_PAIRS PRT_PERM_MAX

/** Per-pair state: two bits per pair (answered, reported). */
#define PRT_PAIR_STATE_BYTES(pairs) ((pairs) / 4 + 16)
/** Internet mode: the least memory the nmap formats' host table spills at */
#define PRT_HOST_MEMORY_MIN (16u << 20)

struct prt_checkpoint;

/** One arm of the scan as the options give it: a scan type and its ports. */
struct prt_conf_arm {
	const struct prt_probe_ops *probe;
	struct prt_port_list ports;
};

/** Host discovery: none (-Pn, Internet mode), before the port scan (nmap's
 * default), or alone (-sn). */
enum prt_discovery {
	PRT_DISCOVERY_NONE,
	PRT_DISCOVERY_BEFORE,
	PRT_DISCOVERY_ONLY,
};

struct prt_matcher_build;

struct prt_app_conf {
	uint32_t source_ip;
	bool have_source_ip;
	uint8_t source_mac[6];
	bool have_source_mac;
	uint32_t router_ip;
	bool have_router_ip;
	uint8_t router_mac[6];
	bool have_router_mac;
	struct prt_addr source_ip6;   /**< -S for IPv6 targets */
	bool have_source_ip6;
	struct prt_addr router_ip6;   /**< --router-ip for IPv6, resolved by NDP */
	bool have_router_ip6;
	uint16_t sport_base;
	uint32_t sport_count;

	struct prt_target_set targets;
	struct prt_target_set exclude;
	struct prt_port_list exclude_ports;
	uint64_t seed;
	bool have_seed;
	bool allow_special;    /**< --allow-special-ranges */
	uint64_t max_targets;  /**< --max-targets: most addresses a scan may have */
	uint64_t max_state_memory; /**< --max-state-memory: per-pair state up to this many bytes */
	bool internet;         /**< the scan is past it: Internet mode (no per-pair state) */
	uint32_t shard;        /**< 0-based */
	uint32_t nshards;      /**< 0: not sharded */
	bool have_shard;
	uint32_t shards_opt;   /**< --shards N as given (0: not given) */

	/** The scan's arms, TCP before UDP (nmap's order): -sS -sU is two; -sS alone
	 * by default. */
	struct prt_conf_arm arms[PRT_MAX_ARMS];
	unsigned narms;
	bool scan_type_set;
	/** Host discovery's probes (-PE -PS443 ...), one arm per probe module in
	 * the order given; none given: nmap's default set. ICMP arms scan port 0. */
	struct prt_conf_arm disc[PRT_MAX_ARMS];
	unsigned ndisc;
	enum prt_discovery discovery; /**< resolved by prt_cli_finish_discovery() */
	bool disc_internet;   /**< discovery's own pairs are past the state budget */
	bool sweep;           /**< -sn: discover hosts, scan no ports */
	bool no_discovery;    /**< -Pn */
	struct prt_udp_payloads udp_payloads; /**< -sU: from <datadir>/nmap-payloads */
	bool have_udp_payloads;

	uint64_t rate;
	bool have_rate;
	uint64_t bandwidth;   /**< --bandwidth, bit/s on the wire; 0 = not given */
	uint16_t tx_lcores[PRT_MAX_ROLE_LCORES];
	unsigned n_tx_lcores; /**< 0: default split */
	uint16_t rx_lcores[PRT_MAX_ROLE_LCORES];
	unsigned n_rx_lcores;
	uint32_t max_retries;
	double wait_s;
	bool banners;          /**< --banners: keep what open TCP ports say */
	double banner_wait_s;  /**< --banner-wait: how long a server may take to speak first */
	double conn_timeout_s; /**< --connection-timeout: a connection's whole life at most */
	uint64_t max_conns;    /**< --max-connections per RX lcore; 0: from rate x timeout */
	bool version;          /**< -sV */
	bool version_tcp;      /**< -sV on the TCP ports (a SYN scan's connections) */
	bool version_udp;      /**< -sV on the UDP ports (-sU's phase after the scan) */
	bool ssl_cert;         /**< --ssl-cert / --script ssl-cert */
	bool jarm;             /**< --jarm: each TLS port's JARM beside its certificate */
	bool osscan;           /**< -O */
	bool osscan_limit;     /**< --osscan-limit: only hosts with an open and a closed TCP port */
	bool osscan_guess;     /**< --osscan-guess / --fuzzy: print guesses even when ideal */
	uint32_t max_os_tries; /**< --max-os-tries (default 5, nmap's) */
	const char *os_db_path;    /**< --os-db FILE (default <datadir>/nmap-os-db) */
	struct prt_os_db *os_db;   /**< -O: the reference prints */
	const char *sni;       /**< --sni NAME */
	uint8_t intensity;     /**< --version-intensity (default 7) */
	const char *service_cache; /**< --service-cache DIR for the compiled probe file */
	uint64_t max_tls_memory;   /**< --max-tls-memory: bytes all TLS clients may hold */
	struct prt_matcher *matcher; /**< -sV: the compiled probe file */
	struct prt_matcher_build *matcher_build; /**< -sV: its build, until ready */
	const char *service_probes_path; /**< --service-probes FILE (default in --datadir) */
	struct prt_sp_db service_probes; /**< --banners: what to send to silent servers */
	bool have_service_probes;
	double arp_timeout_s;
	uint8_t ttl;
	uint16_t port_id;

	struct {
		char format;      /**< the letter after -o: 'J', 'L', 'N', 'X', 'G', 'C' */
		const char *path;
		bool owned;       /**< made by -oA: freed with the conf */
	} outputs[PRT_OUTPUT_MAX];
	unsigned n_outputs;
	bool only_open;        /**< --open / --open-only */
	uint32_t output_states; /**< --output-states (PRT_OUTPUT_ bits); 0: not given */
	bool reason;           /**< --reason */
	bool append_output;    /**< --append-output */
	bool xml_scanner_nmap; /**< --xml-scanner-nmap */
	char *xml_stylesheet;  /**< <datadir>/nmap.xsl made absolute, when -oX and it exists */
	const char *output_fields; /**< --output-fields for -oC */
	const char *event_log;     /**< --event-log FILE, or NULL */
	const char *db;            /**< --db FILE|postgresql://..., or NULL */
	const char *metrics;       /**< --metrics ADDR:PORT, or NULL */
	char scan_id[PRT_SCAN_ID_MAX + 1]; /**< --scan-id, else made by prt_run ("": not yet) */
	uint64_t run_seed;         /**< the walk's key of a run without --seed (prt_run) */
	uint64_t run_start_ns;     /**< when this scan first started (prt_run; a checkpoint keeps it) */
	char *cmdline;         /**< the whole command line, for the nmap formats' headers */

	struct prt_checkpoint *resume; /**< --resume FILE, loaded (NULL: a new scan) */
	const char *checkpoint_path;   /**< --checkpoint FILE (default dpdk-prtip.resume) */
	bool checkpoint_path_set;
	double checkpoint_every_s;     /**< --checkpoint-every; 0: only on SIGINT */
	bool checkpoint_every_set;     /**< given (else every minute for a scan past a minute) */
	double max_runtime_s;          /**< --max-runtime: stop sending after this long; 0: none */
	char *scan_args;               /**< the options a checkpoint identifies the scan by */
	uint32_t scan_args_len;
	double stats_every_s; /**< 0: only when stderr is a terminal */
	bool verbose;         /**< -v: "Discovered open port" lines on stdout as found */
	bool stdout_format;   /**< an output went to "-": stdout is that format's, not the table's */

	const char *datadir;
	const char *user;      /**< --user: who the scan runs as once set up (default nobody) */
	struct prt_privdrop privdrop; /**< that user, looked up */
	const char *driver_profile_path;
	bool eal_names_device; /**< EAL args named a device (--vdev, -a): none up is a runtime error */
};

/**
 * Parse the scanner's arguments (those after "--").
 * @return 0 to run, -1 after an error was printed (exit 2), 1 after
 *         --help/--version was printed (exit 0)
 */
int prt_cli_parse(int argc, char **argv, struct prt_app_conf *conf);

/**
 * -sV: wait for the matcher's build that prt_cli_parse() started, and say
 * what it loaded. @return 0 (ready, or no -sV), -1 after its error was
 * printed (exit 2)
 */
int prt_cli_matcher_ready(struct prt_app_conf *conf);

void prt_cli_free(struct prt_app_conf *conf);

/** Arguments that own their strings: the command line with -c's files read in. */
struct prt_cli_argv {
	char **v; /**< NULL-terminated */
	int n, cap;
};

/**
 * The scanner's arguments with each -c FILE (--conf) replaced by the file's
 * options, in place. @return 0, or -1 after a usage error was printed
 */
int prt_cli_expand_conf(int argc, char **argv, struct prt_cli_argv *out);
void prt_cli_argv_free(struct prt_cli_argv *a);

/** Print the manual-style help to @p f. */
void prt_usage(FILE *f);

/** Write the same document as the troff source of dpdk-prtip(8). */
void prt_usage_man(FILE *f);

/** The bash completion script, from the same rows (cli_completion.c). */
void prt_usage_completion(FILE *f);

/** Print "dpdk-prtip: <message>" and a hint to --help on stderr. */
void prt_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** nmap's option of a discovery probe module: "-PS" for the SYN module. */
const char *prt_cli_discovery_flag(const struct prt_probe_ops *o);

/** A host's ports over every arm of the scan. */
static inline uint32_t prt_conf_ports(const struct prt_app_conf *c)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < c->narms; i++)
		n += c->arms[i].ports.n;
	return n;
}

/** The arm that scans @p proto, NULL when none does. */
static inline const struct prt_conf_arm *prt_conf_arm_of(const struct prt_app_conf *c,
	uint8_t proto)
{
	for (unsigned i = 0; i < c->narms; i++)
		if (c->arms[i].probe->proto == proto)
			return &c->arms[i];
	return NULL;
}

#endif
