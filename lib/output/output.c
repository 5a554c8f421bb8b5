/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prt_common.h"
#include "prt_output.h"

static const struct prt_writer_ops *const writers[] = {
	&prt_writer_ndjson,
	&prt_writer_list,
};

const struct prt_writer_ops *prt_writer_find(char letter)
{
	for (size_t i = 0; i < PRT_ARRAY_SIZE(writers); i++)
		if (writers[i]->flag[2] == letter)
			return writers[i];
	return NULL;
}

void prt_output_init(struct prt_output *out, const struct prt_output_opts *opts)
{
	memset(out, 0, sizeof(*out));
	out->opts = *opts;
}

int prt_output_add(struct prt_output *out, const struct prt_writer_ops *ops, const char *path)
{
	FILE *f = stdout;
	int rc;

	if (out->n == PRT_OUTPUT_MAX)
		return -ENOSPC;
	if (path != NULL) {
		f = fopen(path, "w");
		if (f == NULL)
			return -errno;
		out->w[out->n].path = strdup(path);
	}
	out->w[out->n].ops = ops;
	out->w[out->n].f = f;
	out->w[out->n].state = ops->open(f, &out->opts);
	if (out->w[out->n].state == NULL) {
		rc = errno ? -errno : -ENOMEM;
		if (path != NULL) {
			fclose(f);
			unlink(path);
			free(out->w[out->n].path);
		}
		return rc;
	}
	out->n++;
	return 0;
}

int prt_output_write(struct prt_output *out, const struct prt_result *r)
{
	int rc = 0;

	for (unsigned i = 0; i < out->n; i++)
		if (out->w[i].ops->write(out->w[i].state, out->w[i].f, r) != 0)
			rc = -EIO;
	return rc;
}

static int finish(struct prt_output *out, const struct prt_output_summary *s, bool discard)
{
	int rc = 0;

	for (unsigned i = 0; i < out->n; i++) {
		if (out->w[i].ops->close(out->w[i].state, out->w[i].f, s) != 0)
			rc = -EIO;
		if (fflush(out->w[i].f) != 0 || ferror(out->w[i].f))
			rc = -EIO;
		if (out->w[i].path != NULL) {
			if (fclose(out->w[i].f) != 0)
				rc = -EIO;
			if (discard)
				unlink(out->w[i].path);
			free(out->w[i].path);
		}
	}
	out->n = 0;
	return rc;
}

int prt_output_close(struct prt_output *out, const struct prt_output_summary *s)
{
	return finish(out, s, false);
}

void prt_output_discard(struct prt_output *out)
{
	struct prt_output_summary none = {0};

	finish(out, &none, true);
}

const char *prt_output_iso_time(uint64_t ns, char *buf, size_t len)
{
	time_t secs = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	char day[32];

	gmtime_r(&secs, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03uZ", day, (unsigned)(ns / 1000000ULL % 1000));
	return buf;
}
