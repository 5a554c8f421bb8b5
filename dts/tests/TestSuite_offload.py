"""TX checksum offload end to end: net_tap offers IPv4 and TCP checksum
offload, so probes leave with only the pseudo-header sum and the PMD
finishes them. The tap is bridged to the testbed's veth; every result must
equal the truth (a wrong checksum would be dropped by the target's kernel)."""
import ipaddress
import subprocess
import time
import uuid

from framework import shell, testbed, zones
from framework.test_suite import TestSuite

PORTS = [22, 80, 443, 9999]
NET = "198.19.0.0/26"


class TestOffload(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("offl").create()
        ns = self.tb.scan_ns
        shell.run(["ip", "-n", ns, "link", "add", "br0", "type", "bridge"])
        shell.run(["ip", "-n", ns, "link", "set", self.tb.scan_if, "master", "br0"])
        shell.run(["ip", "-n", ns, "link", "set", "br0", "up"])

    def tear_down_suite(self):
        self.tb.destroy()

    def test_probes_with_offloaded_checksums_get_true_answers(self):
        out = self.artifact("offload.ndjson")
        eal = ["--no-pci", "--no-huge", "-m", "512", "--file-prefix",
               "prt-offl-" + uuid.uuid4().hex[:6], "--lcores", "0@0,1@1,2@0",
               "--log-level", "prt.port:info",
               "--vdev", "net_tap0,iface=ptap0"]
        proc = subprocess.Popen(
            ["timeout", "--signal=INT", "120", "ip", "netns", "exec", self.tb.scan_ns,
             self.ctx.binary] + eal + ["--"] + self.tb.scan_args() + [
                # not the tap's own MAC: a bridge keeps frames to its ports' MACs
                "--source-mac", "02:00:00:00:00:02", "--arp-timeout", "20", "--wait", "1", "-p", ",".join(map(str, PORTS)),
                "-oJ", out, NET], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # the tap exists once the port is up: bridge it to the testbed's veth
        deadline = time.time() + 15
        while time.time() < deadline:
            if shell.run(["ip", "-n", self.tb.scan_ns, "link", "show", "ptap0"],
                         check=False).returncode == 0:
                break
            time.sleep(0.1)
        shell.run(["ip", "-n", self.tb.scan_ns, "link", "set", "ptap0", "master", "br0"])
        shell.run(["ip", "-n", self.tb.scan_ns, "link", "set", "ptap0", "up"])
        stdout, stderr = proc.communicate(timeout=150)
        self.verify(proc.returncode == 0, "exit %d: %s" % (proc.returncode, stderr[-500:]))
        self.verify("tx checksums offloaded" in stderr, "offload not enabled: %s" %
                    [l for l in stderr.splitlines() if "port" in l][:3])
        truth = {(str(ip), p): zones.truth(str(ip), p)
                 for ip in ipaddress.ip_network(NET) for p in PORTS}
        bad = self.compare_with_truth(self.read_ndjson(out), truth)
        self.verify(not bad, "%d mismatches, e.g. %s" % (len(bad), bad[:3]))
