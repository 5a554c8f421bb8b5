"""Faults: a TX queue that stalls does not hang shutdown, and a rate the path
cannot carry is reported once with what is achieved."""
import signal
import subprocess
import time
import uuid

from framework import shell, testbed
from framework.test_suite import TestSuite

ADDR = ["-S", "198.18.0.2", "--router-mac", "02:00:00:00:00:01", "--allow-special-ranges", "-Pn"]


class TestFaults(TestSuite):
    def set_up_suite(self):
        # a veth whose peer is down: AF_PACKET TX frames stay pending, the queue stalls
        self.ns = "prt-faults-" + uuid.uuid4().hex[:6]
        shell.run(["ip", "netns", "add", self.ns])
        shell.run(["ip", "-n", self.ns, "link", "add", "st0", "type", "veth", "peer", "name",
                   "st1"])
        shell.run(["ip", "-n", self.ns, "link", "set", "st0", "up"])
        self.tb = testbed.Testbed("faults").create()

    def tear_down_suite(self):
        shell.run(["ip", "netns", "del", self.ns], check=False)
        self.tb.destroy()

    def test_stalled_tx_queue_does_not_hang_shutdown(self):
        out = self.artifact("stalled.ndjson")
        eal = ["--no-pci", "--no-huge", "-m", "512", "--file-prefix", "prt-st-" +
               uuid.uuid4().hex[:6], "--lcores", "0@0,1@1,2@0", "--log-level", "notice",
               "--vdev", "net_af_packet0,iface=st0"]
        proc = subprocess.Popen(["ip", "netns", "exec", self.ns, self.ctx.binary] + eal + [
            "--"] + ADDR + ["-p", "1-1000", "-oJ", out, "--checkpoint",
                            self.artifact("stalled.resume"), "198.19.0.0/24"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        self.verify(proc.poll() is None, "the scan ended although its queue is stalled")
        t0 = time.time()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        took = time.time() - t0
        self.verify(proc.returncode == 130, "exit %d: %s" % (proc.returncode, err[-300:]))
        self.verify(took < 5, "shutdown took %.1f s" % took)
        self.read_ndjson(out)  # closed valid (empty: nothing could be sent)

    def test_rate_the_path_cannot_carry_is_reported(self):
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            # ~2 M probes: several seconds on any path here, so the one-second
            # samples that notice the shortfall come (a 0.7 s scan had none)
            "--rate", "50M", "--max-retries", "0", "--wait", "0", "-p", "1-65535",
            "198.19.0.0/27"], timeout=120)
        self.verify(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr[-300:]))
        warnings = [l for l in p.stderr.splitlines() if "cannot carry --rate 50000000" in l]
        self.verify(len(warnings) == 1, "want one warning, got %s" % warnings)
        self.verify("achieving" in warnings[0], warnings[0])
