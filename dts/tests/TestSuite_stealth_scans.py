"""The stealth TCP scan types (-sA -sF -sN -sX -sW -sM): for one host of
every zone, dpdk-prtip reports what nmap reports from the same veth in the
same run, and both equal the ground truth derived from the zones."""
import subprocess

from framework import testbed, zones
from framework.nmap_xml import nmap_states
from framework.test_suite import TestSuite

# one host per zone: listener/closed hosts, closed-22, drop, port- and
# admin-unreachable, drop-80 and the dark (blackholed) block
HOSTS = ["198.19.0.5", "198.19.1.5", "198.19.16.5", "198.19.20.5", "198.19.21.5",
         "198.19.22.5", "198.19.128.5"]
PORTS = [22, 80, 81, 443, 8080, 9999]
TYPES = {"-sF": "fin", "-sN": "null", "-sX": "xmas", "-sA": "ack", "-sW": "window",
         "-sM": "maimon", "-sS": "syn"}


class TestStealthScans(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("stl").create()
        self.peer_ip = self.tb.add_kernel_peer()

    def tear_down_suite(self):
        self.tb.destroy()

    def run_nmap(self, flag):
        out = self.artifact("nmap%s.xml" % flag)
        cmd = ["timeout", "300", "ip", "netns", "exec", self.tb.scan_ns, "nmap", flag, "-n",
               "-Pn", "-S", self.peer_ip, "-e", self.tb.scan_if, "--reason",
               "--max-retries", "1", "--initial-rtt-timeout", "100ms",
               "--max-rtt-timeout", "300ms", "-p", ",".join(map(str, PORTS)), "-oX", out] + HOSTS
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=330)
        self.verify(p.returncode == 0, "nmap %s: exit %d %s" % (flag, p.returncode, p.stderr))
        return nmap_states(out)

    def run_ours(self, flag):
        out = self.artifact("prtip%s.ndjson" % flag)
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            flag, "--wait", "1", "-p", ",".join(map(str, PORTS)), "-oJ", out] + HOSTS,
            timeout=120)
        with open(self.artifact("prtip%s.log" % flag), "w", encoding="utf-8") as f:
            f.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
        self.verify(p.returncode == 0, "%s: exit %d %s" % (flag, p.returncode, p.stderr[-600:]))
        return self.read_ndjson(out), p.stdout

    def check_type(self, flag):
        scan_type = TYPES[flag]
        ours, table = self.run_ours(flag)
        theirs = self.run_nmap(flag)
        expected = {(ip, port): zones.truth_for(scan_type, ip, port)
                    for ip in HOSTS for port in PORTS}
        bad = self.compare_with_truth(ours, expected)
        self.verify(not bad, "%s vs truth: %s" % (flag, "; ".join(bad[:6])))
        diff = ["%s:%d nmap %s, ours %s" % (k[0], k[1], theirs.get(k), ours[k]["state"])
                for k in sorted(expected) if theirs.get(k) != ours[k]["state"]]
        self.verify(not diff, "%s vs nmap: %s" % (flag, "; ".join(diff[:6])))
        states = sorted({s for s, _ in expected.values()})
        print("    %s: %d pairs equal to nmap and the truth; states %s" %
              (flag, len(expected), ", ".join(states)), flush=True)
        return table

    def test_fin(self):
        table = self.check_type("-sF")
        rows = [l.split() for l in table.splitlines() if l.startswith("80/tcp ")]
        self.verify(any(r[1] == "open|filtered" and r[-1] == "no-response" for r in rows),
                    "table lists no open|filtered port: %s" % rows)

    def test_null(self):
        self.check_type("-sN")

    def test_xmas(self):
        self.check_type("-sX")

    def test_ack(self):
        table = self.check_type("-sA")
        self.verify("unfiltered" in table, "table shows no unfiltered port")

    def test_window(self):
        self.check_type("-sW")

    def test_maimon(self):
        self.check_type("-sM")

    def test_syn_for_reference(self):
        self.check_type("-sS")

    def test_one_scan_type_only(self):
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-sF", "-sA", "-p", "80", HOSTS[0]], timeout=60)
        self.verify(p.returncode == 2, "exit %d for -sF -sA" % p.returncode)
        self.verify("more than one scan type: -sF and -sA" in p.stderr, p.stderr)
