"""Hostile Internet: servers whose banners and certificates attack every
output format (formulas, terminal escapes, invalid UTF-8, U+FFFF, XML
metacharacters); the scanner running as nobody with no capability while it
talks to them, SIGINT still saving a valid checkpoint and outputs; a link
that loses, duplicates, reorders and corrupts frames (tc netem) without a
wrong or missing result."""
import csv
import importlib.util
import ipaddress
import json
import os
import signal
import subprocess
import time
import uuid

from framework import hostile_farm, testbed, zones
from framework.banner_text import csv_uncell, unescape
from framework.telemetry import Telemetry
from framework.test_suite import TestSuite

HERE = os.path.dirname(os.path.abspath(__file__))
# the unit tests' checker of output files (real parsers), shared rather than copied
_spec = importlib.util.spec_from_file_location(
    "check_outputs", os.path.join(HERE, "..", "..", "tests", "unit", "check_outputs.py"))
check_outputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_outputs)

HOSTS = ["198.19.0.5", "198.19.2.77"]
TLS_PORT = 8443
FORMATS = {"-oX": ("xml", ".xml"), "-oJ": ("json", ".ndjson"), "-oC": ("csv", ".csv"),
           "-oN": ("text", ".nmap"), "-oG": ("text", ".gnmap")}


class TestHostile(TestSuite):
    def set_up_suite(self):
        # with IPv6 (the scanner owns 2001:2::2): frames from IPv4 hosts in IPv6 disguise
        self.tb = testbed.Testbed("hos", ipv6=True).create()
        self.tb.start_hostile_farm()
        self.cert = self.tb.start_hostile_tls(
            TLS_PORT,
            b"/CN=a\\/R&D\"><!--=x\x1b[2J/O=Smith & Sons \xc2\x9b\xef\xbf\xbf/C=XX",
            b"DNS:\xef\xbf\xbf.prtip.test,DNS:ok.prtip.test,email:<a@b>")

    def tear_down_suite(self):
        self.tb.destroy()

    def scan_all_formats(self, name, args):
        paths = {opt: self.artifact(name + ext) for opt, (_, ext) in FORMATS.items()}
        outs = [x for opt, path in paths.items() for x in (opt, path)]
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + outs + args,
                                timeout=120)
        self.keep_run(name, p)
        for opt, path in paths.items():
            problem = check_outputs.check(FORMATS[opt][0], path)
            self.verify(problem is None, "%s %s: %s" % (opt, path, problem))
        v = subprocess.run(["xmllint", "--noout", paths["-oX"]], capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-400:])
        self.verify("\x1b" not in p.stdout and check_outputs.no_controls(p.stdout) is None,
                    "stdout carries a control character: %r" % p.stdout[-400:])
        return p, paths

    def test_hostile_banners_in_every_format(self):
        ports = sorted(hostile_farm.BANNERS)
        p, paths = self.scan_all_formats("banners", ["--banners", "-p",
                                                     ",".join(map(str, ports))] + HOSTS)
        banners = [json.loads(l) for l in open(paths["-oJ"], encoding="utf-8")
                   if '"banner"' in l]
        self.verify(len(banners) == len(ports) * len(HOSTS), "banners: %d" % len(banners))
        wrong = [b for b in banners if unescape(b["banner"]) != hostile_farm.BANNERS[b["port"]]]
        self.verify(not wrong, "banners not as sent: %s" % wrong[:2])
        with open(paths["-oC"], encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        col = rows[0].index("banner")
        cells = {(r[0], int(r[1])): unescape(csv_uncell(r[col])) for r in rows[1:] if r[col]}
        self.verify(all(cells[(b["ip"], b["port"])] == hostile_farm.BANNERS[b["port"]]
                        for b in banners), "-oC banners differ from what was sent")
        print("    %d hostile banners: -oX well-formed (xmllint), -oJ UTF-8 JSON, -oC without "
              "formula cells, -oN/-oG/stdout without control characters" % len(banners),
              flush=True)

    def test_hostile_certificate_in_every_format(self):
        p, paths = self.scan_all_formats("cert", ["--ssl-cert", "-p", str(TLS_PORT), HOSTS[0]])
        rec = [json.loads(l) for l in open(paths["-oJ"], encoding="utf-8") if "ssl_cert" in l]
        self.verify(len(rec) == 1 and rec[0]["ssl_cert"]["ok"], "no certificate: %s" % rec)
        subject = rec[0]["ssl_cert"]["subject"]
        self.verify("R&D\"><!--=x" in subject and "Smith & Sons" in subject and
                    "\ufffe" not in subject and "\uffff" not in subject and
                    "\x1b" not in subject, "subject: %r" % subject)
        print("    subject %r survives every format" % subject, flush=True)

    def test_tls_memory_budget(self):
        """--max-tls-memory 1M leaves 3 TLS clients (320 KiB each): 64 handshakes
        arriving at once get a certificate or say they were not tried, none lost."""
        out = self.artifact("budget.ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--ssl-cert", "--max-tls-memory", "1M", "--rate", "20000", "-p", str(TLS_PORT),
            "-oJ", out, "198.19.0.0/26"], timeout=120)
        self.keep_run("budget", p)
        self.verify(check_outputs.no_controls(p.stdout) is None,
                    "stdout: %s" % check_outputs.no_controls(p.stdout))
        certs = [json.loads(l)["ssl_cert"] for l in open(out, encoding="utf-8")
                 if "ssl_cert" in l]
        ok = [c for c in certs if c["ok"]]
        refused = [c for c in certs if "max-tls-memory" in c.get("error", "")]
        self.verify(len(certs) == 64 and len(ok) + len(refused) == 64 and ok and refused,
                    "%d records, %d certificates, %d refused" % (len(certs), len(ok),
                                                                  len(refused)))
        print("    64 handshakes with 3 clients: %d certificates, %d said not tried" %
              (len(ok), len(refused)), flush=True)

    def injector(self, *args):
        """framework/injector.py in the target namespace, its socket bound."""
        proc = subprocess.Popen(
            ["ip", "netns", "exec", self.tb.farm_ns, "/usr/bin/python3",
             os.path.join(HERE, "..", "framework", "injector.py"), self.tb.farm_if] +
            [str(a) for a in args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.verify(proc.stdout.readline().strip() == "ready", "the injector did not start")
        return proc

    def test_forged_reset_and_ack_do_not_steer_a_connection(self):
        """An attacker who sees the handshake sends the scanner, as the server, a
        reset inside the window (not at rcv_nxt) and data whose ACK is beyond what
        the scanner sent (RFC 5961): the connection lives on and the banner is the
        real server's, a second later."""
        inj = self.injector("hijack", hostile_farm.LATE)
        out = self.artifact("hijack.ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--banners", "--banner-wait", "3", "-p", str(hostile_farm.LATE), "-oJ", out,
            HOSTS[0]], timeout=60)
        said = inj.communicate(timeout=30)[0].strip()
        self.keep_run("hijack", p)
        self.verify(said == "injected", "the injector saw no handshake: %r" % said)
        banners = [json.loads(l) for l in open(out, encoding="utf-8") if '"banner"' in l]
        self.verify(len(banners) == 1 and unescape(banners[0]["banner"]) ==
                    hostile_farm.LATE_BANNER, "banner after the forgeries: %s" % banners)
        print("    in-window reset and beyond-snd_nxt data ignored; the real banner came",
              flush=True)

    def test_syn_ack_flood_with_bad_cookies(self):
        """SYN-ACKs with bad cookies from the scanned block, as fast as the injector
        sends (far more than this VM's RX lcore classifies), during a scan: no forged
        answer becomes a result (every pair equals the truth, or, where the flood
        crowded a real answer out of the receive ring, is silent: filtered), nothing is
        reported twice, and the flood is counted as bad cookies."""
        cidrs, ports = ["198.19.0.0/24", "198.19.1.0/24"], [22, 80, 443]
        out = self.artifact("flood.ndjson")
        inj = self.injector("flood", 6)
        time.sleep(0.5)
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--rate", "5000", "--max-retries", "3", "--wait", "2", "-oJ", out,
            "-p", ",".join(map(str, ports))] + cidrs, timeout=120)
        sent = inj.communicate(timeout=30)[0].strip()
        self.keep_run("flood", p)
        expected = {(str(ip), port): zones.truth(str(ip), port)
                    for cidr in cidrs for ip in ipaddress.ip_network(cidr) for port in ports}
        got = self.read_ndjson(out)  # raises on a pair reported twice
        silent = ("filtered", "no-response")
        crowded = [k for k, want in expected.items() if k in got and
                   (got[k]["state"], got[k]["reason"]) == silent and want != silent]
        bad = [b for b in self.compare_with_truth(got, expected)
               if not any("%s:%d " % k in b for k in crowded)]
        self.verify(not bad, "%d forged or wrong under the flood, e.g. %s" % (len(bad), bad[:4]))
        self.verify(len(crowded) < len(expected) // 10, "%d of %d answers crowded out" %
                    (len(crowded), len(expected)))
        ignored = [l for l in p.stderr.splitlines() if "ignored" in l and "received" in l]
        counted = int(ignored[0].split("bad-cookie ")[1].split(",")[0].split(";")[0]) \
            if ignored and "bad-cookie" in ignored[0] else 0
        self.verify(counted > 1000, "flood (%s) not counted: %s" % (sent, ignored))
        # net_af_packet counts no frame the kernel dropped before its ring (imissed 0
        # while the flood outruns it), so the port's drop line is shown when there is one
        missed = [l for l in p.stderr.splitlines() if "the port dropped" in l]
        print("    flood (%s): %d bad cookies counted, no forged result; of %d pairs %d equal "
              "to the truth, %d answers crowded out (silent)%s" % (
                  sent, counted, len(expected), len(expected) - len(crowded), len(crowded),
                  "; " + missed[0].split(": ", 1)[1] if missed else ""), flush=True)

    def test_ipv4_host_in_ipv6_disguise(self):
        """IPv6 SYN-ACKs from ::ffff:198.19.0.5 (the scanned IPv4 host, mapped) to the
        scanner's IPv6 address: each is refused as a bad IP header, never taken for
        the IPv4 host; the IPv4 results stay exact."""
        ports = [22, 80, 443]
        out = self.artifact("mapped6.ndjson")
        inj = self.injector("mapped6", 4)
        time.sleep(0.3)
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--rate", "20", "--wait", "1", "-oJ", out, "-p", ",".join(map(str, ports)),
            HOSTS[0]], timeout=60)
        sent = inj.communicate(timeout=30)[0].strip()
        self.keep_run("mapped6", p)
        expected = {(HOSTS[0], port): zones.truth(HOSTS[0], port) for port in ports}
        bad = self.compare_with_truth(self.read_ndjson(out), expected)
        self.verify(not bad, "results: %s" % bad)
        ignored = [l for l in p.stderr.splitlines() if "ignored" in l and "received" in l]
        refused = int(ignored[0].split("bad-ip-header ")[1].split(",")[0].split(";")[0].split()[0]) \
            if ignored and "bad-ip-header" in ignored[0] else 0
        self.verify(refused > 100, "mapped frames (%s) not refused: %s" % (sent, ignored))
        print("    %s mapped-IPv6 frames offered; %d refused as bad IP headers while the scan "
              "ran, results exact" % (sent, refused), flush=True)

    def scanner_pid(self, proc):
        """dpdk-prtip's pid: timeout's child (ip netns exec becomes the scanner)."""
        deadline = time.time() + 10
        while time.time() < deadline:
            kids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                  text=True).stdout.split()
            if kids:
                return int(kids[0])
            time.sleep(0.05)
        raise AssertionError("no scanner process")

    def test_runs_as_nobody_and_sigint_still_saves(self):
        ck, xml, js = (self.artifact(n) for n in ("drop.resume", "drop.xml", "drop.ndjson"))
        for path in (ck, xml, js):
            if os.path.exists(path):
                os.unlink(path)
        prefix = "prt-hos-" + uuid.uuid4().hex[:8]
        cmd = ["timeout", "--signal=INT", "60", "ip", "netns", "exec", self.tb.scan_ns,
               self.ctx.binary] + self.tb.eal_args(prefix) + ["--"] + self.tb.scan_args() + [
            "--banners", "--rate", "40", "-p", str(hostile_farm.SILENT), "--checkpoint", ck,
            "-oX", xml, "-oJ", js, "198.19.0.0/24"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        pid = self.scanner_pid(proc)
        tel = Telemetry(prefix)
        deadline = time.time() + 20
        while time.time() < deadline and (tel.query("/prtip/tcp") or {}).get("open", 0) < 5:
            time.sleep(0.2)  # connections to the silent port are up: the talking phase
        tel.close()
        threads = {}
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/status" % (pid, tid), encoding="utf-8") as f:
                    fields = dict(l.split(":", 1) for l in f if ":" in l)
            except FileNotFoundError:
                continue  # a telemetry client's thread that ended with our connection
            threads[tid] = (fields["Uid"].split(), int(fields["CapEff"].strip(), 16),
                            fields["Groups"].split())
        # to the scanner itself: timeout would pass it on to the whole group as well,
        # and a second SIGINT ends the scanner at once (by design)
        os.kill(pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        with open(self.artifact("drop.log"), "w", encoding="utf-8") as f:
            f.write(out + "\n--- stderr ---\n" + err)
        bad = {t: v for t, v in threads.items() if "0" in v[0] or v[1] != 0 or v[2]}
        self.verify(threads and not bad, "threads with root, capabilities or groups: %s" % bad)
        self.verify(proc.returncode == 130, "exit %d: %s" % (proc.returncode, err[-400:]))
        st = os.stat(ck)
        self.verify(st.st_uid == 0 and st.st_mode & 0o777 == 0o600,
                    "checkpoint owner %d mode %o" % (st.st_uid, st.st_mode & 0o777))
        v = subprocess.run(["xmllint", "--noout", xml], capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint after SIGINT: %s" % v.stderr[-400:])
        self.read_ndjson(js)
        print("    %d threads as uid %s with CapEff 0 and no groups; SIGINT: exit 130, "
              "checkpoint root 0600, outputs valid" % (len(threads),
                                                      next(iter(threads.values()))[0][0]),
              flush=True)

    def test_link_faults_keep_results_exact(self):
        """A wire that loses 5%, duplicates 1%, corrupts 1% and reorders 2% of the
        target's frames (framework/faulty_wire.py: this kernel has no netem): with
        --max-retries 3 every result equals the truth (resets, ICMP unreachables,
        silence and SYN-ACKs), corrupted frames are dropped and counted, none reported."""
        cidrs, ports = ["198.19.1.0/25", "198.19.20.0/25", "198.19.22.0/25"], [22, 80, 443]
        out = self.artifact("faults.ndjson")
        wire = self.tb.insert_faulty_wire(seed=11)
        try:
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
                "--rate", "2000", "--seed", "5", "--max-retries", "3", "--wait", "2", "-oJ",
                out, "-p", ",".join(map(str, ports))] + cidrs, timeout=300)
        finally:
            counts = self.tb.remove_faulty_wire(wire)
        self.keep_run("faults", p)
        expected = {(str(ip), port): zones.truth(str(ip), port)
                    for cidr in cidrs for ip in ipaddress.ip_network(cidr) for port in ports}
        bad = self.compare_with_truth(self.read_ndjson(out), expected)
        self.verify(not bad, "%d wrong through the faulty wire (%s), e.g. %s" %
                    (len(bad), counts, bad[:4]))
        ignored = [l for l in p.stderr.splitlines() if "ignored" in l and "received" in l]
        self.verify(ignored and "bad-checksum" in ignored[0],
                    "corrupted frames not counted (%s): %s" % (counts, ignored))
        print("    %d pairs equal to the truth through a faulty wire (%s); %s" %
              (len(expected), counts, ignored[0].split(": ", 1)[1]), flush=True)
