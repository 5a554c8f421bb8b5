"""Smoke (blocking): the binary runs, documents itself, and one tiny scan
through net_af_packet gets the right answers, also from a -c file --echo wrote;
--check-setup says what this machine has."""
import os
import subprocess

from framework import testbed, zones
from framework.test_suite import TestSuite


class TestSmoke(TestSuite):
    blocking = True

    def set_up_suite(self):
        self.tb = testbed.Testbed("smoke").create()

    def tear_down_suite(self):
        self.tb.destroy()

    def test_help_documents_every_option(self):
        p = subprocess.run([self.ctx.binary, "--", "--help"], capture_output=True, text=True,
                           timeout=10)
        self.verify(p.returncode == 0, "--help exit %d" % p.returncode)
        for opt in ("--source-ip", "--router-ip", "--router-mac", "--source-mac", "-iL",
                    "--exclude", "--excludefile", "--top-ports", "-F", "--exclude-ports",
                    "--seed", "--rate", "--max-retries", "--wait", "-oJ", "-oL", "--open",
                    "--stats-every", "--source-port"):
            self.verify(opt in p.stdout, "--help does not mention %s" % opt)

    def test_version(self):
        p = subprocess.run([self.ctx.binary, "--", "--version"], capture_output=True,
                           text=True, timeout=10)
        self.verify(p.returncode == 0 and p.stdout.startswith("dpdk-prtip "),
                    "--version: %r" % p.stdout)

    def test_tiny_scan(self):
        out = self.artifact("tiny.ndjson")
        ports = [22, 80, 81]
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-p", ",".join(map(str, ports)), "--wait", "1", "-oJ", out, "198.19.0.1"],
            timeout=60)
        self.verify(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr[-800:]))
        results = self.read_ndjson(out)
        expected = {("198.19.0.1", port): zones.truth("198.19.0.1", port) for port in ports}
        bad = self.compare_with_truth(results, expected)
        self.verify(not bad, "; ".join(bad))
        self.verify("80/tcp" in p.stdout and "open" in p.stdout, "table: %s" % p.stdout)

    def test_conf_file_from_echo_runs_the_same_scan(self):
        """--echo writes the options as a -c file; the scan read from it finds
        what the truth says (its -oJ given on the command line after -c)."""
        ports = [22, 80, 81, 443]
        conf = self.artifact("scan.conf")
        p = subprocess.run([self.ctx.binary, "--"] + self.tb.scan_args() + [
            "-p", ",".join(map(str, ports)), "--wait", "1", "198.19.0.1", "198.19.0.2",
            "--echo"], capture_output=True, text=True, timeout=10)
        self.verify(p.returncode == 0 and "ports = 22,80,81,443" in p.stdout,
                    "--echo: exit %d %s %s" % (p.returncode, p.stdout, p.stderr))
        with open(conf, "w") as f:
            f.write(p.stdout)
        out = self.artifact("from-conf.ndjson")
        p = self.tb.run_scanner(self.ctx.binary, ["-c", conf, "-oJ", out], timeout=60)
        self.verify(p.returncode == 0, "-c: exit %d: %s" % (p.returncode, p.stderr[-800:]))
        expected = {(ip, port): zones.truth(ip, port) for ip in ("198.19.0.1", "198.19.0.2")
                    for port in ports}
        bad = self.compare_with_truth(self.read_ndjson(out), expected)
        self.verify(not bad, "; ".join(bad))

    def test_check_setup_tells_this_machine_the_truth(self):
        """--check-setup on this machine: the testbed's EAL options (a veth, --no-huge)
        are enough (exit 0); without --no-huge, hugepages are a problem exactly when
        /proc/meminfo says none are reserved; with a PCI device, the IOMMU line says
        what /sys/kernel/iommu_groups holds."""
        eal = self.tb.eal_args()
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary, "--check-setup"]
        p = subprocess.run(cmd + eal, capture_output=True, text=True, timeout=30)
        with open(self.artifact("check-setup.log"), "w", encoding="utf-8") as f:
            f.write(p.stdout + p.stderr)
        self.verify(p.returncode == 0 and "0 problems" in p.stdout and
                    "ok       vdev net_af_packet0: net_af_packet on interface %s" %
                    self.tb.scan_if in p.stdout, "veth setup: exit %d\n%s" % (p.returncode,
                                                                          p.stdout))
        with open("/proc/meminfo", encoding="utf-8") as f:
            huge = int(next(l for l in f if l.startswith("HugePages_Total")).split()[1])
        p = subprocess.run(cmd + [a for a in eal if a != "--no-huge"], capture_output=True,
                           text=True, timeout=30)
        said = "PROBLEM  hugepages: none reserved" in p.stdout
        self.verify(said == (huge == 0) and (huge > 0 or p.returncode == 1),
                    "hugepages (%d reserved): exit %d %s" % (huge, p.returncode, p.stdout))
        devices = sorted(os.listdir("/sys/bus/pci/devices"))
        groups = os.listdir("/sys/kernel/iommu_groups")
        if devices:
            p = subprocess.run([self.ctx.binary, "--check-setup", "--no-huge", "-a",
                                devices[0]], capture_output=True, text=True, timeout=30)
            said = "PROBLEM  iommu: none" in p.stdout
            self.verify(said == (not groups) and p.returncode == 1,
                        "iommu (%d groups), %s: exit %d %s" % (len(groups), devices[0],
                                                               p.returncode, p.stdout))
