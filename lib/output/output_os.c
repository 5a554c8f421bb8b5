/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -O's result: handed to every writer and kept with its host for the
 * per-host formats, and printed as nmap's normal output prints it. The
 * classification lines (Device type, Running, OS CPE) summarise the
 * guesses' classes as nmap does: perfect matches only unless guessing, and
 * none more than ten points below the best.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output_os_seq.h"
#include "prt_events.h"
#include "prt_output.h"

int prt_output_os(struct prt_output *out, const struct prt_host_os *os)
{
	struct timespec now;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	prt_events_os(out->events, (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec, os);
	if (out->sink.os != NULL)
		out->sink.os(out->sink.arg, os);
	if (out->want_hosts) {
		struct prt_host *h = prt_hosts_get(&out->hosts, &os->addr,
			(uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec);
		struct prt_host_os *copy = malloc(sizeof(*copy));
		if (h == NULL || copy == NULL) {
			free(copy);
			rc = -ENOMEM;
		} else {
			*copy = *os;
			free(h->os);
			h->os = copy;
		}
	}
	for (unsigned i = 0; i < out->n; i++)
		if (out->w[i].ops->os != NULL &&
		    out->w[i].ops->os(out->w[i].state, out->w[i].f, os) != 0)
			rc = -EIO;
	return rc;
}

#define FAMILIES 16

struct os_summary {
	const char *types[FAMILIES], *cpes[FAMILIES];
	unsigned ntypes, ncpes, nfamilies;
	char family[FAMILIES][96];       /* "[vendor] family" */
	char generations[FAMILIES][96];  /* "5.X|6.X" */
	double accuracy[FAMILIES];
	bool overflow;
};

static bool add_new(const char **list, unsigned *n, const char *v)
{
	for (unsigned i = 0; i < *n; i++)
		if (strcmp(list[i], v) == 0)
			return true;
	if (*n == FAMILIES)
		return false;
	list[(*n)++] = v;
	return true;
}

static void add_generation(char *gens, size_t cap, const char *gen)
{
	size_t n = strlen(gens);

	if (gen[0] == '\0' || strstr(gens, gen) != NULL)
		return;
	snprintf(gens + n, cap - n, "%s%s", n > 0 ? "|" : "", gen);
}

static void add_class(struct os_summary *s, const struct prt_os_out_class *c, double acc)
{
	char fam[96];
	unsigned i;

	s->overflow |= !add_new(s->types, &s->ntypes, c->type);
	if (c->cpe[0] != '\0')
		s->overflow |= !add_new(s->cpes, &s->ncpes, c->cpe);
	if (strcmp(c->vendor, c->family) == 0)
		snprintf(fam, sizeof(fam), "%s", c->family);
	else
		snprintf(fam, sizeof(fam), "%s %s", c->vendor, c->family);
	for (i = 0; i < s->nfamilies && strcmp(s->family[i], fam) != 0; i++)
		;
	if (i == s->nfamilies) {
		if (i == FAMILIES) {
			s->overflow = true;
			return;
		}
		snprintf(s->family[i], sizeof(s->family[i]), "%s", fam);
		s->generations[i][0] = '\0';
		s->accuracy[i] = acc;
		s->nfamilies++;
	}
	add_generation(s->generations[i], sizeof(s->generations[i]), c->generation);
}

static void print_classification(FILE *f, const struct prt_host_os *os, bool guess)
{
	struct os_summary s = {0};
	unsigned nperfect_classes = 0;

	for (unsigned m = 0; m < os->nmatches; m++) {
		const struct prt_os_out_match *x = &os->m[m];
		if ((!guess && m >= os->nperfect) || x->accuracy <= os->m[0].accuracy - 0.1 ||
		    (x->accuracy < 1.0 && m > 9))
			break;
		for (unsigned c = 0; c < x->nclasses; c++)
			add_class(&s, &x->c[c], x->accuracy);
		if (x->accuracy >= 1.0)
			nperfect_classes = s.nfamilies;
	}
	if (s.overflow || s.nfamilies == 0)
		return;
	fputs("Device type: ", f);
	for (unsigned i = 0; i < s.ntypes; i++)
		fprintf(f, "%s%s", i > 0 ? "|" : "", s.types[i]);
	fprintf(f, "\nRunning%s: ", os->nperfect == 0 ? " (JUST GUESSING)" : "");
	for (unsigned i = 0; i < s.nfamilies; i++) {
		fprintf(f, "%s%s", i > 0 ? ", " : "", s.family[i]);
		if (s.generations[i][0] != '\0')
			fprintf(f, " %s", s.generations[i]);
		if (i >= nperfect_classes)
			fprintf(f, " (%.f%%)", floor(s.accuracy[i] * 100));
	}
	fputc('\n', f);
	if (s.ncpes > 0) {
		fputs("OS CPE:", f);
		for (unsigned i = 0; i < s.ncpes; i++)
			fprintf(f, " %s", s.cpes[i]);
		fputc('\n', f);
	}
}

static void print_guesses(FILE *f, const struct prt_host_os *os)
{
	fprintf(f, "Aggressive OS guesses: %s (%.f%%)", os->m[0].name,
		floor(os->m[0].accuracy * 100));
	for (unsigned i = 1; i < 10 && i < os->nmatches &&
	     os->m[i].accuracy > os->m[0].accuracy - 0.10; i++)
		fprintf(f, ", %s (%.f%%)", os->m[i].name, floor(os->m[i].accuracy * 100));
	fputc('\n', f);
}

void prt_os_print_normal(FILE *f, const struct prt_host_os *os, bool verbose)
{
	const bool unsuitable = os->reason[0] != '\0';

	if (os->open_tcp == 0 || os->closed_tcp == 0)
		fputs("Warning: OSScan results may be unreliable because we could not find at "
		      "least 1 open and 1 closed port\n", f);
	print_classification(f, os, os->guess);
	if (os->too_many || os->nperfect > 8) {
		fputs("Too many fingerprints match this host to give specific OS details\n", f);
	} else if (os->nperfect > 0) {
		fprintf(f, "OS details: %s", os->m[0].name);
		for (unsigned i = 1; i < os->nperfect; i++)
			fprintf(f, ", %s", os->m[i].name);
		fputc('\n', f);
	} else if (os->nmatches > 0) {
		if (os->guess)
			print_guesses(f, os);
		if (!unsuitable)
			fprintf(f, "No exact OS matches for host (If you know what OS is running on "
				   "it, see https://nmap.org/submit/ ).\nTCP/IP fingerprint:\n%s\n",
				os->fingerprint);
		else
			fputs("No exact OS matches for host (test conditions non-ideal).\n", f);
	} else if (!unsuitable) {
		fprintf(f, "No OS matches for host (If you know what OS is running on it, see "
			   "https://nmap.org/submit/ ).\nTCP/IP fingerprint:\n%s\n", os->fingerprint);
	} else {
		fprintf(f, "OS fingerprint not ideal because: %s\nNo OS matches for host\n",
			os->reason);
	}
	if (verbose)
		prt_os_seq_uptime_normal(f, &os->seq);
	if (os->distance >= 0)
		fprintf(f, "Network Distance: %d hop%s\n", os->distance, os->distance == 1 ? "" : "s");
	if (verbose)
		prt_os_seq_normal(f, &os->seq);
}
