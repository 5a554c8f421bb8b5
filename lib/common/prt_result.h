/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_RESULT_H
#define PRT_RESULT_H

/**
 * @file
 * The result record: one (ip, port) answer with every field once. RX lcores
 * fill it, the main lcore stamps wall-clock time, writers only serialise it.
 * Types only (plus name helpers), so classify, pipeline and output can share
 * it without depending on each other.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** An address of either family; IPv4 as ::ffff:a.b.c.d (RFC 4291 2.5.5.2). */
struct prt_addr {
	uint8_t b[16];
};

#define PRT_ADDR_STRLEN 46 /* INET6_ADDRSTRLEN */

static inline struct prt_addr prt_addr_from_v4(uint32_t ip)
{
	struct prt_addr a = {.b = {[10] = 0xff, [11] = 0xff}};

	a.b[12] = (uint8_t)(ip >> 24);
	a.b[13] = (uint8_t)(ip >> 16);
	a.b[14] = (uint8_t)(ip >> 8);
	a.b[15] = (uint8_t)ip;
	return a;
}

static inline bool prt_addr_is_v4(const struct prt_addr *a)
{
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};

	return memcmp(a->b, mapped, 12) == 0;
}

/** The IPv4 address (host order) of a v4 prt_addr. */
static inline uint32_t prt_addr_v4(const struct prt_addr *a)
{
	return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 | (uint32_t)a->b[14] << 8 |
		a->b[15];
}

static inline int prt_addr_cmp(const struct prt_addr *a, const struct prt_addr *b)
{
	return memcmp(a->b, b->b, 16);
}

/** "198.18.0.1" or "2001:2::1". */
const char *prt_addr_str(const struct prt_addr *a, char *buf, size_t len);

/* A result's proto for ARP (-PR), which is no IP protocol: 255, the number IANA
 * reserves, never a datagram's an arm takes (lib/classify). */
#define PRT_PROTO_ARP 255

enum prt_state {
	PRT_STATE_OPEN = 0,
	PRT_STATE_CLOSED,
	PRT_STATE_FILTERED,
	PRT_STATE_OPEN_FILTERED, /**< FIN/NULL/Xmas/Maimon silence: nmap's open|filtered */
	PRT_STATE_UNFILTERED,    /**< ACK scan: the port answered, open or closed unknown */
	PRT_STATE_UP,            /**< host discovery (-sn): the host answered */
	PRT_STATE_DOWN,          /**< host discovery: silence, or an unreachable for it */
	PRT_STATE_COUNT
};

enum prt_reason {
	PRT_REASON_SYN_ACK = 0,
	PRT_REASON_RST,
	PRT_REASON_ICMP, /**< see icmp_type / icmp_code */
	PRT_REASON_NO_RESPONSE,
	PRT_REASON_ECHO_REPLY,
	PRT_REASON_UDP_RESPONSE,
	PRT_REASON_CONN_REFUSED, /**< -sT: a reset answered our SYN */
	PRT_REASON_INIT_ACK,     /**< SCTP: an INIT ACK answered our INIT */
	PRT_REASON_ABORT,        /**< SCTP: an ABORT answered */
	PRT_REASON_TIMESTAMP_REPLY, /**< -PP: an ICMP timestamp reply */
	PRT_REASON_MASK_REPLY,   /**< -PM: an ICMP address mask reply */
	PRT_REASON_ARP_RESPONSE, /**< -PR: an ARP reply */
	PRT_REASON_ND_RESPONSE,  /**< -PR on IPv6: a neighbor advertisement */
	PRT_REASON_COUNT
};

struct prt_result {
	uint64_t ts;        /**< TSC on RX; unix time in ns once stamped by main */
	struct prt_addr addr;
	uint16_t port;
	uint8_t proto;      /**< IPPROTO_TCP, IPPROTO_ICMP (host discovery: port 0) */
	uint8_t state;      /**< enum prt_state */
	uint8_t reason;     /**< enum prt_reason */
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint8_t ttl;        /**< of the reply; 0 for no-response */
};

/** What a match line of nmap-service-probes says of a service (-sV). */
struct prt_service_info {
	char service[32];
	char product[96];
	char version[64];
	char info[96];
	char hostname[64];
	char ostype[32];
	char devicetype[32];
	char cpe[4][96];
	uint8_t ncpe;
	bool soft;          /**< from a softmatch: the service only */
	char tunnel[8];     /**< "ssl" when found inside TLS (nmap's ssl/http), else "" */
	uint32_t line;      /**< of the match line in the probe file */
	char probe[32];     /**< the probe whose answer matched */
};

/** A TLS server's certificate as nmap's ssl-cert script reports it (--ssl-cert). */
struct prt_cert_info {
	uint8_t ok;             /**< the handshake completed and a certificate came */
	char error[96];         /**< else why not ("not TLS", "alert ...") */
	char tls_version[16];   /**< "TLSv1.3" */
	char subject[256];      /**< "commonName=x/organizationName=y/countryName=US" */
	char issuer[256];
	char san[512];          /**< "DNS:a, DNS:b, IP Address:198.19.0.5" */
	char not_before[24];    /**< "2026-11-27T05:00:00" */
	char not_after[24];
	char key_type[16];      /**< "rsa", "ec", "ed25519", ... */
	uint32_t key_bits;
	char sig_alg[64];       /**< "sha256WithRSAEncryption" */
	char md5[40];           /**< hex */
	char sha1[48];
	char ja4s[40];          /**< the ServerHello's JA4S (also on a failed handshake), or "" */
	char jarm[64];          /**< --jarm: the port's JARM (62 characters), or "" */
};

#define PRT_BANNER_MAX 1024 /**< bytes of a banner kept (the rest is dropped) */

/** What a service said on a connection (--banners), raw bytes; with -sV
 * also what it is (the answer that identified it is the banner then). */
struct prt_banner {
	uint64_t ts;        /**< TSC on RX; unix time in ns once stamped by main */
	struct prt_addr addr;
	uint16_t port;
	uint8_t proto;      /**< IPPROTO_TCP */
	uint8_t probed;     /**< 0: the server spoke first; 1: it answered our probe */
	uint16_t len;
	uint8_t has_svc;    /**< -sV: svc holds the service found */
	uint8_t has_cert;   /**< --ssl-cert: cert holds what TLS gave */
	uint8_t data[PRT_BANNER_MAX];  /**< (fields before it: zeroed with offsetof(data)) */
	struct prt_service_info svc;
	struct prt_cert_info cert;
};

/** Open ports and up hosts: what --open keeps and the tables always list. */
static inline int prt_state_is_positive(uint8_t s)
{
	return s == PRT_STATE_OPEN || s == PRT_STATE_UP;
}

/**
 * What nmap's --open keeps: open, open|filtered, unfiltered (and a host that
 * is up): the states in which the port may be open.
 */
static inline bool prt_state_maybe_open(uint8_t s)
{
	return s == PRT_STATE_OPEN || s == PRT_STATE_OPEN_FILTERED || s == PRT_STATE_UNFILTERED ||
	       s == PRT_STATE_UP;
}

/** "open", "closed", "filtered", "open|filtered", "unfiltered", "up", "down" */
const char *prt_state_name(enum prt_state s);

/**
 * The reason in nmap's words, the same in every format: "syn-ack", "reset",
 * "no-response", "port-unreach", "admin-prohibited", "proto-unreach", ...
 * (an ICMP error's type and code are the result's icmp_type/icmp_code).
 */
const char *prt_reason_name(const struct prt_result *r);

/** "tcp" for IPPROTO_TCP, "udp", "icmp", else "ip". */
const char *prt_proto_name(uint8_t proto);

#endif
