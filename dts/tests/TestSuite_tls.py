"""--ssl-cert against openssl s_server in the target namespace: the
certificate fields of a TLS 1.2-only (RSA) and a TLS 1.3-only (EC) server
equal `openssl x509 -noout -text` of the certificates they serve, in -oJ,
-oX (nmap's ssl-cert tables, valid against nmap.dtd) and the table; SNI
picks the server's other certificate; hostile servers (a 1 MiB chain, plain
text, garbage, an alert, a certificate that is not DER) end in a reported
error or nothing, never a hang. JA4S (-oJ, -oX, the table) equals the one
this suite computes from tshark's decoding of the captured ServerHellos, and
so does --jarm's JARM (Salesforce's hash, written here from its description
apart from the scanner's code)."""
import hashlib
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime

from framework import banner_farm, testbed
from framework.connections import conn_counts
from framework.test_suite import TestSuite

HOST = "198.19.0.5"
NAMES = {"CN": "commonName", "O": "organizationName", "ST": "stateOrProvinceName",
         "C": "countryName"}


def openssl_fields(pem):
    """What `openssl x509` says of the certificate at @p pem, in ssl-cert's terms."""
    def x509(*args):
        return subprocess.run(["openssl", "x509", "-in", pem, "-noout"] + list(args),
                              capture_output=True, text=True, check=True).stdout

    def name(line):
        # "subject=C = XX, ST = Testing, O = prtip tests, CN = tls4431.prtip.test"
        parts = dict(p.strip().split(" = ", 1) for p in line.split("=", 1)[1].split(", "))
        return "/".join("%s=%s" % (NAMES[k], parts[k]) for k in ("CN", "O", "ST", "C")
                        if k in parts)

    def iso(line):
        return datetime.strptime(line.split("=", 1)[1].strip(),
                                 "%b %d %H:%M:%S %Y GMT").strftime("%Y-%m-%dT%H:%M:%S")

    text = x509("-text")
    dates = x509("-dates").splitlines()
    fp = lambda md: x509("-fingerprint", "-" + md).split("=", 1)[1].strip().replace(
        ":", "").lower()
    san = re.search(r"X509v3 Subject Alternative Name:.*\n\s+(.*)\n", text)
    return {
        "subject": name(x509("-subject").strip()),
        "issuer": name(x509("-issuer").strip()),
        "san": san.group(1).strip() if san else "",
        "not_before": iso(dates[0]),
        "not_after": iso(dates[1]),
        "key_bits": int(re.search(r"Public-Key: \((\d+) bit\)", text).group(1)),
        "key_type": "rsa" if "rsaEncryption" in text else "ec",
        "sig_alg": re.search(r"Signature Algorithm: (\S+)", text).group(1),
        "md5": fp("md5"),
        "sha1": fp("sha1"),
    }


def certs_of(path):
    got = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if "ssl_cert" in rec:
                got[rec["port"]] = rec["ssl_cert"]
    return got


def ja4s_of_pcap(pcap, ports):
    """{server port: JA4S} computed here from tshark's fields of each ServerHello
    (FoxIO's JA4S.md), apart from the scanner's code."""
    cmd = ["tshark", "-r", pcap, "-Y", "tls.handshake.type == 2", "-T", "fields",
           "-E", "separator=|", "-e", "tcp.srcport", "-e", "tls.handshake.version",
           "-e", "tls.handshake.ciphersuite", "-e", "tls.handshake.extension.type",
           "-e", "tls.handshake.extensions.supported_version",
           "-e", "tls.handshake.extensions_alpn_str"]
    for port in ports:
        cmd += ["-d", "tcp.port==%d,tls" % port]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    versions = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3"}
    got = {}
    for line in out.splitlines():
        port, legacy, cipher, types, supported, alpn = (line.split("|") + [""] * 6)[:6]
        exts = ["%04x" % int(t) for t in types.split(",") if t]
        version = int(supported.split(",")[0], 0) if supported else int(legacy, 0)
        alpn_code = alpn[0] + alpn[-1] if alpn else "00"
        got.setdefault(int(port), "t%s%02d%s_%04x_%s" % (
            versions.get(version, "00"), len(exts), alpn_code, int(cipher, 0),
            hashlib.sha256(",".join(exts).encode()).hexdigest()[:12]))
    return got


def xml_scripts(xml):
    """{(port, script id): its output} of an -oX file."""
    return {(int(port.get("portid")), s.get("id")): s.get("output")
            for port in ET.parse(xml).getroot().iter("port") for s in port.iter("script")}


# JARM's cipher ranks: the suite's place (from 1) in this list, two hex digits
JARM_RANKED = ("0004 0005 0007 000a 0016 002f 0033 0035 0039 003c 003d 0041 0045 0067 006b "
               "0084 0088 009a 009c 009d 009e 009f 00ba 00be 00c0 00c4 c007 c008 c009 c00a "
               "c011 c012 c013 c014 c023 c024 c027 c028 c02b c02c c02f c030 c060 c061 c072 "
               "c073 c076 c077 c09c c09d c09e c09f c0a0 c0a1 c0a2 c0a3 c0ac c0ad c0ae c0af "
               "cc13 cc14 cca8 cca9 1301 1302 1303 1304 1305").split()


def jarm_of_lines(lines):
    """JARM of ten (cipher, version, alpn, extensions) answers; None: no ServerHello."""
    if all(line is None for line in lines):
        return "0" * 62
    head, tail = "", ""
    for line in lines:
        cipher, version, alpn, exts = line or ("", "", "", "")
        rank = JARM_RANKED.index(cipher) + 1 if cipher in JARM_RANKED else len(JARM_RANKED) + 1
        head += ("%02x" % rank if cipher else "00") + ("abcdef"[int(version[3])]
                                                        if version else "0")
        tail += alpn + exts
    return head + hashlib.sha256(tail.encode()).hexdigest()[:32]


def jarm_of_pcap(pcap, ports):
    """{server port: JARM} from the capture: the last ten connections to each port
    are JARM's hellos in order; each one's ServerHello as tshark decodes it."""
    cmd = ["tshark", "-r", pcap, "-T", "fields", "-E", "separator=|",
           "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.dstport",
           "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tls.handshake.type",
           "-e", "tls.handshake.version", "-e", "tls.handshake.ciphersuite",
           "-e", "tls.handshake.extension.type", "-e", "tls.handshake.extensions_alpn_str"]
    for port in ports:
        cmd += ["-d", "tcp.port==%d,tls" % port]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    streams, hellos = {port: [] for port in ports}, {}
    for row in out.splitlines():
        stream, sport, dport, syn, ack, types, version, cipher, exts, alpn = \
            (row.split("|") + [""] * 10)[:10]
        if syn == "1" and ack == "0" and int(dport) in streams and \
                stream not in streams[int(dport)]:
            streams[int(dport)].append(stream)
        if "2" in types.split(",") and stream not in hellos:
            hellos[stream] = ("%04x" % int(cipher.split(",")[0], 0),
                              "%04x" % int(version.split(",")[0], 0), alpn,
                              "-".join("%04x" % int(t) for t in exts.split(",") if t))
    return {port: jarm_of_lines([hellos.get(s) for s in streams[port][-10:]])
            for port in ports if len(streams[port]) >= 10}


class TestTls(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("tls").create()
        self.tb.start_banner_farm()
        self.certs = self.tb.start_tls_servers()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, args):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--ssl-cert", "--wait", "1", "-oJ", out] + args, timeout=120)
        self.keep_run(name, p)
        return certs_of(out), p

    def test_ja4s_equals_tsharks_serverhellos(self):
        pcap, xml = self.artifact("ja4s.pcap"), self.artifact("ja4s.xml")
        cap = self.tb.capture("tcp src port 4431 or tcp src port 4432", pcap)
        try:
            got, p = self.scan("ja4s", ["-p", "4431,4432", "-oX", xml, HOST])
        finally:
            self.tb.stop_capture(cap)
        want = ja4s_of_pcap(pcap, (4431, 4432))
        have = {port: c.get("ja4s") for port, c in got.items()}
        self.verify(set(want) == {4431, 4432} and have == want,
                    "JA4S: ours %s, from tshark %s" % (have, want))
        self.verify(want[4431].startswith("t12") and want[4432].startswith("t13"), want)
        for port in (4431, 4432):
            self.verify("|_ssl-ja4s: " + want[port] in p.stdout, p.stdout[-600:])
        scripts = xml_scripts(xml)
        self.verify(all(scripts.get((port, "ssl-ja4s")) == want[port] for port in want),
                    "-oX: %s" % scripts)

    def test_jarm_equals_the_captured_serverhellos(self):
        pcap, xml = self.artifact("jarm.pcap"), self.artifact("jarm.xml")
        cap = self.tb.capture("tcp port 4431 or tcp port 4432", pcap)
        try:
            got, p = self.scan("jarm", ["--jarm", "-p", "4431,4432", "-oX", xml, HOST])
        finally:
            self.tb.stop_capture(cap)
        want = jarm_of_pcap(pcap, (4431, 4432))
        have = {port: c.get("jarm") for port, c in got.items()}
        self.verify(set(want) == {4431, 4432} and have == want,
                    "JARM: ours %s, from the capture %s" % (have, want))
        # TLS 1.2 only and TLS 1.3 only answer differently, and neither is silent
        self.verify(want[4431] != want[4432] and "0" * 62 not in want.values(), want)
        for port in (4431, 4432):
            self.verify("|_ssl-jarm: " + want[port] in p.stdout, p.stdout[-600:])
        scripts = xml_scripts(xml)
        self.verify(all(scripts.get((port, "ssl-jarm")) == want[port] for port in want),
                    "-oX: %s" % scripts)
        c = conn_counts(p.stderr)
        self.verify(c is not None and c["open"] == 0, "connections %s" % c)
        print("    JARM of TLS 1.2 and TLS 1.3 servers equals the captured ServerHellos' "
              "(%s, %s)" % (want[4431][:12], want[4432][:12]), flush=True)

    def test_certificates_equal_openssl(self):
        xml = self.artifact("tls.xml")
        got, p = self.scan("tls", ["-p", "4431,4432", "-oX", xml, "--xml-scanner-nmap", HOST])
        for port, version in ((4431, "TLSv1.2"), (4432, "TLSv1.3")):
            want = openssl_fields(self.certs[port])
            have = got.get(port)
            self.verify(have is not None and have["ok"], "%d: no certificate: %s" % (port, have))
            diff = ["%s: openssl %r, ours %r" % (k, v, have.get(k)) for k, v in want.items()
                    if have.get(k) != v]
            self.verify(not diff, "%d: %s" % (port, "; ".join(diff)))
            self.verify(have["tls_version"] == version, "%d: %s" % (port, have["tls_version"]))
            self.verify("| ssl-cert: Subject: " + want["subject"] in p.stdout, p.stdout[-800:])
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", xml],
                           capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-400:])
        scripts = {int(port.get("portid")): port.find("script") for port in
                   ET.parse(xml).getroot().iter("port")}
        for port in (4431, 4432):
            s = scripts[port]
            md5 = [e.text for e in s.iter("elem") if e.get("key") == "md5"]
            cn = [e.text for t in s.iter("table") if t.get("key") == "subject"
                  for e in t.iter("elem") if e.get("key") == "commonName"]
            self.verify(s.get("id") == "ssl-cert" and md5 == [got[port]["md5"]] and
                        cn == ["tls%d.prtip.test" % port], "-oX ssl-cert of %d" % port)
        print("    ssl-cert of TLS 1.2 (RSA) and TLS 1.3 (EC) servers equal openssl x509, "
              "in -oJ, -oX and the table", flush=True)

    def test_sni(self):
        got, _ = self.scan("sni", ["--sni", "sni.prtip.test", "-p", "4434", HOST])
        want = openssl_fields(self.certs[4434])
        self.verify(got.get(4434, {}).get("sha1") == want["sha1"],
                    "SNI did not pick the other certificate: %s" % got.get(4434))
        got, _ = self.scan("no-sni", ["-p", "4434", HOST])
        self.verify(got.get(4434, {}).get("sha1") != want["sha1"], "without SNI: %s" % got)

    def test_hostile_servers(self):
        ports = [4433] + banner_farm.TLS_HOSTILE_PORTS
        # --jarm too: the hostile answers are read as JARM reads them, no hang
        got, p = self.scan("hostile", ["--jarm", "-p", ",".join(map(str, ports)), HOST])
        self.verify(got.get(4433, {}).get("error") == "excessive message size",
                    "1 MiB chain: %s" % got.get(4433))
        self.verify(len(got.get(4433, {}).get("jarm", "")) == 62 and
                    got[4433]["jarm"] != "0" * 62, "1 MiB chain's JARM: %s" % got.get(4433))
        self.verify(7443 not in got, "plain text reported as TLS: %s" % got.get(7443))
        for port in (7444, 7445, 7446, 7447):
            self.verify(port in got and not got[port]["ok"] and got[port]["error"],
                        "%d: %s" % (port, got.get(port)))
        c = conn_counts(p.stderr)
        self.verify(c is not None and c["open"] == 0, "connections %s" % c)

    def test_bad_input(self):
        cases = [
            (["--script", "http-title", "-p", "443", HOST], "the only script is ssl-cert"),
            (["--sni", "x.test", "-p", "443", HOST], "--sni names the server for --ssl-cert"),
            (["--ssl-cert", "--banners", "-p", "443", HOST], "give one of them"),
            (["--ssl-cert", "-sA", "-p", "443", HOST], "--ssl-cert needs a scan"),
            (["--jarm", "-p", "443", HOST], "--ssl-cert is not given"),
        ]
        for args, want in cases:
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args, timeout=60)
            self.verify(p.returncode == 2 and want in p.stderr,
                        "%s: exit %d, %s" % (" ".join(args), p.returncode, p.stderr[-300:]))
