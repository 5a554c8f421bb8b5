/* SPDX-License-Identifier: BSD-3-Clause */
#include <netinet/in.h>
#include <stdio.h>

#include "prt_result.h"

const char *prt_state_name(enum prt_state s)
{
	static const char *const names[] = {
		[PRT_STATE_OPEN] = "open",
		[PRT_STATE_CLOSED] = "closed",
		[PRT_STATE_FILTERED] = "filtered",
		[PRT_STATE_OPEN_FILTERED] = "open|filtered",
		[PRT_STATE_UNFILTERED] = "unfiltered",
	};

	return (unsigned)s < PRT_STATE_COUNT ? names[s] : "unknown";
}

const char *prt_reason_str(const struct prt_result *r, char *buf, size_t len)
{
	switch (r->reason) {
	case PRT_REASON_SYN_ACK:
		snprintf(buf, len, "syn-ack");
		break;
	case PRT_REASON_RST:
		snprintf(buf, len, "rst");
		break;
	case PRT_REASON_ICMP:
		snprintf(buf, len, "icmp-%u-%u", r->icmp_type, r->icmp_code);
		break;
	case PRT_REASON_NO_RESPONSE:
		snprintf(buf, len, "no-response");
		break;
	default:
		snprintf(buf, len, "unknown");
		break;
	}
	return buf;
}

const char *prt_proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : "ip";
}
