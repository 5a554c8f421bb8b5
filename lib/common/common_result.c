/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
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
		[PRT_STATE_UP] = "up",
		[PRT_STATE_DOWN] = "down",
	};

	return (unsigned)s < PRT_STATE_COUNT ? names[s] : "unknown";
}

/* ICMP destination unreachable codes as nmap names them (RFC 792, 1812) */
static const char *nmap_unreach(uint8_t code)
{
	static const char *const names[] = {
		[0] = "net-unreach", [1] = "host-unreach", [2] = "proto-unreach",
		[3] = "port-unreach", [4] = "needfrag", [5] = "srcroute-fail",
		[6] = "net-unknown", [7] = "host-unknown", [8] = "host-isolated",
		[9] = "net-prohibited", [10] = "host-prohibited", [11] = "net-tos-unreach",
		[12] = "host-tos-unreach", [13] = "admin-prohibited",
		[14] = "host-precedence-violation", [15] = "precedence-cutoff",
	};

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unknown-response";
}

/* ICMPv6 destination unreachable codes (RFC 4443 3.1) in nmap's words */
static const char *nmap_unreach6(uint8_t code)
{
	static const char *const names[] = {
		[0] = "no-route", [1] = "admin-prohibited", [2] = "beyond-scope",
		[3] = "addr-unreach", [4] = "port-unreach", [5] = "source-addr-failed-policy",
		[6] = "reject-route",
	};

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unknown-response";
}

const char *prt_reason_name(const struct prt_result *r)
{
	switch (r->reason) {
	case PRT_REASON_SYN_ACK:
		return "syn-ack";
	case PRT_REASON_RST:
		return "reset";
	case PRT_REASON_NO_RESPONSE:
		return "no-response";
	case PRT_REASON_ECHO_REPLY:
		return "echo-reply";
	case PRT_REASON_UDP_RESPONSE:
		return "udp-response";
	case PRT_REASON_CONN_REFUSED:
		return "conn-refused";
	case PRT_REASON_INIT_ACK:
		return "init-ack";
	case PRT_REASON_ABORT:
		return "abort";
	case PRT_REASON_TIMESTAMP_REPLY:
		return "timestamp-reply";
	case PRT_REASON_MASK_REPLY:
		return "addressmask-reply";
	case PRT_REASON_ARP_RESPONSE:
		return "arp-response";
	case PRT_REASON_ND_RESPONSE:
		return "nd-response";
	case PRT_REASON_ICMP:
		if (!prt_addr_is_v4(&r->addr))
			return r->icmp_type == 1 ? nmap_unreach6(r->icmp_code) : "unknown-response";
		return r->icmp_type == 3 ? nmap_unreach(r->icmp_code) : "unknown-response";
	default:
		return "unknown-response";
	}
}

const char *prt_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_SCTP:
		return "sctp";
	case PRT_PROTO_ARP:
		return "arp";
	default:
		return "ip";
	}
}

const char *prt_addr_str(const struct prt_addr *a, char *buf, size_t len)
{
	if (prt_addr_is_v4(a))
		return inet_ntop(AF_INET, a->b + 12, buf, (socklen_t)len) ? buf : "?";
	return inet_ntop(AF_INET6, a->b, buf, (socklen_t)len) ? buf : "?";
}
