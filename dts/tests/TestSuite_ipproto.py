"""IP protocol scan (-sO) over every protocol number, against the target
namespace's kernel in four zones, equal to a ground truth and to nmap -sO
run from the kernel side of the same veth.

The truth, from how Linux answers a datagram of protocol P to an address of
its own: ICMP (an echo reply), TCP (a reset to the ACK) and UDP (a port
unreachable from the host itself) are open; a protocol the kernel does not
implement gets a protocol unreachable (closed); the ones it implements but
does not answer (IGMP's query, tunnels, ESP...) stay silent (open|filtered).
Which those are depends on the modules loaded, so the silent set is read
from nmap's answer for the hosts zone and then must hold in every zone; the
protocols whose answer is fixed are checked against the truth directly.
iptables shapes TCP and UDP only: a dropped zone's TCP and UDP are
open|filtered, an admin-prohibited zone's filtered; a dark host answers
nothing at all."""
from framework import testbed
from framework.nmap_xml import nmap_states
from framework.test_suite import TestSuite

HOSTS = {
    "198.19.0.5": "hosts",
    "198.19.16.5": "drop",
    "198.19.21.5": "admin-prohibited",
    "198.19.128.9": "dark",
}
ICMP, IGMP, TCP, UDP, SCTP = 1, 2, 6, 17, 132
# answers whose meaning does not depend on the kernel's modules
UNUSED = (200, 253, 254)  # unassigned and RFC 3692 experimental numbers


def fixed_truth(zone, proto):
    """The state of the protocols this suite can predict, None for the rest."""
    if zone == "dark":
        return "open|filtered"
    if proto == ICMP:
        return "open"
    if proto in (TCP, UDP):
        return {"hosts": "open", "drop": "open|filtered",
                "admin-prohibited": "filtered"}[zone]
    if proto in UNUSED:
        return "closed"
    return None


class TestIpProto(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("ipproto").create()
        self.tb.add_kernel_peer()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, args):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "--rate", "3000", "--wait", "1", "-oJ", out, "-oX", self.artifact(name + ".xml"),
            "-oG", self.artifact(name + ".gnmap")] + args, timeout=120)
        self.keep_run(name, p)
        return self.read_ndjson(out), p

    def nmap(self, name, args):
        xml = self.artifact(name + ".xml")
        n = self.tb.run_nmap(["-Pn", "-sO"] + args, xml)
        self.verify(n.returncode == 0, "nmap: %s" % n.stderr[-500:])
        return nmap_states(xml)

    def test_every_protocol(self):
        hosts = sorted(HOSTS)
        got, p = self.scan("all", ["-sO"] + hosts)
        states = {k: r["state"] for k, r in got.items()}
        self.verify(all(r["proto"] == "ip" for r in got.values()), "a result's proto is not ip")
        missing = [(h, n) for h in hosts for n in range(256) if (h, n) not in states]
        self.verify(not missing, "%d pairs without a result: %s" % (len(missing), missing[:6]))
        bad = []
        for h in hosts:
            for n in range(256):
                want = fixed_truth(HOSTS[h], n)
                if want is not None and states[(h, n)] != want:
                    bad.append("%s proto %d: %s, truth %s" % (h, n, states[(h, n)], want))
        self.verify(not bad, "%d against the truth: %s" % (len(bad), "; ".join(bad[:6])))
        theirs = self.nmap("nmap-all", hosts)
        diff = ["%s proto %d: nmap %s ours %s" % (h, n, theirs.get((h, n)), states[(h, n)])
                for h in hosts for n in range(256)
                if theirs.get((h, n), "closed" if HOSTS[h] != "dark" else "open|filtered")
                != states[(h, n)]]
        self.verify(not diff, "%d against nmap: %s" % (len(diff), "; ".join(diff[:6])))
        # the protocols the kernel takes silently are silent in every local zone
        silent = {n for n in range(256) if states[("198.19.0.5", n)] == "open|filtered"}
        self.verify(IGMP in silent, "IGMP's query got an answer: %s" % states[("198.19.0.5", 2)])
        for h in ("198.19.16.5", "198.19.21.5"):
            odd = [n for n in silent - {TCP, UDP} if states[(h, n)] != "open|filtered"]
            self.verify(not odd, "%s: silent protocols answered: %s" % (h, odd))
        self.verify("PROTOCOL STATE" in p.stdout, "no PROTOCOL column in the table")
        xml = open(self.artifact("all.xml"), encoding="utf-8").read()
        self.verify('<scaninfo type="ipproto" protocol="ip"' in xml, "scaninfo is not ipproto/ip")
        self.verify('<port protocol="ip" portid="6">' in xml, "no ip/6 port in the XML")
        print("    -sO: %d hosts x 256 protocols equal to the truth and to nmap (%d silent "
              "protocols on a live host)" % (len(hosts), len(silent)), flush=True)

    def test_listed_protocols(self):
        """-p lists protocols; the nmap formats name them from nmap-protocols."""
        got, p = self.scan("listed", ["-sO", "-p", "1,6,17,132,254", "198.19.0.5"])
        states = {port: r["state"] for (_, port), r in got.items()}
        want = {1: "open", 6: "open", 17: "open", 132: "closed", 254: "closed"}
        if states.get(132) == "open|filtered":
            want[132] = "open|filtered"  # an SCTP module is loaded here
        self.verify(states == want, "states %s, truth %s" % (states, want))
        rows = [l.split()[:3] for l in p.stdout.splitlines() if l[:1].isdigit()]
        self.verify(["6", "open", "tcp"] in rows and ["1", "open", "icmp"] in rows,
                    "table rows: %s" % rows)
        gnmap = open(self.artifact("listed.gnmap"), encoding="utf-8").read()
        self.verify("Protocols: 1/open/icmp/" in gnmap, "grepable: %s" % gnmap[-300:])
        print("    -sO -p 1,6,17,132,254: %s" % sorted(states.items()), flush=True)

    def test_usage_errors(self):
        for args, words in ((["-sO", "-sS"], "-sO scans IP protocols, not ports"),
                            (["-sO", "-p", "80,300"], "-sO scans IP protocols 0-255: 300 is not one"),
                            (["-sO", "--top-ports", "10"], "--top-ports"),
                            (["-sO", "-sV"], "-sV needs a scan")):
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args +
                                    ["198.19.0.5"], timeout=60)
            self.verify(p.returncode == 2 and words in p.stderr,
                        "%s: exit %d, %s" % (" ".join(args), p.returncode, p.stderr[-300:]))
