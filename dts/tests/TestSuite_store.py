"""--db: the results store. A scan into SQLite stores exactly what -oJ wrote
(pair by pair) and every event the --event-log has; shards of one scan into
a PostgreSQL server started by the test (initdb in a temporary directory)
land in one scan id, and running a shard again or resuming after SIGINT
stores no row twice; `dpdk-prtip db` lists, shows, exports (the same -oN and
-oJ the scan wrote), diffs scans (a port opened between two scans) and
reports a scan as an HTML page that headless Chromium renders without a
script error; certificates and services go in with --ssl-cert."""
import ipaddress
import json
import os
import signal
import sqlite3
import subprocess
import time

from framework import browser, postgres, testbed, zones
from framework.test_suite import TestSuite

NET = "198.19.0.0/26"
HOST_ONE = "198.19.0.1"
PORTS = [22, 80, 81, 443]


class TestStore(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("store").create()
        self.truth = {(str(ip), p): zones.truth(str(ip), p)
                      for ip in ipaddress.ip_network(NET) for p in PORTS}
        self.pg = postgres.Postgres().start()
        self.tb.start_tls_servers()

    def tear_down_suite(self):
        self.pg.stop()
        self.tb.destroy()

    def scan(self, name, extra, ports=PORTS, net=NET, expect_rc=0):
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(states=None) + [
            "--wait", "1", "-p", ",".join(map(str, ports))] + extra + [net], timeout=180)
        self.keep_run(name, p, expect_rc)
        return p

    def db(self, url, *args, expect_rc=0):
        p = subprocess.run([self.ctx.binary, "db", "--db", url] + list(args),
                           capture_output=True, text=True, timeout=120)
        with open(self.artifact("db-%s.log" % args[0]), "a", encoding="utf-8") as f:
            f.write("$ db %s\n%s\n--- stderr ---\n%s\n" % (" ".join(args), p.stdout, p.stderr))
        self.verify(p.returncode == expect_rc, "db %s: exit %d: %s" % (
            " ".join(args), p.returncode, p.stderr[-400:]))
        return p.stdout

    def fresh(self, name):
        """An artifact path with nothing there yet (a store from an earlier run would add up)."""
        path = self.artifact(name)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
        return path

    @staticmethod
    def sqlite_rows(path, sql, *params):
        con = sqlite3.connect(path)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def test_sqlite_holds_what_ndjson_holds(self):
        dbf, res, log = self.fresh("scan.db"), self.artifact("scan.ndjson"), \
            self.artifact("scan.events")
        self.scan("sqlite", ["--db", dbf, "--scan-id", "daily-1", "-oJ", res,
                             "--event-log", log])
        want = {(r["ip"], r["port"], r["state"], r["reason"], r["ttl"])
                for r in self.read_ndjson(res).values()}
        got = set(self.sqlite_rows(dbf, "SELECT ip, port, state, reason, ttl FROM ports "
                                   "WHERE scan = 'daily-1'"))
        self.verify(got == want and len(want) == len(self.truth),
                    "store %d rows, -oJ %d, truth %d; differ on %s" % (
                        len(got), len(want), len(self.truth), list(got ^ want)[:3]))
        truth = {(k[0], k[1], v[0], v[1]) for k, v in self.truth.items()}
        self.verify({g[:4] for g in got} == truth, "store differs from the truth")
        with open(log, encoding="utf-8") as f:
            logged = [json.loads(line) for line in f]
        # seq numbers one run's events as they were logged (a port_open is stamped with
        # its answer's arrival, which may be before an event logged ahead of it)
        stored = self.sqlite_rows(dbf, "SELECT event, body FROM events WHERE scan = 'daily-1' "
                                  "ORDER BY seq")
        self.verify([json.loads(b) for _, b in stored] == logged,
                    "events: %d stored, %d logged" % (len(stored), len(logged)))
        (status, probes, targets), = self.sqlite_rows(
            dbf, "SELECT status, probes, targets FROM scans WHERE scan = 'daily-1'")
        self.verify(status == "done" and probes >= len(self.truth) and targets == 64,
                    "scan row %s %s %s" % (status, probes, targets))
        # the same scan read back: db export writes what the scan wrote
        for fmt, path in (("-oJ", self.artifact("export.ndjson")),):
            self.db(dbf, "export", "daily-1", fmt, path)
        with open(res, encoding="utf-8") as a, open(self.artifact("export.ndjson"),
                                                      encoding="utf-8") as b:
            self.verify(sorted(a) == sorted(b), "db export -oJ differs from the scan's -oJ")

    def test_export_normal_equals_the_scans_own(self):
        dbf, normal = self.fresh("normal.db"), self.artifact("scan.nmap")
        self.scan("normal", ["--db", dbf, "--scan-id", "n1", "-oN", normal])
        self.db(dbf, "export", "n1", "-oN", self.artifact("export.nmap"))

        def body(path):  # the header and the "done" line carry times and the command
            with open(path, encoding="utf-8") as f:
                return [line for line in f if not line.startswith("#")]
        self.verify(body(normal) == body(self.artifact("export.nmap")),
                    "db export -oN differs from the scan's -oN")
        xml = self.artifact("export.xml")
        self.db(dbf, "export", "latest", "-oX", xml)
        subprocess.run(["xmllint", "--noout", xml], check=True)

    def store_url(self, backend, name):
        return self.pg.url() if backend == "pg" else self.fresh(name + ".db")

    def rows(self, url, sql):
        """A query's rows as tuples of text, from either backend."""
        if url.startswith("postgresql:"):
            return [tuple(line.split("|")) for line in self.pg.psql(sql).splitlines()]
        return [tuple(str(c) for c in r) for r in self.sqlite_rows(url, sql)]

    def shards_and_reruns(self, backend):
        """Two appliances' shards of one scan (and shard 1 again, a retried job) store
        the rows one full scan writes to -oJ, each once."""
        url, scan_id = self.store_url(backend, "shards"), "fleet-7-" + backend
        full = self.artifact("full.ndjson")
        self.scan("full-" + backend, ["--seed", "5", "-oJ", full])
        want = {(r["ip"], str(r["port"]), r["state"], r["reason"])
                for r in self.read_ndjson(full).values()}
        for shard in ("1/2", "2/2", "1/2"):
            self.scan("%s-%s" % (backend, shard.replace("/", "of")), [
                "--db", url, "--scan-id", scan_id, "--seed", "5", "--shard", shard])
        got = self.rows(url, "SELECT ip, port, state, reason FROM ports WHERE scan = '%s'" %
                        scan_id)
        truth = {(k[0], str(k[1]), v[0], v[1]) for k, v in self.truth.items()}
        self.verify(len(got) == len(set(got)) == len(want) and set(got) == want == truth,
                    "%s: %d rows (%d distinct), the full scan's -oJ %d, truth %d" % (
                        backend, len(got), len(set(got)), len(want), len(truth)))
        shards = self.rows(url, "SELECT shard, status FROM scans WHERE scan = '%s' "
                           "ORDER BY shard" % scan_id)
        self.verify(shards == [("1/2", "done"), ("2/2", "done")], "scans rows %s" % shards)
        listed = self.db(url, "list")
        self.verify(scan_id in listed and " 2 done" in " ".join(listed.split()),
                    "db list: %s" % listed)

    def test_shards_and_reruns_postgres(self):
        self.shards_and_reruns("pg")

    def test_shards_and_reruns_sqlite(self):
        self.shards_and_reruns("sqlite")

    def resume_after_sigint(self, backend):
        """A scan stopped by SIGINT and resumed stores each pair once."""
        url, ckpt = self.store_url(backend, "resume"), self.artifact("resume.ckpt")
        scan_id = "resumed-" + backend
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary] + \
            self.tb.eal_args() + ["--"] + self.tb.scan_args(states=None) + [
                "--rate", "400", "-p", "1-40", "--db", url, "--scan-id", scan_id,
                "--checkpoint", ckpt, "--checkpoint-every", "1", NET]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        self.verify(proc.returncode == 130, "exit %d: %s" % (proc.returncode, err[-300:]))
        status = self.rows(url, "SELECT status FROM scans WHERE scan = '%s'" % scan_id)
        self.verify(status == [("interrupted",)], "after SIGINT: %s" % status)
        p = self.tb.run_scanner(self.ctx.binary, ["--resume", ckpt], timeout=180)
        self.keep_run("resume-" + backend, p)
        got = self.rows(url, "SELECT ip, port FROM ports WHERE scan = '%s' AND "
                        "state = 'open'" % scan_id)
        want = {(k[0], str(k[1])) for k, v in zones_truth(NET, range(1, 41)).items()
                if v[0] == "open"}
        self.verify(len(got) == len(set(got)) and set(got) == want,
                    "%s: open rows %d (%d distinct), truth %d" % (
                        backend, len(got), len(set(got)), len(want)))
        status = self.rows(url, "SELECT status FROM scans WHERE scan = '%s'" % scan_id)
        self.verify(status == [("done",)], "after the resume: %s" % status)

    def test_resume_after_sigint_postgres(self):
        self.resume_after_sigint("pg")

    def test_resume_after_sigint_sqlite(self):
        self.resume_after_sigint("sqlite")

    def diff_finds_a_port_that_opened(self, backend):
        url = self.store_url(backend, "diff")
        before, after = "week-1-" + backend, "week-2-" + backend
        self.scan("before-" + backend, ["--db", url, "--scan-id", before])
        listener = subprocess.Popen(
            ["ip", "netns", "exec", self.tb.farm_ns, "/usr/bin/python3", "-c",
             "import socket, time; s = socket.socket(); "
             "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
             "s.bind(('0.0.0.0', 81)); s.listen(1024); print('ready', flush=True); "
             "time.sleep(120)"], stdout=subprocess.PIPE, text=True)
        try:
            self.verify(listener.stdout.readline().strip() == "ready", "listener on 81")
            self.scan("after-" + backend, ["--db", url, "--scan-id", after])
        finally:
            listener.kill()
            listener.wait()
        # SQLite's file holds these two scans only: by start time too
        out = self.db(url, "diff", *(("previous", "latest") if backend == "sqlite" else
                                    (before, after)), expect_rc=1)
        opened = sorted(line.split()[0][1:] for line in out.splitlines()
                        if line.startswith("+") and "81/tcp open" in line)
        want = sorted(str(ip) for ip in ipaddress.ip_network(NET))
        self.verify(opened == want, "diff: %d opened on 81, want %d:\n%s" % (
            len(opened), len(want), out[:600]))
        self.verify("64 ports opened, 0 no longer open" in out, out.splitlines()[-1])
        back = self.db(url, "diff", after, before, expect_rc=1)
        self.verify("0 ports opened, 64 no longer open" in back, back.splitlines()[-1])
        same = self.db(url, "diff", before, before, expect_rc=0)
        self.verify("0 ports opened, 0 no longer open" in same, same)
        shown = self.db(url, "show", after)
        self.verify(shown.count("81/tcp") == 64 and "192 open" not in shown and
                    "256 open" in shown, shown[:500])

    def test_db_diff_finds_a_port_that_opened_sqlite(self):
        self.diff_finds_a_port_that_opened("sqlite")

    def test_db_diff_finds_a_port_that_opened_postgres(self):
        self.diff_finds_a_port_that_opened("pg")

    def test_certificates_go_into_the_store(self):
        dbf = self.fresh("tls.db")
        self.scan("tls", ["--db", dbf, "--scan-id", "tls-1", "--ssl-cert"],
                  ports=[4431, 4432], net="198.19.0.5")
        rows = self.sqlite_rows(dbf, "SELECT port, ok, tls_version, subject, sha1 FROM "
                                "certificates WHERE scan = 'tls-1' ORDER BY port")
        self.verify([(r[0], r[1], r[2]) for r in rows] == [(4431, 1, "TLSv1.2"),
                                                          (4432, 1, "TLSv1.3")] and
                    all("commonName=tls%d.prtip.test" % r[0] in r[3] and len(r[4]) >= 40
                        for r in rows), "certificates %s" % rows)
        shown = self.db(dbf, "show", "tls-1")
        self.verify(shown.count("certificate: ") == 2 and "tls4432.prtip.test" in shown,
                    shown)

    def test_report_renders_in_chromium(self):
        dbf, html, png = self.fresh("report.db"), self.artifact("report.html"), \
            self.artifact("report.png")
        # long enough for progress events (4 s at 20 probes/s), with certificates
        self.scan("report", ["--db", dbf, "--scan-id", "rep-1", "--ssl-cert", "--rate", "20"],
                  ports=[22, 80, 4431, 4432, 9], net="198.19.0.0/28")
        self.db(dbf, "report", "rep-1", "-o", html)
        dom, errors = browser.dump_dom(html)
        self.verify(not errors, "console errors: %s" % errors)
        self.verify('data-ready="yes"' in dom, "the page's script did not run to its end")
        for what in ("Rate and replies over time", "Answers by state, per port",
                     "Top services", "Certificate expiry", "tls4431.prtip.test",
                     "tls4432.prtip.test", "4431/tcp"):
            self.verify(what in dom, "no %r in the report" % what)
        self.verify(dom.count("<svg") == 4 and dom.count("<circle") >= 4,
                    "%d charts, %d points" % (dom.count("<svg"), dom.count("<circle")))
        self.verify(not browser.screenshot(html, png), "console errors on the screenshot")
        self.verify(os.path.getsize(png) > 30000, "screenshot of %d bytes" %
                    os.path.getsize(png))

    def test_db_errors(self):
        p = subprocess.run([self.ctx.binary, "db", "list"], capture_output=True, text=True,
                           env={k: v for k, v in os.environ.items() if k != "DPDK_PRTIP_DB"})
        self.verify(p.returncode == 2 and "--db" in p.stderr.splitlines()[0], p.stderr)
        self.db(self.fresh("none.db"), "list", expect_rc=1)
        self.verify(not os.path.exists(self.artifact("none.db")), "a reader made a file")
        dbf = self.fresh("empty.db")
        sqlite3.connect(dbf).close()  # an empty database file: a store with no scan
        for args, rc in ((("show", "no-such-scan"), 1), (("show", "latest"), 1), (("frobnicate",), 2),
                         (("export", "daily-1"), 2), (("export", "daily-1", "-oZ", "x"), 2),
                         (("diff", "a"), 2), (("report", "x"), 2),
                         (("list", "-o", "x.html"), 2)):
            self.db(dbf, *args, expect_rc=rc)
        # a store is a file like any input: what it holds reaches the terminal cleaned
        hostile = self.fresh("hostile.db")
        self.scan("hostile", ["--db", hostile, "--scan-id", "h1"], ports=[22], net=HOST_ONE)
        con = sqlite3.connect(hostile)
        con.execute("UPDATE scans SET cmdline = CAST(? AS TEXT) WHERE scan = 'h1'",
                    (b"run\x1b[2J\x07\xc3(",))  # ESC, BEL and a cut UTF-8 sequence
        con.commit()
        con.close()
        shown = self.db(hostile, "show", "h1")
        self.verify("\x1b" not in shown and "\x07" not in shown and "run?[2J??(" in shown,
                    "db show printed %r" % shown[:300])
        self.scan("bad-db", ["--db", "/nonexistent/dir/x.db"], expect_rc=1)
        self.scan("bad-pg", ["--db", "postgresql:///nope?host=/nonexistent"], expect_rc=1)


def zones_truth(net, ports):
    return {(str(ip), p): zones.truth(str(ip), p)
            for ip in ipaddress.ip_network(net) for p in ports}
