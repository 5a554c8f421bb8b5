"""Internet scale on the testbed: the streams write what answered by default and
--output-states selects states for every format; Internet mode (past
--max-state-memory; forced here with 0) reports exactly the answered pairs of
the ground truth, each once, in flat memory, and the nmap formats list the
responding hosts only. A small scan waits what the measured round trips
need: one host x 65535 ports, exact, timed against nmap -sS -p- on the same
veth, alternated in the same run, and a /24 x nmap's
top 1000 ports against nmap -sS --min-rate at the same rate (both timed and
printed; exactness asserted)."""
import ipaddress
import re
import statistics
import subprocess
import time
import xml.etree.ElementTree as ET

from framework import testbed, zones
from framework.nmap_xml import expand_ports, xml_ports
from framework.test_suite import TestSuite

TEN_PORTS = [21, 22, 23, 25, 80, 443, 3389, 8080, 8443, 9999]
BLOCKS = ["198.19.0.0/22", "198.19.20.0/24", "198.19.128.0/24"]


class TestInternet(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("inet").create()
        self.truth = {(str(ip), port): zones.truth(str(ip), port)
                      for cidr in BLOCKS for ip in ipaddress.ip_network(cidr)
                      for port in TEN_PORTS}
        self.answered = {k: v for k, v in self.truth.items() if v[1] != "no-response"}
        self.peer_ip = self.tb.add_kernel_peer()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, extra, states=None):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args(states) + [
            "--seed", "3", "--rate", "20000", "--wait", "1", "-p",
            ",".join(map(str, TEN_PORTS)), "-oJ", out] + extra + BLOCKS, timeout=300)
        self.keep_run(name, p)
        return self.read_ndjson(out), p

    def check(self, results, expected):
        bad = self.compare_with_truth(results, expected)
        self.verify(not bad, "%d mismatches, e.g. %s" % (len(bad), "; ".join(bad[:5])))

    def test_streams_write_answers_by_default(self):
        lst, csv_path = self.artifact("default.list"), self.artifact("default.csv")
        results, p = self.scan("default", ["-oL", lst, "-oC", csv_path])
        self.check(results, self.answered)
        self.verify("per-pair state" in p.stderr, "start line: %s" % p.stderr[-400:])
        with open(lst, encoding="utf-8") as f:
            rows = [l for l in f if l.strip() and not l.startswith("#")]
        with open(csv_path, encoding="utf-8") as f:
            cells = f.read().splitlines()[1:]
        self.verify(len(rows) == len(self.answered) == len(cells),
                    "-oL %d, -oC %d rows, %d answered" % (len(rows), len(cells),
                                                         len(self.answered)))
        self.verify(not any("no-response" in l for l in rows + cells), "a silent pair written")

    def test_output_states_select_for_every_format(self):
        xml = self.artifact("open.xml")
        results, _ = self.scan("open-closed", ["-oX", xml], states="open,closed")
        want = {k: v for k, v in self.truth.items() if v[0] in ("open", "closed")}
        self.check(results, want)
        listed, _ = xml_ports(xml)
        self.verify(set(listed) == set(want), "-oX lists %d ports, want %d" % (len(listed),
                                                                           len(want)))
        results, _ = self.scan("open-only", ["--open-only"], states=None)
        self.check(results, {k: v for k, v in self.truth.items() if v[0] == "open"})

    def test_internet_mode_reports_each_answer_once(self):
        xml = self.artifact("internet.xml")
        results, p = self.scan("internet", ["--max-state-memory", "0", "--max-retries", "1",
                                            "-oX", xml])
        # read_ndjson refused any pair reported twice
        self.check(results, self.answered)
        self.verify("Internet mode" in p.stderr, "start line: %s" % p.stderr[-400:])
        listed, extra = xml_ports(xml)
        hosts = {ip for ip, _ in listed} | set(extra)
        self.verify(hosts == {ip for ip, _ in self.answered},
                    "-oX lists %d hosts, %d answered" % (len(hosts),
                                                        len({ip for ip, _ in self.answered})))
        for key, (state, reason) in listed.items():
            want = self.answered.get(key)
            self.verify(want is not None and (state, reason) == want,
                        "%s:%d -oX %s/%s, truth %s" % (*key, state, reason, want))
        # every probe was sent twice (the resend a fixed distance later), and the
        # second answers were recognised as duplicates, not reported
        m = re.search(r"([0-9]+) probes, ([0-9]+) replies", p.stdout)
        self.verify(m and int(m.group(1)) == 2 * len(self.truth),
                    "probes: %s, pairs %d" % (m and m.group(0), len(self.truth)))
        self.verify(int(m.group(2)) > 1.5 * len(self.answered),
                    "replies %s for %d answered pairs" % (m.group(2), len(self.answered)))

    def timed_scan(self, name, args):
        t0 = time.monotonic()
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args, timeout=120)
        took = time.monotonic() - t0
        self.keep_run(name, p)
        return took

    def test_one_host_all_ports_exact_timed_against_nmap(self):
        """DPDK's start-up (EAL memory, a 100 ms TSC calibration sleep, the port)
        is a fixed cost nmap does not have: it is measured in the same run as
        the wall time of a one-pair scan of the same host, and the scan proper
        (wall minus start-up) is printed next to nmap's whole run."""
        host, ours, startup, theirs = "198.19.0.5", [], [], []
        want = {(host, port): zones.truth(host, port) for port in range(1, 65536)}
        # the veth and the target's kernel drop a little of 300k probes a
        # second (then a retry pass and its 0.25 s gap cost more than the
        # rate saves); a sanitizer build's RX lcore carries 100k
        rate = "100000" if self.ctx.sanitized else "250000"
        for i in range(3):
            out = self.artifact("all-ports-%d.ndjson" % i)
            startup.append(self.timed_scan("one-pair-%d" % i, ["-p", "80", host]))
            ours.append(self.timed_scan("all-ports-%d" % i, ["-p-", "--rate", rate, "-oJ",
                                                             out, host]))
            self.check(self.read_ndjson(out), want)
            theirs.append(self.nmap_run("nmap-%d" % i, ["-p-", host]))
        self.compare_times("one host x 65535 ports", ours, startup, theirs)

    def nmap_run(self, name, args):
        t0 = time.monotonic()
        n = subprocess.run(["timeout", "300", "ip", "netns", "exec", self.tb.scan_ns, "nmap",
                            "-sS", "-n", "-Pn", "-S", self.peer_ip, "-e", self.tb.scan_if,
                            "-oX", self.artifact(name + ".xml")] + args,
                           capture_output=True, text=True, timeout=330)
        self.verify(n.returncode == 0, "nmap: %s" % n.stderr[-300:])
        return time.monotonic() - t0

    def compare_times(self, what, ours, startup, theirs):
        """Printed, not asserted: on this VM the comparison is bimodal (a run
        whose veth drops a few probes pays a retry pass and its gap), so a
        gate on it fails CI by chance; docs/performance.md keeps the figures.
        The scans' exactness is asserted."""
        med = {k: statistics.median(v) for k, v in (("ours", ours), ("startup", startup),
                                                       ("nmap", theirs))}
        print("    %s, wall s (alternated): dpdk-prtip %s, its start-up (1-pair scan) %s, "
              "nmap %s; scan proper %.2f s vs nmap %.2f s (median)%s" % (
                  what, ["%.2f" % t for t in ours], ["%.2f" % t for t in startup],
                  ["%.2f" % t for t in theirs], med["ours"] - med["startup"], med["nmap"],
                  " (a sanitizer build)" if self.ctx.sanitized else ""), flush=True)

    def test_slash24_top1000_exact_timed_against_nmap_min_rate(self):
        """A /24 where every pair answers (open or reset) x nmap's top 1000
        ports at 100,000 probes/s, exact, against nmap -sS --top-ports 1000
        at the same rate (--min-rate and --max-rate: --min-rate alone is a
        floor nmap may exceed)."""
        net, ours, startup, theirs = "198.19.0.0/24", [], [], []
        # a sanitizer build's RX lcore, at 100k answers a second on a busy VM, once
        # lost 271 of 256,000 replies in both passes: it scans (and nmap with it) at half
        rate = "50000" if self.ctx.sanitized else "100000"
        for i in range(2):
            out, xml = self.artifact("top1000-%d.ndjson" % i), self.artifact("top1000-%d.xml" % i)
            startup.append(self.timed_scan("top1000-one-pair-%d" % i, ["-p", "80",
                                                                      "198.19.0.1"]))
            ours.append(self.timed_scan("top1000-%d" % i, ["--top-ports", "1000", "--rate", rate,
                                                           "-oJ", out, "-oX", xml, net]))
            info = ET.parse(xml).getroot().find("scaninfo")
            ports = expand_ports(info.get("services"))
            self.verify(len(ports) == 1000, "top ports: %d" % len(ports))
            want = {(str(ip), port): zones.truth(str(ip), port)
                    for ip in ipaddress.ip_network(net) for port in ports}
            self.check(self.read_ndjson(out), want)
            theirs.append(self.nmap_run("nmap-top1000-%d" % i, [
                "--top-ports", "1000", "--min-rate", rate, "--max-rate", rate, net]))
        self.compare_times("/24 x top 1000 ports at 100000/s", ours, startup, theirs)
