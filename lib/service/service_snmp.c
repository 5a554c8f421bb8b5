/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What nmap's snmp-info script adds to -sV over UDP: the SNMPv3 engine's
 * enterprise, read from the answer to the SNMPv3GetRequest probe (the same
 * bytes the script sends), named from nmap's enterprise_numbers.txt, and
 * the product said as the script says it ("SNMPv1 server; net-snmp SNMPv3
 * server"). The answer is hostile input: every BER length is checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_snmp_info.h"

#define BER_INTEGER 0x02
#define BER_OCTETS 0x04
#define BER_SEQUENCE 0x30
#define SNMP_V3 3
#define PROBE_MSG_ID 0x4a69 /* the SNMPv3GetRequest probe's msgID */
#define USM 3               /* the user-based security model */

struct prt_enterprises {
	uint32_t *num;   /* sorted */
	char **name;
	size_t n;
};

/* One BER element at *p: its tag and contents; *p moves past it. */
static int ber_next(const uint8_t **p, const uint8_t *end, uint8_t *tag, const uint8_t **v,
	size_t *vlen)
{
	const uint8_t *q = *p;
	size_t len;

	if (end - q < 2)
		return -1;
	*tag = *q++;
	len = *q++;
	if (len & 0x80) {
		size_t nb = len & 0x7f;
		if (nb == 0 || nb > 4 || (size_t)(end - q) < nb)
			return -1;
		len = 0;
		while (nb--)
			len = len << 8 | *q++;
	}
	if ((size_t)(end - q) < len)
		return -1;
	*v = q;
	*vlen = len;
	*p = q + len;
	return 0;
}

/* The next element, which must have @p want as its tag. */
static int ber_want(const uint8_t **p, const uint8_t *end, uint8_t want, const uint8_t **v,
	size_t *vlen)
{
	uint8_t tag;

	return ber_next(p, end, &tag, v, vlen) == 0 && tag == want ? 0 : -1;
}

static int ber_int(const uint8_t **p, const uint8_t *end, int64_t *out)
{
	const uint8_t *v;
	size_t n;

	if (ber_want(p, end, BER_INTEGER, &v, &n) != 0 || n == 0 || n > 8)
		return -1;
	*out = (v[0] & 0x80) ? -1 : 0;
	for (size_t i = 0; i < n; i++)
		*out = (int64_t)((uint64_t)*out << 8 | v[i]);
	return 0;
}

int prt_snmp_engine_enterprise(const uint8_t *d, size_t len, uint32_t *enterprise)
{
	const uint8_t *end = d + len, *msg, *global, *gend, *sec, *usm, *id;
	size_t n, gn, sn, un, idn;
	int64_t version, msg_id, max_size, model;

	if (ber_want(&d, end, BER_SEQUENCE, &msg, &n) != 0)
		return -1;
	end = msg + n;
	if (ber_int(&msg, end, &version) != 0 || version != SNMP_V3 ||
	    ber_want(&msg, end, BER_SEQUENCE, &global, &gn) != 0)
		return -1;
	gend = global + gn;
	if (ber_int(&global, gend, &msg_id) != 0 || msg_id != PROBE_MSG_ID ||
	    ber_int(&global, gend, &max_size) != 0 ||
	    ber_want(&global, gend, BER_OCTETS, &id, &idn) != 0 ||
	    ber_int(&global, gend, &model) != 0 || model != USM)
		return -1;
	if (ber_want(&msg, end, BER_OCTETS, &sec, &sn) != 0 ||
	    ber_want(&sec, sec + sn, BER_SEQUENCE, &usm, &un) != 0 ||
	    ber_want(&usm, usm + un, BER_OCTETS, &id, &idn) != 0 || idn < 4)
		return -1;
	*enterprise = (uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 | (uint32_t)id[2] << 8 | id[3];
	/* RFC 3411's engine IDs set the top bit over the enterprise number */
	if (*enterprise > 0x80000000u)
		*enterprise -= 0x80000000u;
	return 0;
}

static int by_num(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int prt_enterprises_load(struct prt_enterprises **out, const char *path)
{
	FILE *f = fopen(path, "r");
	struct prt_enterprises *e;
	char line[512];
	size_t cap = 0;

	if (f == NULL)
		return -errno;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		goto nomem;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tab = strchr(line, '\t'), *end;
		unsigned long num = strtoul(line, &end, 10);
		if (tab == NULL || end != tab || line[0] < '0' || line[0] > '9' || num > UINT32_MAX)
			continue;
		tab[1 + strcspn(tab + 1, "\r\n")] = '\0';
		if (e->n == cap) {
			size_t c = cap ? cap * 2 : 1024;
			uint32_t *nn = realloc(e->num, c * sizeof(*nn));
			char **na = nn ? realloc(e->name, c * sizeof(*na)) : NULL;
			if (nn != NULL)
				e->num = nn;
			if (na == NULL)
				goto nomem;
			e->name = na;
			cap = c;
		}
		e->name[e->n] = strdup(tab + 1);
		if (e->name[e->n] == NULL)
			goto nomem;
		e->num[e->n++] = (uint32_t)num;
	}
	fclose(f);
	/* the file is sorted; a line out of order would make the search lie */
	for (size_t i = 1; i < e->n; i++)
		if (e->num[i] <= e->num[i - 1]) {
			prt_enterprises_free(e);
			return -EINVAL;
		}
	*out = e;
	return 0;
nomem:
	fclose(f);
	prt_enterprises_free(e);
	return -ENOMEM;
}

void prt_enterprises_free(struct prt_enterprises *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->name[i]);
	free(e->name);
	free(e->num);
	free(e);
}

const char *prt_enterprise_name(const struct prt_enterprises *e, uint32_t num)
{
	const uint32_t *at = e != NULL && e->n > 0 ?
		bsearch(&num, e->num, e->n, sizeof(num), by_num) : NULL;

	return at != NULL ? e->name[at - e->num] : NULL;
}

void prt_snmp_info_apply(uint32_t enterprise, const char *name, struct prt_service_info *info)
{
	char who[96], product[256]; /* cut to the field below, as every field is */

	if (name != NULL)
		snprintf(who, sizeof(who), "%s", name);
	else
		snprintf(who, sizeof(who), "%u", enterprise);
	if (info->product[0] != '\0' && strcmp(info->product, "SNMPv3 server") != 0)
		snprintf(product, sizeof(product), "%s; %s SNMPv3 server", info->product, who);
	else
		snprintf(product, sizeof(product), "%s SNMPv3 server", who);
	snprintf(info->service, sizeof(info->service), "snmp");
	snprintf(info->product, sizeof(info->product), "%.*s", (int)sizeof(info->product) - 1,
		product);
	info->soft = false;
}
