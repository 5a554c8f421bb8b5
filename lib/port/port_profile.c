/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_port.h"

static int set_key(struct prt_port_profile *p, const char *key, const char *val)
{
	uint64_t v;

	if (strcmp(key, "driver") == 0) {
		if (strlen(val) == 0 || strlen(val) >= sizeof(p->driver))
			return -EINVAL;
		strcpy(p->driver, val);
		return 0;
	}
	if (strcmp(key, "tx_checksum") == 0) {
		if (strcmp(val, "offload") != 0 && strcmp(val, "software") != 0)
			return -EINVAL;
		p->tx_cksum_offload = strcmp(val, "offload") == 0;
		return 0;
	}
	if (strcmp(key, "promiscuous") == 0 || strcmp(key, "rx_every_queue") == 0) {
		if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0)
			return -EINVAL;
		*(key[0] == 'p' ? &p->promiscuous : &p->rx_every_queue) = strcmp(val, "yes") == 0;
		return 0;
	}
	if (strcmp(key, "rx_desc") == 0 || strcmp(key, "tx_desc") == 0) {
		if (prt_parse_u64(val, 32, 32768, &v) != 0)
			return -EINVAL;
		*(key[0] == 'r' ? &p->rx_desc : &p->tx_desc) = (uint16_t)v;
		return 0;
	}
	if (strcmp(key, "mbufs") == 0) {
		if (prt_parse_u64(val, 1023, 1u << 24, &v) != 0)
			return -EINVAL;
		p->mbufs = (uint32_t)v;
		return 0;
	}
	if (strcmp(key, "burst") == 0) {
		if (prt_parse_u64(val, 1, 512, &v) != 0)
			return -EINVAL;
		p->burst = (uint16_t)v;
		return 0;
	}
	return -ENOENT;
}

int prt_port_profile_parse(const char *text, const char *name, struct prt_port_profile *p,
	char *err, size_t errlen)
{
	char *copy = strdup(text), *save = NULL;
	unsigned lineno = 0;
	int rc = 0;

	if (copy == NULL)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->rx_desc = 1024;
	p->tx_desc = 1024;
	p->mbufs = 16383;
	p->burst = 32;
	p->tx_cksum_offload = true;
	/* strtok_r would merge empty lines and lose the count: walk by hand */
	for (char *line = copy; line != NULL && rc == 0; line = save) {
		char *nl = strchr(line, '\n'), *hash, *eq;
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = prt_trim(line);
		if (*line == '\0')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "driver profile %s:%u: expected 'key = value'", name,
				lineno);
			rc = -EINVAL;
			break;
		}
		*eq = '\0';
		rc = set_key(p, prt_trim(line), prt_trim(eq + 1));
		if (rc == -ENOENT)
			snprintf(err, errlen, "driver profile %s:%u: unknown key '%s'", name, lineno,
				prt_trim(line));
		else if (rc != 0)
			snprintf(err, errlen, "driver profile %s:%u: bad value for '%s'", name, lineno,
				prt_trim(line));
		if (rc != 0)
			rc = -EINVAL;
	}
	if (rc == 0 && p->driver[0] == '\0') {
		snprintf(err, errlen, "driver profile %s: no 'driver' key", name);
		rc = -EINVAL;
	}
	free(copy);
	return rc;
}

int prt_port_profile_for_driver(const char *driver, struct prt_port_profile *p, char *err,
	size_t errlen)
{
	const struct prt_port_profile_text *fallback = NULL;

	for (const struct prt_port_profile_text *t = prt_port_profile_texts; t->name; t++) {
		if (strcmp(t->name, driver) == 0)
			return prt_port_profile_parse(t->text, t->name, p, err, errlen);
		if (strcmp(t->name, "default") == 0)
			fallback = t;
	}
	if (fallback == NULL) {
		snprintf(err, errlen, "no driver profile for %s and no default", driver);
		return -EINVAL;
	}
	if (prt_port_profile_parse(fallback->text, fallback->name, p, err, errlen) != 0)
		return -EINVAL;
	return 1;
}
