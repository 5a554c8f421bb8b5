/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

void prt_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("dpdk-prtip: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'dpdk-prtip -- --help' for the options.\n", stderr);
}

void prt_usage(const char *prog)
{
	(void)prog;
	fputs(
"NAME\n"
"    dpdk-prtip - DPDK poll-mode network scanner (stateless TCP SYN scan)\n"
"\n"
"SYNOPSIS\n"
"    dpdk-prtip [EAL options] -- -S SOURCE-IP (--router-ip IP | --router-mac MAC)\n"
"               [options] TARGET...\n"
"\n"
"DESCRIPTION\n"
"    Sends TCP SYN probes from a DPDK port to every (address, port) pair of the\n"
"    targets in a seeded pseudo-random order, and reports each pair as open\n"
"    (SYN-ACK), closed (RST) or filtered (ICMP unreachable, or no answer after\n"
"    the retries and the wait). Replies are validated statelessly with a keyed\n"
"    SipHash cookie in the sequence number and source port. The scanner owns\n"
"    its source address: it answers ARP for it; no kernel interface may carry\n"
"    that address, or the kernel would reset the probes' replies.\n"
"\n"
"    EAL options come first (see dpdk docs); at least three lcores are needed:\n"
"    the main lcore (control, output, progress), one TX and one RX lcore.\n"
"    Example on a veth:  --no-pci --lcores '0@0,1@1,2@0' --in-memory\n"
"                        --vdev net_af_packet0,iface=veth0\n"
"\n"
"TARGETS\n"
"    TARGET               198.18.0.1, 198.18.0.0/20, 198.18.0.1-198.18.3.9, or nmap\n"
"                         octet ranges 198.18.0-3.1-254, 198.18.1,3.*; comma lists\n"
"    -iL FILE             read targets from FILE ('-' = stdin), whitespace separated,\n"
"                         '#' starts a comment\n"
"    --exclude LIST       never probe these addresses (same syntax, comma separated)\n"
"    --excludefile FILE   never probe the addresses listed in FILE\n"
"\n"
"PORTS\n"
"    -p, --ports SPEC     22,80,1000-2000; '-' or -p- for 1-65535; -1024, 60000-\n"
"    --top-ports N        the N most frequently open TCP ports of nmap-services\n"
"    -F, --fast           --top-ports 100\n"
"                         (default without -p: --top-ports 1000)\n"
"    --exclude-ports SPEC never probe these ports\n"
"    --datadir DIR        where nmap-services is read (default /usr/share/nmap)\n"
"\n"
"ADDRESSES (layer 2 and 3)\n"
"    -S, --source-ip IP   the scanner's IPv4 address (required)\n"
"    --source-mac MAC     source MAC (default: the DPDK port's MAC)\n"
"    --router-ip IP       next hop, resolved by ARP on the DPDK port\n"
"    --router-mac MAC     next hop MAC, no ARP (needed on net_null)\n"
"    --arp-timeout SECS   how long to wait for the router's ARP reply (default 3)\n"
"    --source-port P|A-B  source ports used by probes (default 32768-60999); each\n"
"                         probe's port is chosen by the cookie\n"
"    --ttl N              IPv4 TTL of the probes (default 64)\n"
"    --port N             DPDK port id to use (default 0)\n"
"\n"
"TIMING\n"
"    --rate PPS           packets per second over all TX lcores (default 100000;\n"
"                         k/M/G suffixes); --max-rate is a synonym\n"
"    --max-retries N      re-probe unanswered pairs N more times, one second\n"
"                         apart (default 1; 0-10)\n"
"    --wait SECS          after the last probe, wait this long for late replies\n"
"                         (default 3)\n"
"    --seed N             fixes the scan order and cookie key: same seed, same order\n"
"\n"
"OUTPUT\n"
"    The table on stdout lists open ports per host and summarises closed and\n"
"    filtered ones by count; files always hold every pair.\n"
"    -oJ FILE             NDJSON, one object per (ip, port): ip, port, proto, state,\n"
"                         reason (syn-ack, rst, icmp-T-C, no-response), ttl, ts\n"
"    -oL FILE             masscan list format: 'open tcp 80 198.18.0.1 1764201600'\n"
"    --open               the stdout table shows only hosts with open ports\n"
"    --stats-every SECS   progress line on stderr every SECS (default: every\n"
"                         second when stderr is a terminal, else never)\n"
"\n"
"MISC\n"
"    --driver-profile F   use driver profile file F instead of the built-in one\n"
"                         for the port's PMD (see drivers-config/)\n"
"    -sS, -Pn             accepted for nmap habits: SYN scan, no host discovery\n"
"    -h, --help           this text\n"
"    -V, --version        the version\n"
"\n"
"EXIT STATUS\n"
"    0 scan complete; 1 runtime failure (port, ARP, output file); 2 usage error;\n"
"    130 interrupted (SIGINT/SIGTERM): outputs are flushed and closed valid.\n"
"\n"
"EXAMPLE\n"
"    dpdk-prtip --no-pci --in-memory --file-prefix scan1 --lcores '0@0,1@1,2@0' \\\n"
"        --vdev net_af_packet0,iface=veth0 -- -S 198.18.0.2 --router-ip 198.18.0.1 \\\n"
"        -p 22,80,443 --rate 50000 -oJ out.ndjson 198.19.0.0/20\n",
		stdout);
}
