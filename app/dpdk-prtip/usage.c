/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "prt_probe.h"

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
"    dpdk-prtip - DPDK poll-mode network scanner (stateless TCP scans)\n"
"\n"
"SYNOPSIS\n"
"    dpdk-prtip [EAL options] -- -S SOURCE-IP (--router-ip IP | --router-mac MAC)\n"
"               [options] TARGET...\n"
"\n"
"DESCRIPTION\n"
"    Sends TCP probes (SYN by default) from a DPDK port to every (address, port)\n"
"    pair of the targets in a seeded pseudo-random order, and reports each pair\n"
"    with nmap's state for the scan type: a SYN scan says open (SYN-ACK), closed\n"
"    (RST) or filtered (ICMP unreachable, or no answer after the retries and the\n"
"    wait). Replies are validated statelessly with a keyed SipHash cookie in the\n"
"    sequence (or acknowledgment) number and source port. The scanner owns\n"
"    its source address: it answers ARP for it; no kernel interface may carry\n"
"    that address, or the kernel would reset the probes' replies.\n"
"\n"
"    EAL options come first (see dpdk docs); at least three lcores are needed:\n"
"    the main lcore (control, output, progress, telemetry), one TX and one RX\n"
"    lcore. By default the last worker lcore receives and all others transmit.\n"
"    Example on a veth:  --no-pci --lcores '0@0,1@1,2@0' --in-memory\n"
"                        --vdev net_af_packet0,iface=veth0\n"
"\n",
		stdout);
	fputs("SCAN TYPES (one per scan; default -sS)\n", stdout);
	for (unsigned i = 0; prt_probe_at(i) != NULL; i++) {
		const struct prt_probe_ops *o = prt_probe_at(i);
		printf("    %s, --scan-type %-7s %s\n", o->flag, o->name, o->description);
	}
	fputs(
"    ICMP unreachable is filtered for every type; silence is filtered for -sS,\n"
"    -sA, -sW and open|filtered for -sF, -sN, -sX, -sM (nmap's semantics).\n"
"\n"
"TARGETS\n"
"    TARGET               198.18.0.1, 198.18.0.0/20, 198.18.0.1-198.18.3.9, or nmap\n"
"                         octet ranges 198.18.0-3.1-254, 198.18.1,3.*; comma lists\n"
"    -iL FILE             read targets from FILE ('-' = stdin), whitespace separated,\n"
"                         '#' starts a comment\n"
"    --exclude LIST       never probe these addresses (same syntax, comma separated)\n"
"    --excludefile FILE   never probe the addresses listed in FILE\n"
"    --allow-special-ranges  also scan IANA special-purpose ranges (private,\n"
"                         loopback, link local, documentation, benchmarking such as\n"
"                         198.18.0.0/15, multicast, reserved); by default they are\n"
"                         skipped with a notice\n"
"    --max-targets N      refuse more than N target addresses (default 16777216);\n"
"                         raise it to confirm a larger scan\n"
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
"    --tx-lcores LIST     worker lcores that send, e.g. 1-2 (each owns one TX queue\n"
"                         and a slice of the scan)\n"
"    --rx-lcores LIST     worker lcores that receive, e.g. 3 (each owns one RX queue;\n"
"                         RSS with a symmetric key spreads replies over them).\n"
"                         net_af_packet needs qpairs=N >= the larger of the two\n"
"\n"
"TIMING\n"
"    --rate PPS           packets per second over all TX lcores (default 100000;\n"
"                         k/M/G suffixes); --max-rate is a synonym. Split exactly\n"
"                         over the TX lcores; changeable live: telemetry\n"
"                         /prtip/rate,PPS\n"
"    --bandwidth BPS      cap in bit/s on the wire (frame + FCS + preamble + gap,\n"
"                         84 bytes a SYN; k/M/G); with --rate the lower wins\n"
"    --max-retries N      re-probe unanswered pairs N more times, one second\n"
"                         apart (default 1; 0-10)\n"
"    --wait SECS          after the last probe, wait this long for late replies\n"
"                         (default 3)\n"
"    --seed N             fixes the scan order and cookie key: same seed, same order\n"
"    --shard I/N          scan only shard I of N (1-based, masscan); with the same\n"
"                         --seed the N shards are disjoint and cover the scan\n"
"    --shards N --shard I the same, 0-based (zmap)\n"
"\n"
"OUTPUT\n"
"    The table on stdout lists, per host, the ports nmap would list (open,\n"
"    open|filtered, unfiltered, and any state with at most 25 ports on the host)\n"
"    and summarises the rest by count and reason; hosts that never answered are\n"
"    counted. Files other than -oN/-oG/-oX hold every pair. Unwritable files stop\n"
"    the scan before it sends anything.\n"
"    -oN FILE             nmap normal output (nmap's reason names: reset, ...)\n"
"    -oX FILE             nmap XML (1.05); hosts that answered, extraports for the\n"
"                         rest; a complete document even after SIGINT\n"
"    -oG FILE             nmap grepable output\n"
"    -oA BASE             -oN BASE.nmap -oX BASE.xml -oG BASE.gnmap\n"
"    -oJ FILE             NDJSON, one object per (ip, port): ip, port, proto, state,\n"
"                         reason (syn-ack, rst, icmp-T-C, no-response), ttl, ts\n"
"    -oL FILE             masscan list format: 'open tcp 80 198.18.0.1 1764201600'\n"
"    -oC FILE             CSV with a header row, one row per (ip, port)\n"
"    --output-fields LIST the -oC columns, in order (default\n"
"                         ip,port,proto,state,reason,ttl,ts; also ts_unix,\n"
"                         icmp_type, icmp_code, service)\n"
"    --reason             -oN gets a REASON column (stdout always has one)\n"
"    --append-output      add to existing files instead of replacing them (not to\n"
"                         a non-empty -oX file: an XML document holds one scan)\n"
"    --xml-scanner-nmap   scanner=\"nmap\" in -oX, which nmap.dtd requires\n"
"    --open               the tables (stdout, -oN, -oG) show only open ports\n"
"    --stats-every SECS   progress line on stderr every SECS (default: every\n"
"                         second when stderr is a terminal, else never)\n"
"\n"
"TELEMETRY\n"
"    While it runs, DPDK's telemetry socket answers /prtip/stats, /prtip/config,\n"
"    /prtip/lcores, /prtip/ratelim and /prtip/rate,PPS, e.g.\n"
"      echo /prtip/stats | dpdk-telemetry.py -f PREFIX\n"
"\n"
"MISC\n"
"    --driver-profile F   use driver profile file F instead of the built-in one\n"
"                         for the port's PMD (see drivers-config/)\n"
"    -Pn                  accepted for nmap habits: no host discovery is done\n"
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
"        --allow-special-ranges -p 22,80,443 --rate 50000 -oJ out.ndjson 198.19.0.0/20\n",
		stdout);
}
