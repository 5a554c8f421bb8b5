"""SYN scan: every result equals the target network's ground truth."""
import ipaddress
import signal
import subprocess
import time

from framework import testbed, zones
from framework.test_suite import TestSuite

TEN_PORTS = [21, 22, 23, 25, 80, 443, 3389, 8080, 8443, 9999]
THREE_20S = ["198.19.0.0/20", "198.19.16.0/20", "198.19.128.0/20"]


def expected_for(cidrs, ports):
    exp = {}
    for cidr in cidrs:
        for ip in ipaddress.ip_network(cidr):
            for port in ports:
                exp[(str(ip), port)] = zones.truth(str(ip), port)
    return exp


class TestSynScan(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("syn").create()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, args, timeout=600):
        out = self.artifact(name + ".ndjson")
        t0 = time.time()
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + ["-oJ", out] + args,
                                timeout=timeout)
        elapsed = time.time() - t0
        self.keep_run(name, p)
        summary = [l for l in p.stdout.splitlines() if l.startswith("Scan done")]
        print("    %s: %.1f s wall; %s" % (name, elapsed, summary[-1] if summary else "?"),
              flush=True)
        return self.read_ndjson(out), p

    def check(self, results, expected):
        bad = self.compare_with_truth(results, expected)
        self.verify(not bad, "%d mismatches, e.g. %s" % (len(bad), "; ".join(bad[:5])))

    def test_one_host_all_ports(self):
        results, _ = self.scan("all-ports", ["-p-", "198.19.0.5"])
        self.check(results, expected_for(["198.19.0.5/32"], range(1, 65536)))

    def test_three_20s_ten_ports_default_rate(self):
        results, p = self.scan("20s-default", ["-p", ",".join(map(str, TEN_PORTS))] + THREE_20S)
        self.check(results, expected_for(THREE_20S, TEN_PORTS))
        states = {r["state"] for r in results.values()}
        self.verify(states == {"open", "closed", "filtered"}, "states seen: %s" % states)

    def test_three_20s_ten_ports_rate_100000(self):
        results, _ = self.scan("20s-100k", ["--rate", "100000", "--seed", "7", "-p",
                                            ",".join(map(str, TEN_PORTS))] + THREE_20S)
        self.check(results, expected_for(THREE_20S, TEN_PORTS))

    def test_nmap_octet_ranges_and_input_list(self):
        lst = self.artifact("targets.txt")
        with open(lst, "w", encoding="utf-8") as f:
            f.write("# a comment\n198.19.20.1-198.19.20.3\n198.19.21.7 198.19.22.9\n")
        results, _ = self.scan("octets", ["-p", "22,80", "--wait", "1", "-iL", lst,
                                          "198.19.0-1.1-2"])
        ips = ["198.19.0.1", "198.19.0.2", "198.19.1.1", "198.19.1.2", "198.19.20.1",
               "198.19.20.2", "198.19.20.3", "198.19.21.7", "198.19.22.9"]
        self.check(results, {(ip, port): zones.truth(ip, port) for ip in ips for port in (22, 80)})

    def test_targets_from_stdin_and_progress(self):
        out = self.artifact("stdin.ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-p", "22,80,9999", "--rate", "200", "--wait", "1", "--stats-every", "0.25",
            "-oJ", out, "-iL", "-"], stdin_text="198.19.2.0/26\n198.19.21.3\n", timeout=120)
        self.verify(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr[-500:]))
        ips = [str(ip) for ip in ipaddress.ip_network("198.19.2.0/26")] + ["198.19.21.3"]
        self.check(self.read_ndjson(out), {(ip, port): zones.truth(ip, port)
                                           for ip in ips for port in (22, 80, 9999)})
        progress = [l for l in p.stderr.splitlines() if " pps, " in l]
        self.verify(len(progress) >= 2, "no progress lines: %s" % p.stderr[-500:])
        for word in ("sent", "pps", "% done", "ETA", "replies", "open"):
            self.verify(word in progress[0], "progress line lacks '%s': %s" % (word, progress[0]))

    def test_list_output_and_table(self):
        lst = self.artifact("list.txt")
        results, p = self.scan("list", ["-p", "22,80,81", "--wait", "1", "-oL", lst,
                                        "198.19.1.0/30"])
        with open(lst, encoding="utf-8") as f:
            lines = f.read().splitlines()
        self.verify(lines[0] == "#masscan" and lines[-1] == "# end", "list framing: %s" % lines)
        body = [l.split() for l in lines[1:-1]]
        self.verify(len(body) == len(results), "list has %d lines, ndjson %d" %
                    (len(body), len(results)))
        for state, proto, port, ip, ts in body:
            rec = results[(ip, int(port))]
            self.verify(rec["state"] == state and proto == "tcp" and ts.isdigit(),
                        "list line %s %s %s %s" % (state, proto, port, ip))
        # few closed ports per host: listed like nmap lists them, with their reason
        self.verify("81/tcp" in p.stdout and " closed " in p.stdout and "reset ttl" in p.stdout,
                    p.stdout)

    def test_verbose_says_each_open_port(self):
        """-v: one "Discovered open port" line per open pair of the truth, before
        the table, and none for closed or filtered ones."""
        cidr, ports = "198.19.1.0/28", [21, 22, 80, 81, 443]
        _, p = self.scan("verbose", ["-v", "-p", ",".join(map(str, ports)), "--wait", "1", cidr])
        want = sorted("Discovered open port %d/tcp on %s" % (port, ip)
                      for (ip, port), (state, _) in expected_for([cidr], ports).items()
                      if state == "open")
        said = [l for l in p.stdout.splitlines() if l.startswith("Discovered ")]
        self.verify(want and sorted(said) == want, "said %s, want %s" % (said, want))
        self.verify(p.stdout.index("Discovered ") < p.stdout.index("PORT"), p.stdout[:400])

    def test_sigint_flushes_outputs(self):
        out = self.artifact("sigint.ndjson")
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary] + self.tb.eal_args() + [
            "--"] + self.tb.scan_args() + ["--rate", "2000", "-p", "80", "-oJ", out,
                                            "--checkpoint", self.artifact("sigint.resume"),
                                            "198.19.0.0/17"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(4)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        self.verify(proc.returncode == 130, "exit %d after SIGINT: %s" % (proc.returncode,
                                                                         stderr[-500:]))
        self.verify("Scan interrupted" in stdout, "no interrupted summary: %s" % stdout[-300:])
        results = self.read_ndjson(out)
        self.verify(len(results) > 0, "nothing written before SIGINT")
        for (ip, port), rec in results.items():
            self.verify((rec["state"], rec["reason"]) == zones.truth(ip, port),
                        "%s:%d %s" % (ip, port, rec))
        with open(out, "rb") as f:
            self.verify(f.read().endswith(b"}\n"), "last line cut short")
