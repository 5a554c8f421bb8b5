/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -O's candidates: as the port scan's results go to the outputs, each IPv4
 * host's lowest open TCP port, lowest closed TCP port and lowest closed UDP
 * port are kept (nmap takes the first of each it finds) in an
 * open-addressed table of 12 bytes per host that answered.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>

#include "run_os.h"

struct prt_os_candidates {
	struct prt_os_job *slot; /* addr 0: empty (0.0.0.0 is never a target) */
	size_t size, count;
	bool failed;
};

struct prt_os_candidates *prt_run_os_candidates(const struct prt_app_conf *c)
{
	struct prt_os_candidates *oc;

	if (!c->osscan)
		return NULL;
	oc = calloc(1, sizeof(*oc));
	if (oc != NULL) {
		oc->size = 1024;
		oc->slot = calloc(oc->size, sizeof(*oc->slot));
	}
	if (oc == NULL || oc->slot == NULL) {
		free(oc);
		fprintf(stderr, "dpdk-prtip: -O: out of memory for the hosts\n");
		return NULL;
	}
	return oc;
}

void prt_run_os_candidates_free(struct prt_os_candidates *oc)
{
	if (oc != NULL)
		free(oc->slot);
	free(oc);
}

static struct prt_os_job *find(struct prt_os_job *slot, size_t size, uint32_t addr)
{
	size_t at = (addr * 2654435761u) & (size - 1);

	while (slot[at].addr != 0 && slot[at].addr != addr)
		at = (at + 1) & (size - 1);
	return &slot[at];
}

static int grow(struct prt_os_candidates *oc)
{
	struct prt_os_job *bigger = calloc(oc->size * 2, sizeof(*bigger));

	if (bigger == NULL)
		return -1;
	for (size_t i = 0; i < oc->size; i++)
		if (oc->slot[i].addr != 0)
			*find(bigger, oc->size * 2, oc->slot[i].addr) = oc->slot[i];
	free(oc->slot);
	oc->slot = bigger;
	oc->size *= 2;
	return 0;
}

static void lowest(uint16_t *have, uint16_t port)
{
	if (port != 0 && (*have == 0 || port < *have))
		*have = port;
}

void prt_run_os_note(struct prt_os_candidates *oc, const struct prt_result *r)
{
	const bool open_tcp = r->proto == IPPROTO_TCP && r->state == PRT_STATE_OPEN;
	const bool closed = r->state == PRT_STATE_CLOSED &&
		(r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP);
	struct prt_os_job *j;
	uint32_t addr;

	if (oc == NULL || oc->failed || !prt_addr_is_v4(&r->addr) || (!open_tcp && !closed))
		return;
	addr = prt_addr_v4(&r->addr);
	if (2 * (oc->count + 1) > oc->size && grow(oc) != 0) {
		oc->failed = true;
		fprintf(stderr, "dpdk-prtip: -O: out of memory for the hosts; those found so far "
				"are tried\n");
		return;
	}
	j = find(oc->slot, oc->size, addr);
	if (j->addr == 0) {
		j->addr = addr;
		oc->count++;
	}
	if (open_tcp)
		lowest(&j->tcp_open, r->port);
	else if (r->proto == IPPROTO_TCP)
		lowest(&j->tcp_closed, r->port);
	else
		lowest(&j->udp_closed, r->port);
}

static int by_addr(const void *a, const void *b)
{
	const struct prt_os_job *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

size_t prt_run_os_jobs(struct prt_os_candidates *oc, bool need_closed, struct prt_os_job **jobs)
{
	size_t n = 0;

	for (size_t i = 0; i < oc->size; i++) {
		const struct prt_os_job *j = &oc->slot[i];
		if (j->addr != 0 && j->tcp_open != 0 && (!need_closed || j->tcp_closed != 0))
			oc->slot[n++] = *j;
	}
	qsort(oc->slot, n, sizeof(*oc->slot), by_addr);
	oc->count = 0; /* the table is a list now */
	*jobs = oc->slot;
	return n;
}
