/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which worker lcore does what. --tx-lcores / --rx-lcores name them; a role
 * left out gets the workers the other did not take; with neither, the last
 * worker receives and all others transmit (a scan is TX-heavy). Each TX lcore
 * owns TX queue i and walk slice i; each RX lcore owns RX queue j and feeds
 * the reply ring of TX lcore j % n_tx.
 */
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "run.h"

static int check_worker(const char *opt, uint16_t id)
{
	if (!rte_lcore_is_enabled(id) || id == rte_get_main_lcore()) {
		prt_usage_error("%s: lcore %u is not a worker lcore of this EAL (see --lcores/-l; "
				"lcore %u is the main one)", opt, id, rte_get_main_lcore());
		return -1;
	}
	return 0;
}

static int set_role(struct prt_scan *s, uint16_t id, enum prt_lcore_role role)
{
	struct prt_lcore_arg *a = &s->lcore[id];

	if (role == PRT_ROLE_TX) {
		if (s->n_tx == PRT_MAX_TX_LCORES) {
			prt_usage_error("more than %d TX lcores", PRT_MAX_TX_LCORES);
			return -1;
		}
		a->queue = (uint16_t)s->n_tx;
		a->slice = s->n_tx++;
	} else {
		if (s->n_rx == PRT_MAX_RX_LCORES) {
			prt_usage_error("more than %d RX lcores", PRT_MAX_RX_LCORES);
			return -1;
		}
		a->queue = (uint16_t)s->n_rx++;
	}
	a->role = role;
	return 0;
}

/* Every worker without a role yet takes this one. */
static int fill_default(struct prt_scan *s, enum prt_lcore_role role)
{
	unsigned id;

	RTE_LCORE_FOREACH_WORKER(id)
		if (s->lcore[id].role == PRT_ROLE_NONE && set_role(s, (uint16_t)id, role) != 0)
			return -1;
	return 0;
}

int prt_run_assign_lcores(struct prt_scan *s, const struct prt_app_conf *c)
{
	unsigned workers = rte_lcore_count() - 1;

	for (unsigned i = 0; i < c->n_tx_lcores; i++)
		if (check_worker("--tx-lcores", c->tx_lcores[i]) != 0 ||
		    set_role(s, c->tx_lcores[i], PRT_ROLE_TX) != 0)
			return -1;
	for (unsigned i = 0; i < c->n_rx_lcores; i++)
		if (check_worker("--rx-lcores", c->rx_lcores[i]) != 0 ||
		    set_role(s, c->rx_lcores[i], PRT_ROLE_RX) != 0)
			return -1;
	if (c->n_rx_lcores == 0) {
		/* the last free worker receives; with --tx-lcores given, all the rest do */
		unsigned id, last = RTE_MAX_LCORE;
		RTE_LCORE_FOREACH_WORKER(id)
			if (s->lcore[id].role == PRT_ROLE_NONE)
				last = id;
		if (c->n_tx_lcores > 0) {
			if (fill_default(s, PRT_ROLE_RX) != 0)
				return -1;
		} else if (last != RTE_MAX_LCORE && set_role(s, (uint16_t)last, PRT_ROLE_RX) != 0) {
			return -1;
		}
	}
	if (c->n_tx_lcores == 0 && fill_default(s, PRT_ROLE_TX) != 0)
		return -1;
	if (s->n_tx == 0 || s->n_rx == 0) {
		prt_usage_error("%u worker lcore%s: at least one TX and one RX lcore are needed "
				"besides the main one (e.g. EAL --lcores '0@0,1@1,2@0')", workers,
			workers == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

void prt_run_wire_lcores(struct prt_scan *s)
{
	for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
		struct prt_lcore_arg *a = &s->lcore[id];
		if (a->role == PRT_ROLE_NONE)
			continue;
		a->scan = s;
		a->stats = &s->stats[id];
		a->replies = s->replies[a->role == PRT_ROLE_TX ? a->slice : a->queue % s->n_tx];
	}
}

void prt_run_launch_lcores(struct prt_scan *s, lcore_function_t *tx_main)
{
	/* receivers first, so no early reply finds nobody listening */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned id = 0; id < RTE_MAX_LCORE; id++) {
			struct prt_lcore_arg *a = &s->lcore[id];
			if (a->role == (pass == 0 ? PRT_ROLE_RX : PRT_ROLE_TX))
				rte_eal_remote_launch(pass == 0 ? prt_rx_lcore_main : tx_main,
					a, id);
		}
}

void prt_run_phase_launch(struct prt_scan *s, lcore_function_t *tx_main)
{
	__atomic_store_n(&s->phase, PRT_PHASE_SCANNING, __ATOMIC_RELEASE);
	__atomic_store_n(&s->stop, 0, __ATOMIC_RELEASE);
	s->start_tsc = rte_rdtsc();
	prt_run_launch_lcores(s, tx_main);
}
