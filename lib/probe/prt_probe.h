/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_PROBE_H
#define PRT_PROBE_H

/**
 * @file
 * Probe crafting. A probe module writes the constant bytes of its frame once
 * into a template (Ethernet + IPv4 + L4, with the checksum sums of the
 * constant part), then patches only the per-target fields into each frame:
 * destination, ports, sequence, IP id and the two checksums.
 */

#include <stdbool.h>
#include <stdint.h>

#include "prt_cookie.h"

#define PRT_PROBE_MAX_FRAME 128

/** What stays the same for every probe of a scan. */
struct prt_probe_params {
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
	uint32_t saddr; /**< host order */
	uint8_t ttl;
	uint16_t window;
	uint16_t mss; /**< 0: no MSS option */
	bool hw_cksum; /**< the NIC finishes the checksums (TX offload) */
};

/** A frame with its constant bytes written, ready to be patched. */
struct prt_probe_tmpl {
	uint8_t frame[PRT_PROBE_MAX_FRAME];
	uint16_t len;        /**< frame length */
	uint16_t l4_len;     /**< TCP header + options */
	uint32_t ip_sum;     /**< sum of the constant IPv4 header words */
	uint32_t l4_sum;     /**< sum of pseudo header + L4 constant words */
	uint32_t phdr_sum;   /**< sum of the constant pseudo-header words */
	bool hw_cksum;       /**< leave checksums to the NIC (IPv4 0, TCP pseudo header) */
};

/** Per-target fields of one TCP segment. */
struct prt_tcp_fields {
	uint32_t daddr; /**< host order */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint16_t ip_id;
};

/** Build a TCP template with @p flags (RTE_TCP_*_FLAG) and options if params->mss. */
void prt_probe_tcp_tmpl_init(struct prt_probe_tmpl *t, const struct prt_probe_params *p,
	uint8_t flags);

/**
 * Copy the template into @p frame and patch @p f in. Checksums are complete,
 * or, with hw_cksum, set up for TX offload: the IPv4 checksum 0 and the TCP
 * checksum the pseudo-header sum (the mbuf then needs RTE_MBUF_F_TX_IPV4 |
 * RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM, l2_len and l3_len).
 */
void prt_probe_tcp_craft(const struct prt_probe_tmpl *t, uint8_t *frame,
	const struct prt_tcp_fields *f);

/** A scan type: how to build its template and craft one target's frame. */
struct prt_probe_ops {
	const char *name;        /**< "syn" */
	const char *description; /**< one line for --help */
	uint8_t proto;           /**< IPPROTO_TCP, ... */
	void (*tmpl_init)(struct prt_probe_tmpl *t, const struct prt_probe_params *p);
	/** Craft the probe for (daddr, dport) with its cookie into @p frame. */
	void (*craft)(const struct prt_probe_tmpl *t, uint8_t *frame, uint32_t daddr,
		uint16_t dport, const struct prt_cookie *c);
};

extern const struct prt_probe_ops prt_probe_syn;

/** Find a probe module by name. @return NULL when unknown */
const struct prt_probe_ops *prt_probe_find(const char *name);

#endif
