/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * -oX: nmap's XML (xmloutputversion 1.05). The prologue is written when the
 * file opens and the hosts and <runstats> when the scan ends, interrupted or
 * not, so the file is a complete document whenever the process exits
 * through its normal path (SIGINT included). scanner="dpdk-prtip" unless
 * --xml-scanner-nmap: nmap.dtd allows only "nmap" there.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "output_os_seq.h"
#include "prt_common.h"
#include "prt_output.h"
#include "prt_text.h"

/*
 * Text or an attribute value: &, <, >, " and ' escaped; in a comment "--" is
 * not allowed either. Whatever XML 1.0 forbids or a terminal would obey
 * (invalid UTF-8, controls but tab, noncharacters) becomes U+FFFD.
 */
static void xml_text(FILE *f, const char *s, bool in_comment)
{
	uint32_t cp, prev = 0;
	size_t n;

	for (; (n = prt_utf8_next(s, &cp)) != 0; s += n, prev = cp) {
		switch (cp) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (in_comment && cp == '-' && prev == '-')
				fputs("&#45;", f);
			else if (cp != '\t' && prt_text_unsafe(cp))
				fputs("\xef\xbf\xbd", f);
			else
				fwrite(s, 1, n, f);
		}
	}
}

/* One attribute if its value is not empty. */
static void attr(FILE *f, const char *name, const char *value)
{
	if (value[0] == '\0')
		return;
	fprintf(f, " %s=\"", name);
	xml_text(f, value, false);
	fputc('"', f);
}

/* -sV's answer as nmap writes it: <service name product version ... method="probed"> */
static void print_service(FILE *f, const struct prt_service_info *v)
{
	const bool wrapped = strcmp(v->service, "tcpwrapped") == 0;

	fputs("<service", f);
	attr(f, "name", v->service);
	attr(f, "product", v->product);
	attr(f, "version", v->version);
	attr(f, "extrainfo", v->info);
	attr(f, "hostname", v->hostname);
	attr(f, "ostype", v->ostype);
	attr(f, "devicetype", v->devicetype);
	attr(f, "tunnel", v->tunnel);
	fprintf(f, " method=\"probed\" conf=\"%d\"", wrapped ? 8 : 10);
	if (v->ncpe == 0) {
		fputs("/>", f);
		return;
	}
	fputc('>', f);
	for (uint8_t i = 0; i < v->ncpe && i < 4; i++) {
		fputs("<cpe>cpe:/", f);
		xml_text(f, v->cpe[i], false);
		fputs("</cpe>", f);
	}
	fputs("</service>", f);
}

static void elem(FILE *f, const char *key, const char *value)
{
	fputs("<elem key=\"", f);
	xml_text(f, key, false); /* a certificate's field names are the server's text */
	fputs("\">", f);
	xml_text(f, value, false);
	fputs("</elem>", f);
}

/* "commonName=x/organizationName=y" as ssl-cert's table of the name */
static void name_table(FILE *f, const char *key, const char *name)
{
	fprintf(f, "<table key=\"%s\">", key);
	while (*name != '\0') {
		size_t n = strcspn(name, "/");
		const char *eq = memchr(name, '=', n);
		if (eq != NULL) {
			char k[64], v[256];
			snprintf(k, sizeof(k), "%.*s", (int)(eq - name), name);
			snprintf(v, sizeof(v), "%.*s", (int)(n - (size_t)(eq - name) - 1), eq + 1);
			elem(f, k, v);
		}
		name += n + (name[n] == '/');
	}
	fputs("</table>", f);
}

/* nmap's ssl-cert script element: the text, then its tables */
static void print_cert(FILE *f, const struct prt_cert_info *c)
{
	char text[PRT_CERT_TEXT_MAX], bits[16];

	fputs("<script id=\"ssl-cert\" output=\"", f);
	prt_cert_text(c, text, sizeof(text));
	for (const char *t = text; *t != '\0'; t++) {
		if (*t == '\n') {
			fputs("&#xa;", f);
		} else {
			char one[2] = {*t, '\0'};
			xml_text(f, one, false);
		}
	}
	fputs("\">", f);
	if (c->ok) {
		name_table(f, "subject", c->subject);
		name_table(f, "issuer", c->issuer);
		snprintf(bits, sizeof(bits), "%u", c->key_bits);
		fputs("<table key=\"pubkey\">", f);
		elem(f, "type", c->key_type);
		elem(f, "bits", bits);
		fputs("</table>", f);
		if (c->san[0] != '\0') {
			fputs("<table key=\"extensions\"><table>", f);
			elem(f, "name", "X509v3 Subject Alternative Name");
			elem(f, "value", c->san);
			fputs("</table></table>", f);
		}
		elem(f, "sig_algo", c->sig_alg);
		fputs("<table key=\"validity\">", f);
		elem(f, "notBefore", c->not_before);
		elem(f, "notAfter", c->not_after);
		fputs("</table>", f);
		elem(f, "md5", c->md5);
		elem(f, "sha1", c->sha1);
	} else {
		elem(f, "error", c->error);
	}
	fputs("</script>", f);
	if (c->ja4s[0] != '\0') { /* our own script element: the TLS server fingerprint */
		fputs("<script id=\"ssl-ja4s\" output=\"", f);
		xml_text(f, c->ja4s, false);
		fputs("\"/>", f);
	}
	if (c->jarm[0] != '\0') { /* --jarm */
		fputs("<script id=\"ssl-jarm\" output=\"", f);
		xml_text(f, c->jarm, false);
		fputs("\"/>", f);
	}
}

/* "22,80-81,443": the scanned ports as nmap's scaninfo lists them. */
static void print_port_ranges(FILE *f, const struct prt_port_list *pl)
{
	for (uint32_t i = 0; i < pl->n;) {
		uint32_t j = i;
		while (j + 1 < pl->n && pl->ports[j + 1] == pl->ports[j] + 1)
			j++;
		fprintf(f, "%s%u", i ? "," : "", pl->ports[i]);
		if (j > i)
			fprintf(f, "-%u", pl->ports[j]);
		i = j + 1;
	}
}

static void print_scaninfo(FILE *f, const char *type, uint8_t proto,
	const struct prt_port_list *ports)
{
	fprintf(f, "<scaninfo type=\"%s\" protocol=\"%s\" numservices=\"%u\" services=\"",
		type, prt_proto_name(proto), ports != NULL ? ports->n : 0);
	if (ports != NULL)
		print_port_ranges(f, ports);
	fputs("\"/>\n", f);
}

static void *xml_open(FILE *f, const struct prt_output_opts *opts)
{
	struct prt_output_opts *st = malloc(sizeof(*st));
	char when[64];

	if (st == NULL)
		return NULL;
	*st = *opts;
	prt_output_nmap_time(opts->start_ns, when, sizeof(when));
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n", f);
	if (opts->xml_stylesheet != NULL) { /* a browser renders the file as nmap's report */
		fputs("<?xml-stylesheet href=\"file://", f);
		xml_text(f, opts->xml_stylesheet, false);
		fputs("\" type=\"text/xsl\"?>\n", f);
	}
	fprintf(f, "<!-- dpdk-prtip %s scan initiated %s as: ", opts->version, when);
	xml_text(f, opts->cmdline, true);
	fprintf(f, " -->\n<nmaprun scanner=\"%s\" args=\"",
		opts->xml_scanner_nmap ? "nmap" : "dpdk-prtip");
	xml_text(f, opts->cmdline, false);
	fprintf(f, "\" start=\"%llu\" startstr=\"%s\" version=\"%s\" xmloutputversion=\"1.05\">\n",
		(unsigned long long)(opts->start_ns / 1000000000ULL), when, opts->version);
	/* one per arm (-sS -sU: one per protocol, as nmap); none for -sn */
	for (unsigned i = 0; !opts->discovery && i < opts->nscans; i++)
		print_scaninfo(f, opts->scans[i].type, opts->scans[i].proto, opts->scans[i].ports);
	fprintf(f, "<verbose level=\"%d\"/>\n<debugging level=\"0\"/>\n", opts->verbose ? 1 : 0);
	if (fflush(f) != 0) {
		free(st);
		return NULL;
	}
	return st;
}

/* <extraports> per hidden state, with one <extrareasons> per reason. */
static void print_extraports(FILE *f, const struct prt_host *h, const struct prt_host_view *v)
{
	for (int st = 0; st < PRT_STATE_COUNT; st++) {
		uint64_t total = 0;

		for (unsigned i = 0; i < v->nhidden; i++)
			if (v->hidden[i]->kind.state == st)
				total += v->hidden[i]->count;
		if (total == 0)
			continue;
		fprintf(f, "<extraports state=\"%s\" count=\"%llu\">\n",
			prt_state_name((enum prt_state)st), (unsigned long long)total);
		for (unsigned i = 0; i < v->nhidden; i++) {
			const struct prt_host_group *g = v->hidden[i];
			struct prt_result k = prt_host_port_result(h, &g->kind);
			if (g->kind.state != st)
				continue;
			fprintf(f, "<extrareasons reason=\"%s\" count=\"%llu\" proto=\"%s\"/>\n",
				prt_reason_name(&k), (unsigned long long)g->count,
				prt_proto_name(k.proto));
		}
		fputs("</extraports>\n", f);
	}
}

static void print_portused(FILE *f, const char *state, const char *proto, uint16_t port)
{
	if (port != 0)
		fprintf(f, "<portused state=\"%s\" proto=\"%s\" portid=\"%u\"/>\n", state, proto,
			port);
}

/* -O as nmap writes it: <os> with the ports used, the guesses within ten points of
 * the best (the perfect ones when any) with their classes, the fingerprint. */
static void print_os(FILE *f, const struct prt_host_os *os)
{
	const unsigned n = os->nperfect > 0 ? os->nperfect : os->nmatches;

	fputs("<os>", f);
	print_portused(f, "open", "tcp", os->open_tcp);
	print_portused(f, "closed", "tcp", os->closed_tcp);
	print_portused(f, "closed", "udp", os->closed_udp);
	for (unsigned i = 0; i < n && i < 10 && !(os->too_many || os->nperfect > 8) &&
	     os->m[i].accuracy > os->m[0].accuracy - 0.10 - 1e-9; i++) {
		const struct prt_os_out_match *m = &os->m[i];
		fputs("<osmatch", f);
		attr(f, "name", m->name);
		fprintf(f, " accuracy=\"%d\" line=\"%u\">\n", (int)(m->accuracy * 100), m->line);
		for (unsigned c = 0; c < m->nclasses; c++) {
			fputs("<osclass", f);
			attr(f, "type", m->c[c].type);
			attr(f, "vendor", m->c[c].vendor);
			attr(f, "osfamily", m->c[c].family);
			attr(f, "osgen", m->c[c].generation);
			fprintf(f, " accuracy=\"%d\">", (int)(m->accuracy * 100));
			if (m->c[c].cpe[0] != '\0') {
				fputs("<cpe>", f);
				xml_text(f, m->c[c].cpe, false);
				fputs("</cpe>", f);
			}
			fputs("</osclass>\n", f);
		}
		fputs("</osmatch>\n", f);
	}
	if (os->nperfect == 0 && os->reason[0] == '\0') {
		/* nmap's lines, their breaks kept as character references */
		char line[128];
		fputs("<osfingerprint fingerprint=\"", f);
		for (const char *p = os->fingerprint, *nl; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (nl == NULL)
				nl = p + strlen(p) - 1;
			snprintf(line, sizeof(line), "%.*s", (int)(nl - p + (*nl != '\n')), p);
			xml_text(f, line, false);
			if (*nl == '\n')
				fputs("&#xa;", f);
		}
		fputs("\"/>\n", f);
	}
	fputs("</os>\n", f);
	prt_os_seq_uptime_xml(f, &os->seq);
	if (os->distance >= 0)
		fprintf(f, "<distance value=\"%d\"/>\n", os->distance);
	prt_os_seq_xml(f, &os->seq);
}

static int print_host(FILE *f, const struct prt_host *h, const struct prt_output_opts *opts)
{
	struct prt_host_view v;
	char ip[PRT_ADDR_STRLEN];
	const char *type = prt_addr_is_v4(&h->addr) ? "ipv4" : "ipv6";

	if (prt_host_view_init(h, opts->list_states, opts->only_open, &v) != 0)
		return -1;
	if (opts->only_open && v.nlisted == 0) {
		prt_host_view_free(&v); /* nmap's --open leaves the host out */
		return 0;
	}
	fprintf(f, "<host starttime=\"%llu\" endtime=\"%llu\">",
		(unsigned long long)(h->first_ns / 1000000000ULL),
		(unsigned long long)(h->last_ns / 1000000000ULL));
	if (opts->discovery && v.nlisted > 0) {
		/* -sn: the host's own answer is its status; there are no ports */
		struct prt_result r = prt_host_port_result(h, &v.listed[0]);
		fprintf(f, "<status state=\"%s\" reason=\"%s\" reason_ttl=\"%u\"/>\n"
			   "<address addr=\"%s\" addrtype=\"%s\"/>\n<hostnames>\n</hostnames>\n"
			   "</host>\n", prt_state_name((enum prt_state)r.state), prt_reason_name(&r),
			r.ttl, prt_addr_str(&h->addr, ip, sizeof(ip)), type);
		prt_host_view_free(&v);
		return 0;
	}
	fprintf(f, "<status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/>\n"
		   "<address addr=\"%s\" addrtype=\"%s\"/>\n<hostnames>\n</hostnames>\n<ports>",
		prt_addr_str(&h->addr, ip, sizeof(ip)), type);
	print_extraports(f, h, &v);
	for (uint32_t i = 0; i < v.nlisted; i++) {
		const struct prt_host_port *p = &v.listed[i];
		struct prt_result r = prt_host_port_result(h, p);
		const char *svc = prt_service_name(opts->services, p->proto, p->port);

		const struct prt_host_banner *b = prt_host_banner_of(h, p->proto, p->port);

		fprintf(f, "<port protocol=\"%s\" portid=\"%u\"><state state=\"%s\" reason=\"%s\" "
			   "reason_ttl=\"%u\"/>", prt_proto_name(p->proto), p->port,
			prt_state_name((enum prt_state)p->state), prt_reason_name(&r), p->ttl);
		if (b != NULL && b->svc != NULL) {
			print_service(f, b->svc);
		} else if (p->proto != IPPROTO_IP || svc != NULL) {
			/* a table's name (nmap-services; -sO's nmap-protocols, none when unnamed) */
			fputs("<service", f);
			attr(f, "name", svc != NULL ? svc : "unknown");
			fputs(p->proto == IPPROTO_IP ? " conf=\"8\" method=\"table\"/>" :
				" method=\"table\" conf=\"3\"/>", f);
		}
		if (b != NULL && b->cert != NULL) {
			print_cert(f, b->cert);
		} else if (b != NULL && b->svc == NULL) {
			/* nmap's banner script: <script id="banner" output="..."/> */
			char text[PRT_BANNER_TEXT_MAX];
			fputs("<script id=\"banner\" output=\"", f);
			xml_text(f, prt_banner_escape(b->data, b->len, NULL, text, sizeof(text)),
				false);
			fputs("\"/>", f);
		}
		fputs("</port>\n", f);
	}
	fputs("</ports>\n", f);
	if (h->os != NULL)
		print_os(f, h->os);
	fputs("</host>\n", f);
	prt_host_view_free(&v);
	return 0;
}

static int xml_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	struct prt_output_opts *opts = state;
	double secs = s->end_ns > s->start_ns ? (double)(s->end_ns - s->start_ns) / 1e9 : 0;
	char when[64];

	prt_output_nmap_time(s->end_ns, when, sizeof(when));
	fprintf(f, "<runstats><finished time=\"%llu\" timestr=\"%s\" summary=\"dpdk-prtip done at "
		   "%s; %llu IP addresses (%zu hosts up) scanned in %.2f seconds\" elapsed=\"%.2f\" "
		   "exit=\"%s\"%s/><hosts up=\"%zu\" down=\"%llu\" total=\"%llu\"/>\n"
		   "</runstats>\n</nmaprun>\n",
		(unsigned long long)(s->end_ns / 1000000000ULL), when, when,
		(unsigned long long)s->ips, hosts->up, secs, secs,
		s->interrupted ? "error" : "success",
		s->interrupted ? " errormsg=\"interrupted\"" : "", hosts->up,
		(unsigned long long)(s->ips - PRT_MIN((uint64_t)hosts->up, s->ips)),
		(unsigned long long)s->ips);
	free(opts);
	return 0;
}

static int xml_host(void *state, FILE *f, const struct prt_host *h)
{
	return print_host(f, h, state);
}

const struct prt_writer_ops prt_writer_xml = {
	.name = "xml",
	.flag = "-oX",
	.ext = "xml",
	.by_host = true,
	.open = xml_open,
	.host = xml_host,
	.close = xml_close,
};
