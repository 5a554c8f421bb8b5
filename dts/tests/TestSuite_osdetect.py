"""-O against the testbed's Linux target, side by side with nmap -O from the
same veth: the fingerprint's tests, the guesses and their accuracies, and
the wall time on a /24 (every address of which is the same Linux stack)."""
import csv
import json
import sqlite3
import subprocess
import time

from framework import os_db, testbed
from framework.nmap_xml import os_results, os_sequences
from framework.test_suite import TestSuite

HOST = "198.19.0.5"
NET = "198.19.0.0/24"
PORTS = "22,81"  # an open and a closed port: nmap's conditions for a good print
# nmap prints these whole; SEQ's timing-based values (SP, GCD, ISR) vary run to
# run, its classes (TI, CI, II, SS, TS) do not
WHOLE = ("OPS", "WIN", "ECN", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "U1", "IE")
SEQ_CLASSES = ("TI", "CI", "II", "SS", "TS")


def random_ts(a, b):
    """Linux since 4.10 offsets each connection's timestamps at random: the six
    SEQ answers' clock rate is then the log2 of a random ratio, beyond any real
    clock (2^28 Hz and up: TS=1C..22, nmap's own runs vary so). Both in that
    regime: equal."""
    try:
        return int(a, 16) >= 0x1C and int(b, 16) >= 0x1C
    except (TypeError, ValueError):
        return False


class TestOsdetect(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("os").create()
        self.peer_ip = self.tb.add_kernel_peer()

    def tear_down_suite(self):
        self.tb.destroy()

    def ours(self, name, args, timeout=300):
        xml = self.artifact(name + ".xml")
        start = time.time()
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(states=None) + [
            "-O", "-p", PORTS, "-oX", xml] + args, timeout=timeout)
        wall = time.time() - start
        self.keep_run(name, p)
        return os_results(xml), p, wall

    def nmaps(self, name, target, timeout=900):
        xml = self.artifact(name + ".xml")
        start = time.time()
        n = self.tb.run_nmap(["-O", "-Pn", "-p", PORTS, target], xml, peer_ip=self.peer_ip,
                             timeout=timeout)
        wall = time.time() - start
        self.verify(n.returncode == 0, "nmap -O: %s" % n.stderr[-400:])
        return os_results(xml), wall

    def same_tests(self, ours, theirs, where):
        diff = []
        for test in WHOLE:
            if ours.get(test) != theirs.get(test):
                diff.append("%s: ours %s, nmap %s" % (test, ours.get(test), theirs.get(test)))
        for attr in SEQ_CLASSES:
            a, b = ours.get("SEQ", {}).get(attr), theirs.get("SEQ", {}).get(attr)
            if attr == "TS" and random_ts(a, b):
                continue
            if a != b:
                diff.append("SEQ.%s: ours %s, nmap %s" % (attr, a, b))
        self.verify(not diff, "%s: the fingerprint differs from nmap's: %s" % (
            where, "; ".join(diff)))

    def same_guesses(self, ours, theirs, fp_ours, fp_theirs):
        """The guesses within two points of each side's best: the same names, at
        the same accuracy, or as far apart as the SEQ timing values the two runs
        printed can move that name (os_db.timing_slack: 0 where the name's
        prints treat both values alike); a name one side lists but the other
        does not must be low enough to have been cut from that list."""
        db = os_db.read_once()
        top = lambda m: [g for g in m if g[1] >= m[0][1] - 2]
        if all(fp_ours["SEQ"].get(a) == fp_theirs["SEQ"].get(a) for a in os_db.TIMING):
            return top(ours) == top(theirs), "the same SEQ: the same guesses"
        a, b, bad = dict(ours), dict(theirs), []
        for name in dict(top(ours) + top(theirs)):
            slack = os_db.timing_slack(db, name, fp_ours, fp_theirs)
            if name in a and name in b:
                ok = abs(a[name] - b[name]) <= slack
            else:
                v, other = (a[name], theirs) if name in a else (b[name], ours)
                ok = v - slack <= other[-1][1]
            if not ok:
                bad.append("%s: ours %s, nmap %s, timing slack %d" % (
                    name, a.get(name), b.get(name), slack))
        return not bad, "; ".join(bad) or "within the timing values' slack"

    def same_sequences(self, ours_xml, theirs_xml, fp_ours, fp_theirs):
        """The report beside <os>: the same elements, classes and value counts as
        nmap's; our predictability index is our SP. nmap's need not be its own:
        it writes the last try's sequence beside the best try's fingerprint
        (osscan2.cc, findBestFPs), and we write the best try's with it."""
        ours, theirs = os_sequences(ours_xml)[HOST], os_sequences(theirs_xml)[HOST]
        self.verify(sorted(ours) == sorted(theirs), "elements: ours %s, nmap %s" % (
            sorted(ours), sorted(theirs)))
        for name, attr in (("ipidsequence", "class"), ("tcptssequence", "class"),
                           ("tcpsequence", "difficulty")):
            if name == "tcpsequence" and ours[name]["index"] != theirs[name]["index"]:
                continue  # the index is SP, timing: the words follow it
            self.verify(ours[name][attr] == theirs[name][attr], "%s %s: ours %s, nmap %s" % (
                name, attr, ours[name][attr], theirs[name][attr]))
        for name in ("tcpsequence", "ipidsequence", "tcptssequence"):
            count = lambda side: len(side[name].get("values", "").split(","))
            self.verify(count(ours) == count(theirs), "%s values: ours %s, nmap %s" % (
                name, ours[name], theirs[name]))
        self.verify(int(ours["tcpsequence"]["index"]) == int(fp_ours["SEQ"]["SP"], 16),
                    "our index %s is not our SP=%s" % (ours["tcpsequence"], fp_ours["SEQ"]["SP"]))
        print("    -O %s: uptime, tcpsequence (%s), ipidsequence (%s), tcptssequence (%s) "
              "as nmap's" % (HOST, ours["tcpsequence"]["difficulty"],
                             ours["ipidsequence"]["class"], ours["tcptssequence"]["class"]),
              flush=True)

    def test_fingerprint_and_guesses_equal_nmaps(self):
        events = self.artifact("one-events.ndjson")
        ours, p, _ = self.ours("one", ["--event-log", events, "--xml-scanner-nmap", HOST])
        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd",
                            self.artifact("one.xml")], capture_output=True, text=True)
        self.verify(v.returncode == 0, "-O's -oX against nmap.dtd: %s" % v.stderr[-600:])
        with open(events, encoding="utf-8") as f:
            os_events = [e for e in map(json.loads, f) if e.get("event") == "os"]
        self.verify(len(os_events) == 1 and os_events[0]["ip"] == HOST and
                    os_events[0]["perfect"] == 0 and os_events[0]["distance"] == 1,
                    "os events: %s" % os_events)
        theirs, _ = self.nmaps("nmap-one", HOST)
        self.verify(HOST in ours and HOST in theirs, "no <os> for %s: ours %s, nmap %s" % (
            HOST, ours, theirs))
        self.same_tests(ours[HOST][0], theirs[HOST][0], HOST)
        self.same_sequences(self.artifact("one.xml"), self.artifact("nmap-one.xml"),
                            ours[HOST][0], theirs[HOST][0])
        # nmap finds no exact match for this kernel: it prints the fingerprint, and
        # -oX lists its guesses within ten points of the best. SEQ's SP, ISR and TS
        # (timing, random ISNs) vary from run to run and move some guesses by a
        # point or two, known from the prints (the unit tests rank nmap's own
        # fingerprint and get its whole list exactly)
        ok, why = self.same_guesses(ours[HOST][1], theirs[HOST][1], ours[HOST][0],
                                    theirs[HOST][0]) if ours[HOST][1] else (False, "none")
        self.verify(ok, "guesses: ours %s, nmap %s: %s" % (ours[HOST][1], theirs[HOST][1], why))
        self.verify("No exact OS matches for host" in p.stdout and "OS:SEQ(" in p.stdout.
                    replace("\n", "") or "SEQ(" in p.stdout, p.stdout[-1500:])
        print("    -O %s: %d tests equal to nmap's; guesses %s" % (
            HOST, len(WHOLE) + len(SEQ_CLASSES),
            ", ".join("%s (%d%%)" % m for m in ours[HOST][1][:3])), flush=True)

    def test_guess_line_with_osscan_guess(self):
        """--osscan-guess prints nmap's guess line; the same best guess reaches -oC's
        host row and the store's os table."""
        csv_path, db = self.artifact("guess.csv"), self.artifact("guess.db")
        ours, p, _ = self.ours("guess", ["--osscan-guess", "-oC", csv_path, "--db", db, HOST])
        line = [l for l in p.stdout.splitlines() if l.startswith("Aggressive OS guesses: ")]
        self.verify(len(line) == 1 and "Linux" in line[0], p.stdout[-1500:])
        best, accuracy = ours[HOST][1][0]
        with open(csv_path, encoding="utf-8", newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["port"] == ""]
        self.verify(len(rows) == 1 and rows[0]["ip"] == HOST and rows[0]["os"] == best and
                    int(rows[0]["os_accuracy"]) == accuracy and
                    rows[0]["os_cpe"].startswith("cpe:/"), "-oC host rows: %s" % rows)
        con = sqlite3.connect(db)
        got = con.execute("SELECT ip, name, accuracy, guesses, distance FROM os").fetchall()
        con.close()
        self.verify(len(got) == 1 and got[0][:3] == (HOST, best, accuracy) and
                    got[0][3].startswith("%s (%d%%)" % (best, accuracy)) and got[0][4] == 1,
                    "--db os rows: %s" % got)

    def test_slash24_faster_than_nmap(self):
        ours, p, our_wall = self.ours("net", [NET], timeout=600)
        self.verify(len(ours) == 256, "ours fingerprinted %d hosts" % len(ours))
        if self.ctx.sanitized:
            # a sanitizer build's times are no measure: nmap's /24 (one to three
            # minutes) is run against the release build only
            theirs, nmap_wall = {ip: ({}, []) for ip in ours}, None
        else:
            theirs, nmap_wall = self.nmaps("nmap-net", NET)
        self.verify(set(ours) == set(theirs), "ours fingerprinted %d hosts, nmap %d" % (
            len(ours), len(theirs)))
        # with 256 hosts at once nmap finds its timing too uneven to print the
        # fingerprints (maxTimingRatio): each of ours is held to nmap's of one
        # host, which every address of the target shares
        one, _ = self.nmaps("nmap-net-one", HOST)
        for ip in sorted(ours):
            self.same_tests(ours[ip][0], one[HOST][0], ip)
        # each host's guesses: nmap's of the one host, as far as the timing
        # values each run printed allow
        for ip in sorted(ours):
            ok, why = self.same_guesses(ours[ip][1], one[HOST][1], ours[ip][0],
                                        one[HOST][0]) if ours[ip][1] else (False, "none")
            self.verify(ok, "%s: guesses: ours %s, nmap %s: %s" % (ip, ours[ip][1],
                                                                   one[HOST][1], why))
        if nmap_wall is None:
            return
        print("    -O %s: %d hosts, every fingerprint's tests equal to nmap's; wall time "
              "%.1f s vs nmap's %.1f s (%.2f)" % (NET, len(ours), our_wall, nmap_wall,
                                                  our_wall / nmap_wall), flush=True)
        self.verify(self.ctx.sanitized or our_wall < nmap_wall,
                    "%.1f s is not less than nmap's %.1f s" % (our_wall, nmap_wall))

    def test_usage_errors(self):
        cases = [
            (["-O", "-sn", HOST], "-O needs"),
            (["-O", "--os-db", "/nonexistent/nmap-os-db", "-p", "22", HOST], "-O:"),
            (["--osscan-guess", "-p", "22", HOST], "go with -O"),
            (["-O", "--max-os-tries", "0", "-p", "22", HOST], "--max-os-tries"),
        ]
        for args, want in cases:
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(
                states=None, discovery="-sn" in args) + args, timeout=60)
            self.verify(p.returncode == 2 and want in p.stderr,
                        "%s: rc %d, %s" % (" ".join(args), p.returncode, p.stderr[-300:]))
