"""UDP scan (-sU): real DNS (dnsmasq), SNMP (snmpd) and NTP-like services in
the target namespace are open; closed ports (ICMP port unreachable) closed;
dropped ones open|filtered; admin-prohibited filtered. Equal to the zone
truth and to nmap -sU run from the same veth."""
import json
import subprocess
import xml.etree.ElementTree as ET

from framework import testbed, zones
from framework.test_suite import TestSuite

HOSTS = ["198.19.0.5", "198.19.1.5", "198.19.16.5", "198.19.20.5", "198.19.21.5",
         "198.19.22.5", "198.19.128.5"]
PORTS = [53, 69, 123, 161, 500, 9999]


class TestUdpScan(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("udp").create()
        self.tb.start_udp_services()
        self.peer_ip = self.tb.add_kernel_peer()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, hosts, ports, extra=()):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-sU", "--wait", "1", "-p", ",".join(map(str, ports)), "-oJ", out] + list(extra) +
            hosts, timeout=180)
        self.keep_run(name, p)
        return self.read_ndjson(out), p

    def test_services_open_closed_dropped(self):
        got, p = self.scan("zones", HOSTS, PORTS, ["-oX", self.artifact("udp.xml"),
                                                   "--xml-scanner-nmap"])
        expected = {(ip, port): zones.truth_for("udp", ip, port) for ip in HOSTS for port in PORTS}
        bad = self.compare_with_truth(got, expected)
        self.verify(not bad, "%d mismatches: %s" % (len(bad), "; ".join(bad[:6])))
        for port, name in ((53, "domain"), (123, "ntp"), (161, "snmp")):
            rows = [l.split() for l in p.stdout.splitlines() if l.startswith("%d/udp " % port)]
            self.verify(any(r[1] == "open" and r[2] == name for r in rows),
                        "table lacks %d/udp open %s: %s" % (port, name, rows))
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd",
                            self.artifact("udp.xml")], capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-500:])
        self.verify('<scaninfo type="udp" protocol="udp"' in open(self.artifact("udp.xml"),
                                                                   encoding="utf-8").read(),
                    "scaninfo is not udp")

        # nmap -sU from the kernel side of the same veth, same hosts and ports
        nx = self.artifact("nmap-sU.xml")
        n = subprocess.run(["timeout", "600", "ip", "netns", "exec", self.tb.scan_ns, "nmap",
                            "-sU", "-n", "-Pn", "-S", self.peer_ip, "-e", self.tb.scan_if,
                            "--max-retries", "1", "--initial-rtt-timeout", "100ms",
                            "--max-rtt-timeout", "300ms", "-p", ",".join(map(str, PORTS)),
                            "-oX", nx] + HOSTS, capture_output=True, text=True, timeout=630)
        self.verify(n.returncode == 0, "nmap: %s" % n.stderr)
        theirs = {}
        for host in ET.parse(nx).getroot().iter("host"):
            ip = host.find("address").get("addr")
            for port in host.iter("port"):
                theirs[(ip, int(port.get("portid")))] = port.find("state").get("state")
        diff = ["%s:%d nmap %s ours %s" % (k[0], k[1], theirs.get(k), got[k]["state"])
                for k in sorted(expected) if theirs.get(k) != got[k]["state"]]
        self.verify(not diff, "vs nmap -sU: %s" % "; ".join(diff[:6]))
        print("    -sU: %d pairs equal to the truth and to nmap -sU" % len(expected), flush=True)

    def test_dns_answer_must_echo_the_cookie(self):
        # the DNS id carries the cookie: a scan with a different seed key
        # sends different ids, and still every DNS answer validates
        got, _ = self.scan("seeded", ["198.19.0.9", "198.19.3.200"], [53, 123], ["--seed", "77"])
        for key, rec in got.items():
            self.verify((rec["state"], rec["reason"]) == ("open", "udp-response"),
                        "%s: %s" % (key, rec))

    def test_tcp_and_udp_in_one_scan(self):
        # nmap's -sS -sU with T:/U: prefixes; an unprefixed port is scanned over both
        out = self.artifact("mixed.ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-sS", "-sU", "--wait", "1", "-p", "443,U:53,123,161,T:22,80,81", "-oJ", out,
            "-oX", self.artifact("mixed.xml"), "--xml-scanner-nmap"] + HOSTS, timeout=180)
        self.verify(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr[-500:]))
        got = {}
        with open(out, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                key = (rec["ip"], rec["port"], rec["proto"])
                self.verify(key not in got, "%s reported twice" % (key,))
                got[key] = (rec["state"], rec["reason"])
        want = {}
        for ip in HOSTS:
            for port in (22, 80, 81, 443):
                want[(ip, port, "tcp")] = zones.truth(ip, port)
            for port in (53, 123, 161, 443):
                want[(ip, port, "udp")] = zones.truth_for("udp", ip, port)
        bad = ["%s %s got %s" % (k, v, got.get(k)) for k, v in want.items() if got.get(k) != v]
        bad += ["%s not scanned" % (k,) for k in got.keys() - want.keys()]
        self.verify(not bad, "%d mismatches: %s" % (len(bad), "; ".join(bad[:5])))
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd",
                            self.artifact("mixed.xml")], capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-400:])
        with open(self.artifact("mixed.xml"), encoding="utf-8") as f:
            xml = f.read()
        self.verify('<scaninfo type="syn" protocol="tcp" numservices="4" services="22,80-81,443"/>'
                    in xml and '<scaninfo type="udp" protocol="udp" numservices="4" '
                    'services="53,123,161,443"/>' in xml, "scaninfo: %s" % xml[:900])
        print("    -sS -sU: %d pairs (TCP and UDP) equal to the truth" % len(want), flush=True)

    def test_protocol_prefix_errors(self):
        for args, words in ((["-sS", "-p", "U:53"], "U: ports need a UDP scan"),
                            (["-sU", "-p", "T:22"], "T: ports need a TCP scan type"),
                            (["-sF", "-sA", "-p", "22"], "more than one scan type")):
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args + [HOSTS[0]],
                                    timeout=30)
            self.verify(p.returncode == 2 and words in p.stderr, "%s: exit %d %s" % (
                args, p.returncode, p.stderr))

    def test_top_udp_ports_default(self):
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-sU", "--top-ports", "20", "--wait", "1", "-oJ", self.artifact("top.ndjson"),
            "198.19.0.7"], timeout=120)
        self.verify(p.returncode == 0, p.stderr[-400:])
        got = self.read_ndjson(self.artifact("top.ndjson"))
        ports = {port for _, port in got}
        self.verify(len(ports) == 20 and {53, 123, 161} <= ports,
                    "top 20 UDP ports: %s" % sorted(ports))
        for (ip, port), rec in got.items():
            self.verify((rec["state"], rec["reason"]) == zones.truth_for("udp", ip, port),
                        "%s:%d %s" % (ip, port, rec))
