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

#include <stddef.h>
#include <stdint.h>

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
};

struct prt_result {
	uint64_t ts;        /**< TSC on RX; unix time in ns once stamped by main */
	uint32_t ip;        /**< host order */
	uint16_t port;
	uint8_t proto;      /**< IPPROTO_TCP, IPPROTO_ICMP (host discovery: port 0) */
	uint8_t state;      /**< enum prt_state */
	uint8_t reason;     /**< enum prt_reason */
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint8_t ttl;        /**< of the reply; 0 for no-response */
};

/** Open ports and up hosts: what --open keeps and the tables always list. */
static inline int prt_state_is_positive(uint8_t s)
{
	return s == PRT_STATE_OPEN || s == PRT_STATE_UP;
}

/** "open", "closed", "filtered", "open|filtered", "unfiltered", "up", "down" */
const char *prt_state_name(enum prt_state s);

/** Write "syn-ack", "rst", "icmp-3-13" or "no-response" into @p buf and return it. */
const char *prt_reason_str(const struct prt_result *r, char *buf, size_t len);

/**
 * The reason in nmap's words, for the nmap formats: "syn-ack", "reset",
 * "no-response", "port-unreach", "admin-prohibited", ...
 */
const char *prt_reason_nmap(const struct prt_result *r);

/** "tcp" for IPPROTO_TCP, "udp", "icmp", else "ip". */
const char *prt_proto_name(uint8_t proto);

#endif
