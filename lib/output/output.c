/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "prt_common.h"
#include "prt_events.h"
#include "prt_output.h"
#include "prt_text.h"

#define PRT_OUTPUT_BUFFER (1u << 20)

static const struct prt_writer_ops *const writers[] = {
	&prt_writer_ndjson,
	&prt_writer_list,
	&prt_writer_normal,
	&prt_writer_xml,
	&prt_writer_grepable,
	&prt_writer_csv,
};

const struct prt_writer_ops *const prt_writers_all[] = {
	&prt_writer_normal,
	&prt_writer_xml,
	&prt_writer_grepable,
	NULL,
};

const struct prt_writer_ops *prt_writer_find(char letter)
{
	for (size_t i = 0; i < PRT_ARRAY_SIZE(writers); i++)
		if (writers[i]->flag[2] == letter)
			return writers[i];
	return NULL;
}

int prt_output_init(struct prt_output *out, const struct prt_output_opts *opts)
{
	memset(out, 0, sizeof(*out));
	out->opts = *opts;
	/* --open alone: every pair nmap's --open keeps, heard from or not */
	if (out->opts.stream_states == 0)
		out->opts.stream_states = opts->only_open ? PRT_OUTPUT_ALL : PRT_OUTPUT_ANSWERED;
	if (out->opts.list_states == 0)
		out->opts.list_states = PRT_OUTPUT_ALL;
	if (prt_hosts_init(&out->hosts) != 0)
		return -ENOMEM;
	out->hosts.budget = opts->host_memory;
	return 0;
}

/* Open @p path for a writer: replaced, or added to with --append-output. A
 * document format (XML) cannot take a second scan: appending to a non-empty
 * one is refused rather than leaving an invalid file. */
static FILE *open_file(const struct prt_output *out, const struct prt_writer_ops *ops,
	const char *path, bool *created, long *keep)
{
	struct stat st;
	bool exists = stat(path, &st) == 0;
	/* a resumed scan adds to what its first part streamed, and prints the
	 * per-host formats again whole, from the restored host table */
	bool append = out->opts.resuming ? !ops->by_host : out->opts.append;
	FILE *f;

	if (append && ops == &prt_writer_xml && exists && st.st_size > 0) {
		errno = EEXIST;
		return NULL;
	}
	f = fopen(path, append ? "a" : "w");
	*created = f != NULL && !exists;
	*keep = exists && append ? (long)st.st_size : 0;
	return f;
}

int prt_output_add(struct prt_output *out, const struct prt_writer_ops *ops, const char *path)
{
	FILE *f = stdout;
	bool created = false;
	long keep = 0;
	int rc;

	if (out->n == PRT_OUTPUT_MAX)
		return -ENOSPC;
	if (path != NULL) {
		f = open_file(out, ops, path, &created, &keep);
		if (f == NULL)
			return -errno;
		out->w[out->n].path = strdup(path);
	}
	/* results are small: a large buffer makes one write() of many (not of stdout,
	 * which a person reads as it comes) */
	if (path != NULL)
		setvbuf(f, NULL, _IOFBF, PRT_OUTPUT_BUFFER);
	out->w[out->n].ops = ops;
	out->w[out->n].f = f;
	out->w[out->n].created = created;
	out->w[out->n].keep = keep;
	out->w[out->n].state = ops->open(f, &out->opts);
	if (out->w[out->n].state == NULL) {
		rc = errno ? -errno : -ENOMEM;
		if (path != NULL) {
			fclose(f);
			if (created)
				unlink(path);
			else if (truncate(path, keep) != 0)
				rc = -errno;
			free(out->w[out->n].path);
		}
		return rc;
	}
	out->want_hosts |= ops->by_host;
	out->n++;
	return 0;
}

static bool streamed(const struct prt_output *out, const struct prt_result *r)
{
	return (out->opts.stream_states & prt_output_state_bit(r->state, r->reason)) &&
	       (!out->opts.only_open || prt_state_maybe_open(r->state));
}

int prt_output_write(struct prt_output *out, const struct prt_result *r)
{
	int rc = 0;

	prt_events_result(out->events, r);
	const bool stream = streamed(out, r);

	/* the host table takes every result: what it does not list, it counts */
	if (out->want_hosts &&
	    (prt_hosts_add(&out->hosts, r) != 0 || prt_hosts_fit(&out->hosts) != 0))
		rc = -EIO;
	if (stream && out->sink.result != NULL)
		out->sink.result(out->sink.arg, r);
	for (unsigned i = 0; stream && i < out->n; i++)
		if (out->w[i].ops->write != NULL &&
		    out->w[i].ops->write(out->w[i].state, out->w[i].f, r) != 0)
			rc = -EIO;
	return rc;
}

bool prt_output_counts_only(const struct prt_output *out, const struct prt_result *r)
{
	/* the event log writes open ports and hosts up only */
	return r->reason == PRT_REASON_NO_RESPONSE && r->state != PRT_STATE_OPEN &&
	       r->state != PRT_STATE_UP && !streamed(out, r) &&
	       (!out->want_hosts || !prt_hosts_has(&out->hosts, &r->addr));
}

int prt_output_banner(struct prt_output *out, const struct prt_banner *in)
{
	struct prt_banner clean = *in;
	const struct prt_banner *b = &clean;
	int rc = 0;

	/* the server chose this text: every writer gets it valid and control-free */
	if (clean.has_svc)
		prt_service_info_clean(&clean.svc);
	if (clean.has_cert)
		prt_cert_info_clean(&clean.cert);

	prt_events_banner(out->events, b);
	if (out->sink.banner != NULL)
		out->sink.banner(out->sink.arg, b);
	if (out->want_hosts &&
	    (prt_hosts_add_banner(&out->hosts, b) != 0 || prt_hosts_fit(&out->hosts) != 0))
		rc = -EIO;
	for (unsigned i = 0; i < out->n; i++)
		if (out->w[i].ops->banner != NULL &&
		    out->w[i].ops->banner(out->w[i].state, out->w[i].f, b) != 0)
			rc = -EIO;
	return rc;
}

int prt_output_flush(struct prt_output *out)
{
	int rc = 0;

	for (unsigned i = 0; i < out->n; i++)
		if (fflush(out->w[i].f) != 0)
			rc = -EIO;
	if (out->sink.flush != NULL && out->sink.flush(out->sink.arg) != 0)
		rc = -EIO;
	return rc;
}

/* One host to every writer that prints per host; a failed write is kept
 * for the end, the other writers still get their hosts. */
static int print_host(const struct prt_host *h, void *arg)
{
	struct prt_output *out = arg;

	for (unsigned i = 0; i < out->n; i++)
		if (out->w[i].ops->host != NULL &&
		    out->w[i].ops->host(out->w[i].state, out->w[i].f, h) != 0)
			out->host_failed = true;
	return 0;
}

static int finish(struct prt_output *out, const struct prt_output_summary *s, bool discard)
{
	int rc = 0;

	out->host_failed = false;
	if (out->want_hosts && !discard &&
	    (prt_hosts_each(&out->hosts, print_host, out) != 0 || out->host_failed))
		rc = -EIO;
	for (unsigned i = 0; i < out->n; i++) {
		if (out->w[i].ops->close(out->w[i].state, out->w[i].f, s, &out->hosts) != 0)
			rc = -EIO;
		if (fflush(out->w[i].f) != 0 || ferror(out->w[i].f))
			rc = -EIO;
		if (out->w[i].path != NULL) {
			if (fclose(out->w[i].f) != 0)
				rc = -EIO;
			/* a failed start leaves files as they were */
			if (discard && out->w[i].created)
				unlink(out->w[i].path);
			else if (discard && truncate(out->w[i].path, out->w[i].keep) != 0)
				rc = -EIO;
			free(out->w[i].path);
		}
	}
	out->n = 0;
	prt_hosts_free(&out->hosts);
	if (out->sink.end != NULL)
		out->sink.end(out->sink.arg, s, discard);
	out->sink = (struct prt_output_sink){0};
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
	/* results come second after second: the calendar is worked out once per second */
	static __thread time_t cached_secs = -1;
	static __thread char day[32];
	time_t secs = (time_t)(ns / 1000000000ULL);

	if (secs != cached_secs) {
		struct tm tm;
		gmtime_r(&secs, &tm);
		strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_secs = secs;
	}
	snprintf(buf, len, "%s.%03uZ", day, (unsigned)(ns / 1000000ULL % 1000));
	return buf;
}

const char *prt_output_nmap_time(uint64_t ns, char *buf, size_t len)
{
	time_t secs = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(buf, len, "%a %b %d %H:%M:%S %Y", &tm);
	return buf;
}
