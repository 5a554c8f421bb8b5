/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_UDP_PAYLOADS_H
#define PRT_UDP_PAYLOADS_H

/**
 * @file
 * The UDP probe payload of each port, from nmap's nmap-payloads (read at
 * run time, never copied into the tree): a port without one gets an empty
 * datagram, as with nmap. For protocols whose answer echoes a field of the
 * request (the DNS id, the NTP transmit time), the cookie goes there too
 * and the classifier checks it on the way back.
 */

#include <stddef.h>
#include <stdint.h>

#define PRT_UDP_MAX_PAYLOAD 1400 /* larger payloads in the file are skipped */

/** A request field the answer echoes: where we write it, where it comes back. */
struct prt_udp_echo {
	uint16_t out_off;
	uint16_t in_off;
	uint8_t len; /**< 2 or 4 bytes of the cookie's sequence word */
};

struct prt_udp_payload {
	uint32_t off;  /**< into the pool */
	uint32_t sum;  /**< the payload's checksum sum, with the cookie field zeroed */
	uint16_t len;
	int8_t echo;   /**< index into the echo table, -1: none */
	uint8_t given; /**< the file named this port (a later entry does not replace it) */
};

struct prt_udp_payloads {
	struct prt_udp_payload *by_port; /**< 65536 entries */
	uint8_t *pool;
	size_t pool_len, pool_cap;
	uint32_t count; /**< ports with a payload */
};

/**
 * Load @p path. @return 0, or -errno with @p err saying what is wrong
 * (file and line for a syntax error)
 */
int prt_udp_payloads_load(struct prt_udp_payloads *p, const char *path, char *err,
	size_t errlen);

/**
 * Give ports that have no payload yet the first UDP probe of an
 * nmap-service-probes file that lists them. @return 0 or -errno (@p err set)
 */
int prt_udp_payloads_add_probes(struct prt_udp_payloads *p, const char *path, char *err,
	size_t errlen);

/** No payloads (every probe empty): the table without a file. @return 0 or -ENOMEM */
int prt_udp_payloads_empty(struct prt_udp_payloads *p);

void prt_udp_payloads_free(struct prt_udp_payloads *p);

/** The echoed field of @p port's payload, NULL if none. */
const struct prt_udp_echo *prt_udp_payload_echo(const struct prt_udp_payloads *p, uint16_t port);

/** Bytes of @p port's payload. */
static inline const uint8_t *prt_udp_payload_data(const struct prt_udp_payloads *p,
	uint16_t port)
{
	return p->pool + p->by_port[port].off;
}

#endif
