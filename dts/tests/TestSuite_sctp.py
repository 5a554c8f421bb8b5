"""SCTP scans (-sY INIT, -sZ COOKIE ECHO) against SCTP hosts that answer as
RFC 9260 has a stack answer (framework/sctp_responder.py: this kernel has no
SCTP module), equal to their truth and to nmap run from the same veth; and
-sS -sU -sY in one scan, where the target's kernel also answers SCTP to its
own addresses with protocol unreachable."""
import ipaddress
import os
import subprocess

from framework import sctp_responder, testbed, zones
from framework.nmap_xml import nmap_states
from framework.test_suite import TestSuite

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTS = ["198.19.200.%d" % i for i in range(1, 8)]
PORTS = [80, 2905, 3868, 9, 5060, 36412]


class TestSctp(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("sctp").create()
        self.peer_ip = self.tb.add_kernel_peer()
        self.responder = subprocess.Popen(
            ["ip", "netns", "exec", self.tb.farm_ns, "/usr/bin/python3",
             os.path.join(HERE, "..", "framework", "sctp_responder.py"), self.tb.farm_if],
            stdout=subprocess.PIPE, text=True)
        self.verify(self.responder.stdout.readline().strip() == "ready",
                    "the SCTP responder did not start")

    def tear_down_suite(self):
        self.responder.kill()
        self.responder.wait()
        self.tb.destroy()

    def scan(self, name, args):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--rate", "2000", "--wait", "1", "-oJ", out, "-oX", self.artifact(name + ".xml")] +
            args, timeout=120)
        self.keep_run(name, p)
        return self.read_ndjson(out), p

    def nmap(self, name, args):
        xml = self.artifact(name + ".xml")
        n = subprocess.run(["timeout", "300", "ip", "netns", "exec", self.tb.scan_ns, "nmap",
                            "-n", "-Pn", "-S", self.peer_ip, "-e", self.tb.scan_if,
                            "--max-retries", "1", "-oX", xml] + args,
                           capture_output=True, text=True, timeout=330)
        self.verify(n.returncode == 0, "nmap: %s" % n.stderr[-500:])
        return nmap_states(xml)

    def same_as_nmap(self, got, theirs, keys, what):
        diff = ["%s:%d nmap %s ours %s" % (k[0], k[1], theirs.get(k), got[k]["state"])
                for k in sorted(keys) if theirs.get(k) != got[k]["state"]]
        self.verify(not diff, "vs nmap %s: %s" % (what, "; ".join(diff[:6])))

    def sctp_scan(self, flag, scan):
        ports = ",".join(map(str, PORTS))
        got, p = self.scan(scan, [flag, "-p", ports] + HOSTS)
        expected = {(h, port): sctp_responder.expected(scan, h, port)
                    for h in HOSTS for port in PORTS}
        bad = self.compare_with_truth(got, expected)
        self.verify(not bad, "%d mismatches: %s" % (len(bad), "; ".join(bad[:6])))
        xml = open(self.artifact(scan + ".xml"), encoding="utf-8").read()
        self.verify('<scaninfo type="%s" protocol="sctp"' % scan in xml,
                    "scaninfo is not %s/sctp" % scan)
        self.same_as_nmap(got, self.nmap("nmap-" + scan, [flag, "-p", ports] + HOSTS),
                          expected, flag)
        print("    %s: %d pairs equal to the truth and to nmap %s" % (flag, len(expected), flag),
              flush=True)
        return p

    def test_init_scan(self):
        p = self.sctp_scan("-sY", "sctpinit")
        rows = [l.split() for l in p.stdout.splitlines() if l.startswith("2905/sctp ")]
        self.verify(rows and rows[0][1] == "open", "the table lacks 2905/sctp open: %s" % rows)

    def test_cookie_echo_scan(self):
        self.sctp_scan("-sZ", "sctpcookieecho")

    def test_tcp_udp_sctp_in_one_scan(self):
        """Three arms: each protocol's ports over every host. The target's
        kernel answers SCTP to its own address with protocol unreachable
        (filtered), the responder's hosts are dark to TCP and UDP."""
        hosts = ["198.19.0.5", "198.19.20.5", "198.19.200.1", "198.19.200.6"]
        tcp, udp, sctp = [22, 80, 81], [9999], [2905, 9]
        spec = "T:%s,U:%s,S:%s" % tuple(",".join(map(str, ps)) for ps in (tcp, udp, sctp))
        got, _ = self.scan("three-arms", ["-sS", "-sU", "-sY", "-p", spec] + hosts)
        expected = {}
        for h in hosts:
            local = ipaddress.ip_address(h) in ipaddress.ip_network(zones.LOCAL_NET)
            for port in tcp:
                expected[(h, port)] = zones.truth_for("syn", h, port)
            for port in udp:
                expected[(h, port)] = zones.truth_for("udp", h, port)
            for port in sctp:
                expected[(h, port)] = (("filtered", "proto-unreach") if local else
                                       sctp_responder.expected("sctpinit", h, port))
        bad = self.compare_with_truth(got, expected)
        self.verify(not bad, "%d mismatches: %s" % (len(bad), "; ".join(bad[:6])))
        theirs = self.nmap("nmap-three-arms", ["-sS", "-sU", "-sY", "-p", spec] + hosts)
        self.same_as_nmap(got, theirs, expected, "-sS -sU -sY")
        print("    -sS -sU -sY: %d pairs equal to the truth and to nmap" % len(expected),
              flush=True)
