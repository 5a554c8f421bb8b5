/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Service names for the nmap output formats: the first name nmap-services
 * gives a port is the one nmap prints ("method=table"); an IP protocol
 * scan's "ports" are named by nmap-protocols. Names share one string pool;
 * offset arrays, one per protocol, index it by port.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_result.h"
#include "prt_target.h"

static const uint8_t slot_proto[PRT_SERVICE_PROTOS] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP,
	IPPROTO_IP};

/* The slot of a protocol number; the writers look names up by it, per port. */
static int proto_slot(uint8_t proto)
{
	for (int i = 0; i < PRT_SERVICE_PROTOS; i++)
		if (slot_proto[i] == proto)
			return i;
	return -1;
}

/* The slot of nmap-services' protocol column ("tcp"), read once a line. */
static int name_slot(const char *proto)
{
	for (int i = 0; i < PRT_SERVICE_PROTOS; i++)
		if (strcmp(proto, prt_proto_name(slot_proto[i])) == 0)
			return i;
	return -1;
}

/* nmap's names are letters, digits and "._+-:/" ("X11:1", "a/n"); a file
 * with others (markup, controls, field separators) names nothing: every
 * format prints the names as they are, but for -oG's '/' -> '|'. */
static bool plain_name(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._+-:/", *s) != NULL))
			return false;
	return true;
}

static int add_name(const struct prt_service_entry *e, void *arg)
{
	struct prt_service_names *n = arg;
	int slot = name_slot(e->proto);
	size_t len = strlen(e->name) + 1;

	if (slot < 0 || n->offset[slot][e->port] != 0 || !plain_name(e->name))
		return 0; /* other protocols; a later duplicate; not a name to print */
	if (n->pool_len + len > n->pool_cap) {
		size_t cap = n->pool_cap ? n->pool_cap * 2 : 65536;
		char *p = realloc(n->pool, cap);
		if (p == NULL)
			return -ENOMEM;
		n->pool = p;
		n->pool_cap = cap;
	}
	memcpy(n->pool + n->pool_len, e->name, len);
	n->offset[slot][e->port] = (uint32_t)n->pool_len + 1;
	n->pool_len += len;
	return 0;
}

int prt_service_names_load(struct prt_service_names *n, const char *path)
{
	int rc;

	memset(n, 0, sizeof(*n));
	for (int i = 0; i < PRT_SERVICE_PROTOS; i++) {
		n->offset[i] = calloc(65536, sizeof(uint32_t));
		if (n->offset[i] == NULL) {
			prt_service_names_free(n);
			return -ENOMEM;
		}
	}
	rc = prt_services_foreach(path, add_name, n);
	if (rc != 0)
		prt_service_names_free(n);
	return rc;
}

/* nmap-protocols: "name number # comment" lines, numbers 0-255. */
int prt_service_names_add_protocols(struct prt_service_names *n, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int rc = 0;

	if (f == NULL)
		return -errno;
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		struct prt_service_entry e = {.proto = "ip"};
		unsigned num;
		if (sscanf(line, "%63s %u", e.name, &num) != 2 || e.name[0] == '#' || num > 255)
			continue;
		e.port = (uint16_t)num;
		rc = add_name(&e, n);
	}
	fclose(f);
	return rc;
}

const char *prt_service_name(const struct prt_service_names *n, uint8_t proto, uint16_t port)
{
	int slot = proto_slot(proto);

	if (n == NULL || slot < 0 || n->offset[slot] == NULL || n->offset[slot][port] == 0)
		return NULL;
	return n->pool + n->offset[slot][port] - 1;
}

void prt_service_names_free(struct prt_service_names *n)
{
	for (int i = 0; i < PRT_SERVICE_PROTOS; i++)
		free(n->offset[i]);
	free(n->pool);
	memset(n, 0, sizeof(*n));
}
