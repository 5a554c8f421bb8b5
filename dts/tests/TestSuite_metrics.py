"""--metrics: Debian's prometheus (started by the test in the scanner's
namespace, its own config and data directory) scrapes the scan's /metrics
every second; a query through Prometheus's HTTP API finds the probes
counter rising while the scan runs and ending at the scan's own count; the
text is Prometheus's format (promtool checks it); bad addresses are usage
errors."""
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.parse

from framework import testbed
from framework.test_suite import TestSuite

NET = "198.19.0.0/26"
METRICS = "127.0.0.1:19464"
PROM = "127.0.0.1:19090"


class TestMetrics(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("met").create()
        self.work = tempfile.mkdtemp(prefix="prt-prom-")
        conf = os.path.join(self.work, "prometheus.yml")
        with open(conf, "w", encoding="utf-8") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: dpdk-prtip\n"
                    "    static_configs:\n      - targets: ['%s']\n" % METRICS)
        self.prom = subprocess.Popen(
            ["ip", "netns", "exec", self.tb.scan_ns, "prometheus", "--config.file", conf,
             "--storage.tsdb.path", os.path.join(self.work, "data"),
             "--web.listen-address", PROM], stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.work, "prometheus.log"), "w", encoding="utf-8"))
        deadline = time.time() + 30
        while time.time() < deadline and self.api("/-/ready", raw=True) is None:
            time.sleep(0.5)

    def tear_down_suite(self):
        self.prom.terminate()
        self.prom.wait(timeout=30)
        subprocess.run(["rm", "-rf", self.work])
        self.tb.destroy()

    def api(self, path, raw=False):
        """GET http://PROM/path from inside the namespace; JSON (or text with raw)."""
        p = subprocess.run(["ip", "netns", "exec", self.tb.scan_ns, "/usr/bin/python3", "-c",
                            "import sys, urllib.request; sys.stdout.write(urllib.request."
                            "urlopen(sys.argv[1], timeout=5).read().decode())",
                            "http://%s%s" % (PROM, path)], capture_output=True, text=True)
        if p.returncode != 0:
            return None
        return p.stdout if raw else json.loads(p.stdout)

    def query(self, expr):
        r = self.api("/api/v1/query?query=" + urllib.parse.quote(expr))
        res = r["data"]["result"] if r and r.get("status") == "success" else []
        return float(res[0]["value"][1]) if res else None

    def test_prometheus_sees_the_probe_counter_rise(self):
        self.verify(self.api("/-/ready", raw=True) is not None, "prometheus did not start: %s" %
                    open(os.path.join(self.work, "prometheus.log"), encoding="utf-8").read()[-500:])
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary] + \
            self.tb.eal_args() + ["--"] + self.tb.scan_args(states=None) + [
                "--rate", "1000", "-p", "1-150", "--wait", "2", "--scan-id", "met-1",
                "--metrics", METRICS, "-oJ", self.artifact("scan.ndjson"),
                "--db", self.fresh_db(), NET]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        samples = []
        page = None
        expr = 'prtip_probes_sent_total{scan="met-1"}'
        while proc.poll() is None:
            time.sleep(1)
            v = self.query(expr)
            if v is not None:
                samples.append(v)
            if page is None:
                page = subprocess.run(
                    ["ip", "netns", "exec", self.tb.scan_ns, "/usr/bin/python3", "-c",
                     "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen("
                     "'http://%s/metrics', timeout=5).read().decode())" % METRICS],
                    capture_output=True, text=True).stdout or None
        out, err = proc.communicate(timeout=60)
        self.verify(proc.returncode == 0, "exit %d: %s" % (proc.returncode, err[-400:]))
        with open(self.artifact("metrics.txt"), "w", encoding="utf-8") as f:
            f.write(page or "")
        self.verify(len(samples) >= 3 and samples == sorted(samples) and
                    samples[-1] > samples[0] > 0,
                    "%s through Prometheus: %s" % (expr, samples))
        sent = int(out.split(" probes,")[0].rsplit(" ", 1)[1]) if " probes," in out else None
        self.verify(sent is not None and samples[-1] <= sent and
                    samples[-1] >= sent * 0.5, "last sample %s, scan sent %s" % (
                        samples[-1], sent))
        # the page itself: our families, the port's counters, the lcores, a valid format
        for series in ('prtip_replies_total{scan="met-1"}', "prtip_port_tx_packets_total{",
                       'prtip_lcore_packets_total{scan="met-1",lcore="1",role=',
                       'prtip_drop_total{scan="met-1",reason="', "prtip_tcp_created_total{",
                       "prtip_match_matched_total{", "prtip_scan_running{"):
            self.verify(page is not None and series in page, "no %s in:\n%s" % (
                series, (page or "")[:800]))
        check = subprocess.run(["promtool", "check", "metrics"], input=page,
                               capture_output=True, text=True)
        self.verify(check.returncode == 0, "promtool: %s %s" % (check.stdout, check.stderr))
        self.check_dashboard(page)

    def fresh_db(self):
        path = self.artifact("scan.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
        return path

    def check_dashboard(self, page):
        """docs/grafana's dashboard: every series it plots is on the page, and
        Prometheus parses every query of it."""
        path = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "grafana",
                            "dpdk-prtip.json")
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
        exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
        names = {n for e in exprs for n in re.findall(r"prtip_\w+", e)}
        missing = sorted(n for n in names if n + "{" not in page)
        self.verify(not missing, "the dashboard plots series /metrics lacks: %s" % missing)
        for e in exprs:
            r = self.api("/api/v1/query?query=" + urllib.parse.quote(
                e.replace("$scan", "met-1")))
            self.verify(r is not None and r.get("status") == "success",
                        "Prometheus refuses the dashboard's %s: %s" % (e, r))

    def test_bad_addresses_are_usage_errors(self):
        for spec in ("localhost", "127.0.0.1:0", "127.0.0.1:70000", "999.1.1.1:9464",
                     "[::1:9464", ""):
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
                "--metrics", spec, "-p", "80", NET], timeout=60)
            self.verify(p.returncode == 2 and "--metrics" in p.stderr.splitlines()[0],
                        "%r: exit %d %s" % (spec, p.returncode, p.stderr[:200]))
