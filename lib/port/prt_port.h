/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef PRT_PORT_H
#define PRT_PORT_H

/**
 * @file
 * Ethdev bring-up from a drivers-config profile chosen by PMD name: mbuf
 * pool, queue layout, descriptor counts adjusted to the device's limits,
 * start and link. The profiles live in drivers-config/ and are embedded.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rte_mempool;

/** A parsed driver profile. */
struct prt_port_profile {
	char name[64];    /**< profile name (file name without .conf) */
	char driver[64];  /**< PMD name it applies to, "*" for any */
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint32_t mbufs;
	uint16_t burst;
	bool promiscuous;
	/** the PMD delivers to every queue it has, set up or not (net_af_packet's qpairs
	 * sockets share one fanout group): set them all up, the RX lcores poll them all */
	bool rx_every_queue;
	bool tx_cksum_offload; /**< use IPv4+TCP TX checksum offload when the device has it */
};

/** An embedded profile file (generated table, NULL-terminated). */
struct prt_port_profile_text {
	const char *name;
	const char *text;
};

extern const struct prt_port_profile_text prt_port_profile_texts[];

/**
 * Parse profile text ("key = value" lines, '#' comments).
 * @return 0 or -EINVAL with a one-line reason naming the line in @p err
 */
int prt_port_profile_parse(const char *text, const char *name, struct prt_port_profile *p,
	char *err, size_t errlen);

/**
 * The embedded profile for PMD @p driver, or the "default" one.
 * @return 0, 1 when the default was used, -EINVAL when an embedded profile is broken
 */
int prt_port_profile_for_driver(const char *driver, struct prt_port_profile *p, char *err,
	size_t errlen);

/** What to bring up. */
struct prt_port_conf {
	uint16_t port_id;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	const struct prt_port_profile *profile;
};

/** A started port. */
struct prt_port {
	uint16_t port_id;
	uint16_t nb_rxq;
	uint16_t nb_txq;
	uint16_t burst;
	uint8_t mac[6];
	bool tx_cksum_offload; /**< IPv4 and TCP TX checksum offload enabled */
	char driver[64];
	struct rte_mempool *pool;
};

/**
 * Configure and start a port.
 * @return the port, or NULL with rte_errno set and a reason in @p err
 */
struct prt_port *prt_port_create(const struct prt_port_conf *conf, char *err, size_t errlen);

/** Stop and close the port, free the pool. NULL is fine. */
void prt_port_free(struct prt_port *port);

#endif
