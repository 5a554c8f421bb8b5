"""--event-log: a scan's events as NDJSON. Every line is one JSON object with
ts, scan and event; the log opens with scan_start and ends with scan_end
whose counts equal the scan's own results; port_open events are exactly the
open pairs of the ground truth; phases, progress and SIGINT are there;
--scan-id names the scan and a bad one is a usage error."""
import ipaddress
import json
import signal
import subprocess
import time

from framework import testbed, zones
from framework.test_suite import TestSuite

NET = "198.19.0.0/26"
PORTS = [22, 80, 81, 443]


def read_events(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


class TestEvents(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("ev").create()
        self.truth = {(str(ip), p): zones.truth(str(ip), p)
                      for ip in ipaddress.ip_network(NET) for p in PORTS}

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, extra, expect_rc=0):
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--wait", "1", "-p", ",".join(map(str, PORTS))] + extra + [NET], timeout=120)
        self.keep_run(name, p, expect_rc)
        return p

    def test_events_of_a_syn_scan(self):
        log, res = self.artifact("scan.events"), self.artifact("scan.ndjson")
        self.scan("syn", ["--event-log", log, "-oJ", res, "--scan-id", "lab-1.daily:3"])
        ev = read_events(log)
        self.verify(all({"ts", "scan", "event"} <= set(e) for e in ev), "fields: %s" % ev[:2])
        self.verify({e["scan"] for e in ev} == {"lab-1.daily:3"}, "scan ids %s" %
                    {e["scan"] for e in ev})
        self.verify(ev[0]["event"] == "scan_start" and ev[-1]["event"] == "scan_end",
                    "first %s, last %s" % (ev[0]["event"], ev[-1]["event"]))
        start, end = ev[0], ev[-1]
        self.verify(start["targets"] == 64 and start["ports"] == len(PORTS) and
                    start["scan_types"] == "syn" and not start["resumed"], "start %s" % start)
        self.verify([e["phase"] for e in ev if e["event"] == "phase"] == ["scan", "waiting"],
                    "phases %s" % [e for e in ev if e["event"] == "phase"])
        opened = {(e["ip"], e["port"]) for e in ev if e["event"] == "port_open"}
        want = {k for k, v in self.truth.items() if v[0] == "open"}
        self.verify(opened == want, "port_open %d events, %d open in the truth" %
                    (len(opened), len(want)))
        got = self.read_ndjson(res)
        for state, key in (("open", "open"), ("closed", "closed"), ("filtered", "filtered")):
            n = sum(1 for r in got.values() if r["state"] == state)
            self.verify(end[key] == n, "scan_end %s %d, -oJ %d" % (key, end[key], n))
        self.verify(end["probes"] >= len(self.truth) and end["exit"] == 0 and
                    not end["interrupted"], "end %s" % end)
        # a result's event has the time its answer came (RX's clock), so results
        # may be a little before an event written just ahead of them; all lie
        # between the start and the end
        self.verify(all(start["ts"] <= e["ts"] <= end["ts"] for e in ev), "times outside")

    def test_sigint_is_in_the_log(self):
        log = self.artifact("sigint.events")
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary] + \
            self.tb.eal_args() + ["--"] + self.tb.scan_args() + [
                "--rate", "300", "--stats-every", "0.5", "-p", "1-1000", "--event-log", log,
                "--checkpoint", self.artifact("sigint.resume"), NET]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        self.verify(proc.returncode == 130, "exit %d: %s" % (proc.returncode, err[-300:]))
        ev = read_events(log)
        kinds = [e["event"] for e in ev]
        self.verify("interrupted" in kinds and kinds[-1] == "scan_end" and
                    ev[-1]["interrupted"] and ev[-1]["exit"] == 130, "events %s" % kinds)
        self.verify(next(e for e in ev if e["event"] == "interrupted")["by"] == "signal",
                    "interrupted by what")
        progress = [e for e in ev if e["event"] == "progress"]
        self.verify(len(progress) >= 3 and all(0 <= e["done"] <= 1 for e in progress) and
                    progress[-1]["sent"] > 0, "progress %s" % progress[-2:])
        self.verify("checkpoint" in kinds, "no checkpoint event: %s" % kinds)

    def test_scan_id_and_log_errors(self):
        for extra, message in ((["--scan-id", "has space"], "--scan-id"),
                               (["--scan-id", "x" * 65], "--scan-id"),
                               (["--event-log", "-"], "--event-log"),
                               (["--event-log", "/tmp/same", "-oJ", "/tmp/same"],
                                "name the same file")):
            p = self.scan("bad", extra, expect_rc=2)
            self.verify(message in p.stderr.splitlines()[0], "%s: %s" % (extra, p.stderr))
        p = self.scan("unwritable", ["--event-log", "/nonexistent/dir/x"], expect_rc=1)
        self.verify("cannot write --event-log" in p.stderr, p.stderr)
