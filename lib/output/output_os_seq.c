/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -O's report beside the verdict (output_os_seq.h). The uptime is counted
 * from the boot time to the moment it is written, as nmap counts it; the
 * boot time is local time in ctime()'s words. Values are hex, upper case,
 * comma separated (the IP IDs 16 bits), as nmap lists them.
 */
#include <string.h>
#include <time.h>

#include "output_json.h"
#include "output_os_seq.h"

enum { SEQ_MIN = 4, CLASS_MIN = 3 };

static void hex_list(FILE *f, const uint32_t *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(f, i ? ",%X" : "%X", v[i]);
}

static void ipid_list(FILE *f, const struct prt_os_out_seq *s)
{
	for (unsigned i = 0; i < s->n; i++)
		fprintf(f, i ? ",%X" : "%X", (unsigned)s->ipid[i]);
}

/* The seconds since boot, and the boot time's words ("" when it has none). */
static double uptime(const struct prt_os_out_seq *s, char *boot, size_t cap)
{
	const time_t at = (time_t)s->lastboot;
	struct tm tm;
	char *nl;

	boot[0] = '\0';
	if (cap >= 26 && localtime_r(&at, &tm) != NULL && asctime_r(&tm, boot) != NULL &&
	    (nl = strchr(boot, '\n')) != NULL)
		*nl = '\0';
	return difftime(time(NULL), at);
}

void prt_os_seq_uptime_normal(FILE *f, const struct prt_os_out_seq *s)
{
	char boot[64];
	double up;

	if (s->lastboot == 0)
		return;
	up = uptime(s, boot, sizeof(boot));
	if (boot[0] != '\0')
		fprintf(f, "Uptime guess: %.3f days (since %s)\n", up / 86400, boot);
	else
		fprintf(f, "Uptime guess: %.3f days\n", up / 86400);
}

void prt_os_seq_normal(FILE *f, const struct prt_os_out_seq *s)
{
	if (s->n >= SEQ_MIN && s->index >= 0)
		fprintf(f, "TCP Sequence Prediction: Difficulty=%d (%s)\n", (int)s->index,
			s->difficulty);
	if (s->n >= CLASS_MIN)
		fprintf(f, "IP ID Sequence Generation: %s\n", s->ipid_class);
}

/* An attribute value of ours: nmap's class words and ctime() need no escapes. */
void prt_os_seq_uptime_xml(FILE *f, const struct prt_os_out_seq *s)
{
	char boot[64];
	double up;

	if (s->lastboot == 0)
		return;
	up = uptime(s, boot, sizeof(boot));
	fprintf(f, "<uptime seconds=\"%.0f\"", up);
	if (boot[0] != '\0')
		fprintf(f, " lastboot=\"%s\"", boot);
	fputs("/>\n", f);
}

void prt_os_seq_xml(FILE *f, const struct prt_os_out_seq *s)
{
	if (s->n >= SEQ_MIN && s->index >= 0) {
		fprintf(f, "<tcpsequence index=\"%d\" difficulty=\"%s\" values=\"", (int)s->index,
			s->difficulty);
		hex_list(f, s->isn, s->n);
		fputs("\"/>\n", f);
	}
	if (s->n < CLASS_MIN)
		return;
	fprintf(f, "<ipidsequence class=\"%s\" values=\"", s->ipid_class);
	ipid_list(f, s);
	fprintf(f, "\"/>\n<tcptssequence class=\"%s\"", s->ts_class);
	if (s->ts_values) {
		fputs(" values=\"", f);
		hex_list(f, s->tsval, s->n);
		fputc('"', f);
	}
	fputs("/>\n", f);
}

void prt_os_seq_grepable(FILE *f, const struct prt_os_out_seq *s)
{
	if (s->n >= SEQ_MIN && s->index >= 0)
		fprintf(f, "\tSeq Index: %d", (int)s->index);
	if (s->n >= CLASS_MIN)
		fprintf(f, "\tIP ID Seq: %s", s->ipid_class);
}

void prt_os_seq_json(FILE *f, const struct prt_os_out_seq *s)
{
	char boot[64];

	if (s->lastboot != 0) {
		fprintf(f, ",\"uptime\":{\"seconds\":%.0f", uptime(s, boot, sizeof(boot)));
		if (boot[0] != '\0')
			prt_json_str(f, "lastboot", boot);
		fputc('}', f);
	}
	if (s->n >= SEQ_MIN && s->index >= 0) {
		fprintf(f, ",\"tcp_sequence\":{\"index\":%d", (int)s->index);
		prt_json_str(f, "difficulty", s->difficulty);
		fputs(",\"values\":\"", f);
		hex_list(f, s->isn, s->n);
		fputs("\"}", f);
	}
	if (s->n < CLASS_MIN)
		return;
	fputs(",\"ipid_sequence\":{\"class\":", f);
	prt_json_value(f, "", s->ipid_class);
	fputs(",\"values\":\"", f);
	ipid_list(f, s);
	fputs("\"},\"tcp_ts_sequence\":{\"class\":", f);
	prt_json_value(f, "", s->ts_class);
	if (s->ts_values) {
		fputs(",\"values\":\"", f);
		hex_list(f, s->tsval, s->n);
		fputc('"', f);
	}
	fputs("}", f);
}
