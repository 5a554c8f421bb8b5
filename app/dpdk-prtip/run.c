/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handles are created in dependency order (port, gateway, cookie key and
 * walk, templates, rings, outputs), the lcores launched, and everything torn
 * down in reverse. Nothing here runs on the data path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_tcp.h>

#include "checkpoint_writer.h"
#include "metrics.h"
#include "prt_common.h"
#include "prt_port.h"
#include "resume.h"
#include "prt_tls.h"
#include "run.h"

static int load_profile(const struct prt_app_conf *c, struct prt_port_profile *prof)
{
	struct rte_eth_dev_info info;
	char err[256];
	int rc;

	if (c->driver_profile_path != NULL) {
		FILE *f = fopen(c->driver_profile_path, "r");
		char text[8192];
		size_t n;
		if (f == NULL) {
			fprintf(stderr, "dpdk-prtip: --driver-profile %s: %s\n",
				c->driver_profile_path, strerror(errno));
			return -1;
		}
		n = fread(text, 1, sizeof(text) - 1, f);
		if (n == sizeof(text) - 1 && fgetc(f) != EOF) {
			fclose(f);
			fprintf(stderr, "dpdk-prtip: --driver-profile %s: larger than %zu bytes\n",
				c->driver_profile_path, sizeof(text) - 1);
			return -1;
		}
		fclose(f);
		text[n] = '\0';
		if (prt_port_profile_parse(text, c->driver_profile_path, prof, err, sizeof(err))) {
			fprintf(stderr, "dpdk-prtip: %s\n", err);
			return -1;
		}
		return 0;
	}
	rc = rte_eth_dev_info_get(c->port_id, &info);
	if (rc != 0) {
		fprintf(stderr, "dpdk-prtip: port %u: cannot read device info\n", c->port_id);
		return -1;
	}
	rc = prt_port_profile_for_driver(info.driver_name, prof, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "dpdk-prtip: %s\n", err);
		return -1;
	}
	if (rc == 1)
		fprintf(stderr, "dpdk-prtip: no driver profile for %s, using the default one\n",
			info.driver_name);
	return 0;
}

/* Wire bytes of one probe: frame + FCS (at least 64) + preamble and gap.
 * UDP frames vary with the payload: their mean over the scanned ports. */
static uint64_t wire_bits(const struct prt_scan *s)
{
	const struct prt_scan_arm *a = &s->cls.arm[0];
	uint64_t len = a->probe->mean_len != NULL ?
		a->probe->mean_len(&s->tmpl[0], a->ports->ports, a->ports->n) : s->tmpl[0].len;
	uint64_t frame = len + 4u < 64u ? 64u : len + 4u;

	return (frame + 20) * 8;
}

/* --rate and --bandwidth: the lower wins; --bandwidth alone sets the rate. */
static uint64_t effective_rate(const struct prt_app_conf *c, const struct prt_scan *s)
{
	uint64_t bw_rate;

	if (c->bandwidth == 0)
		return c->rate;
	bw_rate = c->bandwidth / wire_bits(s);
	if (bw_rate == 0)
		bw_rate = 1;
	return c->have_rate && c->rate < bw_rate ? c->rate : bw_rate;
}

static void fill_info(struct prt_scan *s, const struct prt_app_conf *c, const char *driver,
	const struct prt_scan_plan *plan)
{
	struct prt_scan_info *i = &s->info;

	prt_ipv4_str(c->source_ip, i->source_ip, sizeof(i->source_ip));
	if (c->have_router_ip)
		prt_ipv4_str(c->router_ip, i->router, sizeof(i->router));
	else
		snprintf(i->router, sizeof(i->router), "mac %02x:%02x:%02x:%02x:%02x:%02x",
			c->router_mac[0], c->router_mac[1], c->router_mac[2], c->router_mac[3],
			c->router_mac[4], c->router_mac[5]);
	snprintf(i->driver, sizeof(i->driver), "%s", driver);
	i->ips = plan->targets->total;
	i->ports = s->cls.nports;
	i->rate = s->rate;
	i->bandwidth = c->bandwidth;
	i->max_retries = c->max_retries;
	i->wait_ms = (uint64_t)(c->wait_s * 1000);
	i->seed = c->seed;
	i->seeded = c->have_seed;
}

static int setup_scan(struct prt_scan *s, const struct prt_app_conf *c, const struct prt_port *port,
	const struct prt_scan_plan *plan)
{
	struct prt_probe_params pp = {0};
	uint64_t perm_seed;

	if (c->resume != NULL) {
		/* the same keys as the run that wrote the checkpoint */
		s->key = c->resume->key;
		perm_seed = c->resume->perm_seed;
	} else if (c->have_seed) {
		prt_cookie_key_from_seed(&s->key, c->seed);
		perm_seed = c->seed;
	} else if (prt_cookie_key_random(&s->key) != 0) {
		fprintf(stderr, "dpdk-prtip: no randomness for the cookie key: %s\n",
			strerror(errno));
		return -1;
	} else {
		perm_seed = c->run_seed;
	}
	s->targets = plan->targets;
	s->cls = (struct prt_cls_ctx){
		.keys = {
			.key = &s->key,
			.our_ip = c->source_ip,
			.our_ip6 = c->source_ip6,
			.sport_base = c->sport_base,
			.sport_count = c->sport_count,
			.udp = c->have_udp_payloads ? &c->udp_payloads : NULL,
		},
		.targets = plan->targets,
	};
	/* the plan's arms, in its order (TCP, UDP, SCTP; discovery's as given) */
	for (unsigned i = 0; i < plan->narms; i++)
		prt_cls_add_arm(&s->cls, plan->arms[i].probe, &plan->arms[i].ports);
	s->shard = c->shard;
	s->nshards = c->nshards;
	prt_scan_set_pairs(s);
	s->perm_seed = perm_seed;
	if (prt_perm_init(&s->perm, s->npairs, perm_seed) != 0)
		return -1;
	s->port_id = port->port_id;
	s->nb_rxq = port->nb_rxq;
	s->pool = port->pool;
	s->burst = port->burst;
	s->passes = 1 + c->max_retries;
	s->retry_gap_tsc = rte_get_tsc_hz(); /* one second, nmap's initial RTO */

	memcpy(pp.src_mac, s->neigh.our_mac, 6);
	memcpy(pp.dst_mac, s->neigh.gw_mac, 6);
	pp.saddr = c->source_ip;
	pp.ttl = c->ttl;
	pp.window = 1024;
	pp.mss = 1460;
	/* NICs offload TCP checksums; UDP and ICMP probes carry complete ones */
	s->hw_cksum = port->tx_cksum_offload;
	for (unsigned i = 0; i < s->cls.narms; i++) {
		const struct prt_probe_ops *p = s->cls.arm[i].probe;
		pp.hw_cksum = s->hw_cksum && p->proto == IPPROTO_TCP;
		s->tmpl[i].udp = s->cls.keys.udp;
		p->tmpl_init(p, &s->tmpl[i], &pp);
	}
	/* RST/ARP replies are copied into plain mbufs: complete checksums */
	pp.hw_cksum = false;
	pp.window = 0;
	pp.mss = 0;
	prt_probe_tcp_tmpl_init(&s->rst_tmpl, &pp, RTE_TCP_RST_FLAG);
	if (plan->targets->total > plan->targets->total4) {
		/* IPv6 targets: their own templates, towards the IPv6 router */
		pp.saddr6 = c->source_ip6;
		memcpy(pp.dst_mac6, s->neigh.gw_mac6, 6);
		pp.window = 1024;
		pp.mss = 1460;
		for (unsigned i = 0; i < s->cls.narms; i++) {
			const struct prt_probe_ops *p = s->cls.arm[i].probe;
			s->tmpl6[i].udp = s->cls.keys.udp;
			p->tmpl_init6(p, &s->tmpl6[i], &pp);
		}
		pp.window = 0;
		pp.mss = 0;
		prt_probe_tcp6_tmpl_init(&s->rst_tmpl6, &pp, RTE_TCP_RST_FLAG);
	}
	s->rate = effective_rate(c, s);
	s->rate_cap = c->bandwidth != 0 ? RTE_MAX(c->bandwidth / wire_bits(s), (uint64_t)1) : 0;
	s->rate_request = s->rate;
	s->internet = plan->internet;
	/* Internet mode resends a probe one retry gap later at the slice's rate;
	 * at most 2^24 steps (half a second at 32 Mpps) when the rate is beyond
	 * what the path carries */
	s->retry_distance = s->rate == 0 ? 1u << 24 :
		RTE_MIN(RTE_MAX((uint64_t)((double)s->rate / s->n_tx *
			((double)s->retry_gap_tsc / (double)rte_get_tsc_hz())), (uint64_t)1),
			(uint64_t)1 << 24);
	fill_info(s, c, port->driver, plan);
	return 0;
}

static int resolve_gateway(struct prt_scan *s, const struct prt_app_conf *c)
{
	char ip[PRT_ADDR_STRLEN];
	int rc;

	if (c->have_router_mac) {
		memcpy(s->neigh.gw_mac, c->router_mac, 6);
		memcpy(s->neigh.gw_mac6, c->router_mac, 6);
		s->neigh.gw_known = true;
		s->neigh.gw6_known = true;
		return 0;
	}
	rc = prt_scan_resolve_gateway(s, c->arp_timeout_s);
	if (rc == 0)
		return 0;
	if (s->neigh.gw_ip != 0 && !s->neigh.gw_known)
		fprintf(stderr, "dpdk-prtip: cannot resolve router %s by ARP on port %u: %s\n",
			prt_ipv4_str(c->router_ip, ip, sizeof(ip)), c->port_id,
			rc == -ETIMEDOUT ? "no reply" : strerror(-rc));
	else
		fprintf(stderr, "dpdk-prtip: cannot resolve router %s by neighbor discovery on "
				"port %u: %s\n", prt_addr_str(&c->router_ip6, ip, sizeof(ip)),
			c->port_id, rc == -ETIMEDOUT ? "no reply" : strerror(-rc));
	return -1;
}

/* The start lines: the scan's size and the state regime it runs in, and
 * its pace (what -T and the timing options came to). */
/* A discovery's start line: its probes as nmap's options ("-PE -PS443 ..."). */
static void say_discovery(const struct prt_scan *s, const struct prt_scan_plan *plan)
{
	fprintf(stderr, "dpdk-prtip: host discovery: %llu addresses x %u probes (",
		(unsigned long long)s->info.ips, s->nports);
	for (unsigned i = 0; i < plan->narms; i++) {
		const struct prt_port_list *pl = &plan->arms[i].ports;
		const bool icmp = prt_probe_hosts_only(plan->arms[i].probe);
		fprintf(stderr, "%s%s", i > 0 ? " " : "", prt_cli_discovery_flag(plan->arms[i].probe));
		if (!icmp && pl->n == 1)
			fprintf(stderr, "%u", pl->ports[0]);
		else if (!icmp)
			fprintf(stderr, "[%u ports]", pl->n);
	}
	fprintf(stderr, ")\n");
}

static void say_regime(const struct prt_scan *s, const struct prt_app_conf *c,
	const struct prt_scan_plan *plan)
{
	double mib = (double)s->info.state_bytes / (1 << 20);

	if (plan->live != NULL)
		say_discovery(s, plan);
	else if (c->discovery == PRT_DISCOVERY_NONE && !c->no_discovery && !c->sweep)
		fprintf(stderr, "dpdk-prtip: Internet mode: no host discovery first (as -Pn); "
				"discover with -sn as a scan of its own\n");

	if (s->internet)
		fprintf(stderr, "dpdk-prtip: %llu addresses x %u ports = %llu pairs: Internet mode "
				"(%.0f MiB, whatever the size): answers only; each probe sent again "
				"%u time(s), %llu walk steps later\n", (unsigned long long)s->info.ips,
			s->nports, (unsigned long long)s->shard_pairs, mib, s->passes - 1,
			(unsigned long long)s->retry_distance);
	else
		fprintf(stderr, "dpdk-prtip: %llu addresses x %u ports = %llu pairs: per-pair "
				"state (%.1f MiB): unanswered pairs retried %u times and reported\n",
			(unsigned long long)s->info.ips, s->nports, (unsigned long long)s->shard_pairs,
			mib, s->passes - 1);
	fprintf(stderr, "dpdk-prtip: timing: %llu probes/s, %u retries, late replies awaited "
			"at most %.2f s\n", (unsigned long long)s->rate, c->max_retries, c->wait_s);
}

/* The checkpoint writer stays root after the drop: forked before any phase's
 * state exists, so the helper holds none of it. */
static int start_checkpoint_writer(const struct prt_app_conf *c)
{
	char err[256];

	if (!c->privdrop.drop)
		return 0;
	if (prt_checkpoint_writer_start(c->checkpoint_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpdk-prtip: --user %s: %s\n", c->user, err);
		return -1;
	}
	return 0;
}

/* Everything that needs root is done: drop it. */
static int give_up_root(const struct prt_app_conf *c)
{
	char err[256];

	if (!c->privdrop.drop)
		return 0;
	if (prt_privdrop_now(&c->privdrop, err, sizeof(err)) != 0) {
		fprintf(stderr, "dpdk-prtip: --user %s: %s\n", c->user, err);
		return -1;
	}
	return 0;
}

/*
 * One phase of the run: its state, its lcores, its loop. @return the loop's
 * exit status, or -1 when the phase could not start (said; the outputs are
 * the caller's to discard)
 */
static int run_phase(struct prt_scan *scan, struct prt_app_conf *c, const struct prt_port *port,
	const struct prt_scan_plan *plan, struct prt_output *out, bool drop_root)
{
	int status = -1;

	if (setup_scan(scan, c, port, plan) != 0)
		goto out_state;
	if (prt_scan_alloc(scan, rte_socket_id()) != 0) {
		fprintf(stderr, "dpdk-prtip: out of memory for %llu pairs\n",
			(unsigned long long)scan->npairs);
		goto out_state;
	}
	say_regime(scan, c, plan);
	if (plan->live == NULL && c->resume != NULL && prt_resume_apply(scan, c) != 0)
		goto out_state;
	prt_run_wire_lcores(scan);
	/* connections are the port scan's (a discovery's SYN-ACKs are reset) */
	if (plan->live == NULL && prt_run_setup_sessions(scan, c) != 0)
		goto out_state;
	if (prt_telemetry_attach(scan) != 0)
		fprintf(stderr, "dpdk-prtip: telemetry commands not registered; scanning anyway\n");
	if (drop_root && give_up_root(c) != 0) {
		prt_telemetry_detach();
		goto out_state;
	}
	scan->start_tsc = rte_rdtsc();
	prt_run_launch_lcores(scan, prt_tx_lcore_main);
	status = prt_run_loop(scan, c, out, plan);
	prt_telemetry_detach();
out_state:
	prt_scan_conns_free(scan);
	prt_tls_ctx_free(scan->service.tls);
	prt_scan_release(scan);
	return status;
}

/* A fresh scan state for the next phase: the lcores' roles again, the
 * router's MAC as resolved. */
static int reset_scan(struct prt_scan *scan, const struct prt_app_conf *c,
	const struct prt_port *port)
{
	struct prt_neigh neigh = scan->neigh;

	memset(scan, 0, sizeof(*scan));
	if (prt_run_assign_lcores(scan, c) != 0)
		return -1;
	scan->neigh = neigh;
	scan->port_id = port->port_id;
	scan->nb_rxq = port->nb_rxq;
	scan->pool = port->pool;
	return 0;
}

/* No host answered the discovery: the outputs say so and close. */
static int close_empty(struct prt_output *out, const struct prt_app_conf *c, uint64_t start_ns)
{
	const uint64_t now = prt_run_realtime_ns();
	struct prt_output_summary sum = {
		.ips = c->targets.total,
		.ports = prt_conf_ports(c),
		.start_ns = start_ns,
		.send_end_ns = now,
		.end_ns = now,
		.interrupted = prt_signals_stop_requested(),
	};

	int status = sum.interrupted ? PRT_EXIT_INTERRUPTED : 0;

	if (prt_output_close(out, &sum) != 0) {
		fprintf(stderr, "dpdk-prtip: writing the results failed (disk full?)\n");
		status = PRT_EXIT_RUNTIME;
	}
	prt_run_event_end(out->events, &sum, status);
	return status;
}

/*
 * The phases: a discovery (-sn alone, or before the port scan, nmap's
 * default), then the port scan over the hosts found up (or every target
 * with -Pn). Root is given up when the last phase is set up: a phase's state
 * is allocated from EAL memory, which may need root to grow.
 */
static int run_phases(struct prt_scan *scan, struct prt_app_conf *c, const struct prt_port *port,
	struct prt_output *out, uint64_t start_ns)
{
	struct prt_scan_plan disc = {c->disc, c->ndisc, &c->targets, c->disc_internet, NULL};
	struct prt_scan_plan ports = {c->arms, c->narms, &c->targets, c->internet, NULL};
	struct prt_live_hosts live;
	struct prt_target_set up;
	int status;

	if (c->discovery == PRT_DISCOVERY_NONE)
		return run_phase(scan, c, port, &ports, out, true);
	if (prt_live_init(&live, c->targets.total, c->discovery == PRT_DISCOVERY_ONLY) != 0) {
		fprintf(stderr, "dpdk-prtip: out of memory for the live-host set\n");
		return -1;
	}
	disc.live = &live;
	status = run_phase(scan, c, port, &disc, out, c->discovery == PRT_DISCOVERY_ONLY);
	if (c->discovery == PRT_DISCOVERY_ONLY || status < 0) {
		prt_live_free(&live);
		return status;
	}
	/* interrupted (the hosts found so far are not scanned), or none up */
	if (live.count == 0 || status != 0 || prt_signals_stop_requested()) {
		prt_live_free(&live);
		return close_empty(out, c, start_ns);
	}
	status = prt_live_targets(&live, &c->targets, &up);
	prt_live_free(&live);
	if (status != 0 || reset_scan(scan, c, port) != 0) {
		fprintf(stderr, "dpdk-prtip: out of memory for the hosts found up\n");
		prt_target_set_free(&up);
		return -1;
	}
	ports.targets = &up;
	status = run_phase(scan, c, port, &ports, out, true);
	prt_target_set_free(&up);
	return status;
}

int prt_run(struct prt_app_conf *c)
{
	struct prt_events events = {0};
	struct prt_run_store store;
	struct prt_metrics *metrics = NULL;
	struct prt_port_profile prof;
	struct prt_port_conf pconf = {.port_id = c->port_id};
	struct prt_port *port = NULL;
	struct prt_scan *scan;
	struct prt_output out;
	struct prt_service_names services;
	bool have_services = false;
	uint64_t start_ns;
	char err[256];
	int status = PRT_EXIT_RUNTIME;

	/* large (per-lcore state): from the heap, zeroed, cache aligned */
	scan = rte_zmalloc("prt_scan", sizeof(*scan), RTE_CACHE_LINE_SIZE);
	if (scan == NULL) {
		fprintf(stderr, "dpdk-prtip: out of memory for the scan state\n");
		return PRT_EXIT_RUNTIME;
	}
	if (prt_run_assign_lcores(scan, c) != 0) {
		status = PRT_EXIT_USAGE;
		goto out_scan;
	}
	/* before the port and the router: a checkpoint of other lcores is refused
	 * without sending anything */
	if (prt_resume_check_lcores(scan, c) != 0)
		goto out_scan;
	if (rte_eth_dev_count_avail() == 0 && c->eal_names_device) {
		fprintf(stderr, "dpdk-prtip: no DPDK port came up: the device given to EAL failed "
				"to probe (see the EAL lines above)\n");
		goto out_scan;
	}
	if (rte_eth_dev_count_avail() == 0) {
		prt_usage_error("no DPDK port: add one with EAL --vdev (e.g. "
				"net_af_packet0,iface=IF) or bind a NIC to a DPDK driver");
		status = PRT_EXIT_USAGE;
		goto out_scan;
	}
	if (!rte_eth_dev_is_valid_port(c->port_id)) {
		fprintf(stderr, "dpdk-prtip: DPDK port %u does not exist (%u available)\n",
			c->port_id, rte_eth_dev_count_avail());
		goto out_scan;
	}
	if (load_profile(c, &prof) != 0)
		goto out_scan;
	pconf.profile = &prof;
	pconf.nb_txq = (uint16_t)scan->n_tx;
	pconf.nb_rxq = (uint16_t)scan->n_rx;
	port = prt_port_create(&pconf, err, sizeof(err));
	if (port == NULL) {
		fprintf(stderr, "dpdk-prtip: %s\n", err);
		goto out_scan;
	}
	memcpy(scan->neigh.our_mac, c->have_source_mac ? c->source_mac : port->mac, 6);
	scan->neigh.our_ip = c->source_ip;
	/* resolve the router of each family the targets have */
	scan->neigh.gw_ip = c->have_router_ip && c->targets.total4 > 0 ? c->router_ip : 0;
	scan->neigh.our_ip6 = c->source_ip6;
	scan->neigh.has_ip6 = c->have_source_ip6;
	scan->neigh.gw_ip6 = c->router_ip6;
	scan->neigh.gw6_wanted = c->have_router_ip6 && c->targets.total > c->targets.total4;
	scan->port_id = port->port_id;
	scan->nb_rxq = port->nb_rxq;
	scan->pool = port->pool;
	if (resolve_gateway(scan, c) != 0)
		goto out_port;
	/* -sV's matcher was built while EAL, the port and the router came up */
	if (prt_cli_matcher_ready(c) != 0) {
		status = PRT_EXIT_USAGE;
		goto out_port;
	}
	snprintf(err, sizeof(err), "%s/nmap-services", c->datadir);
	/* without nmap-services the tables just have no SERVICE column */
	have_services = prt_service_names_load(&services, err) == 0;
	if (have_services && c->arms[0].probe->any_proto) {
		/* -sO's protocols are named by nmap-protocols; unnamed ones "unknown" */
		snprintf(err, sizeof(err), "%s/nmap-protocols", c->datadir);
		(void)prt_service_names_add_protocols(&services, err);
	}
	start_ns = prt_run_realtime_ns();
	/* the checkpoint writer is a process: forked before the store's and the
	 * metrics' threads exist, so it cannot inherit a lock one of them holds */
	if (prt_run_name_scan(c, start_ns) != 0 || start_checkpoint_writer(c) != 0)
		goto out_services;
	if (prt_run_open_outputs(&out, c, have_services ? &services : NULL, start_ns) != 0)
		goto out_services;
	if (prt_run_open_store(&store, c, start_ns, &out) != 0 ||
	    prt_run_open_events(&events, c, start_ns, &store) != 0) {
		prt_output_discard(&out);
		prt_run_close_store(&store, c, -1);
		goto out_services;
	}
	out.events = events.f != NULL ? &events : NULL;
	prt_signals_install();
	status = prt_run_start_metrics(&metrics, c, port->port_id, &store) != 0 ? -1 :
		 run_phases(scan, c, port, &out, start_ns);
	prt_metrics_stop(metrics);
	if (status < 0) {
		prt_output_discard(&out);
		status = PRT_EXIT_RUNTIME;
	}
	if (prt_events_close(&events) != 0) {
		fprintf(stderr, "dpdk-prtip: writing --event-log %s failed (disk full?)\n",
			c->event_log != NULL ? c->event_log : "events");
		status = status == 0 ? PRT_EXIT_RUNTIME : status;
	}
	status = prt_run_close_store(&store, c, status);
out_services:
	prt_checkpoint_writer_stop(); /* none started: nothing to do */
	if (have_services)
		prt_service_names_free(&services);
out_port:
	prt_port_free(port);
out_scan:
	rte_free(scan);
	return status;
}
