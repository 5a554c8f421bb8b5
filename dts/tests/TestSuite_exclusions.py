"""Exclusions: not one packet reaches an excluded address or port,
checked by a capture on the target side."""
import ipaddress
import subprocess

from framework import testbed, zones
from framework.test_suite import TestSuite


class TestExclusions(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("excl").create()

    def tear_down_suite(self):
        self.tb.destroy()

    def test_excluded_addresses_and_ports_get_nothing(self):
        excl_file = self.artifact("exclude.txt")
        with open(excl_file, "w", encoding="utf-8") as f:
            f.write("198.19.0.200-198.19.0.210  # a range\n198.19.0.250\n")
        pcap = self.artifact("target-side.pcap")
        out = self.artifact("excl.ndjson")
        cap = self.tb.capture("tcp and dst net 198.19.0.0/16", pcap)
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-p", "22,80,443", "--exclude-ports", "443", "--exclude", "198.19.0.7,198.19.0.64/27",
            "--excludefile", excl_file, "--wait", "1", "--rate", "20000", "-oJ", out,
            "198.19.0.0/24"], timeout=120)
        testbed.Testbed.stop_capture(cap)
        self.verify(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr[-500:]))

        excluded = {ipaddress.ip_address("198.19.0.7"), ipaddress.ip_address("198.19.0.250")}
        excluded |= set(ipaddress.ip_network("198.19.0.64/27"))
        excluded |= {ipaddress.ip_address("198.19.0.%d" % i) for i in range(200, 211)}
        scanned = [ip for ip in ipaddress.ip_network("198.19.0.0/24") if ip not in excluded]

        dump = subprocess.run(["tcpdump", "-n", "-r", pcap], capture_output=True, text=True,
                              timeout=60)
        seen_dst = set()
        for line in dump.stdout.splitlines():
            fields = line.split()
            if len(fields) > 4 and fields[1] == "IP" and fields[3] == ">":
                host, _, port = fields[4].rstrip(":").rpartition(".")
                seen_dst.add((ipaddress.ip_address(host), int(port)))
        self.verify(seen_dst, "the capture saw no probes at all")
        hits = [d for d in seen_dst if d[0] in excluded or d[1] == 443]
        self.verify(not hits, "packets reached excluded targets: %s" % sorted(hits)[:5])
        missing = set(scanned) - {d[0] for d in seen_dst}
        self.verify(not missing, "%d scanned addresses never seen in the capture, e.g. %s"
                    % (len(missing), sorted(missing)[:3]))

        results = self.read_ndjson(out)
        expected = {(str(ip), port): zones.truth(str(ip), port)
                    for ip in scanned for port in (22, 80)}
        bad = self.compare_with_truth(results, expected)
        self.verify(not bad, "; ".join(bad[:5]))
