/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -O's verdicts: a try's fingerprint matched against nmap-os-db, why nmap
 * would call it not ideal, and the record the outputs print, with nmap's
 * SCAN line in front of the fingerprint (its fields as nmap writes them;
 * V names this scanner).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "run_os.h"

int prt_run_os_judge(const struct prt_os_db *db, const struct prt_os_outcome *o,
	struct prt_os_verdict *v)
{
	char err[128];

	memset(v, 0, sizeof(*v));
	if (o->text[0] == '\0' || prt_os_fp_parse(&v->fp, o->text, err, sizeof(err)) != 0)
		return -EINVAL;
	prt_os_match(db, &v->fp, PRT_OS_GUESS_THRESHOLD, &v->match);
	v->best = v->match.n > 0 ? v->match.accuracy[0] : 0;
	return 0;
}

void prt_run_os_reason(const struct prt_os_job *j, const struct prt_os_outcome *o,
	const struct prt_app_conf *c, bool random_closed, char *out, size_t cap)
{
	bool udp_scan = false;

	for (unsigned i = 0; i < c->narms; i++)
		udp_scan |= c->arms[i].probe->proto == IPPROTO_UDP;
	out[0] = '\0';
	if (j->tcp_open == 0)
		snprintf(out, cap, "Missing an open TCP port so results incomplete");
	else if (random_closed)
		snprintf(out, cap, "Missing a closed TCP port so results incomplete");
	else if (o->distance > 5)
		snprintf(out, cap, "Host distance (%d network hops) is greater than five",
			o->distance);
	else if (!(o->answered & (1u << PRT_OS_U1)) && !udp_scan)
		snprintf(out, cap, "Didn't receive UDP response. Please try again with -sSU");
}

/* nmap's report beside the fingerprint, in its words; the boot time as the
 * uptime counts back from now (the probes went out seconds ago). */
static void seq_report(const struct prt_os_seq_report *r, struct prt_os_out_seq *out)
{
	out->n = r->n;
	memcpy(out->isn, r->isn, sizeof(out->isn));
	memcpy(out->tsval, r->tsval, sizeof(out->tsval));
	memcpy(out->ipid, r->ipid, sizeof(out->ipid));
	out->index = r->index;
	if (r->index >= 0)
		snprintf(out->difficulty, sizeof(out->difficulty), "%s",
			prt_os_seq_difficulty((uint32_t)r->index));
	snprintf(out->ipid_class, sizeof(out->ipid_class), "%s",
		prt_os_ipid_class_name(r->ipid_class));
	snprintf(out->ts_class, sizeof(out->ts_class), "%s", prt_os_ts_class_name(r->ts_class));
	out->ts_values = r->ts_class != PRT_OS_TS_UNSUPPORTED;
	out->lastboot = r->uptime_known ? (int64_t)time(NULL) - r->uptime_s : 0;
}

static void copy_class(const struct prt_os_print *p, unsigned i, struct prt_os_out_class *c)
{
	snprintf(c->type, sizeof(c->type), "%s", p->classes[i].type);
	snprintf(c->vendor, sizeof(c->vendor), "%s", p->classes[i].vendor);
	snprintf(c->family, sizeof(c->family), "%s", p->classes[i].family);
	snprintf(c->generation, sizeof(c->generation), "%s", p->classes[i].generation);
	/* nmap-os-db gives each Class line its CPE line after it */
	snprintf(c->cpe, sizeof(c->cpe), "%s", i < p->ncpes ? p->cpes[i] : "");
}

/* SCAN(...): the conditions of the try, nmap's fields. */
static int scan_line(const struct prt_os_job *j, const struct prt_os_outcome *o, char *out,
	size_t cap)
{
	const time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	return snprintf(out, cap, "SCAN(V=%s%%E=4%%D=%d/%d%%OT=%u%%CT=%u%%CU=%u%%PV=%c%%DS=%d"
		"%%DC=%c%%G=Y%%TM=%llX%%P=dpdk-prtip)", PRT_VERSION, tm.tm_mon + 1, tm.tm_mday,
		j->tcp_open, j->tcp_closed, j->udp_closed,
		/* nmap's private ranges: 10/8, 172.16/12, 192.168/16 */
		(j->addr >> 24) == 10 || (j->addr >> 20) == 0xac1 || (j->addr >> 16) == 0xc0a8 ?
			'Y' : 'N',
		o->distance > 0 ? o->distance : 1, o->distance > 0 ? 'I' : 'D',
		(unsigned long long)now);
}

void prt_run_os_report(const struct prt_os_db *db, const struct prt_os_job *j,
	const struct prt_os_outcome *o, const struct prt_os_verdict *v, const char *reason,
	bool guess, uint32_t tries, struct prt_host_os *out)
{
	char text[PRT_OS_TEXT_MAX + 256];
	int n;

	memset(out, 0, sizeof(*out));
	out->addr = prt_addr_from_v4(j->addr);
	out->open_tcp = j->tcp_open;
	out->closed_tcp = j->tcp_closed;
	out->closed_udp = j->udp_closed;
	out->distance = o->distance > 0 ? o->distance : -1;
	out->tries = tries;
	out->nperfect = (uint8_t)(v->match.perfect < PRT_OS_OUT_MATCHES ? v->match.perfect :
		PRT_OS_OUT_MATCHES);
	out->too_many = v->match.too_many;
	out->guess = guess || reason[0] != '\0';
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
	for (uint32_t i = 0; i < v->match.n && i < PRT_OS_OUT_MATCHES; i++) {
		const struct prt_os_print *p = prt_os_db_print(db, v->match.print[i]);
		struct prt_os_out_match *m = &out->m[out->nmatches++];
		snprintf(m->name, sizeof(m->name), "%s", p->name);
		m->accuracy = v->match.accuracy[i];
		m->line = p->line;
		for (unsigned c = 0; c < p->nclasses && c < PRT_OS_OUT_CLASSES; c++)
			copy_class(p, c, &m->c[m->nclasses++]);
	}
	seq_report(&o->seq, &out->seq);
	n = scan_line(j, o, text, sizeof(text));
	if (n > 0 && (size_t)n < sizeof(text))
		snprintf(text + n, sizeof(text) - (size_t)n, "%s", o->text);
	if (prt_os_fp_wrap(text, out->fingerprint, sizeof(out->fingerprint)) < 0)
		out->fingerprint[0] = '\0';
}
