"""-sV against real services in the target namespace (vsftpd, OpenSSH, Python's
smtpd, Redis, nginx with HTTP and HTTPS, Python's http.server, openssl s_server TLS 1.2 and 1.3), talking ones from banner_farm.py (FTP/SSH/SMTP
greetings, a silent port, binary garbage) and the testbed's listeners
(which close at once: tcpwrapped). For every port nmap -sV identifies from
the same veth, dpdk-prtip reports the same service, product and version;
both wall times are measured in the same run."""
import json
import subprocess
import time

from framework.nmap_xml import nmap_services, our_services
from framework.version_suite import VersionSuite

HOST = "198.19.0.5"
PORTS = [22, 2100, 2121, 2200, 2222, 2525, 2526, 4431, 4432, 6379, 7004, 8081, 8443, 8888,
         9999]


class TestVersion(VersionSuite):
    TAG = "ver"

    def start_servers(self):
        self.tb.start_banner_farm()
        self.tb.start_real_services()
        self.tb.start_tls_servers()

    def ours(self, name, args, timeout=300):
        out, p, wall = self.scan(name, ["-sV"] + args, timeout)
        return our_services(out), p, wall

    def test_same_answers_as_nmap_in_a_quarter_of_the_time(self):
        # warm the cache (a first compile takes tens of seconds; not what is compared)
        self.ours("warm", ["-p", "2222", HOST])
        ours, p, our_wall = self.ours("sV", ["-p", ",".join(map(str, PORTS)), "-oX",
                                             self.artifact("sV.xml"), "--xml-scanner-nmap",
                                             HOST])
        xml = self.artifact("nmap-sV.xml")
        start = time.time()
        n = subprocess.run(["timeout", "900", "ip", "netns", "exec", self.tb.scan_ns, "nmap",
                            "-sV", "-n", "-Pn", "-S", self.peer_ip, "-e", self.tb.scan_if,
                            "-p", ",".join(map(str, PORTS)), "-oX", xml, HOST],
                           capture_output=True, text=True, timeout=930)
        nmap_wall = time.time() - start
        self.verify(n.returncode == 0, "nmap -sV: %s" % n.stderr[-400:])
        theirs = nmap_services(xml)
        self.verify(len(theirs) >= 6, "nmap identified only %s" % theirs)
        diff = ["%d: nmap %s, ours %s" % (port, theirs[port], ours.get(port))
                for port in sorted(theirs) if ours.get(port) != theirs[port]]
        self.verify(not diff, "differs from nmap -sV: %s" % "; ".join(diff))
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd",
                            self.artifact("sV.xml")], capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-400:])
        self.verify("VERSION" in p.stdout and "OpenSSH" in p.stdout, p.stdout[-800:])
        print("    -sV: %d ports nmap identifies, all equal (%s); wall time %.1f s vs nmap's "
              "%.1f s (%.2f)" % (len(theirs), ", ".join("%d %s" % (k, v[0]) for k, v in
                                                        sorted(theirs.items())),
                                 our_wall, nmap_wall, our_wall / nmap_wall), flush=True)
        self.verify(our_wall <= nmap_wall / 4, "%.1f s is more than a quarter of nmap's %.1f s"
                    % (our_wall, nmap_wall))

    def test_with_ssl_cert(self):
        """-sV --ssl-cert: each port -sV finds TLS on carries the certificate that
        --ssl-cert alone gets, on the same line as its service; others carry none."""
        ports = "2222,4431,4432,8443"
        _, p, _ = self.ours("sV-cert", ["--ssl-cert", "-p", ports, HOST])
        out = self.artifact("sV-cert.ndjson")
        alone = self.artifact("cert-alone.ndjson")
        q = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--ssl-cert", "--wait", "1", "-oJ", alone, "-p", ports, HOST], timeout=120)
        self.keep_run("cert-alone", q)
        both, want = {}, {}
        for path, into in ((out, both), (alone, want)):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    rec = json.loads(line)
                    if "ssl_cert" in rec or "service" in rec:
                        into[rec["port"]] = rec
        rec = both.get(8443, {})
        self.verify(rec.get("tunnel") == "ssl" and rec.get("product") == "nginx",
                    "8443: -sV did not find nginx inside TLS: %s" % rec)
        self.verify(rec.get("ssl_cert", {}).get("ok") and
                    rec["ssl_cert"]["sha1"] == want[8443]["ssl_cert"]["sha1"],
                    "8443: certificate %s, --ssl-cert alone %s" % (
                        rec.get("ssl_cert"), want.get(8443, {}).get("ssl_cert")))
        self.verify(both.get(2222, {}).get("service") == "ssh" and
                    "ssl_cert" not in both[2222], "2222: %s" % both.get(2222))
        # the TLS-only s_servers serve one connection at a time: -sV finds TLS there
        # once it probes them one connection at a time (nmap: tunnel="ssl", nothing
        # inside), and the certificate is the one --ssl-cert alone gets
        for port in (4431, 4432):
            got = both.get(port, {}).get("ssl_cert", {})
            self.verify(got.get("ok") and
                        got.get("sha1") == want.get(port, {}).get("ssl_cert", {}).get("sha1"),
                        "%d: %s / alone %s" % (port, both.get(port), want.get(port)))
        self.verify("| ssl-cert: Subject: " in p.stdout and "ssl/http" in p.stdout,
                    p.stdout[-800:])
        print("    -sV --ssl-cert: 8443 carries ssl/http nginx and the certificate "
              "--ssl-cert gets, so do the s_servers 4431 and 4432; 2222 (ssh) none",
              flush=True)

    def test_bad_input(self):
        cases = [
            (["-sV", "-sF", "-p", "80", HOST], "-sV needs a scan that finds"),
            (["-sV", "--banners", "-p", "80", HOST], "--banners is not needed with it"),
            (["-sV", "--version-intensity", "10", "-p", "80", HOST],
             "bad --version-intensity '10'"),
            (["-sV", "--service-cache", "/nonexistent/dir", "-p", "80", HOST],
             "bad --service-cache '/nonexistent/dir'"),
            (["-sV", "--service-probes", "/nonexistent", "-p", "80", HOST],
             "-sV: cannot read /nonexistent"),
        ]
        for args, want in cases:
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args, timeout=60)
            self.verify(p.returncode == 2 and want in p.stderr,
                        "%s: exit %d, %s" % (" ".join(args), p.returncode, p.stderr[-300:]))
