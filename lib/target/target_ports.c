/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port specs (nmap's -p grammar for TCP): "22,80,1000-2000", "-" for
 * 1-65535, open-ended "-1024" / "60000-", an optional "T:" before items.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_target.h"

void prt_port_list_init(struct prt_port_list *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->run_first = -1;
}

void prt_port_list_free(struct prt_port_list *pl)
{
	free(pl->ports);
	free(pl->index_of);
	prt_port_list_init(pl);
}

static void set_range(struct prt_port_list *pl, unsigned lo, unsigned hi)
{
	for (unsigned p = lo; p <= hi; p++)
		pl->bits[p >> 3] |= (uint8_t)(1u << (p & 7));
}

static int parse_item(struct prt_port_list *pl, char *item)
{
	char *dash = strchr(item, '-');
	uint64_t lo = 1, hi = 65535;

	if (strncmp(item, "T:", 2) == 0)
		item += 2;
	if (*item == '\0')
		return -EINVAL;
	if (dash == NULL) {
		if (prt_parse_u64(item, 0, 65535, &lo) != 0)
			return -EINVAL;
		hi = lo;
	} else {
		*dash = '\0';
		if (*item != '\0' && prt_parse_u64(item, 0, 65535, &lo) != 0)
			return -EINVAL;
		if (dash[1] != '\0' && prt_parse_u64(dash + 1, 0, 65535, &hi) != 0)
			return -EINVAL;
		if (lo > hi)
			return -EINVAL;
	}
	set_range(pl, (unsigned)lo, (unsigned)hi);
	return 0;
}

int prt_port_list_add_spec(struct prt_port_list *pl, const char *spec, char *err, size_t errlen)
{
	char *copy, *save = NULL;
	int rc = 0;
	size_t len = strlen(spec);

	if (len == 0 || spec[0] == ',' || spec[len - 1] == ',' || strstr(spec, ",,") != NULL) {
		snprintf(err, errlen, "bad port spec '%s': empty item", spec);
		return -EINVAL;
	}
	copy = strdup(spec);
	if (copy == NULL)
		return -ENOMEM;
	for (char *item = strtok_r(copy, ",", &save); item != NULL;
		item = strtok_r(NULL, ",", &save)) {
		char shown[32];
		snprintf(shown, sizeof(shown), "%s", item);
		if (parse_item(pl, item) != 0) {
			snprintf(err, errlen, "bad port spec '%s': '%s' is not a port 0-65535 or a range",
				spec, shown);
			rc = -EINVAL;
			break;
		}
	}
	free(copy);
	return rc;
}

int prt_port_list_finalize(struct prt_port_list *pl, const struct prt_port_list *exclude)
{
	uint32_t n = 0;

	if (exclude != NULL)
		for (size_t i = 0; i < sizeof(pl->bits); i++)
			pl->bits[i] &= (uint8_t)~exclude->bits[i];
	free(pl->ports);
	free(pl->index_of);
	pl->ports = malloc(65536 * sizeof(*pl->ports));
	pl->index_of = malloc(65536 * sizeof(*pl->index_of));
	if (pl->ports == NULL || pl->index_of == NULL)
		return -ENOMEM;
	for (uint32_t p = 0; p < 65536; p++) {
		pl->index_of[p] = -1;
		if (prt_port_list_has(pl, (uint16_t)p)) {
			pl->index_of[p] = (int32_t)n;
			pl->ports[n++] = (uint16_t)p;
		}
	}
	pl->n = n;
	pl->run_first = n > 0 && pl->ports[n - 1] - pl->ports[0] == (int32_t)n - 1 ? pl->ports[0] : -1;
	return 0;
}
