/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness: any received frame through ARP handling and the classifier. */
#include <stdlib.h>
#include <string.h>

#include "prt_classify.h"
#include "prt_classify_quick.h"
#include "prt_common.h"
#include "prt_neigh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct prt_cookie_key key;
	static struct prt_target_set targets;
	static struct prt_port_list ports;
	static struct prt_cls_ctx ctx, disc;
	static struct prt_port_list host_port;
	static uint64_t *answered;
	static int ready;
	struct prt_neigh n = {.our_mac = {2, 0, 0, 0, 0, 2}, .our_ip = 0xc6120002,
		.gw_ip = 0xc6120001, .has_ip6 = true, .gw6_wanted = true};
	uint8_t reply[PRT_NEIGH_FRAME_MAX], *frame;
	size_t reply_len;
	struct prt_cls_out out;

	if (!ready) {
		char err[128];
		prt_cookie_key_from_seed(&key, 1);
		prt_target_set_init(&targets);
		prt_target_set_add_spec(&targets, "198.19.0.0/16", err, sizeof(err));
		prt_target_set_add_spec(&targets, "2001:2:0:100::/120", err, sizeof(err));
		prt_target_set_finalize(&targets, NULL);
		prt_port_list_init(&ports);
		prt_port_list_add_spec(&ports, "1-1024", err, sizeof(err));
		prt_port_list_finalize(&ports, NULL);
		ctx = (struct prt_cls_ctx){.keys = {.key = &key, .our_ip = 0xc6120002,
			.sport_base = 32768, .sport_count = 28232}, .targets = &targets};
		prt_cls_add_arm(&ctx, prt_probe_at(0), &ports);
		prt_parse_ipv6("2001:2::2", &ctx.keys.our_ip6);
		/* nmap's default discovery: several arms of one protocol */
		prt_port_list_init(&host_port);
		host_port.bits[0] |= 1;
		prt_port_list_finalize(&host_port, NULL);
		disc = ctx;
		disc.narms = 0;
		disc.nports = 0;
		prt_cls_add_arm(&disc, &prt_probe_echo, &host_port);
		prt_cls_add_arm(&disc, &prt_probe_syn, &ports);
		prt_cls_add_arm(&disc, &prt_probe_ack, &ports);
		prt_cls_add_arm(&disc, &prt_probe_timestamp, &host_port);
		prt_cls_add_arm(&disc, &prt_probe_netmask, &host_port);
		prt_cls_add_arm(&disc, &prt_probe_udp, &ports);
		prt_cls_add_arm(&disc, &prt_probe_arp, &host_port);
		/* every other pair answered, for the early-duplicate path */
		size_t words = (size_t)(targets.total * ports.n / 64 + 1);
		answered = malloc(words * sizeof(*answered));
		if (answered == NULL)
			abort();
		memset(answered, 0x55, words * sizeof(*answered));
		ready = 1;
	}
	/* an exact-size copy: any read past the frame is a sanitizer error */
	frame = malloc(size ? size : 1);
	if (frame == NULL)
		return 0;
	memcpy(frame, data, size);
	prt_parse_ipv6("2001:2::2", &n.our_ip6);
	prt_parse_ipv6("2001:2::1", &n.gw_ip6);
	(void)prt_neigh_input(&n, frame, size, reply, &reply_len);
	/* every scan type reads replies its own way */
	for (unsigned i = 0; (ctx.arm[0].probe = prt_probe_at(i)) != NULL; i++) {
		ctx.answered = NULL;
		(void)prt_classify(&ctx, frame, size, &out);
		ctx.answered = answered;
		enum prt_cls_verdict v = prt_classify(&ctx, frame, size, &out);
		/* the RX lcore's inline test never calls a frame a duplicate that
		 * the classifier calls something else (but a bad IPv4 header checksum) */
		if (prt_cls_quick_applies(&ctx) && prt_cls_quick_duplicate(&ctx, frame, size) &&
		    v != PRT_CLS_DUPLICATE && v != PRT_CLS_BAD_CHECKSUM)
			abort();
	}
	(void)prt_classify(&disc, frame, size, &out);
	free(frame);
	return 0;
}
