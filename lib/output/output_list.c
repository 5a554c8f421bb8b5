/* SPDX-License-Identifier: BSD-3-Clause */
/* -oL: masscan's list format, "<state> tcp <port> <ip> <unix time>". */
#include "prt_common.h"
#include "prt_output.h"

static int state_token;

static void *list_open(FILE *f, const struct prt_output_opts *opts)
{
	(void)opts;
	return fputs("#masscan\n", f) < 0 ? NULL : &state_token;
}

static int list_write(void *state, FILE *f, const struct prt_result *r)
{
	char ip[PRT_ADDR_STRLEN];

	(void)state;
	return fprintf(f, "%s %s %u %s %llu\n", prt_state_name(r->state),
		prt_proto_name(r->proto), r->port, prt_addr_str(&r->addr, ip, sizeof(ip)),
		(unsigned long long)(r->ts / 1000000000ULL)) < 0 ? -1 : 0;
}

/* masscan's banner line: "banner tcp <port> <ip> <unix time> <service> <text>"; the
 * service is -sV's (else unknown), and the text has no spaces left unescaped. */
static int list_banner(void *state, FILE *f, const struct prt_banner *b)
{
	char ip[PRT_ADDR_STRLEN], text[PRT_BANNER_TEXT_MAX];

	(void)state;
	return fprintf(f, "banner %s %u %s %llu %s %s\n", prt_proto_name(b->proto), b->port,
		prt_addr_str(&b->addr, ip, sizeof(ip)),
		(unsigned long long)(b->ts / 1000000000ULL),
		b->has_svc && b->svc.service[0] ? b->svc.service : "unknown",
		prt_banner_escape(b->data, b->len, " ", text, sizeof(text))) < 0 ? -1 : 0;
}

static int list_close(void *state, FILE *f, const struct prt_output_summary *s,
	const struct prt_hosts *hosts)
{
	(void)hosts;
	(void)state;
	(void)s;
	return fputs("# end\n", f) < 0 ? -1 : 0;
}

const struct prt_writer_ops prt_writer_list = {
	.name = "list",
	.flag = "-oL",
	.open = list_open,
	.write = list_write,
	.banner = list_banner,
	.close = list_close,
};
