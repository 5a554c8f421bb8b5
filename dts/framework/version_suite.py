"""What the -sV suites share: a testbed with a kernel peer for nmap, the
servers the suite starts, and scans with the Hyperscan cache they share."""
import subprocess
import time

from . import testbed
from .test_suite import TestSuite

CACHE = "/tmp/prt-test-hscache-nmap"  # shared with the unit tests: compiled once


class VersionSuite(TestSuite):
    TAG = "sv"  # the testbed's name; each suite its own

    def start_servers(self):
        """Start the suite's servers in self.tb's target namespace."""
        raise NotImplementedError

    def set_up_suite(self):
        self.tb = testbed.Testbed(self.TAG).create()
        self.peer_ip = self.tb.add_kernel_peer()
        subprocess.run(["mkdir", "-p", CACHE], check=True)
        self.start_servers()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, args, timeout=300):
        """dpdk-prtip with ARGS, the shared cache and -oJ NAME.ndjson; its run is
        kept as NAME.log. @return (the -oJ path, the process, wall seconds)"""
        out = self.artifact(name + ".ndjson")
        start = time.time()
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--service-cache", CACHE, "--wait", "1", "-oJ", out] + args, timeout=timeout)
        wall = time.time() - start
        self.keep_run(name, p)
        return out, p, wall
