/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --top-ports / -F: the most frequently open TCP ports by nmap's own
 * measurements, read at run time from nmap-services ("name port/proto freq").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int prt_port_list_add_top(struct prt_port_list *pl, const char *services_path, uint32_t count,
	char *err, size_t errlen)
{
	FILE *f = fopen(services_path, "r");
	struct svc_freq *v = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	int rc = 0;

	if (f == NULL) {
		rc = -errno;
		snprintf(err, errlen, "cannot read %s (needed by --top-ports/-F; install nmap "
				      "or use -p): %s", services_path, strerror(errno));
		return rc;
	}
	while (getline(&line, &lcap, f) >= 0) {
		char name[128], proto[8];
		unsigned port;
		double freq;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%127s %u/%7s %lf", name, &port, proto, &freq) != 4)
			continue;
		if (strcmp(proto, "tcp") != 0 || port > 65535)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			struct svc_freq *nv = realloc(v, ncap * sizeof(*v));
			if (nv == NULL) {
				rc = -ENOMEM;
				goto out;
			}
			v = nv;
			cap = ncap;
		}
		v[n].freq = freq;
		v[n].order = (uint32_t)n;
		v[n].port = (uint16_t)port;
		n++;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s has no TCP port entries", services_path);
		rc = -EINVAL;
		goto out;
	}
	qsort(v, n, sizeof(*v), by_freq_desc);
	for (size_t i = 0; i < n && i < count; i++)
		pl->bits[v[i].port >> 3] |= (uint8_t)(1u << (v[i].port & 7));
out:
	free(line);
	free(v);
	fclose(f);
	return rc;
}
