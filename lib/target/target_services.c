/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --top-ports / -F: the most frequently open TCP (or UDP) ports by nmap's own
 * measurements, read at run time from nmap-services ("name port/proto freq").
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_result.h"
#include "prt_target.h"

struct svc_freq {
	double freq;
	uint32_t order; /* file order breaks ties, so the choice is stable */
	uint16_t port;
};

static int by_freq_desc(const void *a, const void *b)
{
	const struct svc_freq *x = a, *y = b;

	if (x->freq != y->freq)
		return x->freq > y->freq ? -1 : 1;
	return x->order < y->order ? -1 : (x->order > y->order);
}

int prt_services_foreach(const char *path, prt_service_fn fn, void *arg)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t lcap = 0;
	int rc = 0;

	if (f == NULL)
		return -errno;
	while (rc == 0 && getline(&line, &lcap, f) >= 0) {
		struct prt_service_entry e;
		unsigned port;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%63s %u/%7s %lf", e.name, &port, e.proto, &e.freq) != 4 ||
		    port > 65535)
			continue;
		e.port = (uint16_t)port;
		rc = fn(&e, arg);
	}
	free(line);
	fclose(f);
	return rc;
}

struct top_collect {
	const char *proto;
	struct svc_freq *v;
	size_t n, cap;
};

static int collect_proto(const struct prt_service_entry *e, void *arg)
{
	struct top_collect *c = arg;

	if (strcmp(e->proto, c->proto) != 0)
		return 0;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;
		struct svc_freq *nv = realloc(c->v, ncap * sizeof(*c->v));
		if (nv == NULL)
			return -ENOMEM;
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n].freq = e->freq;
	c->v[c->n].order = (uint32_t)c->n;
	c->v[c->n].port = e->port;
	c->n++;
	return 0;
}

int prt_port_list_add_top(struct prt_port_list *pl, const char *services_path, uint8_t proto,
	uint32_t count, char *err, size_t errlen)
{
	struct top_collect c = {.proto = prt_proto_name(proto)};
	int rc = prt_services_foreach(services_path, collect_proto, &c);

	if (rc == -ENOMEM) {
		snprintf(err, errlen, "out of memory reading %s", services_path);
	} else if (rc != 0) {
		snprintf(err, errlen, "cannot read %s (needed by --top-ports/-F; install nmap "
				      "or use -p): %s", services_path, strerror(-rc));
	} else if (c.n == 0) {
		snprintf(err, errlen, "%s has no %s port entries", services_path, c.proto);
		rc = -EINVAL;
	} else {
		qsort(c.v, c.n, sizeof(*c.v), by_freq_desc);
		for (size_t i = 0; i < c.n && i < count; i++)
			pl->bits[c.v[i].port >> 3] |= (uint8_t)(1u << (c.v[i].port & 7));
	}
	free(c.v);
	return rc;
}
