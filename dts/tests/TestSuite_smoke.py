"""Smoke (blocking): the binary runs, documents itself, and one tiny scan
through net_af_packet gets the right answers, also from a -c file --echo wrote."""
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
