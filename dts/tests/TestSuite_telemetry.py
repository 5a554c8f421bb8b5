"""Telemetry: the /prtip/ commands answer while a scan runs, a live rate
change takes effect, and the rate holds per second as seen over telemetry."""
import os
import statistics
import subprocess
import time
import uuid

from framework import testbed
from framework.telemetry import Telemetry
from framework.test_suite import TestSuite


class TestTelemetry(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("tel").create()

    def tear_down_suite(self):
        self.tb.destroy()

    def start(self, args, lcores="0@0,1@1,2@0", qpairs=1):
        prefix = "prt-tel-" + uuid.uuid4().hex[:8]
        eal = self.tb.eal_args(prefix)
        eal[eal.index("--lcores") + 1] = lcores
        eal[-1] += ",qpairs=%d" % qpairs
        cmd = ["timeout", "--signal=INT", "120", "ip", "netns", "exec", self.tb.scan_ns,
               self.ctx.binary] + eal + ["--"] + self.tb.scan_args() + args
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return proc, Telemetry(prefix)

    def wait_scanning(self, tel):
        deadline = time.time() + 20
        while time.time() < deadline:
            stats = tel.query("/prtip/stats")
            if isinstance(stats, dict) and "phase" in stats and stats["probes_sent"] > 0:
                return stats
            time.sleep(0.1)
        raise AssertionError("the scan never started sending")

    def finish(self, proc, tel):
        tel.close()
        out, err = proc.communicate(timeout=150)
        self.verify(proc.returncode == 0, "exit %d: %s" % (proc.returncode, err[-400:]))
        return out, err

    def per_second_rates(self, tel, seconds):
        """probes_sent deltas over 1 s windows, timed by the scanner's own
        elapsed_ms in the same answer (the client's clock would add the
        telemetry thread's scheduling delay to the window)."""
        def sample():
            stats = tel.query("/prtip/stats")
            return stats["probes_sent"], stats["elapsed_ms"] / 1000.0

        rates = []
        last, t_last = sample()
        for _ in range(seconds):
            time.sleep(1.0)
            now, t_now = sample()
            rates.append((now - last) / (t_now - t_last))
            last, t_last = now, t_now
        return rates

    def test_commands_answer(self):
        proc, tel = self.start(["--rate", "2000", "--wait", "0", "-p", "80", "198.19.0.0/20"])
        stats = self.wait_scanning(tel)
        for key in ("phase", "pairs_total", "probes_sent", "replies", "open", "closed",
                    "filtered", "pps", "elapsed_ms", "eta_ms", "retransmits",
                    "drop_bad_checksum", "drop_bad_cookie"):
            self.verify(key in stats, "/prtip/stats lacks %s: %s" % (key, stats))
        self.verify(stats["phase"] == "scanning" and stats["pairs_total"] == 4096, str(stats))
        config = tel.query("/prtip/config")
        self.verify(config["rate"] == 2000 and config["source_ip"] == testbed.SCANNER_IP
                    and config["source_port_first"] == 32768 and config["source_ports"] == 28232
                    and config["ports"] == 1 and config["driver"] == "net_af_packet", str(config))
        lcores = tel.query("/prtip/lcores")
        self.verify(lcores["lcore"] == [1, 2] and lcores["role"] == ["tx", "rx"]
                    and lcores["queue"] == [0, 0] and lcores["packets"][0] > 0, str(lcores))
        ratelim = tel.query("/prtip/ratelim")
        self.verify(ratelim["rate"] == 2000 and ratelim["tx_rate"] == [2000], str(ratelim))
        bad = tel.query("/prtip/rate,fast")
        self.verify("error" in bad, "a bad rate was accepted: %s" % bad)
        bad = tel.query("/prtip/rate,0")
        self.verify("error" in bad, "rate 0 was accepted: %s" % bad)
        self.verify(tel.query("/prtip/rate,100k") == {"rate": 100000}, "rate change refused")
        self.finish(proc, tel)

    def test_nmap_rate_and_source_port_flags(self):
        """-n, -g and --min-rate mean what they mean to nmap: /prtip/config shows
        the rate --min-rate set and the one source port -g gave."""
        proc, tel = self.start(["-n", "-g", "4444", "--min-rate", "3k", "--wait", "0",
                                "-p", "80", "198.19.0.0/20"])
        self.wait_scanning(tel)
        config = tel.query("/prtip/config")
        tel.query("/prtip/rate,1G")  # let it finish quickly
        self.finish(proc, tel)
        self.verify(config["rate"] == 3000 and config["source_port_first"] == 4444 and
                    config["source_ports"] == 1, str(config))

    def test_socket_private_and_rate_capped_by_bandwidth(self):
        """Only its owner may talk to the scanner (the socket is 0600), and a live
        rate change may not exceed the cap --bandwidth set."""
        proc, tel = self.start(["--bandwidth", "1M", "--wait", "0", "-p", "80,443",
                                "198.19.0.0/20"])
        self.wait_scanning(tel)
        mode = os.stat(tel.path).st_mode & 0o777
        over = tel.query("/prtip/rate,100k")
        under = tel.query("/prtip/rate,1000")
        tel.query("/prtip/rate,1400")
        self.finish(proc, tel)
        self.verify(mode == 0o600, "telemetry socket mode %o" % mode)
        self.verify("error" in over and "--bandwidth" in over["error"], str(over))
        self.verify(under == {"rate": 1000}, str(under))

    def test_live_rate_change(self):
        proc, tel = self.start(["--rate", "1000", "--wait", "0", "-p", "80,443", "198.19.0.0/18"])
        self.wait_scanning(tel)
        before = statistics.median(self.per_second_rates(tel, 3))
        tel.query("/prtip/rate,5000")
        time.sleep(0.5)
        after = statistics.median(self.per_second_rates(tel, 3))
        tel.query("/prtip/rate,1G")  # let it finish quickly
        self.finish(proc, tel)
        self.verify(abs(before - 1000) / 1000 < 0.05, "before the change: %.0f pps" % before)
        self.verify(abs(after - 5000) / 5000 < 0.05, "after the change: %.0f pps" % after)

    def test_rate_holds_every_second_with_two_tx_lcores(self):
        proc, tel = self.start(["--rate", "20000", "--wait", "0", "--tx-lcores", "1-2",
                                "--rx-lcores", "3", "-p", "1-100", "198.19.0.0/20"],
                               lcores="0@0,1@1,2@0,3@1", qpairs=2)
        self.wait_scanning(tel)
        time.sleep(1)
        rates = self.per_second_rates(tel, 5)
        ratelim = tel.query("/prtip/ratelim")
        tel.query("/prtip/rate,1G")
        self.finish(proc, tel)
        shares = sorted(ratelim["tx_rate"])
        self.verify(shares == [10000, 10000], "per-lcore shares %s" % shares)
        worst = max(abs(r - 20000) / 20000 for r in rates)
        self.verify(worst < 0.02, "1-second rates %s: worst %.1f%% off" %
                    (["%.0f" % r for r in rates], 100 * worst))
