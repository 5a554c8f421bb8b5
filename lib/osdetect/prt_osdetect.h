/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_OSDETECT_H
#define PRT_OSDETECT_H

/**
 * @file
 * -O's reference side: nmap-os-db (read at run time from nmap's data
 * directory, never copied) and the matching of a host's fingerprint against
 * it the way nmap matches (its MatchPoints weights, its expression syntax,
 * its ranking). Which probes make a fingerprint is another file's concern;
 * here a fingerprint is its tests' attribute values as nmap prints them
 * ("SEQ(SP=105%GCD=1%...)").
 *
 * An attribute counts when both the reference and the host have it: its
 * points go to the total, and to the score when the host's value matches the
 * reference's expression. A print's accuracy is score / total.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_cookie.h"

#define PRT_OS_MATCHES_MAX 36   /**< nmap keeps this many matches per host */
#define PRT_OS_GUESS_THRESHOLD 0.85 /**< nmap's OSSCAN_GUESS_THRESHOLD */
#define PRT_OS_CLASSES_MAX 8
#define PRT_OS_VALUE_MAX 48

struct prt_os_db;

/** One "Class vendor | family | generation | type" line. */
struct prt_os_class {
	const char *vendor, *family, *generation, *type;
};

/** A reference print as the db gives it. */
struct prt_os_print {
	const char *name;             /**< "Microsoft Windows 10 1607" */
	uint32_t line;                /**< of its Fingerprint line */
	uint8_t nclasses, ncpes;
	struct prt_os_class classes[PRT_OS_CLASSES_MAX];
	const char *cpes[PRT_OS_CLASSES_MAX]; /**< "cpe:/o:microsoft:windows_10:1607" */
};

/** A host's fingerprint: attribute values by test and attribute name. */
struct prt_os_fp {
	uint32_t n;
	struct {
		char test[6], attr[6];
		char value[PRT_OS_VALUE_MAX];
	} v[192];
};

struct prt_os_result {
	uint32_t n;                   /**< matches kept, best first */
	uint32_t perfect;             /**< of them, with accuracy 1 */
	bool too_many;                /**< more perfect matches than can be kept */
	uint32_t print[PRT_OS_MATCHES_MAX]; /**< indices into the db */
	double accuracy[PRT_OS_MATCHES_MAX];
};

/** Read @p path. @return 0, or -errno with a one-line reason (file:line) in @p err */
int prt_os_db_load(struct prt_os_db **db, const char *path, char *err, size_t errlen);
void prt_os_db_free(struct prt_os_db *db);

uint32_t prt_os_db_count(const struct prt_os_db *db);
const struct prt_os_print *prt_os_db_print(const struct prt_os_db *db, uint32_t i);
/** A reference print's expression for TEST.ATTR, or NULL when it has none. */
const char *prt_os_db_expr(const struct prt_os_db *db, uint32_t i, const char *test,
	const char *attr);
/** MatchPoints' weight of TEST.ATTR, or -1 when the db does not weigh it. */
int prt_os_db_points(const struct prt_os_db *db, const char *test, const char *attr);

/** Set TEST.ATTR (replacing a value set before). @return 0, -EINVAL, -ENOSPC */
int prt_os_fp_set(struct prt_os_fp *fp, const char *test, const char *attr, const char *value);
const char *prt_os_fp_get(const struct prt_os_fp *fp, const char *test, const char *attr);
/**
 * Read a fingerprint as nmap prints it: TEST(ATTR=VALUE%...) groups, with
 * or without the "OS:" line prefixes of its wrapped form.
 * @return 0, or -EINVAL with the reason in @p err
 */
int prt_os_fp_parse(struct prt_os_fp *fp, const char *text, char *err, size_t errlen);

/**
 * @p fp as nmap prints its tests, unwrapped: "SEQ(SP=105%GCD=1%...)OPS(...)",
 * the tests in nmap's order, each test's attributes in the order they were set.
 * @return the length written, or -ENOSPC
 */
int prt_os_fp_format(const struct prt_os_fp *fp, char *out, size_t cap);

/**
 * nmap's wrapped form of @p text: lines of "OS:" and at most 72 characters,
 * each ended by '\n'. @return the length written, or -ENOSPC
 */
int prt_os_fp_wrap(const char *text, char *out, size_t cap);

/**
 * Does @p value match nmap's expression @p expr: alternatives split by '|',
 * each a hex number, a hex range "A-B", ">N", "<N", or a literal; @p nested
 * (TCP options) also allows hex parts in brackets ("M[>500]ST11").
 */
bool prt_os_expr_match(const char *value, const char *expr, bool nested);

/** What a TCP probe carried that its answer is judged against. */
struct prt_os_sent {
	uint32_t seq, ack;
};

/**
 * TCP options as nmap writes them ("M5B4ST11NWA": MSS 0x5B4, SACK permitted,
 * timestamps both non-zero, NOP, window scale 10); an EOL ends them.
 * @return the length written, -EINVAL for an option cut short, -ENOSPC
 */
int prt_os_tcp_options(const uint8_t *opts, size_t len, char *out, size_t cap);

/**
 * Test @p test ("T1".."T7", "ECN") of the answer @p ip (its IPv4 header on,
 * @p len bytes as received; NULL: no answer, R=N). @p distance: hops to the
 * host when known (1: on our segment), else 0 (TG instead of T).
 * @return 0, or -EINVAL when it is not a whole IPv4 + TCP packet
 */
int prt_os_tcp_test(struct prt_os_fp *fp, const char *test, const uint8_t *ip, size_t len,
	const struct prt_os_sent *sent, int distance);

/** OPS.O<probe> and WIN.W<probe> from the answer to SEQ probe @p probe (1-6). */
int prt_os_seq_reply(struct prt_os_fp *fp, unsigned probe, const uint8_t *ip, size_t len);

/**
 * U1: the port unreachable @p ip answering our UDP probe @p sent (both from
 * their IPv4 headers on; @p ip NULL: none came, R=N).
 * @return 0, -EINVAL when it is not a port unreachable quoting that probe
 */
int prt_os_u1_test(struct prt_os_fp *fp, const uint8_t *ip, size_t len, const uint8_t *sent,
	size_t sent_len, int distance);
/** Is @p ip a port unreachable quoting our UDP probe @p sent? */
bool prt_os_u1_quotes(const uint8_t *ip, size_t len, const uint8_t *sent, size_t sent_len);
/** The hops to the host the port unreachable's quote tells (0: it tells none). */
int prt_os_u1_distance(const uint8_t *ip, size_t len, const uint8_t *sent);

/** IE: the echo replies to nmap's two echo requests (either NULL: R=N). */
int prt_os_ie_test(struct prt_os_fp *fp, const uint8_t *r1, size_t l1, const uint8_t *r2,
	size_t l2, int distance);

#define PRT_OS_SEQ_PROBES 6

/** What SEQ is computed from: the SYN-ACKs to the SEQ probes (added in the
 * order the probes went out) and the IP IDs of the other answers. */
struct prt_os_seq {
	unsigned n;
	struct prt_os_seq_answer {
		uint8_t probe;          /**< 1-6 */
		bool has_ts;
		uint16_t ipid;
		uint32_t isn, tsval;
		uint64_t sent_us;       /**< when its probe went out */
	} a[PRT_OS_SEQ_PROBES];
	unsigned nclosed, nicmp;
	uint16_t closed_ipid[3];    /**< T5, T6, T7's answers (CI) */
	uint16_t icmp_ipid[2];      /**< the echo replies (II) */
};

/** Add the SYN-ACK answering SEQ probe @p probe. @return 0, or -EINVAL */
int prt_os_seq_add(struct prt_os_seq *s, unsigned probe, uint64_t sent_us, const uint8_t *ip,
	size_t len);
/** SEQ's attributes from what was added (those nmap omits, omitted). */
void prt_os_seq_test(struct prt_os_fp *fp, const struct prt_os_seq *s);

/** nmap's IP ID sequence classes (TI, CI, II; its <ipidsequence> in words). */
enum prt_os_ipid_class {
	PRT_OS_IPID_UNKNOWN, PRT_OS_IPID_ZERO, PRT_OS_IPID_RANDOM, PRT_OS_IPID_CONSTANT,
	PRT_OS_IPID_RPI, PRT_OS_IPID_BROKEN, PRT_OS_IPID_INCR2, PRT_OS_IPID_INCR,
};

/** nmap's TCP timestamp classes (its <tcptssequence>). */
enum prt_os_ts_class {
	PRT_OS_TS_UNKNOWN, PRT_OS_TS_UNSUPPORTED, PRT_OS_TS_ZERO, PRT_OS_TS_2HZ,
	PRT_OS_TS_100HZ, PRT_OS_TS_1000HZ, PRT_OS_TS_OTHER,
};

/** What nmap reports beside the fingerprint: <tcpsequence>, <ipidsequence>,
 * <tcptssequence> and <uptime>, from the SEQ answers. */
struct prt_os_seq_report {
	uint8_t n;                  /**< SEQ answers, in the order their probes went */
	uint32_t isn[PRT_OS_SEQ_PROBES], tsval[PRT_OS_SEQ_PROBES];
	uint16_t ipid[PRT_OS_SEQ_PROBES];
	int32_t index;              /**< SP, the predictability; -1 below four answers */
	uint8_t ipid_class;         /**< enum prt_os_ipid_class of the answers' IP IDs */
	uint8_t ts_class;           /**< enum prt_os_ts_class */
	bool uptime_known;          /**< the clock's rate gave an uptime (maybe zero) */
	uint32_t uptime_s;          /**< seconds before the first SEQ probe */
};

void prt_os_seq_report(const struct prt_os_seq *s, struct prt_os_seq_report *r);
/** nmap's words: "All zeros", "Incremental", ... */
const char *prt_os_ipid_class_name(enum prt_os_ipid_class c);
/** nmap's words: "1000HZ", "none returned (unsupported)", ... */
const char *prt_os_ts_class_name(enum prt_os_ts_class c);
/** nmap's words for a predictability index: "Trivial joke" .. "Good luck!" */
const char *prt_os_seq_difficulty(uint32_t index);

/** nmap's OS detection probes, in the order nmap sends them. */
enum prt_os_probe {
	PRT_OS_SEQ1, PRT_OS_SEQ2, PRT_OS_SEQ3, PRT_OS_SEQ4, PRT_OS_SEQ5, PRT_OS_SEQ6,
	PRT_OS_IE1, PRT_OS_IE2, PRT_OS_U1, PRT_OS_ECN,
	PRT_OS_T2, PRT_OS_T3, PRT_OS_T4, PRT_OS_T5, PRT_OS_T6, PRT_OS_T7,
	PRT_OS_PROBES
};

/** What differs per host and try (host byte order). */
struct prt_os_probe_args {
	uint32_t src, dst;
	uint16_t sport, dport;    /**< open port: SEQ, ECN, T2-T4; closed: T5-T7, U1 (UDP) */
	uint32_t seq, ack;        /**< TCP */
	uint16_t ipid;
	uint8_t ttl;
	uint16_t icmp_id, icmp_seq; /**< IE */
};

#define PRT_OS_PROBE_MAX 328  /**< the longest, U1, IPv4 header on */

/** Build probe @p p, IPv4 header on. @return its length, -ENOSPC, -EINVAL */
int prt_os_probe_build(enum prt_os_probe p, const struct prt_os_probe_args *a, uint8_t *out,
	size_t cap);

/** What a host's try uses (the engine draws it per host and try). */
struct prt_os_host_conf {
	uint32_t src, dst;
	uint16_t tcp_open, tcp_closed, udp_closed;
	uint16_t sport_base;       /**< 21 ports from here: one per probe, nmap's layout */
	uint32_t seq_base, ack;
	uint16_t icmp_id, icmp_seq;
	uint16_t ipid[PRT_OS_PROBES];
	uint8_t ttl[PRT_OS_PROBES];
	int distance;              /**< hops when known otherwise (1: our segment), else 0 */
};

struct prt_os_answer {
	uint16_t len;
	uint8_t ip[128];           /**< its first bytes, IPv4 header on: all a test reads */
};

/** One host's try: what went out when, what came back. */
struct prt_os_host {
	struct prt_os_host_conf conf;
	uint64_t start_us, last_us;
	uint32_t sent, resent, answered;  /**< a bit per probe */
	uint64_t sent_us[PRT_OS_PROBES];
	struct prt_os_answer answer[PRT_OS_PROBES];
	uint16_t u1_sent_len, u1_len;
	uint8_t u1_sent[PRT_OS_PROBE_MAX];
	uint8_t u1[PRT_OS_PROBE_MAX + 64]; /**< the port unreachable quotes the probe whole */
};

void prt_os_host_init(struct prt_os_host *h, const struct prt_os_host_conf *c, uint64_t now_us);
/** The probe due at @p now_us, or -1 with *next_us the next time one is (UINT64_MAX: none). */
int prt_os_host_due(const struct prt_os_host *h, uint64_t now_us, uint64_t *next_us);
/** Build probe @p p to send now. @return its length, or -errno */
int prt_os_host_probe(struct prt_os_host *h, int p, uint64_t now_us, uint8_t *out, size_t cap);
/** An answer from the host: @return the probe it answers, or -EINVAL (not one of ours) */
int prt_os_host_answer(struct prt_os_host *h, const uint8_t *ip, size_t len);
/** Every probe sent, resent if need be, and the last one waited for. */
bool prt_os_host_done(const struct prt_os_host *h, uint64_t now_us);
/** The try's fingerprint. @return the hop distance it used (0: unknown, TG) */
int prt_os_host_finish(const struct prt_os_host *h, struct prt_os_fp *fp);
/** The try's SEQ answers (and the other answers' IP IDs), as SEQ reads them. */
void prt_os_host_seq(const struct prt_os_host *h, struct prt_os_seq *s);

/** A host to try, and what the port scan told of it. */
struct prt_os_target {
	uint32_t addr;
	uint16_t tcp_open, tcp_closed, udp_closed;
	int distance;              /**< 1 on our segment, else 0 (U1 may tell) */
	uint32_t try_no;           /**< 0 for the first try; later ones draw new numbers */
};

struct prt_os_table_conf {
	uint32_t capacity;         /**< hosts at once (also bounded by the ports: 21 each) */
	uint32_t src;              /**< our IPv4 address */
	uint16_t sport_base;       /**< -O's source ports: this range, no other flow's */
	uint32_t sport_count;
	struct prt_cookie_key key; /**< the scan's: draws each host's numbers */
	/** A probe to send now, IPv4 header on. */
	void (*emit)(void *ctx, const uint8_t *ip, size_t len);
	/** A try ended: @p h holds every answer it got (prt_os_host_finish()). */
	void (*done)(void *ctx, const struct prt_os_host *h);
	void *ctx;
};

struct prt_os_table;

/** Where the table's probes and ended tries go from now on (replaces the conf's). */
void prt_os_table_set_io(struct prt_os_table *t, void (*emit)(void *ctx, const uint8_t *ip,
	size_t len), void (*done)(void *ctx, const struct prt_os_host *h), void *ctx);

/** @return the table, or NULL with errno set */
struct prt_os_table *prt_os_table_create(const struct prt_os_table_conf *c);
void prt_os_table_free(struct prt_os_table *t);
/** Start a try. @return 0, -ENOSPC (full), -EEXIST (the host has one running) */
int prt_os_table_add(struct prt_os_table *t, const struct prt_os_target *target,
	uint64_t now_us);
/** Send what is due and end the tries that are over (their done callback). */
void prt_os_table_poll(struct prt_os_table *t, uint64_t now_us);
/** An answer, IPv4 header on. @return 0 taken, -ENOENT not one of ours, -EINVAL */
int prt_os_table_input(struct prt_os_table *t, const uint8_t *ip, size_t len);
uint32_t prt_os_table_active(const struct prt_os_table *t);

/** The accuracy of reference print @p i for @p fp (0 when nothing compares). */
double prt_os_accuracy(const struct prt_os_db *db, uint32_t i, const struct prt_os_fp *fp);

/**
 * nmap's ranking: every print of accuracy at least @p threshold (and every
 * perfect one), one per OS name (its best), best first, at most
 * PRT_OS_MATCHES_MAX.
 */
void prt_os_match(const struct prt_os_db *db, const struct prt_os_fp *fp, double threshold,
	struct prt_os_result *r);

#endif
