/* SPDX-License-Identifier: BSD-3-Clause */
/* The responder's options: the world's proportions, its hostility, --truth. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "prt_common.h"

enum {
	OPT_SEED = 256, OPT_OPEN, OPT_CLOSED, OPT_UNREACH, OPT_BAD_CKSUM, OPT_DUP, OPT_LATE,
	OPT_LATE_MS, OPT_GARBAGE, OPT_FORGED, OPT_TRUTH, OPT_STATS,
};

static const struct option long_opts[] = {
	{"seed", required_argument, NULL, OPT_SEED},
	{"open", required_argument, NULL, OPT_OPEN},
	{"closed", required_argument, NULL, OPT_CLOSED},
	{"unreachable", required_argument, NULL, OPT_UNREACH},
	{"bad-checksum", required_argument, NULL, OPT_BAD_CKSUM},
	{"duplicate", required_argument, NULL, OPT_DUP},
	{"late", required_argument, NULL, OPT_LATE},
	{"late-ms", required_argument, NULL, OPT_LATE_MS},
	{"garbage", required_argument, NULL, OPT_GARBAGE},
	{"forged", required_argument, NULL, OPT_FORGED},
	{"truth", no_argument, NULL, OPT_TRUTH},
	{"ports", required_argument, NULL, 'p'},
	{"stats-every", required_argument, NULL, OPT_STATS},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void usage(void)
{
	puts("dpdk-prtip-responder: a synthetic Internet for testing dpdk-prtip at rate\n"
	     "\n"
	     "    dpdk-prtip-responder [EAL options] -- [options]\n"
	     "    dpdk-prtip-responder -- --truth [options] -p PORTS TARGETS...\n"
	     "\n"
	     "Answers every TCP SYN it receives on DPDK port 0 as a keyed hash of\n"
	     "(destination address, port) decides, and every ARP request with its own MAC.\n"
	     "Proportions are percentages (fractions allowed) of all pairs:\n"
	     "    --open PCT          SYN-ACK acknowledging the probe (default 1)\n"
	     "    --closed PCT        RST-ACK (default 10)\n"
	     "    --unreachable PCT   ICMP port unreachable quoting the probe (default 1)\n"
	     "                        the rest is silent\n"
	     "Hostility, percentages of probes, each drawn on its own:\n"
	     "    --bad-checksum PCT  a copy of the answer with a broken checksum first\n"
	     "    --duplicate PCT     the answer twice\n"
	     "    --late PCT          the answer held back --late-ms (default 200)\n"
	     "    --garbage PCT       a malformed frame (bogus lengths, truncated headers)\n"
	     "    --forged PCT        silent pairs: a SYN-ACK that acknowledges nothing sent\n"
	     "    --seed N            the world's key (default 1): the same seed, the same world\n"
	     "    --stats-every SECS  counters on stderr every SECS (default: at exit only)\n"
	     "    --truth             print 'ip port state reason' for every answering pair of\n"
	     "                        -p PORTS x TARGETS (CIDRs, ranges) and exit; no EAL\n"
	     "SIGINT/SIGTERM stop it and print its counters.");
}

static int percent(const char *opt, const char *arg, uint32_t *bp)
{
	char *end;
	double v = strtod(arg, &end);

	if (*arg == '\0' || *end != '\0' || !(v >= 0 && v <= 100)) {
		fprintf(stderr, "dpdk-prtip-responder: bad %s '%s': must be a percentage 0-100\n",
			opt, arg);
		return -1;
	}
	*bp = (uint32_t)(v * 100 + 0.5);
	return 0;
}

static int parse_one(struct rsp_options *o, int opt, const char *arg)
{
	static const struct {
		int opt;
		const char *name;
		bool share;
		int idx;
	} pct[] = {
		{OPT_OPEN, "--open", true, RSP_OPEN}, {OPT_CLOSED, "--closed", true, RSP_CLOSED},
		{OPT_UNREACH, "--unreachable", true, RSP_UNREACH},
		{OPT_BAD_CKSUM, "--bad-checksum", false, RSP_BAD_CHECKSUM},
		{OPT_DUP, "--duplicate", false, RSP_DUPLICATE}, {OPT_LATE, "--late", false, RSP_LATE},
		{OPT_GARBAGE, "--garbage", false, RSP_GARBAGE},
		{OPT_FORGED, "--forged", false, RSP_FORGED},
	};
	char err[256];

	for (size_t i = 0; i < PRT_ARRAY_SIZE(pct); i++)
		if (pct[i].opt == opt)
			return percent(pct[i].name, arg, pct[i].share ? &o->share[pct[i].idx] :
				&o->hostile[pct[i].idx]);
	switch (opt) {
	case OPT_SEED:
		return prt_parse_u64(arg, 0, UINT64_MAX, &o->seed) == 0 ? 0 :
			(fprintf(stderr, "dpdk-prtip-responder: bad --seed '%s'\n", arg), -1);
	case OPT_LATE_MS:
		o->late_ms = strtod(arg, NULL);
		return o->late_ms > 0 && o->late_ms <= 10000 ? 0 :
			(fprintf(stderr, "dpdk-prtip-responder: bad --late-ms '%s': 1-10000\n", arg),
			 -1);
	case OPT_STATS:
		o->stats_every_s = strtod(arg, NULL);
		return o->stats_every_s > 0 ? 0 :
			(fprintf(stderr, "dpdk-prtip-responder: bad --stats-every '%s'\n", arg), -1);
	case OPT_TRUTH:
		o->truth = true;
		return 0;
	case 'p':
		if (prt_port_list_add_spec(&o->ports, arg, err, sizeof(err)) == 0)
			return 0;
		fprintf(stderr, "dpdk-prtip-responder: -p: %s\n", err);
		return -1;
	default:
		fprintf(stderr, "dpdk-prtip-responder: unknown option; see --help\n");
		return -1;
	}
}

static int finish(int argc, char **argv, struct rsp_options *o)
{
	char err[256];

	for (int i = optind; i < argc; i++)
		if (prt_target_set_add_spec(&o->targets, argv[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "dpdk-prtip-responder: target '%s': %s\n", argv[i], err);
			return -1;
		}
	if (o->share[RSP_OPEN] + o->share[RSP_CLOSED] + o->share[RSP_UNREACH] > 10000) {
		fprintf(stderr, "dpdk-prtip-responder: --open, --closed and --unreachable add up "
				"to more than 100%%\n");
		return -1;
	}
	if (prt_target_set_finalize(&o->targets, NULL) != 0 ||
	    prt_port_list_finalize(&o->ports, NULL) != 0) {
		fprintf(stderr, "dpdk-prtip-responder: out of memory\n");
		return -1;
	}
	if (o->truth && (o->targets.total == 0 || o->ports.n == 0)) {
		fprintf(stderr, "dpdk-prtip-responder: --truth needs -p PORTS and targets\n");
		return -1;
	}
	return 0;
}

int rsp_options_parse(int argc, char **argv, struct rsp_options *o)
{
	int opt;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->share[RSP_OPEN] = 100;
	o->share[RSP_CLOSED] = 1000;
	o->share[RSP_UNREACH] = 100;
	o->late_ms = 200;
	prt_target_set_init(&o->targets);
	prt_port_list_init(&o->ports);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:h", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			usage();
			return 1;
		}
		if (parse_one(o, opt, optarg) != 0)
			return -1;
	}
	return finish(argc, argv, o);
}

void rsp_options_free(struct rsp_options *o)
{
	prt_target_set_free(&o->targets);
	prt_port_list_free(&o->ports);
}
