/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bring-up order as in DPDK's examples: pool, dev_info, configure, adjust
 * descriptors to the device limits, queues on the port's socket, start,
 * wait briefly for link. Every failure names the step and the port.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "prt_port.h"

RTE_LOG_REGISTER(prt_logtype_port, prt.port, NOTICE); /* --log-level=prt.port:info */
#define PORT_LOG(level, ...) rte_log(RTE_LOG_##level, prt_logtype_port, "port: " __VA_ARGS__)

#define RSS_KEY_MAX 64
#define TX_CKSUM (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM)

#define FAIL(code, ...) do { snprintf(err, errlen, __VA_ARGS__); rte_errno = (code); \
	goto fail; } while (0)

/* With several RX queues, spread replies by RSS over addresses and ports
 * with a symmetric key (0x6d5a repeated), so a flow and its reverse hash to
 * the same queue. A PMD without RSS spreads by its own means (af_packet:
 * the kernel's fanout hash). */
static void set_rss(struct rte_eth_conf *ec, const struct rte_eth_dev_info *info, uint16_t nb_rxq,
	uint8_t *key)
{
	uint64_t hf = (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP |
		RTE_ETH_RSS_NONFRAG_IPV4_UDP) & info->flow_type_rss_offloads;

	if (nb_rxq < 2 || hf == 0)
		return;
	for (unsigned i = 0; i < RSS_KEY_MAX; i++)
		key[i] = i % 2 ? 0x5a : 0x6d;
	ec->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	ec->rx_adv_conf.rss_conf.rss_key = key;
	ec->rx_adv_conf.rss_conf.rss_key_len = info->hash_key_size && info->hash_key_size <=
		RSS_KEY_MAX ? info->hash_key_size : 40;
	ec->rx_adv_conf.rss_conf.rss_hf = hf;
}

static int socket_of(uint16_t port_id)
{
	int s = rte_eth_dev_socket_id(port_id);

	return s < 0 ? (int)rte_socket_id() : s;
}

struct prt_port *prt_port_create(const struct prt_port_conf *conf, char *err, size_t errlen)
{
	const struct prt_port_profile *prof = conf->profile;
	struct rte_eth_conf eth_conf = {0};
	uint8_t rss_key[RSS_KEY_MAX];
	struct rte_eth_dev_info info;
	struct rte_ether_addr mac;
	struct prt_port *port;
	uint16_t nb_rxd = prof->rx_desc, nb_txd = prof->tx_desc, nb_rxq = conf->nb_rxq;
	char pool_name[RTE_MEMPOOL_NAMESIZE];
	int rc, socket;

	port = calloc(1, sizeof(*port));
	if (port == NULL) {
		snprintf(err, errlen, "out of memory");
		rte_errno = ENOMEM;
		return NULL;
	}
	port->port_id = UINT16_MAX; /* nothing to stop yet */
	if (!rte_eth_dev_is_valid_port(conf->port_id))
		FAIL(ENODEV, "DPDK port %u does not exist (%u available)", conf->port_id,
			rte_eth_dev_count_avail());
	rc = rte_eth_dev_info_get(conf->port_id, &info);
	if (rc != 0)
		FAIL(-rc, "port %u: cannot read device info: %s", conf->port_id, strerror(-rc));
	if (conf->nb_rxq > info.max_rx_queues || conf->nb_txq > info.max_tx_queues)
		FAIL(EINVAL, "port %u (%s) has %u rx / %u tx queues; %u / %u needed, one per RX / TX "
			"lcore%s", conf->port_id, info.driver_name, info.max_rx_queues,
			info.max_tx_queues, conf->nb_rxq, conf->nb_txq,
			strcmp(info.driver_name, "net_af_packet") == 0 ?
			" (give the vdev qpairs=N)" : "");
	if (prof->rx_every_queue)
		nb_rxq = info.max_rx_queues;
	set_rss(&eth_conf, &info, nb_rxq, rss_key);
	/* IPv4 and TCP checksums by the NIC when it has both (else in software) */
	if (prof->tx_cksum_offload && (info.tx_offload_capa & TX_CKSUM) == TX_CKSUM) {
		eth_conf.txmode.offloads |= TX_CKSUM;
		port->tx_cksum_offload = true;
	}
	snprintf(port->driver, sizeof(port->driver), "%s", info.driver_name);
	socket = socket_of(conf->port_id);

	snprintf(pool_name, sizeof(pool_name), "prt_pool_p%u", conf->port_id);
	port->pool = rte_pktmbuf_pool_create(pool_name, prof->mbufs, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	if (port->pool == NULL)
		FAIL(rte_errno, "port %u: cannot create a pool of %u mbufs: %s", conf->port_id,
			prof->mbufs, rte_strerror(rte_errno));

	rc = rte_eth_dev_configure(conf->port_id, nb_rxq, conf->nb_txq, &eth_conf);
	if (rc != 0)
		FAIL(-rc, "port %u (%s): configure failed: %s", conf->port_id, info.driver_name,
			strerror(-rc));
	port->port_id = conf->port_id;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(conf->port_id, &nb_rxd, &nb_txd);
	if (rc != 0)
		FAIL(-rc, "port %u: cannot adjust descriptors: %s", conf->port_id, strerror(-rc));
	for (uint16_t q = 0; q < nb_rxq; q++) {
		rc = rte_eth_rx_queue_setup(conf->port_id, q, nb_rxd, (unsigned)socket, NULL,
			port->pool);
		if (rc != 0)
			FAIL(-rc, "port %u: rx queue %u setup failed: %s", conf->port_id, q,
				strerror(-rc));
	}
	for (uint16_t q = 0; q < conf->nb_txq; q++) {
		rc = rte_eth_tx_queue_setup(conf->port_id, q, nb_txd, (unsigned)socket, NULL);
		if (rc != 0)
			FAIL(-rc, "port %u: tx queue %u setup failed: %s", conf->port_id, q,
				strerror(-rc));
	}
	rc = rte_eth_dev_start(conf->port_id);
	if (rc != 0)
		FAIL(-rc, "port %u (%s): start failed: %s", conf->port_id, info.driver_name,
			strerror(-rc));
	if (prof->promiscuous && rte_eth_promiscuous_enable(conf->port_id) != 0)
		PORT_LOG(WARNING, "port %u: promiscuous mode not available\n", conf->port_id);
	rc = rte_eth_macaddr_get(conf->port_id, &mac);
	if (rc != 0)
		FAIL(-rc, "port %u: cannot read MAC address", conf->port_id);
	memcpy(port->mac, mac.addr_bytes, 6);
	port->nb_rxq = nb_rxq;
	port->nb_txq = conf->nb_txq;
	port->burst = prof->burst;
	PORT_LOG(INFO, "port %u (%s) started: %u rxq x %u desc, %u txq x %u desc, profile %s, "
		"tx checksums %s\n", conf->port_id, info.driver_name, nb_rxq, nb_rxd,
		conf->nb_txq, nb_txd, prof->name, port->tx_cksum_offload ? "offloaded" : "software");
	return port;
fail:
	prt_port_free(port);
	return NULL;
}

void prt_port_free(struct prt_port *port)
{
	if (port == NULL)
		return;
	if (port->port_id != UINT16_MAX) {
		rte_eth_dev_stop(port->port_id);
		rte_eth_dev_close(port->port_id);
	}
	rte_mempool_free(port->pool);
	free(port);
}
