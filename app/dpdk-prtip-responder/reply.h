/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_RESPONDER_REPLY_H
#define PRT_RESPONDER_REPLY_H

/* The frames the responder sends: each built from the probe it answers. */

#include <stdbool.h>
#include <stdint.h>

#include "decide.h"

#define RSP_FRAME_MAX 128

/** A TCP probe as the responder reads it (addresses and ports in host order). */
struct rsp_probe {
	const uint8_t *frame; /* the probe's Ethernet frame */
	uint16_t ip_len;      /* its IPv4 header's length */
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq;
	uint8_t flags;
};

/** Read an IPv4/TCP frame, every length checked. @return true for a SYN */
bool rsp_parse_syn(const uint8_t *d, uint16_t len, struct rsp_probe *p);

/**
 * The answer of @p v (not RSP_SILENT) to @p p into @p out. @p bad_checksum
 * breaks its L4 checksum; @p forged makes a SYN-ACK whose ack is not the
 * probe's. @return its length
 */
uint16_t rsp_reply(const struct rsp_world *w, enum rsp_verdict v, const struct rsp_probe *p,
	bool bad_checksum, bool forged, uint8_t *out);

/** A malformed frame addressed like the answer (truncated, bogus lengths). @return length */
uint16_t rsp_garbage(const struct rsp_world *w, const struct rsp_probe *p, uint8_t *out);

/** The ARP reply to a request for any address, as @p mac. @return length, 0: not one */
uint16_t rsp_arp_reply(const uint8_t *d, uint16_t len, const uint8_t mac[6], uint8_t *out);

#endif
