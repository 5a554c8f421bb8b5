"""Host discovery, nmap's: -sn with each probe type (-PE, -PP, -PS, -PA) and
with nmap's default set, equal to the zones' truth and to nmap -sn from the
same veth; a port scan after nmap's default discovery scans exactly the hosts
found up, and equals nmap's same scan; the nmap formats say the same. ARP
(-PR) on the scanner's own segment, where the target namespace owns a few
addresses, likewise."""
import ipaddress
import subprocess
import xml.etree.ElementTree as ET

from framework import testbed, zones
from framework.nmap_xml import nmap_states
from framework.test_suite import TestSuite

# a block of each zone: plain hosts, closed 22, TCP/UDP dropped, port
# unreachable, admin prohibited, 80 dropped, and dark (blackholed) space
NETS = ["198.19.0.0/27", "198.19.1.0/29", "198.19.16.0/28", "198.19.20.0/29",
        "198.19.21.0/29", "198.19.22.0/29", "198.19.128.0/27"]


def tcp_up(ip, port):
    """A TCP probe finds the host up when the host itself answers: a SYN-ACK,
    a reset, a port unreachable (not a drop, not admin-prohibited)."""
    return zones.truth(ip, port) not in (zones.DROPPED, zones.ADMIN_PROHIB)


# the scanner's segment: the router, hosts with an address on it, and silent ones
SEGMENT = ["198.18.0.1", "198.18.0.8/29", "198.18.0.16/29"]
SEGMENT_HOSTS = ["198.18.0.%d" % i for i in range(10, 18)]

# what each probe set finds up: the zones filter TCP and UDP, never ICMP
PROBES = {
    "-PE": lambda ip: zones.zone_of(ip).local,
    "-PP": lambda ip: zones.zone_of(ip).local,
    "-PS443": lambda ip: tcp_up(ip, 443),
    "-PA80": lambda ip: tcp_up(ip, 80),
    "-PS22,80 -PA443": lambda ip: tcp_up(ip, 22) or tcp_up(ip, 80) or tcp_up(ip, 443),
}


class TestDiscovery(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("dsc").create()
        self.peer_ip = self.tb.add_kernel_peer()
        self.ips = [str(ip) for net in NETS for ip in ipaddress.ip_network(net)]
        self.tb.add_segment_hosts(SEGMENT_HOSTS)

    def tear_down_suite(self):
        self.tb.destroy()

    def ours(self, name, args, extra=()):
        """Run a discovery scan; returns ({(ip, port): rec} of -oJ, the run)."""
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(discovery=True) + list(args) +
                                ["--wait", "1", "-oJ", out] + list(extra) + NETS, timeout=180)
        self.keep_run(name, p)
        return self.read_ndjson(out), p

    def nmap_xml(self, name, args):
        xml = self.artifact(name + ".xml")
        n = self.tb.run_nmap(list(args) + NETS, xml)
        self.verify(n.returncode == 0, "nmap %s: %s" % (name, n.stderr[-500:]))
        return ET.parse(xml).getroot()

    @staticmethod
    def up_hosts(root):
        return {h.find("address").get("addr") for h in root.iter("host")
                if h.find("status").get("state") == "up"}

    def test_each_probe_type_equals_truth_and_nmap(self):
        for flags, is_up in PROBES.items():
            name = "sn" + flags.replace(" ", "").replace(",", "_")
            got, _ = self.ours(name, ["-sn"] + flags.split())
            ours = {ip for (ip, _), rec in got.items() if rec["state"] == "up"}
            truth = {ip for ip in self.ips if is_up(ip)}
            self.verify(ours == truth, "%s: up differs from the truth: %s" % (
                flags, sorted(ours ^ truth)[:6]))
            self.verify(len(got) == len(self.ips), "%s: %d hosts reported of %d" % (
                flags, len(got), len(self.ips)))
            theirs = self.up_hosts(self.nmap_xml("nmap-" + name, ["-sn"] + flags.split()))
            self.verify(theirs == ours, "%s: nmap up %d, ours %d; differ: %s" % (
                flags, len(theirs), len(ours), sorted(theirs ^ ours)[:6]))
            print("    -sn %s: %d of %d hosts up, equal to the truth and to nmap" % (
                flags, len(ours), len(self.ips)), flush=True)

    def test_default_sweep_and_formats(self):
        """-sn alone: nmap's -PE -PS443 -PA80 -PP; every local address is up (echo
        passes every zone), the dark ones are down; -oX valid and equal."""
        xml = self.artifact("sn.xml")
        got, p = self.ours("sn", ["-sn", "-oX", xml, "--xml-scanner-nmap", "-oG",
                                  self.artifact("sn.gnmap")])
        truth = {(ip, 0): ("up" if zones.zone_of(ip).local else "down") for ip in self.ips}
        bad = [k for k, st in truth.items() if got.get(k, {}).get("state") != st]
        self.verify(not bad, "states differ: %s" % bad[:6])
        up = sum(1 for st in truth.values() if st == "up")
        self.verify("%d hosts up, %d down" % (up, len(self.ips) - up) in p.stdout,
                    p.stdout[-300:])
        self.verify("Host is up, received" in p.stdout, p.stdout[:300])
        reasons = {rec["reason"] for rec in got.values() if rec["state"] == "up"}
        self.verify(reasons <= {"echo-reply", "syn-ack", "reset", "timestamp-reply",
                                "port-unreach"}, "reasons %s" % reasons)
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", xml],
                           capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-600:])
        root = ET.parse(xml).getroot()
        self.verify(self.up_hosts(root) == {ip for (ip, _), st in truth.items() if st == "up"},
                    "xml up hosts differ")
        self.verify(root.find("runstats/hosts").get("up") == str(up), "runstats up")
        theirs = self.up_hosts(self.nmap_xml("nmap-sn", ["-sn"]))
        self.verify(theirs == self.up_hosts(root), "nmap -sn differs: %s" % sorted(
            theirs ^ self.up_hosts(root))[:6])
        print("    -sn (nmap's default probes): %d of %d up, equal to the truth and nmap -sn"
              % (up, len(self.ips)), flush=True)

    def check_scan_after(self, name, flags, is_up):
        ports = [22, 80, 443]
        got, p = self.ours(name, flags + ["-p", "22,80,443"])
        live = [ip for ip in self.ips if is_up(ip)]
        want = {(ip, port): zones.truth(ip, port) for ip in live for port in ports}
        bad = self.compare_with_truth(got, want)
        self.verify(not bad, "%s: %d mismatches: %s" % (name, len(bad), "; ".join(bad[:6])))
        self.verify("host discovery: %d of %d hosts up" % (len(live), len(self.ips)) in p.stderr,
                    p.stderr[-400:])
        xml = self.artifact("nmap-%s.xml" % name)
        n = self.tb.run_nmap(["-sS"] + flags + ["-p", "22,80,443"] + NETS, xml)
        self.verify(n.returncode == 0, "nmap %s: %s" % (name, n.stderr[-500:]))
        theirs = nmap_states(xml)
        diff = ["%s:%d nmap %s ours %s" % (k[0], k[1], theirs.get(k), got[k]["state"])
                for k in want if theirs.get(k) != got[k]["state"]]
        diff += ["%s:%d only nmap" % k for k in theirs.keys() - want.keys()]
        self.verify(not diff, "%s vs nmap: %s" % (name, "; ".join(diff[:6])))
        print("    %s then -sS: %d of %d hosts up, %d pairs equal to the truth and to nmap" %
              (" ".join(flags) or "default discovery", len(live), len(self.ips), len(want)),
              flush=True)

    def test_default_discovery_then_port_scan(self):
        self.check_scan_after("scan", [], lambda ip: zones.zone_of(ip).local)

    def test_syn_discovery_then_port_scan(self):
        self.check_scan_after("ps-scan", ["-PS443"], lambda ip: tcp_up(ip, 443))

    def test_usage_errors(self):
        for args, words in ((["-sn", "-p", "80"], "-sn probes hosts, not ports"),
                            (["-sn", "-sS"], "-sn discovers hosts and scans no ports"),
                            (["-Pn", "-PE"], "-Pn skips host discovery: it cannot go with -PE"),
                            (["-PE22"], "bad -PE '22': an ICMP query has no ports"),
                            (["-PSx"], "bad -PS 'x'"),
                            (["-PS", "--checkpoint", "x"], "a scan with host discovery keeps "
                                                          "no checkpoint"),
                            (["-PP", "2001:2:0:100::1"], "-PP has no IPv6 form")):
            extra = ["-S", testbed.SCANNER_IP6, "--router-ip", testbed.ROUTER_IP6] \
                if "2001:2:0:100::1" in args else []
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(discovery=True) + extra +
                                    args + ["198.19.0.1"], timeout=30)
            self.verify(p.returncode == 2 and words in p.stderr, "%s: exit %d %s" % (
                args, p.returncode, p.stderr))

    def test_arp_discovery_on_the_segment(self):
        """-sn -PR: the router and the segment's hosts up, the rest down, as nmap
        -sn -PR says; then -PR before -sS scans the hosts it found only."""
        ips = ["198.18.0.1"] + ["198.18.0.%d" % i for i in range(8, 24)]
        truth = set(["198.18.0.1"] + SEGMENT_HOSTS)
        out = self.artifact("sn-PR.ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(discovery=True) + [
            "-sn", "-PR", "--wait", "1", "-oJ", out] + SEGMENT, timeout=120)
        self.keep_run("sn-PR", p)
        got = self.read_ndjson(out)
        ours = {ip for (ip, _), rec in got.items() if rec["state"] == "up"}
        self.verify(ours == truth, "-PR: up differs from the truth: %s" % sorted(ours ^ truth))
        self.verify(len(got) == len(ips), "-PR: %d hosts reported of %d" % (len(got), len(ips)))
        self.verify(all(rec["reason"] == "arp-response" for rec in got.values()
                        if rec["state"] == "up"), "-PR: a reason is not arp-response")
        xml = self.artifact("nmap-sn-PR.xml")
        n = self.tb.run_nmap(["-sn", "-PR"] + SEGMENT, xml)
        self.verify(n.returncode == 0, "nmap -PR: %s" % n.stderr[-500:])
        theirs = self.up_hosts(ET.parse(xml).getroot())
        self.verify(theirs == ours, "-PR: nmap up %s, ours %s" % (sorted(theirs), sorted(ours)))
        out = self.artifact("PR-sS.ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(discovery=True) + [
            "-PR", "-sS", "-p", "22,80,81", "--wait", "1", "-oJ", out] + SEGMENT, timeout=120)
        self.keep_run("PR-sS", p)
        got = self.read_ndjson(out)
        want = {(ip, port): "closed" if port == 81 else "open" for ip in truth
                for port in (22, 80, 81)}
        have = {k: rec["state"] for k, rec in got.items()}
        self.verify(have == want, "-PR then -sS: %s" % sorted(set(have.items()) ^
                                                          set(want.items()))[:6])
        print("    -sn -PR: %d of %d hosts up, equal to the truth and to nmap; -PR then "
              "-sS: %d pairs on the hosts found" % (len(ours), len(ips), len(have)), flush=True)
