"""-sV over UDP: dnsmasq and snmpd on their own ports (53, 161) and again on
ports no table names them by (5300, 1161), an NTP responder (123) and a
silent port (9999). nmap -sU -sV from the same veth is the reference: every
port it identifies gets the same service, product and version, every port
the same state; the two unlisted ports, open|filtered to -sU alone, are open
once a probe is answered. Both wall times are measured in the same run."""
import json
import time

from framework.nmap_xml import nmap_services, nmap_states, our_services
from framework.version_suite import VersionSuite

HOST = "198.19.0.5"
PORTS = (53, 123, 161, 1161, 5300, 9999)
UNLISTED = (1161, 5300)  # open|filtered to -sU; a version probe's answer opens them


def state_lines(path):
    """{port: record} of an -oJ file's state lines (a port's service has a line
    of its own); a port's state twice is an error."""
    got = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if "state" in rec:
                if rec["port"] in got:
                    raise AssertionError("%s: port %d's state twice" % (path, rec["port"]))
                got[rec["port"]] = rec
    return got


class TestIdentifyUdp(VersionSuite):
    TAG = "svu"

    def start_servers(self):
        self.tb.start_udp_services()
        self.tb.start_udp_services_elsewhere()

    def test_same_answers_as_nmap(self):
        ports = ",".join(map(str, PORTS))
        self.scan("warm", ["-sU", "-sV", "-p", "53", HOST])  # the first compile is not compared
        out, p, our_wall = self.scan("sUsV", ["-sU", "-sV", "-p", ports, HOST])
        self.verify(p.returncode == 0, "dpdk-prtip -sU -sV: %s" % p.stderr[-600:])
        xml = self.artifact("nmap-sUsV.xml")
        start = time.time()
        n = self.tb.run_nmap(["-sU", "-sV", "-Pn", "-p", ports, HOST], xml,
                             peer_ip=self.peer_ip, timeout=600)
        nmap_wall = time.time() - start
        self.verify(n.returncode == 0, "nmap -sU -sV: %s" % n.stderr[-400:])
        ours, theirs = our_services(out), nmap_services(xml)
        self.verify(set(theirs) >= {53, 161, 1161, 5300},
                    "nmap identified only %s" % sorted(theirs))
        diff = ["%d: nmap %s, ours %s" % (port, theirs[port], ours.get(port))
                for port in sorted(theirs) if ours.get(port) != theirs[port]]
        self.verify(not diff, "differs from nmap -sU -sV: %s" % "; ".join(diff))
        recs = state_lines(out)
        states = {port: rec["state"] for port, rec in recs.items()}
        nmap_st = {port: st for (_, port), st in nmap_states(xml).items()}
        self.verify(states == nmap_st, "states: ours %s, nmap %s" % (states, nmap_st))
        for port in UNLISTED:
            rec = recs[port]
            self.verify(rec["state"] == "open" and rec["reason"] == "udp-response",
                        "%d: %s" % (port, rec))
        print("    -sU -sV: %s equal to nmap's; wall time %.1f s vs nmap's %.1f s (%.2f)" % (
            ", ".join("%d %s" % (k, " ".join(filter(None, v))) for k, v in
                      sorted(theirs.items())), our_wall, nmap_wall, our_wall / nmap_wall),
            flush=True)
        # nmap waits out each silent port's probes one after another; ours go out
        # at once. A sanitizer build's start-up is no measure: timed on release only.
        self.verify(self.ctx.sanitized or our_wall <= nmap_wall / 4,
                    "%.1f s is more than a quarter of nmap's %.1f s" % (our_wall, nmap_wall))

    def test_formats_carry_the_udp_service(self):
        """-oN/-oX/-oG of one -sU -sV scan name 161/udp's product as -oJ does."""
        xml, grep = self.artifact("svu.xml"), self.artifact("svu.gnmap")
        out, p, _ = self.scan("formats", ["-sU", "-sV", "-p", "161,5300", "-oX", xml,
                                          "-oG", grep, HOST])
        name, product, version = our_services(out).get(161, ("", "", ""))
        self.verify(name == "snmp" and product, "161: %s" % ((name, product, version),))
        table = [l for l in p.stdout.splitlines() if l.startswith("161/udp ")]
        self.verify(table and product in table[0], "table: %s" % table)
        self.verify(nmap_services(xml).get(161) == (name, product, version),
                    "-oX: %s" % (nmap_services(xml).get(161),))
        with open(grep, encoding="utf-8") as f:
            g = f.read()
        self.verify("161/open/udp//snmp//%s" % product in g, "-oG: %s" % g[-600:])
        self.verify("5300/open/udp//domain//dnsmasq" in g, "-oG: %s" % g[-600:])
