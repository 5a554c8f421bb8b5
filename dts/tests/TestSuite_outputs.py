"""nmap-compatible outputs: -oX validates against nmap.dtd, round-trips
through ndiff and python3-libnmap, and stays well-formed after SIGINT; -oN,
-oG, -oA, -oC with --output-fields and --append-output say the same as the
NDJSON of the same scan, which equals the ground truth."""
import csv
import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ET

from framework import testbed, zones
from framework.nmap_xml import xml_ports
from framework.test_suite import TestSuite

HOSTS = ["198.19.0.5", "198.19.1.5", "198.19.16.5", "198.19.20.5", "198.19.21.5",
         "198.19.22.5", "198.19.128.5"]
PORTS = [22, 80, 81, 443, 8080, 9999]


class TestOutputs(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("out").create()
        self.truth = {(ip, p): zones.truth(ip, p) for ip in HOSTS for p in PORTS}

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, extra, ports=PORTS, hosts=HOSTS, expect_rc=0):
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--seed", "5", "--wait", "1", "-p", ",".join(map(str, ports))] + extra + hosts,
            timeout=120)
        self.keep_run(name, p, expect_rc)
        return p

    def check_xml_against_truth(self, path):
        listed, extra = xml_ports(path)
        answered = {ip for (ip, _), (s, r) in self.truth.items() if r != "no-response"}
        for (ip, port), (state, reason) in listed.items():
            want = self.truth[(ip, port)]
            self.verify((state, reason) == want,
                        "%s:%d xml %s/%s truth %s" % (ip, port, state, reason, want))
        hosts = {ip for ip, _ in listed} | set(extra)
        self.verify(hosts == answered, "xml hosts %s, answering %s" % (sorted(hosts),
                                                                        sorted(answered)))
        for ip in hosts:  # listed + extraports = every scanned port
            n = sum(1 for k in listed if k[0] == ip) + sum(extra.get(ip, {}).values())
            self.verify(n == len(PORTS), "%s: %d ports in xml" % (ip, n))

    def test_xml_validates_against_nmap_dtd(self):
        out = self.artifact("scan.xml")
        self.scan("xml", ["-oX", out, "--xml-scanner-nmap", "-oJ", self.artifact("scan.ndjson")])
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", out],
                           capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-800:])
        self.check_xml_against_truth(out)
        ours = self.read_ndjson(self.artifact("scan.ndjson"))
        bad = self.compare_with_truth(ours, self.truth)
        self.verify(not bad, "; ".join(bad[:5]))

    def test_xml_python_libnmap_and_ndiff(self):
        a, b = self.artifact("a.xml"), self.artifact("b.xml")
        self.scan("xml-a", ["-oX", a, "--xml-scanner-nmap"])
        self.scan("xml-b", ["-oX", b, "--xml-scanner-nmap"])
        from libnmap.parser import NmapParser
        report = NmapParser.parse_fromfile(a)
        seen = {}
        for host in report.hosts:
            for svc in host.services:
                seen[(host.address, svc.port)] = svc.state
        for (ip, port), state in seen.items():
            self.verify(state == self.truth[(ip, port)][0],
                        "libnmap %s:%d %s, truth %s" % (ip, port, state, self.truth[(ip, port)]))
        self.verify(("198.19.0.5", 22) in seen and seen[("198.19.0.5", 22)] == "open",
                    "libnmap lacks 198.19.0.5:22 open: %s" % sorted(seen.items())[:5])
        # two scans of the same unchanged network: ndiff says nothing changed (exit 0)
        d = subprocess.run(["ndiff", a, b], capture_output=True, text=True)
        self.verify(d.returncode == 0, "ndiff a b exit %d: %s%s" % (d.returncode, d.stdout,
                                                                      d.stderr))
        # and it sees a change: a scan without port 22 differs (exit 1)
        c = self.artifact("c.xml")
        self.scan("xml-c", ["-oX", c, "--xml-scanner-nmap"], ports=[p for p in PORTS if p != 22])
        d = subprocess.run(["ndiff", a, c], capture_output=True, text=True)
        self.verify(d.returncode == 1 and "22/tcp" in d.stdout,
                    "ndiff a c exit %d: %s%s" % (d.returncode, d.stdout, d.stderr))

    def test_oA_normal_and_grepable(self):
        base = self.artifact("all")
        self.scan("oA", ["-oA", base, "--reason"])
        for ext in ("nmap", "xml", "gnmap"):
            self.verify(os.path.getsize(base + "." + ext) > 0, "-oA wrote no ." + ext)
        with open(base + ".nmap", encoding="utf-8") as f:
            normal = f.read()
        self.verify(normal.startswith("# dpdk-prtip ") and " as: " in normal.splitlines()[0],
                    normal[:200])
        self.verify("Nmap scan report for 198.19.0.5\nHost is up" in normal, normal[:600])
        self.verify("PORT     STATE  SERVICE    REASON\n22/tcp   open   ssh        syn-ack ttl 64\n"
                    in normal, normal[:900])
        self.verify("admin-prohibited" in normal and "port-unreach" in normal, normal)
        self.verify(normal.rstrip().splitlines()[-1].startswith("# dpdk-prtip done at"),
                    normal[-200:])
        # grepable: each host's Ports field says what the truth says
        with open(base + ".gnmap", encoding="utf-8") as f:
            lines = [l for l in f.read().splitlines() if "\tPorts: " in l]
        self.verify(lines, "no Ports lines in .gnmap")
        for line in lines:
            ip = line.split()[1]
            for field in line.split("\tPorts: ")[1].split("\t")[0].split(", "):
                port, state, proto = field.split("/")[:3]
                self.verify(proto == "tcp" and state == self.truth[(ip, int(port))][0],
                            "gnmap %s %s" % (ip, field))
        self.check_xml_against_truth(base + ".xml")

    def test_csv_fields_and_append(self):
        out = self.artifact("scan.csv")
        if os.path.exists(out):
            os.unlink(out)
        self.scan("csv1", ["-oC", out, "--output-fields", "ip,port,state,reason,service"])
        self.scan("csv2", ["-oC", out, "--append-output", "--output-fields",
                           "ip,port,state,reason,service"])
        with open(out, encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header = ["ip", "port", "state", "reason", "service"]
        self.verify(rows[0] == header, "header %s" % rows[0])
        n = len(self.truth)
        self.verify(len(rows) == 2 * (n + 1), "%d rows for two scans of %d pairs" % (len(rows), n))
        self.verify(rows[n + 1] == header, "appended scan starts with its header")
        for row in rows[1:n + 1] + rows[n + 2:]:
            ip, port, state, reason, service = row
            self.verify((state, reason) == self.truth[(ip, int(port))], "csv %s" % row)
            if port == "22":
                self.verify(service == "ssh", "csv %s" % row)

    def test_xml_well_formed_after_sigint(self):
        out = self.artifact("sigint.xml")
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary] + self.tb.eal_args() + [
            "--"] + self.tb.scan_args() + ["--rate", "2000", "-p", "80,22", "-oX", out,
                                            "--xml-scanner-nmap", "--checkpoint",
                                            self.artifact("sigint.resume"), "198.19.0.0/17"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        self.verify(proc.returncode == 130, "exit %d: %s" % (proc.returncode, stderr[-400:]))
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", out],
                           capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint after SIGINT: %s" % v.stderr[-800:])
        root = ET.parse(out).getroot()
        fin = root.find("runstats/finished")
        self.verify(fin.get("exit") == "error" and fin.get("errormsg") == "interrupted",
                    "finished %s" % fin.attrib)
        self.verify(len(root.findall("host")) > 0, "no host before SIGINT")

    def test_dash_is_stdout(self):
        """-oX - writes the XML to stdout instead of the table (nmap's way), -v's
        lines go to stderr so the document stays whole, and no file named '-'
        is created; two formats cannot share stdout."""
        p = self.scan("xml-stdout", ["-oX", "-", "-v"])
        path = self.artifact("stdout.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(p.stdout)
        self.verify(p.stdout.startswith("<?xml"), "stdout: %s" % p.stdout[:200])
        self.check_xml_against_truth(path)
        self.verify("Discovered open port" in p.stderr, "-v lines: %s" % p.stderr[-300:])
        self.verify(not os.path.exists("-"), "a file named '-' was created")
        p = self.scan("two-stdout", ["-oX", "-", "-oN", "-"], expect_rc=2)
        self.verify("both write to stdout" in p.stderr, p.stderr)

    def test_open_is_nmaps_open_in_every_format(self):
        """--open as nmap: a FIN scan's open|filtered ports (silent ones too) and
        nothing else, in -oD (masscan's name for NDJSON), -oX and -oG; hosts
        without such a port are left out; -oX links nmap's stylesheet."""
        j, x, g = self.artifact("open.ndjson"), self.artifact("open.xml"), self.artifact("open.gnmap")
        self.scan("open", ["-sF", "--open", "-oD", j, "-oX", x, "-oG", g])
        want = {k: v for k, v in ((k, zones.truth_for("fin", *k)) for k in self.truth)
                if v[0] in ("open", "open|filtered", "unfiltered")}
        self.verify(want and any(r == "no-response" for _, r in want.values()), "no truth")
        got = self.read_ndjson(j)
        bad = self.compare_with_truth(got, want)
        self.verify(not bad and len(got) == len(want), "-oD: %s" % "; ".join(bad[:5]))
        listed, _ = xml_ports(x)
        answered = {ip for ip, _ in self.truth if any(
            zones.truth_for("fin", ip, p)[1] != "no-response" for p in PORTS)}
        self.verify(listed == {k: v for k, v in want.items() if k[0] in answered},
                    "-oX lists %s" % sorted(listed.items())[:6])
        with open(x, encoding="utf-8") as f:
            self.verify('<?xml-stylesheet href="file:///usr/share/nmap/nmap.xsl" '
                        'type="text/xsl"?>' in f.read(), "no stylesheet in -oX")
        with open(g, encoding="utf-8") as f:
            gnmap = f.read()
        self.verify("/closed/" not in gnmap and "/filtered/" not in gnmap, gnmap[-400:])

    def test_refusals(self):
        # unwritable path: exit 1 before any probe, other files untouched
        keep = self.artifact("keep.xml")
        with open(keep, "w", encoding="utf-8") as f:
            f.write("<nmaprun/>\n")
        p = self.scan("unwritable", ["-oN", "/nonexistent-dir/x.nmap"], expect_rc=1)
        self.verify("cannot write -oN /nonexistent-dir/x.nmap" in p.stderr, p.stderr)
        self.verify("Scan done" not in p.stdout, "scanned anyway")
        p = self.scan("append-xml", ["-oX", keep, "--append-output"], expect_rc=1)
        self.verify("XML file holds one scan" in p.stderr, p.stderr)
        with open(keep, encoding="utf-8") as f:
            self.verify(f.read() == "<nmaprun/>\n", "refused XML file was changed")
        p = self.scan("fields-no-csv", ["--output-fields", "ip"], expect_rc=2)
        self.verify("--output-fields" in p.stderr and "-oC" in p.stderr, p.stderr)
        p = self.scan("fields-bad", ["-oC", self.artifact("x.csv"), "--output-fields",
                                     "ip,nope"], expect_rc=2)
        self.verify("unknown field 'nope'" in p.stderr, p.stderr)
