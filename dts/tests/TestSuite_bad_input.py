"""Bad input: each gives one clear line naming the culprit, the documented
exit status (2 usage, 1 runtime), and leaves no output file behind. nmap's
options this scanner lacks are named whole with what to use instead; nmap's
timing templates (-T0..-T5) set the pace unless an option says otherwise."""
import os
import subprocess

from framework import testbed
from framework.test_suite import TestSuite

GOOD = ["-S", testbed.SCANNER_IP, "--router-ip", testbed.ROUTER_IP, "--allow-special-ranges",
        "-Pn", "-p", "80"]


class TestBadInput(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("bad").create()

    def tear_down_suite(self):
        self.tb.destroy()

    def expect(self, args, code, message, eal=None, in_testbed=False):
        out = self.artifact("must-not-exist.ndjson")
        if os.path.exists(out):
            os.unlink(out)
        args = args + ["-oJ", out]
        if in_testbed:
            p = self.tb.run_scanner(self.ctx.binary, args, timeout=60, eal=eal)
        else:
            eal = eal if eal is not None else []
            p = subprocess.run(["timeout", "60", self.ctx.binary] + eal + ["--"] + args,
                               capture_output=True, text=True, timeout=90)
        self.verify(p.returncode == code, "%s: exit %d, want %d (%s)" %
                    (args, p.returncode, code, p.stderr.strip()[-300:]))
        mine = [l for l in p.stderr.splitlines() if l.startswith("dpdk-prtip: ")]
        self.verify(mine and message in mine[0],
                    "%s: want '%s' in the first error line, got %s" % (args, message, mine[:2]))
        self.verify(not os.path.exists(out), "%s left an output file" % args)

    def test_unknown_option(self):
        self.expect(GOOD + ["--bogus", "198.19.0.1"], 2, "unknown option '--bogus'")
        # inside a cluster of letters, the argument named is that cluster
        self.expect(GOOD + ["-QX", "198.19.0.1"], 2, "unknown option '-Q' in '-QX'")
        self.expect(GOOD + ["-FQ", "198.19.0.1"], 2, "unknown option '-Q' in '-FQ'")

    def test_nmap_options_named_whole(self):
        for args, message in (
                (["-sC"], "-sC: scripts are not supported"),
                (["-sSC"], "'-sSC': -sC: scripts are not supported"),
                (["-sSQ"], "'-sSQ': -sQ: not a scan type"),
                (["-A"], "-A: nmap's -A is -O -sV -sC --traceroute"),
                (["--osscan-guess"], "--osscan-guess and --os-db go with -O, which is not given"),
                (["-sO", "-sU"], "-sO scans IP protocols, not ports: run it as a scan of its own"),
                (["-sS", "-sF"], "more than one scan type: -sS and -sF"),
                (["-sY", "-sZ"], "more than one scan type: -sY and -sZ"),
                (["-sY", "-p", "U:53"], "-p U: ports need a UDP scan: add -sU"),
                (["-p", "S:80"], "-p S: ports need an SCTP scan: add -sY or -sZ"),
                (["-PS22,80"], "-Pn skips host discovery: it cannot go with -PS"),
                (["-PR22"], "bad -PR '22': ARP has no ports"),
                (["-PO"], "-PO: IP protocol discovery is not supported"),
                (["-oS", "x"], "-oS: script kiddie output is not supported"),
                (["-e", "eth0"], "-e: the interface is a DPDK port"),
                (["--port", "80"], "--port: ports to scan are -p/--ports LIST"),
                (["-T9"], "bad -T '9'"),
                (["-T", "warp"], "bad -T 'warp'")):
            self.expect(GOOD + args + ["198.19.0.1"], 2, message)
        # getopt's complaints name what the user typed, not what it was rewritten to
        p = subprocess.run(["timeout", "60", self.ctx.binary, "--"] + GOOD + ["198.19.0.1", "-oX"],
                           capture_output=True, text=True, timeout=90)
        self.verify(p.returncode == 2 and "option '-oX' needs a value" in p.stderr,
                    "-oX without a value: %d %s" % (p.returncode, p.stderr[-200:]))
        # a value that looks like an nmap option is the user's (a file named -A)
        self.expect(GOOD + ["-iL", "-A", "198.19.0.1"], 2, "-A")

    def test_timing_templates(self):
        """The start line says what -T and the timing options came to."""
        for args, want in ((["-T4"], "1000000 probes/s, 1 retries, late replies awaited "
                                     "at most 1.25 s"),
                           (["-T", "insane", "--wait", "2"], "10000000 probes/s, 1 retries, "
                                                            "late replies awaited at most 2.00 s"),
                           (["--max-retries", "0", "-T2", "--rate", "5000"],
                            "5000 probes/s, 0 retries, late replies awaited at most 10.00 s"),
                           (["-T3"], "100000 probes/s, 1 retries, late replies awaited at "
                                     "most 3.00 s")):
            p = self.tb.run_scanner(self.ctx.binary, GOOD + args + ["198.19.0.5"], timeout=60)
            self.verify(p.returncode == 0 and "timing: " + want in p.stderr,
                        "%s: exit %d, want '%s' in %s" % (args, p.returncode, want,
                                                          p.stderr[-400:]))

    def test_bad_target(self):
        self.expect(GOOD + ["198.19.0.300"], 2, "bad target '198.19.0.300'")
        self.expect(GOOD + ["198.19.0.0/40"], 2, "prefix length")
        self.expect(GOOD + ["198.19.0.9-198.19.0.1"], 2, "start is after its end")
        self.expect(GOOD + ["scanme.example"], 2, "hostnames are not resolved")

    def test_bad_port_spec(self):
        self.expect(GOOD + ["-p", "70000", "198.19.0.1"], 2, "bad port spec '70000'")
        self.expect(GOOD + ["-p", "80,,81", "198.19.0.1"], 2, "bad port spec")
        self.expect(GOOD + ["-p", "90-80", "198.19.0.1"], 2, "bad port spec")

    def test_empty_target_set(self):
        self.expect(GOOD + ["--exclude", "198.19.0.0/24", "198.19.0.0/25"], 2,
                    "no targets to scan")
        self.expect(GOOD, 2, "no targets given")

    def test_bad_lcore_maps(self):
        self.expect(GOOD + ["--tx-lcores", "1", "--rx-lcores", "1-2", "198.19.0.1"], 2,
                    "lcore 1 is in both --tx-lcores and --rx-lcores")
        self.expect(GOOD + ["--tx-lcores", "one", "198.19.0.1"], 2, "bad --tx-lcores 'one'")
        self.expect(GOOD + ["--rx-lcores", "500", "198.19.0.1"], 2, "bad --rx-lcores '500'")
        self.expect(GOOD + ["--bandwidth", "10x", "198.19.0.1"], 2, "bad --bandwidth '10x'")

    def test_bad_shards(self):
        self.expect(GOOD + ["--seed", "1", "--shard", "3/2", "198.19.0.1"], 2, "bad --shard '3/2'")
        self.expect(GOOD + ["--seed", "1", "--shard", "0/2", "198.19.0.1"], 2, "bad --shard '0/2'")
        self.expect(GOOD + ["--seed", "1", "--shard", "1", "198.19.0.1"], 2,
                    "--shard 1 needs --shards N")
        self.expect(GOOD + ["--seed", "1", "--shards", "2", "--shard", "2", "198.19.0.1"], 2,
                    "bad --shard 2: must be below --shards 2")
        self.expect(GOOD + ["--shard", "1/2", "198.19.0.1"], 2, "sharding needs --seed")

    def test_special_ranges_and_max_targets(self):
        args = ["-S", testbed.SCANNER_IP, "--router-ip", testbed.ROUTER_IP, "-p", "80"]
        self.expect(args + ["198.19.0.0/24"], 2, "every target is in an IANA special-purpose")
        self.expect(GOOD + ["--max-targets", "100", "198.19.0.0/24"], 2,
                    "256 target addresses, more than --max-targets 100")
        self.expect(GOOD + ["--max-targets", "x", "198.19.0.0/24"], 2, "bad --max-targets 'x'")
        # more than 2^32 addresses may be confirmed; 2^62 pairs is the most
        self.expect(GOOD + ["--max-targets", "1e20", "2001:2::/64"], 2, "bad --max-targets")
        self.expect(GOOD + ["-p-", "--max-targets", "18446744073709551615", "2001:2::/64"], 2,
                    "scan too large: 18446744073709551615 addresses x 65535 ports (at most "
                    "2^62 pairs)")
        self.expect(GOOD + ["--max-state-memory", "lots", "198.19.0.1"], 2,
                    "bad --max-state-memory 'lots'")
        self.expect(GOOD + ["--output-states", "open,shut", "198.19.0.1"], 2,
                    "bad --output-states 'open,shut': 'shut' is not a state")

    def test_unknown_user(self):
        self.expect(GOOD + ["--user", "no-such-prtip-user", "198.19.0.1"], 2,
                    "bad --user 'no-such-prtip-user': no such user")

    def test_rate_zero(self):
        self.expect(GOOD + ["--rate", "0", "198.19.0.1"], 2, "bad --rate '0'")

    def test_min_rate(self):
        self.expect(GOOD + ["--min-rate", "fast", "198.19.0.1"], 2, "bad --min-rate 'fast'")
        self.expect(GOOD + ["--min-rate", "5000", "--max-rate", "1000", "198.19.0.1"], 2,
                    "--min-rate 5000 is above --rate/--max-rate 1000")

    def test_missing_source_ip(self):
        self.expect(["--router-ip", testbed.ROUTER_IP, "198.19.0.1"], 2, "--source-ip")

    def test_missing_router(self):
        self.expect(["-S", testbed.SCANNER_IP, "198.19.0.1"], 2, "--router-ip or --router-mac")

    def test_missing_nmap_services(self):
        self.expect(["-S", testbed.SCANNER_IP, "--router-ip", testbed.ROUTER_IP, "--datadir",
                     "/nonexistent", "--top-ports", "10", "198.19.0.1"], 2, "nmap-services")

    def test_no_dpdk_port(self):
        eal = ["--no-pci", "--no-huge", "-m", "256", "--file-prefix", "prt-bad-noport",
               "--lcores", "0@0,1@1,2@0"]
        self.expect(GOOD + ["198.19.0.1"], 2, "no DPDK port", eal=eal)

    def test_too_few_lcores(self):
        eal = self.tb.eal_args()
        eal[eal.index("--lcores") + 1] = "0@0,1@1"
        self.expect(GOOD + ["198.19.0.1"], 2, "one TX and one RX lcore", eal=eal,
                    in_testbed=True)

    def test_port_that_does_not_exist(self):
        self.expect(GOOD + ["--port-id", "3", "198.19.0.1"], 1, "DPDK port 3 does not exist",
                    in_testbed=True)

    def test_port_that_fails_to_probe(self):
        eal = self.tb.eal_args()
        eal[-1] = "net_af_packet0,iface=nosuchif0"
        self.expect(GOOD + ["198.19.0.1"], 1, "failed to probe", eal=eal, in_testbed=True)

    def test_unresolvable_gateway(self):
        args = ["-S", testbed.SCANNER_IP, "--router-ip", "198.18.0.99", "--arp-timeout", "1",
                "--allow-special-ranges",
                "-p", "80", "198.19.0.1"]
        self.expect(args, 1, "cannot resolve router 198.18.0.99", in_testbed=True)

    def test_bad_driver_profile(self):
        prof = self.artifact("bad-profile.conf")
        with open(prof, "w", encoding="utf-8") as f:
            f.write("driver = net_af_packet\ncolour = red\n")
        self.expect(GOOD + ["--driver-profile", prof, "198.19.0.1"], 1,
                    "bad-profile.conf:2: unknown key 'colour'", in_testbed=True)
        self.expect(GOOD + ["--driver-profile", "/nonexistent.conf", "198.19.0.1"], 1,
                    "--driver-profile /nonexistent.conf", in_testbed=True)

    def test_unwritable_output(self):
        p = self.tb.run_scanner(self.ctx.binary, GOOD + ["-oJ", "/nonexistent/dir/x.ndjson",
                                                        "198.19.0.1"], timeout=60)
        self.verify(p.returncode == 1, "exit %d" % p.returncode)
        self.verify("cannot write -oJ /nonexistent/dir/x.ndjson" in p.stderr, p.stderr[-300:])
