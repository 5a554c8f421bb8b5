/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A host's fingerprint as values by name, and nmap's printed form read back
 * ("OS:SCAN(V=7.93%...)OS:SEQ(SP=105%GCD=1%...)": 72-character lines each
 * after "OS:", or the plain TEST(...) lines nmap-os-db uses).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "prt_osdetect.h"

static int find(const struct prt_os_fp *fp, const char *test, const char *attr)
{
	for (uint32_t i = 0; i < fp->n; i++)
		if (strcmp(fp->v[i].test, test) == 0 && strcmp(fp->v[i].attr, attr) == 0)
			return (int)i;
	return -1;
}

int prt_os_fp_set(struct prt_os_fp *fp, const char *test, const char *attr, const char *value)
{
	int i = find(fp, test, attr);

	if (strlen(test) >= sizeof(fp->v[0].test) || strlen(attr) >= sizeof(fp->v[0].attr) ||
	    strlen(value) >= sizeof(fp->v[0].value) || *test == '\0' || *attr == '\0')
		return -EINVAL;
	if (i < 0) {
		if (fp->n == sizeof(fp->v) / sizeof(fp->v[0]))
			return -ENOSPC;
		i = (int)fp->n++;
		snprintf(fp->v[i].test, sizeof(fp->v[i].test), "%s", test);
		snprintf(fp->v[i].attr, sizeof(fp->v[i].attr), "%s", attr);
	}
	snprintf(fp->v[i].value, sizeof(fp->v[i].value), "%s", value);
	return 0;
}

const char *prt_os_fp_get(const struct prt_os_fp *fp, const char *test, const char *attr)
{
	int i = find(fp, test, attr);

	return i < 0 ? NULL : fp->v[i].value;
}

/* The text without line breaks and without each line's "OS:". */
static int unwrap(const char *text, char *out, size_t cap)
{
	size_t n = 0;
	bool line_start = true;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r') {
			line_start = true;
			continue;
		}
		if (line_start && strncmp(p, "OS:", 3) == 0)
			p += 3;
		line_start = false;
		if (*p == '\0')
			break;
		if (*p == ' ' || *p == '\t')
			continue;
		if (n + 1 >= cap)
			return -EINVAL;
		out[n++] = *p;
	}
	out[n] = '\0';
	return 0;
}

/* "ATTR=VALUE%ATTR=VALUE" of one test. */
static int attrs(struct prt_os_fp *fp, const char *test, char *body, char *err, size_t errlen)
{
	for (char *p = body, *next; p != NULL && *p != '\0'; p = next) {
		char *eq = strchr(p, '=');
		next = strchr(p, '%');
		if (next != NULL)
			*next++ = '\0';
		if (eq == NULL) {
			snprintf(err, errlen, "fingerprint: %s: '%s' has no '='", test, p);
			return -EINVAL;
		}
		*eq = '\0';
		if (prt_os_fp_set(fp, test, p, eq + 1) != 0) {
			snprintf(err, errlen, "fingerprint: %s.%s: too long, or too many values", test, p);
			return -EINVAL;
		}
	}
	return 0;
}

int prt_os_fp_parse(struct prt_os_fp *fp, const char *text, char *err, size_t errlen)
{
	char buf[8192];
	char *p = buf;

	memset(fp, 0, sizeof(*fp));
	if (unwrap(text, buf, sizeof(buf)) != 0) {
		snprintf(err, errlen, "fingerprint: longer than %zu bytes", sizeof(buf) - 1);
		return -EINVAL;
	}
	while (*p != '\0') {
		char *open = strchr(p, '('), *close = open ? strchr(open, ')') : NULL;
		if (open == NULL || close == NULL || open == p || open - p >= 6) {
			snprintf(err, errlen, "fingerprint: expected TEST(...) at '%.20s'", p);
			return -EINVAL;
		}
		*open = '\0';
		*close = '\0';
		if (attrs(fp, p, open + 1, err, errlen) != 0)
			return -EINVAL;
		p = close + 1;
	}
	return 0;
}

/* The tests in the order nmap prints them (SCAN is the caller's). */
static const char *const print_order[] = {
	"SEQ", "OPS", "WIN", "ECN", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "U1", "IE",
};

int prt_os_fp_format(const struct prt_os_fp *fp, char *out, size_t cap)
{
	size_t n = 0;

	if (cap == 0)
		return -ENOSPC;
	out[0] = '\0';
	for (size_t t = 0; t < sizeof(print_order) / sizeof(print_order[0]); t++) {
		bool open = false;
		for (uint32_t i = 0; i < fp->n; i++) {
			int w;
			if (strcmp(fp->v[i].test, print_order[t]) != 0)
				continue;
			if (!open) /* the attribute's name after "TEST(" */
				w = snprintf(out + n, cap - n, "%s(%s=%s", print_order[t],
					fp->v[i].attr, fp->v[i].value);
			else
				w = snprintf(out + n, cap - n, "%%%s=%s", fp->v[i].attr,
					fp->v[i].value);
			if (w < 0 || (size_t)w >= cap - n)
				return -ENOSPC;
			n += (size_t)w;
			open = true;
		}
		if (open) {
			if (n + 2 > cap)
				return -ENOSPC;
			out[n++] = ')';
			out[n] = '\0';
		}
	}
	return (int)n;
}

#define WRAP_WIDTH 72

int prt_os_fp_wrap(const char *text, char *out, size_t cap)
{
	size_t len = strlen(text), n = 0;

	for (size_t at = 0; at < len; at += WRAP_WIDTH) {
		size_t k = len - at < WRAP_WIDTH ? len - at : WRAP_WIDTH;
		if (n + 3 + k + 2 > cap)
			return -ENOSPC;
		memcpy(out + n, "OS:", 3);
		memcpy(out + n + 3, text + at, k);
		n += 3 + k;
		out[n++] = '\n';
	}
	if (n + 1 > cap)
		return -ENOSPC;
	out[n] = '\0';
	return (int)n;
}
