/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nmap-payloads: "udp PORTS" followed by one or more C-style quoted strings
 * (on the same or following lines) that together are the payload, and
 * optionally "source PORT". '#' starts a comment. A port listed again keeps
 * its first payload (nmap 7.93 may send several; one probe per pair here).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_csum.h"
#include "prt_target.h"
#include "prt_udp_payloads.h"

/* Request fields that come back in the answer: DNS echoes the id in the
 * header, NTP returns our transmit timestamp as its originate timestamp. */
static const struct {
	uint16_t port;
	struct prt_udp_echo field;
} echo_fields[] = {
	{53, {.out_off = 0, .in_off = 0, .len = 2}},
	{123, {.out_off = 40, .in_off = 24, .len = 4}},
};

struct parser {
	const char *path;
	char *text;        /* the whole file */
	size_t line;
	char *err;
	size_t errlen;
	uint8_t buf[PRT_UDP_MAX_PAYLOAD + 1];
	size_t len;
	bool too_long;
};

static int fail(struct parser *ps, const char *what)
{
	snprintf(ps->err, ps->errlen, "%s:%zu: %s", ps->path, ps->line, what);
	return -EINVAL;
}

/* One string between the delimiter at *pp and the next one ("..." here,
 * q|...| in nmap-service-probes), C escapes decoded, appended to the payload. */
static int parse_string(struct parser *ps, char **pp)
{
	const size_t room = PRT_UDP_MAX_PAYLOAD - ps->len;
	const char *end, *why;
	size_t n;

	if (prt_unescape(*pp, ps->buf + ps->len, room, &n, &end, &why) != 0)
		return fail(ps, why);
	if (n > room) {
		ps->too_long = true;
		n = room;
	}
	ps->len += n;
	*pp = (char *)(uintptr_t)end;
	return 0;
}

static void skip_space(struct parser *ps, char **pp)
{
	char *p = *pp;

	for (;;) {
		if (*p == '\n')
			ps->line++;
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (*p == '#') {
			while (*p != '\0' && *p != '\n')
				p++;
		} else {
			break;
		}
	}
	*pp = p;
}

static int sum_and_store(struct prt_udp_payloads *pl, struct parser *ps, uint16_t port)
{
	struct prt_udp_payload *e = &pl->by_port[port];
	uint8_t copy[PRT_UDP_MAX_PAYLOAD + 1] = {0};
	uint32_t sum;

	if (e->given || ps->too_long)
		return 0; /* first payload wins; oversize ones are not sent */
	if (pl->pool_len + ps->len > pl->pool_cap) {
		size_t cap = (pl->pool_cap ? pl->pool_cap * 2 : 16384) + ps->len;
		uint8_t *np = realloc(pl->pool, cap);
		if (np == NULL)
			return -ENOMEM;
		pl->pool = np;
		pl->pool_cap = cap;
	}
	if (ps->len > 0) { /* an empty payload ("") may come before any pool exists */
		memcpy(pl->pool + pl->pool_len, ps->buf, ps->len);
		memcpy(copy, ps->buf, ps->len);
	}
	for (size_t i = 0; i < PRT_ARRAY_SIZE(echo_fields); i++)
		if (echo_fields[i].port == port &&
		    ps->len >= (size_t)echo_fields[i].field.out_off + echo_fields[i].field.len) {
			e->echo = (int8_t)i;
			memset(copy + echo_fields[i].field.out_off, 0, echo_fields[i].field.len);
		}
	sum = prt_csum_add(0, copy, ps->len);
	e->off = (uint32_t)pl->pool_len;
	e->len = (uint16_t)ps->len;
	e->sum = sum;
	e->given = 1;
	pl->pool_len += ps->len;
	pl->count++;
	return 0;
}

/* "udp PORTS" then strings (and "source N"). */
static int parse_entry(struct prt_udp_payloads *pl, struct parser *ps, char **pp)
{
	char *p = *pp + 3, *spec;
	struct prt_port_list ports;
	char err[128];
	int rc;

	if (!isspace((unsigned char)*p))
		return fail(ps, "expected 'udp PORTS'");
	while (*p == ' ' || *p == '\t')
		p++;
	spec = p;
	while (*p != '\0' && !isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	prt_port_list_init(&ports);
	if (prt_port_list_add_spec(&ports, spec, err, sizeof(err)) != 0 ||
	    prt_port_list_finalize(&ports, NULL) != 0) {
		prt_port_list_free(&ports);
		return fail(ps, "bad port list");
	}
	if (p[-1] == '\n')
		ps->line++;
	ps->len = 0;
	ps->too_long = false;
	rc = 0;
	for (;;) {
		skip_space(ps, &p);
		if (*p == '"') {
			rc = parse_string(ps, &p);
		} else if (strncmp(p, "source", 6) == 0 && isspace((unsigned char)p[6])) {
			p += 6; /* a fixed source port: ours comes from the cookie */
			while (*p == ' ' || *p == '\t')
				p++;
			while (isdigit((unsigned char)*p))
				p++;
		} else {
			break;
		}
		if (rc != 0)
			break;
	}
	for (uint32_t i = 0; rc == 0 && i < ports.n; i++)
		rc = sum_and_store(pl, ps, ports.ports[i]);
	prt_port_list_free(&ports);
	*pp = p;
	return rc;
}

int prt_udp_payloads_empty(struct prt_udp_payloads *p)
{
	memset(p, 0, sizeof(*p));
	p->by_port = calloc(65536, sizeof(*p->by_port));
	if (p->by_port == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < 65536; i++)
		p->by_port[i].echo = -1;
	return 0;
}

int prt_udp_payloads_load(struct prt_udp_payloads *pl, const char *path, char *err,
	size_t errlen)
{
	struct parser ps = {.path = path, .line = 1, .err = err, .errlen = errlen};
	char *p;
	int rc = prt_udp_payloads_empty(pl);

	if (rc != 0)
		return rc;
	ps.text = prt_read_file(path);
	if (ps.text == NULL) {
		rc = -errno;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		prt_udp_payloads_free(pl);
		return rc;
	}
	p = ps.text;
	for (;;) {
		skip_space(&ps, &p);
		if (*p == '\0')
			break;
		if (strncmp(p, "udp", 3) != 0) {
			rc = fail(&ps, "expected 'udp PORTS \"payload\"'");
			break;
		}
		rc = parse_entry(pl, &ps, &p);
		if (rc != 0)
			break;
	}
	free(ps.text);
	if (rc != 0)
		prt_udp_payloads_free(pl);
	return rc;
}

void prt_udp_payloads_free(struct prt_udp_payloads *p)
{
	free(p->by_port);
	free(p->pool);
	memset(p, 0, sizeof(*p));
}

const struct prt_udp_echo *prt_udp_payload_echo(const struct prt_udp_payloads *p, uint16_t port)
{
	int8_t i = p->by_port[port].echo;

	return i >= 0 ? &echo_fields[i].field : NULL;
}

/*
 * nmap-service-probes: "Probe UDP NAME q|payload|" then, before the next
 * Probe line, "ports SPEC". Ports without a payload from nmap-payloads get
 * the first UDP probe that lists them (nmap sends these for -sV; their
 * payloads make more services answer a plain -sU too).
 */
int prt_udp_payloads_add_probes(struct prt_udp_payloads *pl, const char *path, char *err,
	size_t errlen)
{
	struct parser ps = {.path = path, .line = 0, .err = err, .errlen = errlen};
	bool have = false; /* a UDP probe's payload is in ps.buf */
	char *line, *save = NULL;
	int rc = 0;

	ps.text = prt_read_file(path);
	if (ps.text == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -errno;
	}
	for (line = strtok_r(ps.text, "\n", &save); rc == 0 && line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		ps.line++;
		if (strncmp(line, "Probe ", 6) == 0) {
			char *q = strstr(line, " q");
			have = false;
			if (strncmp(line + 6, "UDP ", 4) != 0 || q == NULL || q[2] == '\0')
				continue;
			q += 2; /* the delimiter */
			ps.len = 0;
			ps.too_long = false;
			rc = parse_string(&ps, &q);
			have = rc == 0;
		} else if (have && strncmp(line, "ports ", 6) == 0) {
			struct prt_port_list ports;
			char perr[128];
			prt_port_list_init(&ports);
			if (prt_port_list_add_spec(&ports, line + 6, perr, sizeof(perr)) != 0 ||
			    prt_port_list_finalize(&ports, NULL) != 0)
				rc = fail(&ps, "bad ports line");
			for (uint32_t i = 0; rc == 0 && i < ports.n; i++)
				rc = sum_and_store(pl, &ps, ports.ports[i]);
			prt_port_list_free(&ports);
		}
	}
	free(ps.text);
	return rc;
}
