"""--banners against talking services in the target namespace (banner_farm):
each port's banner exactly as the service sent it (server-first, after our
probe, reset mid-banner, a flood cut at 1 KiB, a drip, binary garbage), in
every output format, and a 10,000-connection run that captures every
banner and leaves the connection table empty."""
import csv
import json
import subprocess
import time
import xml.etree.ElementTree as ET

from framework import banner_farm, testbed
from framework.banner_text import csv_uncell, unescape
from framework.connections import conn_counts
from framework.test_suite import TestSuite

HOSTS = ["198.19.0.5", "198.19.2.77"]
PORTS = banner_farm.BANNER_PORTS


def ndjson_banners(path):
    """{(ip, port): (bytes, probed)} of the banner lines of an -oJ file."""
    got = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if "banner" in rec:
                key = (rec["ip"], rec["port"])
                if key in got:
                    raise AssertionError("banner of %s:%d twice" % key)
                got[key] = (unescape(rec["banner"]), rec["probe"] == "sent")
    return got


class TestBanners(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("ban").create()
        self.tb.start_banner_farm()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, args, timeout=120):
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args, timeout=timeout)
        self.keep_run(name, p)
        return p

    def diff(self, got, hosts, ports, bytes_only=False):
        bad = []
        for ip in hosts:
            for port in ports:
                want = banner_farm.expected(port)
                have = got.get((ip, port))
                if bytes_only:
                    # under load a greeting may come after the wait, once our probe is out
                    want, have = want and want[0], have and have[0]
                if have != want:
                    bad.append("%s:%d want %r got %r" % (ip, port, want, have))
        return bad

    def test_every_banner_in_every_format(self):
        base = self.artifact("farm")
        p = self.scan("farm", ["--banners", "--wait", "1", "-p", ",".join(map(str, PORTS)),
                               "-oA", base, "-oJ", base + ".ndjson", "-oL", base + ".lst",
                               "-oC", base + ".csv", "--xml-scanner-nmap"] + HOSTS)
        got = ndjson_banners(base + ".ndjson")
        bad = self.diff(got, HOSTS, PORTS)
        self.verify(not bad, "banners: %s" % "; ".join(bad[:4]))
        c = conn_counts(p.stderr)
        self.verify(c is not None and c["open"] == 0 and c["opened"] == len(HOSTS) * len(PORTS),
                    "connections %s" % c)
        self.verify(c["banners"] == len(got), "%d banners said, %d written" % (c["banners"],
                                                                                len(got)))
        # the same text in the other formats
        ssh = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\\r\\n"
        self.verify("|_banner: " + ssh in p.stdout, "table: %s" % p.stdout[:600])
        with open(base + ".nmap", encoding="utf-8") as f:
            self.verify(f.read().count("|_banner: " + ssh) == len(HOSTS), "-oN lacks banners")
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd",
                            base + ".xml"], capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-400:])
        xml = {}
        for host in ET.parse(base + ".xml").getroot().iter("host"):
            ip = host.find("address").get("addr")
            for port in host.iter("port"):
                for script in port.iter("script"):
                    xml[(ip, int(port.get("portid")))] = (unescape(script.get("output")), None)
        self.verify({k: v[0] for k, v in xml.items()} == {k: v[0] for k, v in got.items()},
                    "-oX banners differ from -oJ")
        with open(base + ".gnmap", encoding="utf-8") as f:
            gnmap = f.read()
        self.verify("/2222/" not in gnmap and "2222/open/tcp//EtherNetIP-1//" + ssh + "/"
                    in gnmap, "-oG: %s" % gnmap[-800:])
        with open(base + ".lst", encoding="utf-8") as f:
            lst = [line.split(" ", 6) for line in f if line.startswith("banner ")]
        self.verify(len(lst) == len(got) and all(unescape(l[6].rstrip("\n")) ==
                                                 got[(l[3], int(l[2]))][0] for l in lst),
                    "-oL banner lines differ")
        with open(base + ".csv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.verify(rows[0][-1] == "banner", "csv header %s" % rows[0])
        csv_banners = {(r[0], int(r[1])): unescape(csv_uncell(r[-1])) for r in rows[1:] if r[-1]}
        self.verify(csv_banners == {k: v[0] for k, v in got.items()},
                    "-oC banners differ from -oJ")
        print("    %d banners equal to what the services sent, in -oJ -oL -oC -oN -oX -oG "
              "and the table" % len(got), flush=True)

    def test_ten_thousand_connections(self):
        """2048 hosts x 5 talking ports: every banner, no connection left."""
        ports = [2121, 2222, 2525, 7005, 8000]
        out = self.artifact("10k.ndjson")
        start = time.time()
        p = self.scan("10k", ["--banners", "--banner-wait", "5", "--rate", "5000", "--wait", "2",
                              "-p",
                              ",".join(map(str, ports)), "-oJ", out, "198.19.0.0/21"],
                      timeout=300)
        wall = time.time() - start
        got = ndjson_banners(out)
        hosts = ["198.19.%d.%d" % (i // 256, i % 256) for i in range(2048)]
        bad = self.diff(got, hosts, ports, bytes_only=True)
        c = conn_counts(p.stderr)
        self.verify(not bad, "%d of %d banners wrong, e.g. %s" % (len(bad), len(hosts) *
                                                                   len(ports), bad[:3]))
        self.verify(c["opened"] == 10240 and c["open"] == 0 and c["table_full"] == 0,
                    "connections %s" % c)
        print("    %d connections, %d banners, all equal to what was sent, in %.1f s; "
              "connections %s" % (c["opened"], len(got), wall, c), flush=True)
