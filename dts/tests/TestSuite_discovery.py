"""Host discovery (-sn, ICMP echo): every local address of the target
network is up (the zones filter TCP only), the blackholed block is down;
nmap -sn -PE from the same veth agrees; the nmap formats say the same."""
import ipaddress
import subprocess
import xml.etree.ElementTree as ET

from framework import testbed, zones
from framework.test_suite import TestSuite

NETS = ["198.19.0.0/25", "198.19.16.0/28", "198.19.21.0/28", "198.19.128.0/26"]


def truth(ip):
    return ("up", "echo-reply") if zones.zone_of(ip).local else ("down", "no-response")


class TestDiscovery(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("dsc").create()
        self.peer_ip = self.tb.add_kernel_peer()
        self.ips = [str(ip) for net in NETS for ip in ipaddress.ip_network(net)]

    def tear_down_suite(self):
        self.tb.destroy()

    def test_echo_sweep_equals_truth_and_nmap(self):
        out, xml = self.artifact("sn.ndjson"), self.artifact("sn.xml")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-sn", "-PE", "--wait", "1", "-oJ", out, "-oX", xml, "--xml-scanner-nmap",
            "-oG", self.artifact("sn.gnmap")] + NETS, timeout=120)
        with open(self.artifact("sn.log"), "w", encoding="utf-8") as f:
            f.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
        self.verify(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr[-500:]))
        got = self.read_ndjson(out)
        expected = {(ip, 0): truth(ip) for ip in self.ips}
        bad = self.compare_with_truth(got, expected)
        self.verify(not bad, "; ".join(bad[:6]))
        for rec in got.values():
            self.verify(rec["proto"] == "icmp", "proto %s" % rec)
        up = sum(1 for s, _ in expected.values() if s == "up")
        self.verify("%d hosts up, %d down" % (up, len(self.ips) - up) in p.stdout, p.stdout[-300:])
        self.verify("Host is up, received echo-reply ttl 64." in p.stdout, p.stdout[:300])

        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", xml],
                           capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-600:])
        root = ET.parse(xml).getroot()
        xml_up = {h.find("address").get("addr") for h in root.iter("host")
                  if h.find("status").get("state") == "up"}
        self.verify(xml_up == {ip for ip in self.ips if truth(ip)[0] == "up"},
                    "xml up hosts differ: %d vs %d" % (len(xml_up), up))
        self.verify(root.find("runstats/hosts").get("up") == str(up), "runstats up")

        # nmap from the kernel side of the same veth
        nx = self.artifact("nmap-sn.xml")
        n = subprocess.run(["timeout", "300", "ip", "netns", "exec", self.tb.scan_ns, "nmap", "-sn",
                            "-PE", "-n", "-S", self.peer_ip, "-e", self.tb.scan_if,
                            "--max-retries", "1", "-oX", nx] + NETS,
                           capture_output=True, text=True, timeout=330)
        self.verify(n.returncode == 0, "nmap: %s" % n.stderr)
        nmap_up = {h.find("address").get("addr") for h in ET.parse(nx).getroot().iter("host")
                   if h.find("status").get("state") == "up"}
        self.verify(nmap_up == xml_up, "nmap up %d, ours %d; differ: %s" % (
            len(nmap_up), len(xml_up), sorted(nmap_up ^ xml_up)[:6]))
        print("    -sn: %d addresses, %d up, equal to nmap -sn -PE and the truth" %
              (len(self.ips), up), flush=True)

    def test_usage_errors(self):
        for args, words in ((["-sn", "-p", "80"], "-sn probes hosts, not ports"),
                            (["-PE", "-p", "80"], "-PE is ICMP echo discovery"),
                            (["-sn", "-sS"], "more than one scan type")):
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args +
                                    ["198.19.0.1"], timeout=30)
            self.verify(p.returncode == 2 and words in p.stderr, "%s: exit %d %s" % (
                args, p.returncode, p.stderr))
