/* SPDX-License-Identifier: BSD-3-Clause */
/* Values many options share: seconds, "A-B" and "I/N" pairs, and the error
 * that names the option and the value. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_priv.h"

int prt_cli_bad_value(const char *opt, const char *val, const char *why)
{
	prt_usage_error("bad %s '%s': %s", opt, val, why);
	return -1;
}

int prt_cli_seconds(const char *opt, const char *val, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(val, &end);
	if (errno != 0 || end == val || *end != '\0' || !(v >= 0) || v > max) {
		char why[64];
		snprintf(why, sizeof(why), "must be a number of seconds 0-%.0f", max);
		return prt_cli_bad_value(opt, val, why);
	}
	*out = v;
	return 0;
}

/* Copy "A<sep>B" into buf and split it; *second is NULL without sep.
 * @return 0, or -1 when val does not fit */
int prt_cli_split_two(const char *val, char sep, char buf[32], char **second)
{
	if (strlen(val) >= 32)
		return -1;
	strcpy(buf, val);
	*second = strchr(buf, sep);
	if (*second != NULL)
		*(*second)++ = '\0';
	return 0;
}

/* Seconds, at least @p min. */
int prt_cli_seconds_min(const char *opt, const char *val, double min, double max, double *out)
{
	char why[64];

	if (prt_cli_seconds(opt, val, max, out) != 0)
		return -1;
	if (*out >= min)
		return 0;
	snprintf(why, sizeof(why), "must be at least %g second%s", min, min == 1 ? "" : "s");
	return prt_cli_bad_value(opt, val, why);
}
