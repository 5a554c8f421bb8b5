/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_CLASSIFY_H
#define PRT_CLASSIFY_H

/**
 * @file
 * Reply classification: parse a received frame's Ethernet, IP and ICMP
 * headers with every length checked, then hand the datagram to the module
 * of the scan's arm for its protocol (lib/probe: its header, checksum,
 * cookie and verdict; for an ICMP error, the probe it quotes) and say which
 * pair of the scan it answers. Anything else is dropped with a reason that
 * is counted. Pure function of the bytes: hostile input is unit-tested.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prt_cookie.h"
#include "prt_probe.h"
#include "prt_reply.h"
#include "prt_result.h"
#include "prt_target.h"

#define PRT_MAX_ARMS 8 /**< probe arms of one scan: a port scan's, or host discovery's */

/**
 * One arm of a scan: a probe module and the ports it scans. A host's ports
 * are numbered over the arms in order: arm i's from base to base + ports->n.
 */
struct prt_scan_arm {
	const struct prt_probe_ops *probe;
	const struct prt_port_list *ports;
	uint32_t base;
};

/** What the classifier needs to know of the scan. */
struct prt_cls_ctx {
	struct prt_reply_keys keys; /**< the cookies' key and inputs, for the modules */
	struct prt_scan_arm arm[PRT_MAX_ARMS]; /**< added with prt_cls_add_arm() */
	unsigned narms;
	uint32_t nports; /**< a host's ports over every arm */
	const struct prt_target_set *targets;
	bool sessions; /**< connections are kept (-sT, --banners, -sV, --ssl-cert): note segments */
	/**
	 * Answered pairs, a bit each, or NULL. In a stateless scan a reply for
	 * an answered pair is PRT_CLS_DUPLICATE before its checksum and cookie
	 * are computed, where its module says the repeat may be (TCP's:
	 * prt_probe_ops.repeat_port): valid or not it could change nothing, and
	 * floods of such replies should cost little. SYN-ACKs are checked in
	 * full still: their reset goes only to a real answer.
	 */
	const uint64_t *answered;
};

/** Add an arm after those @p c has; its ports are numbered after theirs. @return 0 or -1 (full) */
static inline int prt_cls_add_arm(struct prt_cls_ctx *c, const struct prt_probe_ops *probe,
	const struct prt_port_list *ports)
{
	if (c->narms == PRT_MAX_ARMS)
		return -1;
	c->arm[c->narms++] = (struct prt_scan_arm){probe, ports, c->nports};
	c->nports += ports->n;
	return 0;
}

/** ICMPv6 replies go to the ICMP arms. */
static inline uint8_t prt_cls_arm_proto(uint8_t proto)
{
	return proto == 58 /* IPPROTO_ICMPV6 */ ? 1 /* IPPROTO_ICMP */ : proto;
}

/** Does arm @p a take IP datagrams of @p proto (its own, or any with -sO; never ARP's)? */
static inline bool prt_cls_arm_takes(const struct prt_scan_arm *a, uint8_t proto)
{
	return a->probe->ethertype == 0 &&
		(a->probe->proto == prt_cls_arm_proto(proto) || a->probe->any_proto);
}

/** The first arm that takes @p proto, NULL when none does. */
static inline const struct prt_scan_arm *prt_cls_arm_for(const struct prt_cls_ctx *c,
	uint8_t proto)
{
	for (unsigned i = 0; i < c->narms; i++)
		if (prt_cls_arm_takes(&c->arm[i], proto))
			return &c->arm[i];
	return NULL;
}

/** The arm whose module's own protocol is @p proto (not -sO's, which takes any), or NULL. */
static inline const struct prt_scan_arm *prt_cls_arm_of_proto(const struct prt_cls_ctx *c,
	uint8_t proto)
{
	for (unsigned i = 0; i < c->narms; i++)
		if (c->arm[i].probe->ethertype == 0 && c->arm[i].probe->proto == proto)
			return &c->arm[i];
	return NULL;
}

/** The arm of a link-layer module for frames of @p ethertype (-PR's ARP), or NULL. */
static inline const struct prt_scan_arm *prt_cls_link_arm(const struct prt_cls_ctx *c,
	uint16_t ethertype)
{
	for (unsigned i = 0; ethertype != 0 && i < c->narms; i++)
		if (c->arm[i].probe->ethertype == ethertype)
			return &c->arm[i];
	return NULL;
}

/** The probe module of the scan's first arm for @p proto, NULL when none. */
static inline const struct prt_probe_ops *prt_cls_probe_for(const struct prt_cls_ctx *c,
	uint8_t proto)
{
	const struct prt_scan_arm *a = prt_cls_arm_for(c, proto);

	return a != NULL ? a->probe : NULL;
}

/** @p port's number among a host's ports on arm @p a, or -1 when the arm does not scan it. */
static inline int32_t prt_cls_arm_port_index(const struct prt_scan_arm *a, uint16_t port)
{
	int32_t idx = a->ports->index_of[port];

	return idx < 0 ? -1 : (int32_t)a->base + idx;
}

/**
 * The port's number among a host's ports, or -1 when no arm scans it over
 * @p proto. Arms of one protocol (host discovery's -PS443 -PA80) scan
 * different ports; where two scan the same one, the first arm's number.
 */
static inline int32_t prt_cls_port_index(const struct prt_cls_ctx *c, uint16_t port,
	uint8_t proto)
{
	proto = prt_cls_arm_proto(proto);
	for (unsigned i = 0; i < c->narms; i++) {
		int32_t idx;
		if (c->arm[i].probe->proto != proto)
			continue;
		idx = prt_cls_arm_port_index(&c->arm[i], port);
		if (idx >= 0)
			return idx;
	}
	return -1;
}

/** Is the bit of @p pair set in ctx->answered (which must not be NULL)? */
static inline bool prt_cls_is_answered(const struct prt_cls_ctx *c, uint64_t pair)
{
	return (__atomic_load_n(&c->answered[pair >> 6], __ATOMIC_RELAXED) >> (pair & 63)) & 1;
}

/** Ports per host over every arm. */
static inline uint32_t prt_cls_nports(const struct prt_cls_ctx *c)
{
	return c->nports;
}

/** The pair number of host @p host and port number @p port (see prt_cls_pair_of()),
 * or -1 when either is -1. */
static inline int64_t prt_cls_pair_at(const struct prt_cls_ctx *c, int64_t host, int32_t port)
{
	if (host < 0 || port < 0)
		return -1;
	return host * (int64_t)prt_cls_nports(c) + port;
}

/** A TCP segment to us with a right checksum, any verdict (noted with ctx->sessions only). */
struct prt_cls_tcp {
	bool valid;
	struct prt_addr peer;
	uint16_t peer_port;
	uint16_t our_port;
	uint32_t seq;
	uint32_t ack;
	uint16_t win;
	uint16_t mss;       /**< a SYN's MSS option, else 0 */
	uint8_t flags;
	const uint8_t *data; /**< payload, inside the frame */
	uint16_t len;
};

/** Classifier output for PRT_CLS_RESULT. */
struct prt_cls_out {
	struct prt_result result;
	struct prt_cls_tcp tcp; /**< for lib/tcp: the segment, when it is one */
	uint64_t pair;      /**< ip index * nports + port index */
	uint8_t send_rst;   /**< SYN-ACK to our SYN: reset it to free the target's slot */
	uint16_t our_port;  /**< our source port of the flow (for the RST) */
	uint32_t rst_seq;   /**< sequence number the RST must carry */
};

/**
 * The pair number of (address, port over proto) in the scan: host index x
 * ports per host + the port's number (over the arms in order).
 * @return -1 when it is not a pair of the scan
 */
int64_t prt_cls_pair_of(const struct prt_cls_ctx *ctx, const struct prt_addr *a, uint16_t port,
	uint8_t proto);

/**
 * The IP datagram to us in an Ethernet frame, its headers checked as
 * prt_classify() checks them (lengths, IPv4 checksum, no fragment, our
 * address). @return PRT_CLS_RESULT with @p v filled, or why not
 */
enum prt_cls_verdict prt_cls_ip_view(const struct prt_cls_ctx *ctx, const uint8_t *frame,
	size_t len, struct prt_ip_view *v);

/** Classify one Ethernet frame of @p len bytes. */
enum prt_cls_verdict prt_classify(const struct prt_cls_ctx *ctx, const uint8_t *frame,
	size_t len, struct prt_cls_out *out);

/** Short name of a verdict for counters ("bad-checksum"). */
const char *prt_cls_verdict_name(enum prt_cls_verdict v);

#endif
