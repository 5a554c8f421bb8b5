"""IPv6: SYN scans of one host x 65535 ports and of a set of IPv6 hosts in
every zone equal the truth; the router is found by neighbor discovery and
the targets resolve us by our advertisements; ICMPv6 unreachables are
filtered with their reasons; IPv4 and IPv6 targets mix in one scan; the
stealth types work over IPv6; the XML names ipv6 addresses and validates;
-PR solicits the segment's neighbours."""
import ipaddress
import subprocess
import xml.etree.ElementTree as ET

from framework import testbed, zones
from framework.test_suite import TestSuite

SETS6 = ["2001:2:0:100::/122", "2001:2:0:101::/126", "2001:2:0:110::/126",
         "2001:2:0:120::/126", "2001:2:0:121::/126", "2001:2:0:122::/126", "2001:2:0:200::/126"]
PORTS = [22, 80, 81, 443, 8080]


def expected(nets, ports, scan_type="syn"):
    return {(str(ip), p): zones.truth_for(scan_type, str(ip), p)
            for n in nets for ip in ipaddress.ip_network(n) for p in ports}


class TestIpv6(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("v6", ipv6=True).create()
        self.tb.start_udp_services()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, args, timeout=300):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(discovery="-sn" in args) +
                                ["--wait", "1", "-oJ", out] + args,
                                timeout=timeout)
        self.keep_run(name, p)
        return self.read_ndjson(out), p

    def check(self, name, got, want):
        bad = self.compare_with_truth(got, want)
        self.verify(not bad, "%s: %d mismatches, e.g. %s" % (name, len(bad), "; ".join(bad[:5])))

    def test_one_host_all_ports(self):
        got, _ = self.scan("all-ports", ["-p-", "2001:2:0:100::5"])
        self.check("all ports", got, expected(["2001:2:0:100::5/128"], range(1, 65536)))

    def test_hosts_in_every_zone(self):
        got, p = self.scan("zones", ["-p", ",".join(map(str, PORTS)), "-oX",
                                     self.artifact("v6.xml"), "--xml-scanner-nmap"] + SETS6)
        want = expected(SETS6, PORTS)
        self.check("zones", got, want)
        reasons = {r for _, r in want.values()}
        self.verify({"syn-ack", "reset", "no-response", "port-unreach", "admin-prohibited"} <= reasons,
                    "zones give only %s" % reasons)
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd",
                            self.artifact("v6.xml")], capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-400:])
        types = {a.get("addrtype") for a in ET.parse(self.artifact("v6.xml")).iter("address")}
        self.verify(types == {"ipv6"}, "addrtypes %s" % types)
        self.verify("Scan report for 2001:2:0:100::1" in p.stdout, p.stdout[:400])

    def test_mixed_ipv4_and_ipv6_in_one_scan(self):
        nets = ["198.19.0.0/27", "198.19.20.0/30", "2001:2:0:100::/123", "2001:2:0:120::/126"]
        got, _ = self.scan("mixed", ["-p", "22,81", "--seed", "3"] + nets)
        self.check("mixed", got, expected(nets, [22, 81]))

    def test_stealth_and_ack_over_ipv6(self):
        nets = ["2001:2:0:100::/126", "2001:2:0:110::/127", "2001:2:0:121::/127"]
        for flag, name in (("-sF", "fin"), ("-sA", "ack")):
            got, _ = self.scan("v6" + flag, [flag, "-p", "22,81"] + nets)
            self.check(flag, got, expected(nets, [22, 81], name))

    def test_udp_over_ipv6(self):
        nets = ["2001:2:0:100::/126", "2001:2:0:110::/127", "2001:2:0:120::/127",
                "2001:2:0:121::/127", "2001:2:0:200::/127"]
        # DNS (dnsmasq) and NTP answer from the address asked; snmpd's IPv6
        # transport answers from the router's address on this AnyIP testbed
        # (a foreign source: counted, not a result), so SNMP is tested in IPv4
        ports = [53, 123, 9999]
        got, _ = self.scan("udp6", ["-sU", "-p", ",".join(map(str, ports))] + nets)
        self.check("-sU over IPv6", got, expected(nets, ports, "udp"))

    def test_echo_discovery_over_ipv6(self):
        nets = ["2001:2:0:100::/124", "2001:2:0:110::/126", "2001:2:0:200::/126",
                "198.19.0.0/29", "198.19.128.0/30"]
        got, _ = self.scan("sn6", ["-sn", "-PE"] + nets)
        want = {(str(ip), 0): ("up", "echo-reply") if zones.zone_of(str(ip)).local
                else ("down", "no-response")
                for n in nets for ip in ipaddress.ip_network(n)}
        self.check("-sn over IPv6 and IPv4", got, want)

    def test_nd_discovery_on_the_segment(self):
        """-sn -PR: neighbor solicitations find the IPv6 router and the hosts on
        the veth's 2001:2::/64, ARP the IPv4 router, in one scan; the rest are down."""
        hosts = ["2001:2::%x" % i for i in range(0x10, 0x16)]
        self.tb.add_segment_hosts(hosts)
        targets = [ipaddress.ip_address("2001:2::1"), ipaddress.ip_address("198.18.0.1")] + \
            list(ipaddress.ip_network("2001:2::10/124"))
        got, _ = self.scan("sn-PR6", ["-sn", "-PR", "2001:2::1", "2001:2::10/124",
                                      "198.18.0.1"])
        up = {"2001:2::1", "198.18.0.1"} | set(hosts)
        want = {(str(ip), 0): ("up", "nd-response" if ip.version == 6 else "arp-response")
                if str(ip) in up else ("down", "no-response") for ip in targets}
        self.check("-sn -PR over IPv6 and IPv4", got, want)
        print("    -sn -PR: %d of %d hosts up by neighbor discovery and ARP, equal to the "
              "truth" % (len(up), len(want)), flush=True)

    def test_bad_input(self):
        cases = [
            (["-p", "80", "2001:2::zz"], 2, "not an IPv6 address"),
            (["-p", "80", "2001:2::/129"], 2, "prefix length must be 0-128"),
            (["-p", "80", "2001:2::9-2001:2::1"], 2, "ends before it starts"),
            (["-p", "80", "--max-targets", "1000", "2001:2::/64"], 2, "more than --max-targets"),
            (["-p", "80", "fe80::1"], 2, "special-purpose"),
        ]
        for extra, rc, words in cases:
            args = self.tb.scan_args() + extra
            if "fe80::1" in extra:
                args.remove("--allow-special-ranges")
            p = self.tb.run_scanner(self.ctx.binary, args, timeout=60)
            self.verify(p.returncode == rc and words in p.stderr,
                        "%s: exit %d %s" % (extra, p.returncode, p.stderr))
        # IPv6 targets without an IPv6 source address
        p = self.tb.run_scanner(self.ctx.binary, ["-S", testbed.SCANNER_IP, "--router-ip",
                                                  testbed.ROUTER_IP, "--allow-special-ranges",
                                                  "-p", "80", "2001:2:0:100::1"], timeout=60)
        self.verify(p.returncode == 2 and "missing -S for IPv6" in p.stderr, p.stderr)
