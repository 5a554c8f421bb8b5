/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reader of nmap-os-db (format: nmap's book, "Understanding an Nmap
 * Fingerprint"): a MatchPoints block that names every test's attributes and
 * weighs them, then prints, each a Fingerprint line, Class and CPE lines and
 * one line per test. The file is kept in one buffer and cut in place; a
 * print is a row of offsets into it, one per attribute MatchPoints names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_priv.h"
#include "prt_common.h"

struct reader {
	const char *path;
	uint32_t line;
	char *err;
	size_t errlen;
	bool in_points;
};

static int fail(struct reader *r, const char *what, const char *name)
{
	snprintf(r->err, r->errlen, "%s:%u: %s%s%s", r->path, r->line, what,
		name ? " " : "", name ? name : "");
	return -EINVAL;
}

int os_slot(const struct prt_os_db *db, const char *test, size_t tn, const char *attr,
	size_t an)
{
	for (unsigned t = 0; t < db->ntests; t++) {
		const struct os_test_def *d = &db->tests[t];
		if (strlen(d->name) != tn || memcmp(d->name, test, tn) != 0)
			continue;
		for (unsigned a = 0; a < d->nattrs; a++)
			if (strlen(d->attr[a]) == an && memcmp(d->attr[a], attr, an) == 0)
				return d->base + a;
		return -1;
	}
	return -1;
}

/* A MatchPoints line: "SEQ(SP=25%GCD=75%...)". */
static int points_line(struct prt_os_db *db, struct reader *r, char *name, char *body)
{
	struct os_test_def *d;
	char *save = NULL;

	if (db->ntests == OS_TESTS_MAX || strlen(name) >= sizeof(d->name))
		return fail(r, "too many tests or a long test name:", name);
	d = &db->tests[db->ntests++];
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->base = db->nslots;
	for (char *p = strtok_r(body, "%", &save); p != NULL; p = strtok_r(NULL, "%", &save)) {
		char *eq = strchr(p, '=');
		long v;
		if (eq == NULL || eq == p || (size_t)(eq - p) >= sizeof(d->attr[0]) ||
		    d->nattrs == OS_ATTRS_MAX)
			return fail(r, "bad MatchPoints attribute", p);
		v = strtol(eq + 1, NULL, 10);
		if (v < 0 || v > 255)
			return fail(r, "bad MatchPoints weight", p);
		memcpy(d->attr[d->nattrs], p, (size_t)(eq - p));
		d->points[d->nattrs++] = (uint8_t)v;
	}
	db->nslots = (uint16_t)(db->nslots + d->nattrs);
	return 0;
}

/* A print's test line: every attribute's expression cut in place. */
static int test_line(struct prt_os_db *db, struct reader *r, char *name, char *body)
{
	uint32_t *row = db->expr + (size_t)(db->n - 1) * db->nslots;
	bool known = false;

	for (unsigned t = 0; t < db->ntests && !known; t++)
		known = strcmp(db->tests[t].name, name) == 0;
	if (!known)
		return fail(r, "a test MatchPoints does not name:", name);

	for (char *p = body, *next; p != NULL && *p != '\0'; p = next) {
		char *eq = strchr(p, '=');
		int slot;
		next = strchr(p, '%');
		if (next != NULL)
			*next++ = '\0';
		if (eq == NULL)
			return fail(r, "attribute without '=':", p);
		/* an attribute MatchPoints does not weigh ("OPS(R=N)") counts for nothing */
		slot = os_slot(db, name, strlen(name), p, (size_t)(eq - p));
		if (slot >= 0)
			row[slot] = (uint32_t)(eq + 1 - db->text) + 1;
	}
	return 0;
}

static int new_print(struct prt_os_db *db, struct reader *r, char *name)
{
	if (db->nslots == 0)
		return fail(r, "Fingerprint before MatchPoints", NULL);
	if (db->n == db->cap) {
		uint32_t cap = db->cap ? db->cap * 2 : 1024;
		struct prt_os_print *p = realloc(db->prints, sizeof(*p) * cap);
		uint32_t *e;
		if (p == NULL)
			return -ENOMEM;
		db->prints = p;
		e = realloc(db->expr, sizeof(*e) * db->nslots * (size_t)cap);
		if (e == NULL)
			return -ENOMEM;
		db->expr = e;
		db->cap = cap;
	}
	memset(&db->prints[db->n], 0, sizeof(db->prints[0]));
	memset(db->expr + (size_t)db->n * db->nslots, 0, sizeof(uint32_t) * db->nslots);
	db->prints[db->n].name = prt_trim(name);
	db->prints[db->n].line = r->line;
	db->n++;
	return 0;
}

/* "Class Microsoft | Windows | 10 | general purpose" */
static int class_line(struct prt_os_db *db, struct reader *r, char *s)
{
	struct prt_os_print *p = &db->prints[db->n - 1];
	const char **f[4];
	struct prt_os_class *c;

	if (p->nclasses == PRT_OS_CLASSES_MAX)
		return 0; /* nmap's richest prints have fewer; more would only repeat */
	c = &p->classes[p->nclasses];
	f[0] = &c->vendor, f[1] = &c->family, f[2] = &c->generation, f[3] = &c->type;
	for (int i = 0; i < 4; i++) {
		char *bar = strchr(s, '|');
		if ((bar == NULL) != (i == 3))
			return fail(r, "a Class line needs four fields", NULL);
		if (bar != NULL)
			*bar = '\0';
		*f[i] = prt_trim(s);
		s = bar + 1;
	}
	p->nclasses++;
	return 0;
}

static int cpe_line(struct prt_os_db *db, char *s)
{
	struct prt_os_print *p = &db->prints[db->n - 1];
	char *space;

	s = prt_trim(s);
	space = strchr(s, ' ');  /* " auto": nmap added it, the value is the same */
	if (space != NULL)
		*space = '\0';
	if (p->ncpes < PRT_OS_CLASSES_MAX)
		p->cpes[p->ncpes++] = s;
	return 0;
}

static int one_line(struct prt_os_db *db, struct reader *r, char *s)
{
	char *open, *close;

	s = prt_trim(s);
	if (*s == '\0' || *s == '#')
		return 0;
	if (strcmp(s, "MatchPoints") == 0) {
		r->in_points = true;
		return db->ntests ? fail(r, "a second MatchPoints", NULL) : 0;
	}
	if (strncmp(s, "Fingerprint ", 12) == 0) {
		r->in_points = false;
		return new_print(db, r, s + 12);
	}
	if (!r->in_points && db->n == 0)
		return fail(r, "a line outside any Fingerprint:", s);
	if (strncmp(s, "Class ", 6) == 0 && !r->in_points)
		return class_line(db, r, s + 6);
	if (strncmp(s, "CPE ", 4) == 0 && !r->in_points)
		return cpe_line(db, s + 4);
	open = strchr(s, '(');
	close = s + strlen(s) - 1;
	if (open == NULL || open == s || *close != ')')
		return fail(r, "not a test line:", s);
	*open = '\0';
	*close = '\0';
	return r->in_points ? points_line(db, r, s, open + 1) : test_line(db, r, s, open + 1);
}

int prt_os_db_load(struct prt_os_db **out, const char *path, char *err, size_t errlen)
{
	struct reader r = {.path = path, .err = err, .errlen = errlen};
	struct prt_os_db *db = calloc(1, sizeof(*db));
	char *line, *next;
	int rc;

	if (db == NULL)
		return -ENOMEM;
	db->text = prt_read_file(path);
	rc = db->text == NULL ? -errno : 0;
	if (rc != 0)
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-rc));
	for (line = db->text; rc == 0 && line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		r.line++;
		rc = one_line(db, &r, line);
	}
	if (rc == 0 && db->n == 0) {
		snprintf(err, errlen, "%s: no Fingerprint", path);
		rc = -EINVAL;
	}
	if (rc != 0) {
		if (rc == -ENOMEM)
			snprintf(err, errlen, "%s: out of memory", path);
		prt_os_db_free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void prt_os_db_free(struct prt_os_db *db)
{
	if (db == NULL)
		return;
	free(db->prints);
	free(db->expr);
	free(db->text);
	free(db);
}

uint32_t prt_os_db_count(const struct prt_os_db *db)
{
	return db->n;
}

const struct prt_os_print *prt_os_db_print(const struct prt_os_db *db, uint32_t i)
{
	return i < db->n ? &db->prints[i] : NULL;
}

const char *prt_os_db_expr(const struct prt_os_db *db, uint32_t i, const char *test,
	const char *attr)
{
	int slot = os_slot(db, test, strlen(test), attr, strlen(attr));
	uint32_t off;

	if (i >= db->n || slot < 0)
		return NULL;
	off = db->expr[(size_t)i * db->nslots + (size_t)slot];
	return off ? db->text + off - 1 : NULL;
}

int prt_os_db_points(const struct prt_os_db *db, const char *test, const char *attr)
{
	int slot = os_slot(db, test, strlen(test), attr, strlen(attr));

	for (unsigned t = 0; slot >= 0 && t < db->ntests; t++)
		if (slot < db->tests[t].base + db->tests[t].nattrs)
			return db->tests[t].points[slot - db->tests[t].base];
	return -1;
}
