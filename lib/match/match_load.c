/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reader of nmap-service-probes (format: nmap's book, "nmap-service-probes
 * File Format"). One pass over the lines; directives apply to the latest
 * Probe. Patterns are kept as text here: compiling them is lib/match's
 * matcher's job.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prt_common.h"
#include "prt_match.h"
#include "prt_target.h"

struct reader {
	const char *path;
	uint32_t line;
	char *err;
	size_t errlen;
};

static int fail(struct reader *r, const char *what)
{
	snprintf(r->err, r->errlen, "%s:%u: %s", r->path, r->line, what);
	return -EINVAL;
}

static struct prt_sp_probe *current(struct prt_sp_db *db)
{
	return db->nprobes ? &db->probes[db->nprobes - 1] : NULL;
}

/* "Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n| [no-payload]" */
static int probe_line(struct prt_sp_db *db, struct reader *r, const char *p)
{
	struct prt_sp_probe *pr, *v;
	const char *name, *end, *why;
	size_t nlen, len;

	v = realloc(db->probes, (db->nprobes + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	db->probes = v;
	pr = memset(&v[db->nprobes++], 0, sizeof(*pr));
	pr->line = r->line;
	if (strncmp(p, "TCP ", 4) == 0)
		pr->proto = IPPROTO_TCP;
	else if (strncmp(p, "UDP ", 4) == 0)
		pr->proto = IPPROTO_UDP;
	else
		return fail(r, "Probe protocol must be TCP or UDP");
	name = p + 4;
	nlen = strcspn(name, " ");
	if (nlen == 0 || name[nlen] != ' ' || name[nlen + 1] != 'q' || name[nlen + 2] == '\0')
		return fail(r, "Probe needs a name and a q|...| string");
	pr->name = strndup(name, nlen);
	if (pr->name == NULL)
		return -ENOMEM;
	if (prt_unescape(name + nlen + 2, NULL, 0, &len, &end, &why) != 0)
		return fail(r, why);
	pr->data = malloc(len ? len : 1);
	if (pr->data == NULL)
		return -ENOMEM;
	prt_unescape(name + nlen + 2, pr->data, len, &len, &end, &why);
	pr->len = (uint32_t)len;
	pr->no_payload = strstr(end, "no-payload") != NULL;
	return 0;
}

/* "match ftp m/^220 .../i p/vsftpd/ v/$1/" and "softmatch ..." */
static int match_line(struct prt_sp_db *db, struct reader *r, const char *p, bool soft)
{
	struct prt_sp_probe *pr = current(db);
	struct prt_sp_match *m, *v;
	size_t slen;
	const char *pat, *close;
	char delim;

	if (pr == NULL)
		return fail(r, "match before any Probe");
	v = realloc(pr->matches, (pr->nmatches + 1) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	pr->matches = v;
	m = memset(&v[pr->nmatches++], 0, sizeof(*m));
	m->soft = soft;
	m->line = r->line;
	slen = strcspn(p, " ");
	if (slen == 0 || p[slen] != ' ' || p[slen + 1] != 'm' || p[slen + 2] == '\0')
		return fail(r, "match needs a service and m<delim>pattern<delim>");
	m->service = strndup(p, slen);
	delim = p[slen + 2];
	pat = p + slen + 3;
	close = strchr(pat, delim);
	if (close == NULL)
		return fail(r, "unterminated pattern");
	m->pattern = strndup(pat, (size_t)(close - pat));
	for (p = close + 1; *p == 'i' || *p == 's'; p++)
		m->flags |= *p == 'i' ? PRT_SP_CASELESS : PRT_SP_DOTALL;
	if (*p != '\0' && *p != ' ')
		return fail(r, "unknown pattern option");
	while (*p == ' ')
		p++;
	m->info = strdup(p);
	if (m->service == NULL || m->pattern == NULL || m->info == NULL)
		return -ENOMEM;
	if (soft)
		db->nsoft++;
	else
		db->nmatches++;
	return 0;
}

static int ports_line(struct reader *r, const char *spec, uint8_t **bitmap, bool *any)
{
	struct prt_port_list ports;
	char perr[128];
	int rc = 0;

	if (*bitmap == NULL) {
		*bitmap = calloc(65536 / 8, 1);
		if (*bitmap == NULL)
			return -ENOMEM;
	}
	prt_port_list_init(&ports);
	if (prt_port_list_add_spec(&ports, spec, perr, sizeof(perr)) != 0 ||
	    prt_port_list_finalize(&ports, NULL) != 0)
		rc = fail(r, "bad ports line");
	for (uint32_t i = 0; rc == 0 && i < ports.n; i++)
		(*bitmap)[ports.ports[i] >> 3] |= (uint8_t)(1u << (ports.ports[i] & 7));
	*any = *any || ports.n > 0;
	prt_port_list_free(&ports);
	return rc;
}

static int number(struct reader *r, const char *s, uint64_t max, uint64_t *out)
{
	return prt_parse_u64(s, 0, max, out) == 0 ? 0 : fail(r, "bad number");
}

static int directive(struct prt_sp_db *db, struct reader *r, char *line)
{
	struct prt_sp_probe *pr = current(db);
	uint64_t v;
	int rc;

	if (strncmp(line, "Probe ", 6) == 0)
		return probe_line(db, r, line + 6);
	if (strncmp(line, "match ", 6) == 0)
		return match_line(db, r, line + 6, false);
	if (strncmp(line, "softmatch ", 10) == 0)
		return match_line(db, r, line + 10, true);
	if (strncmp(line, "Exclude ", 8) == 0)
		return 0; /* nmap's own default exclusions (printers); ours come from the user */
	if (pr == NULL)
		return fail(r, "directive before any Probe");
	if (strncmp(line, "ports ", 6) == 0)
		return ports_line(r, line + 6, &pr->ports, &pr->any_ports);
	if (strncmp(line, "sslports ", 9) == 0)
		return ports_line(r, line + 9, &pr->sslports, &pr->any_sslports);
	if (strncmp(line, "rarity ", 7) == 0) {
		rc = number(r, line + 7, 9, &v);
		pr->rarity = (uint8_t)v;
		return rc;
	}
	if (strncmp(line, "totalwaitms ", 12) == 0) {
		rc = number(r, line + 12, 600000, &v);
		pr->totalwaitms = (uint32_t)v;
		return rc;
	}
	if (strncmp(line, "tcpwrappedms ", 13) == 0) {
		rc = number(r, line + 13, 600000, &v);
		pr->tcpwrappedms = (uint32_t)v;
		return rc;
	}
	if (strncmp(line, "fallback ", 9) == 0) {
		if (pr->fallback != NULL)
			return fail(r, "a second fallback line for this Probe");
		pr->fallback = strdup(line + 9);
		return pr->fallback != NULL ? 0 : -ENOMEM;
	}
	return fail(r, "unknown directive");
}

int prt_sp_load(struct prt_sp_db *db, const char *path, char *err, size_t errlen)
{
	struct reader r = {.path = path, .err = err, .errlen = errlen};
	char *text, *line, *next;
	int rc = 0;

	memset(db, 0, sizeof(*db));
	text = prt_read_file(path);
	if (text == NULL) {
		rc = -errno;
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return rc;
	}
	for (line = text; rc == 0 && line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		r.line++;
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		rc = directive(db, &r, line);
		if (rc == -ENOMEM)
			snprintf(err, errlen, "out of memory reading %s", path);
	}
	free(text);
	db->path = rc == 0 ? strdup(path) : NULL;
	if (rc == 0 && db->path == NULL)
		rc = -ENOMEM;
	if (rc != 0)
		prt_sp_free(db);
	return rc;
}

void prt_sp_free(struct prt_sp_db *db)
{
	for (uint32_t i = 0; i < db->nprobes; i++) {
		struct prt_sp_probe *p = &db->probes[i];
		for (uint32_t j = 0; j < p->nmatches; j++) {
			free(p->matches[j].service);
			free(p->matches[j].pattern);
			free(p->matches[j].info);
		}
		free(p->matches);
		free(p->name);
		free(p->data);
		free(p->fallback);
		free(p->ports);
		free(p->sslports);
	}
	free(db->probes);
	free(db->path);
	memset(db, 0, sizeof(*db));
}

const struct prt_sp_probe *prt_sp_probe_for_port(const struct prt_sp_db *db, uint8_t proto,
	uint16_t port)
{
	for (uint32_t i = 0; i < db->nprobes; i++) {
		const struct prt_sp_probe *p = &db->probes[i];
		if (p->proto == proto && p->len > 0 && prt_sp_port_in(p->ports, port))
			return p;
	}
	return NULL;
}
