/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_OUTPUT_H
#define PRT_OUTPUT_H

/**
 * @file
 * Result writers. Each format is a const ops struct in one registry; a writer
 * only serialises result records and the end-of-scan summary. The output set
 * opens every file before the scan starts and, on failure, removes what it
 * created, so no half-written file is left behind.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "prt_result.h"
#include "prt_target.h"

/** Totals for the end of a scan. */
struct prt_output_summary {
	uint64_t ips;
	uint32_t ports;
	uint64_t probes;
	uint64_t replies;
	uint64_t state_count[PRT_STATE_COUNT];
	uint64_t start_ns;   /**< unix time */
	uint64_t send_end_ns; /**< when the last probe (of all passes) was sent */
	uint64_t end_ns;
	bool interrupted;
};

/* --output-states: a bit per state of an answer, one for pairs that never answered. */
#define PRT_OUTPUT_SILENT (1u << PRT_STATE_COUNT)
#define PRT_OUTPUT_ALL ((1u << (PRT_STATE_COUNT + 1)) - 1)
#define PRT_OUTPUT_ANSWERED (PRT_OUTPUT_ALL & ~PRT_OUTPUT_SILENT)

/** The --output-states bit of a result (or a host table's port). */
static inline uint32_t prt_output_state_bit(uint8_t state, uint8_t reason)
{
	return reason == PRT_REASON_NO_RESPONSE ? PRT_OUTPUT_SILENT : 1u << state;
}

/**
 * Parse a comma-separated list of states: nmap's state names, "no-response"
 * (pairs that never answered), "answered" (every answer), "all".
 * @return 0 or -1 with @p err set
 */
int prt_output_states_parse(const char *list, uint32_t *mask, char *err, size_t errlen);

#define PRT_OUTPUT_SCANS 8 /**< arms of a scan plan, as the headers name them */

/** One arm of the scan as nmap's headers name it (-oX's scaninfo). */
struct prt_output_scan {
	const char *type;                    /**< nmap's scaninfo type: "syn", "udp", ... */
	uint8_t proto;                       /**< IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	const struct prt_port_list *ports;   /**< its ports (NULL: none named) */
};

/** What writers may honour and what the nmap formats print in their headers. */
struct prt_output_opts {
	bool only_open;        /**< --open: nmap's rule (prt_state_maybe_open) in every format */
	/** results -oJ/-oL/-oC write (PRT_OUTPUT_ bits; 0: answers only, as masscan and ZMap) */
	uint32_t stream_states;
	/** ports the per-host formats list, the rest summarised (0: all, by nmap's rules) */
	uint32_t list_states;
	bool reason;           /**< --reason: -oN gets a REASON column */
	bool append;           /**< --append-output: add to files instead of replacing them */
	bool resuming;         /**< --resume: streamed files are added to, per-host ones rewritten */
	bool xml_scanner_nmap; /**< --xml-scanner-nmap: scanner="nmap" (nmap.dtd validates) */
	const char *xml_stylesheet; /**< absolute path of nmap.xsl for -oX (NULL: none) */
	bool discovery;        /**< host discovery (-sn): one result per host, port 0 */
	bool banners;          /**< --banners: -oC gets a banner column by default */
	bool service_version;  /**< -sV: -oC gets service, product, version, info columns */
	bool os_detect;        /**< -O: -oC gets os, os_accuracy, os_cpe columns */
	bool verbose;          /**< -v: nmap's verbose lines (-O's uptime and sequences) */
	const char *version;   /**< ours, for the headers */
	const char *cmdline;   /**< the command line as given ("" if unknown) */
	struct prt_output_scan scans[PRT_OUTPUT_SCANS]; /**< the scan plan's arms, in order */
	unsigned nscans;
	const struct prt_service_names *services;  /**< NULL: every name "unknown" */
	const char *csv_fields; /**< --output-fields for -oC (checked by prt_csv_fields_valid) */
	uint64_t start_ns;      /**< unix time the scan started */
	/** Internet mode: past this many bytes the host table spills to disk (0: never) */
	size_t host_memory;
};

/** An IP protocol scan (-sO): its "ports" are protocols, and nmap's formats say so. */
static inline bool prt_output_protocol_scan(const struct prt_output_opts *o)
{
	return o->nscans == 1 && o->scans[0].proto == 0 /* IPPROTO_IP */;
}

/* ---- results grouped by host (stdout table, -oN, -oG, -oX) ---- */

#define PRT_HOST_GROUPS 8      /**< kinds of answer (state, reason) kept per host */
#define PRT_HOST_MAX_LISTED 25 /**< nmap lists a non-open state only up to this many ports */

/** One port of a host, as small as the record allows (8 bytes). */
struct prt_host_port {
	uint16_t port;
	uint8_t proto;
	uint8_t state;
	uint8_t reason;
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint8_t ttl;
};

struct prt_host_group {
	struct prt_host_port kind; /**< state, reason, ICMP type/code */
	uint64_t count;
	uint32_t n, cap;           /**< ports kept while they may be listed */
	struct prt_host_port *ports;
};

/** What a port said (--banners), raw; writers escape it. With -sV, what it is. */
struct prt_host_banner {
	uint16_t port;
	uint8_t proto;
	uint8_t probed;
	uint16_t len;
	uint8_t *data;
	struct prt_service_info *svc; /**< -sV: the service found, else NULL */
	char shown[44];               /**< -sV: the name the tables show ("ssl/http") */
	struct prt_cert_info *cert;   /**< --ssl-cert: the certificate (or error), else NULL */
};

/* ---- -O: a host's OS detection as the formats print it ---- */

#define PRT_OS_OUT_MATCHES 10   /**< nmap lists at most this many guesses */
#define PRT_OS_OUT_CLASSES 6

struct prt_os_out_class {
	char type[40], vendor[40], family[40], generation[24];
	char cpe[96];               /**< "" when the class names none */
};

struct prt_os_out_match {
	char name[160];             /**< "Linux 5.0 - 5.4" */
	double accuracy;            /**< 0..1 */
	uint32_t line;              /**< of its Fingerprint line in nmap-os-db */
	uint8_t nclasses;
	struct prt_os_out_class c[PRT_OS_OUT_CLASSES];
};

/* nmap's report of a host's sequences beside its OS: <tcpsequence>,
 * <ipidsequence>, <tcptssequence>, <uptime> and their -v lines */
struct prt_os_out_seq {
	uint8_t n;                  /**< SEQ answers: tcpsequence needs 4, the others 3 */
	uint32_t isn[6], tsval[6];
	uint16_t ipid[6];
	int32_t index;              /**< the ISNs' predictability; -1 unknown */
	char difficulty[20];        /**< its words: "Good luck!" */
	char ipid_class[40], ts_class[32];
	bool ts_values;             /**< the timestamps are listed (the host sent them) */
	int64_t lastboot;           /**< unix time the timestamp clock says it booted; 0 unknown */
};

struct prt_host_os {
	struct prt_addr addr;
	uint16_t open_tcp, closed_tcp, closed_udp; /**< the ports used (0: none) */
	int distance;               /**< hops (1: our segment), -1 unknown */
	uint32_t tries;
	uint8_t nmatches;           /**< guesses kept, best first */
	uint8_t nperfect;           /**< of them, with accuracy 1 */
	bool too_many;              /**< more perfect matches than can be told apart */
	bool guess;                 /**< print "Aggressive OS guesses" (--osscan-guess, or a
	                                 fingerprint not good enough to submit) */
	char reason[96];            /**< why the fingerprint is not good enough, or "" */
	struct prt_os_out_match m[PRT_OS_OUT_MATCHES];
	char fingerprint[2048];     /**< nmap's wrapped "OS:SCAN(...)" lines */
	struct prt_os_out_seq seq;
};

/** nmap's OS lines of normal output (-oN, the table): Device type, Running,
 * OS CPE, OS details or guesses, the fingerprint, Network Distance; with
 * @p verbose (-v) also the uptime guess and the sequence lines. */
void prt_os_print_normal(FILE *f, const struct prt_host_os *os, bool verbose);

struct prt_host {
	struct prt_addr addr;
	bool used;
	uint8_t ngroups;
	uint64_t first_ns, last_ns; /**< first and last result */
	struct prt_host_group group[PRT_HOST_GROUPS];
	struct prt_host_banner *banners; /**< in arrival order */
	uint32_t nbanners;
	struct prt_host_os *os;          /**< -O's result, else NULL */
};

#define PRT_HOST_RUNS_MAX 16 /**< runs on disk before they are merged into one */

/**
 * Every host that answered; silent ones only counted. With a budget the
 * table stays under it: when full it is written to disk as a run sorted by
 * address and emptied, and the runs are merged by address at the end
 * (output_host_runs.c). Only for scans that report no silent pairs (Internet
 * mode): a no-response result must find its host in memory.
 */
struct prt_hosts {
	struct prt_host *slots; /**< open addressing, power-of-two size */
	size_t size, count;
	size_t heap;              /**< bytes the hosts hold outside the slots (ports, banners) */
	size_t budget;            /**< bytes of slots + heap before a spill (0: no limit) */
	FILE *runs[PRT_HOST_RUNS_MAX]; /**< spilled runs, each sorted by address */
	uint64_t run_hosts[PRT_HOST_RUNS_MAX]; /**< hosts in each run */
	unsigned nruns;
	uint64_t spills;          /**< times the table went to disk */
	struct prt_host **sorted; /**< by address, after prt_hosts_sort() */
	size_t up;                /**< hosts with an answer other than "down", after a sort or each */
	uint64_t silent;          /**< hosts with no answer on any port */
	uint8_t silent_state;     /**< their state ("filtered", "open|filtered") */
	struct prt_addr last_silent;
	bool any_silent;
};

int prt_hosts_init(struct prt_hosts *t);
/** Bytes the table holds in memory. */
size_t prt_hosts_bytes(const struct prt_hosts *t);
/** Spill the table to a run on disk when it is over its budget. @return 0 or -errno */
int prt_hosts_fit(struct prt_hosts *t);

/**
 * Call @p fn for every host in address order, the runs on disk merged with
 * the table (a host in several runs comes once, its answers combined); sets
 * t->up. Stops at the first non-zero return of @p fn and returns it.
 */
int prt_hosts_each(struct prt_hosts *t, int (*fn)(const struct prt_host *h, void *arg),
	void *arg);
/** Add one result. No-response results must come after every reply. @return 0 or -ENOMEM */
int prt_hosts_add(struct prt_hosts *t, const struct prt_result *r);
int prt_hosts_sort(struct prt_hosts *t);

/** Whether the table (not the runs on disk) holds a host of @p a. */
bool prt_hosts_has(const struct prt_hosts *t, const struct prt_addr *a);

/** The host of @p a, added when new; its first/last times take @p ts. NULL: no memory */
struct prt_host *prt_hosts_get(struct prt_hosts *t, const struct prt_addr *a, uint64_t ts);

/** Keep a banner with its host. @return 0 or -ENOMEM */
int prt_hosts_add_banner(struct prt_hosts *t, const struct prt_banner *b);

/** The banner of (proto, port) on @p h, or NULL. */
const struct prt_host_banner *prt_host_banner_of(const struct prt_host *h, uint8_t proto,
	uint16_t port);

/* checkpoint form and teardown of a host's banners (output_banner.c) */
void prt_host_banners_save(const struct prt_host *h, FILE *f);
int prt_host_banners_restore(struct prt_host *h, FILE *f);
void prt_host_banners_free(struct prt_host *h);

/**
 * A banner as text every format can hold: printable ASCII as is, backslash,
 * \r, \n, \t as C escapes, any other byte (and any byte in @p extra) as
 * \xNN. @p out takes at most 4 * len + 1 bytes. @return @p out
 */
const char *prt_banner_escape(const uint8_t *d, size_t len, const char *extra, char *out,
	size_t cap);

#define PRT_BANNER_TEXT_MAX (4 * PRT_BANNER_MAX + 1)

/**
 * ssl-cert's lines as nmap prints them, '\n' between them ("Subject: ...",
 * "Issuer: ...", ..., "SHA-1: ..."), or "ERROR: ..." for a failed handshake.
 * @return @p buf
 */
const char *prt_cert_text(const struct prt_cert_info *c, char *buf, size_t len);

#define PRT_CERT_TEXT_MAX 2048

/** nmap's VERSION column: "product version (info)", any part may be missing. */
const char *prt_service_version_text(const struct prt_service_info *svc, char *buf, size_t len);

/** Write the table (and its runs) to a checkpoint (binary, this build's layout). @return 0 or -errno */
int prt_hosts_save(struct prt_hosts *t, FILE *f);

/** Add the hosts a checkpoint holds to @p t. @return 0, -EINVAL (damaged) or -ENOMEM */
int prt_hosts_restore(struct prt_hosts *t, FILE *f);
/** A host that answered with anything but a discovery "down" (ICMP unreachable). */
bool prt_host_is_up(const struct prt_host *h);
void prt_hosts_free(struct prt_hosts *t);

/** A host as the nmap formats show it: listed ports in port order, the rest summarised. */
struct prt_host_view {
	struct prt_host_port *listed;
	uint32_t nlisted;
	const struct prt_host_group *hidden[PRT_HOST_GROUPS];
	unsigned nhidden;
	uint64_t nhidden_ports;
};

/**
 * Sort @p h's ports into listed and summarised; only @p states (PRT_OUTPUT_
 * bits) may be listed, and with @p only_open (--open) only the states nmap's
 * --open keeps (prt_state_maybe_open).
 */
int prt_host_view_init(const struct prt_host *h, uint32_t states, bool only_open,
	struct prt_host_view *v);
void prt_host_view_free(struct prt_host_view *v);
struct prt_result prt_host_port_result(const struct prt_host *h, const struct prt_host_port *p);

/* ---- writers ---- */

struct prt_writer_ops {
	const char *name;  /**< "ndjson" */
	const char *flag;  /**< "-oJ" */
	const char *ext;   /**< file name extension for -oA ("xml"), NULL if not part of it */
	bool by_host;      /**< prints per host at close: needs the host table */
	/** by_host: one host, in address order, at close */
	int (*host)(void *state, FILE *f, const struct prt_host *h);
	/** @return writer state or NULL (errno set) */
	void *(*open)(FILE *f, const struct prt_output_opts *opts);
	/** One result as it arrives; NULL for writers that print only at close. */
	int (*write)(void *state, FILE *f, const struct prt_result *r);
	/** A banner as it arrives; NULL for writers that print them per host at close. */
	int (*banner)(void *state, FILE *f, const struct prt_banner *b);
	/** -O's result for a host as it is known; NULL for writers that print it per host. */
	int (*os)(void *state, FILE *f, const struct prt_host_os *os);
	/** Write what is left and the trailer (after every host), and free the state. */
	int (*close)(void *state, FILE *f, const struct prt_output_summary *s,
		const struct prt_hosts *hosts);
};

extern const struct prt_writer_ops prt_writer_ndjson;
extern const struct prt_writer_ops prt_writer_list;
extern const struct prt_writer_ops prt_writer_text;
extern const struct prt_writer_ops prt_writer_normal;
extern const struct prt_writer_ops prt_writer_grepable;
extern const struct prt_writer_ops prt_writer_xml;
extern const struct prt_writer_ops prt_writer_csv;

/** Find a writer by its flag letter after -o ('J', 'L', 'N', 'X', 'G', 'C'). NULL when unknown. */
const struct prt_writer_ops *prt_writer_find(char letter);

/** The writers -oA BASE opens (nmap's three), NULL-terminated. */
extern const struct prt_writer_ops *const prt_writers_all[];

/**
 * Check a --output-fields list ("ip,port,state"). @return 0, or -1 with the
 * unknown field named in @p err
 */
int prt_csv_fields_valid(const char *fields, char *err, size_t errlen);

/** The fields -oC knows, comma separated, for --help. */
extern const char prt_csv_field_names[];

#define PRT_OUTPUT_MAX 8

/**
 * Where results go besides the files (the results store): what the streams
 * write (the same --output-states and --open filter), every banner, and the
 * summary at the end. Any callback may be NULL.
 */
struct prt_output_sink {
	void *arg;
	void (*result)(void *arg, const struct prt_result *r);
	void (*banner)(void *arg, const struct prt_banner *b);
	/** prt_output_flush: what was given so far is to be kept (a checkpoint) */
	int (*flush)(void *arg);
	void (*end)(void *arg, const struct prt_output_summary *s, bool discarded);
	/** -O's result for a host */
	void (*os)(void *arg, const struct prt_host_os *os);
};

/** The writers of a scan. */
struct prt_output {
	struct {
		const struct prt_writer_ops *ops;
		FILE *f;
		void *state;
		char *path;  /**< NULL for stdout */
		bool created; /**< the file did not exist: a discard removes it */
		long keep;    /**< appended to: its size before, restored by a discard */
	} w[PRT_OUTPUT_MAX];
	unsigned n;
	struct prt_output_opts opts;
	struct prt_hosts hosts; /**< fed only when a writer is by_host */
	bool want_hosts;
	bool host_failed; /**< a writer could not print a host at close */
	struct prt_events *events; /**< --event-log: results' events go there too (NULL: none) */
	struct prt_output_sink sink;
};

/** @return 0 or -ENOMEM */
int prt_output_init(struct prt_output *out, const struct prt_output_opts *opts);

/**
 * Open a writer to @p path (NULL = stdout); with opts.append an existing
 * file is added to (an XML file must then be empty: a document holds one
 * scan). @return 0 or -errno (file not writable, too many outputs)
 */
int prt_output_add(struct prt_output *out, const struct prt_writer_ops *ops, const char *path);

/** Results restored from a checkpoint: only the per-host table takes them. */
static inline struct prt_hosts *prt_output_hosts(struct prt_output *out)
{
	return &out->hosts;
}

/** Give one result to every writer. @return 0 or -EIO when a write failed */
int prt_output_write(struct prt_output *out, const struct prt_result *r);

/**
 * Whether a result like @p r (no response) only counts its host as silent:
 * no stream writes it and the host table has no host of its address. Then
 * writing it once stands for every like result of that host, and a scan of
 * millions of silent pairs writes one result per host, not one per pair.
 */
bool prt_output_counts_only(const struct prt_output *out, const struct prt_result *r);

/** Give one banner to every writer (and the host table). @return 0 or -EIO */
int prt_output_banner(struct prt_output *out, const struct prt_banner *b);

/** Give a host's OS detection to every writer (and the host table). @return 0, -EIO, -ENOMEM */
int prt_output_os(struct prt_output *out, const struct prt_host_os *os);

/** Flush every file (what a checkpoint counts as written is then written). @return 0 or -EIO */
int prt_output_flush(struct prt_output *out);

/** Trailers, flush and close. @return 0 or -EIO */
int prt_output_close(struct prt_output *out, const struct prt_output_summary *s);

/** Close everything and delete the files created (scan did not start). */
void prt_output_discard(struct prt_output *out);

/** Format unix ns as "2026-11-27T00:10:17.123Z". */
const char *prt_output_iso_time(uint64_t ns, char *buf, size_t len);

/** Format unix ns as nmap's headers do, in UTC: "Fri Nov 27 02:31:24 2026". */
const char *prt_output_nmap_time(uint64_t ns, char *buf, size_t len);

#endif
