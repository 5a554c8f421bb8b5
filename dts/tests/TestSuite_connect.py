"""-sT, the connect scan over the userspace TCP: the states nmap -sT gives
from the same veth and the ground truth, every connection completed and
closed on both ends (the target keeps no half-open or established socket),
IPv6 too, and SIGINT resetting what is still open."""
import signal
import subprocess
import time
import uuid

from framework import testbed, zones
from framework.connections import conn_counts
from framework.nmap_xml import nmap_states
from framework.telemetry import Telemetry
from framework.test_suite import TestSuite

HOSTS = ["198.19.0.5", "198.19.1.5", "198.19.16.5", "198.19.20.5", "198.19.21.5",
         "198.19.22.5", "198.19.128.5"]
HOSTS6 = ["2001:2:0:100::5", "2001:2:0:101::5", "2001:2:0:110::5", "2001:2:0:120::5"]
PORTS = [22, 80, 81, 443, 8080, 9999]


class TestConnect(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("con", ipv6=True).create()
        self.peer_ip = self.tb.add_kernel_peer()

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, args):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + [
            "-sT", "--wait", "1", "-oJ", out] + args, timeout=120)
        self.keep_run(name, p)
        return self.read_ndjson(out), p

    def target_sockets(self, ports):
        """TCP sockets of the target on these ports in a state a finished
        connection must not leave (SYN-RECV: our ACK never came)."""
        out = subprocess.run(["ip", "netns", "exec", self.tb.farm_ns, "ss", "-tanH"],
                             capture_output=True, text=True, check=True).stdout
        bad = []
        for line in out.splitlines():
            f = line.split()
            if len(f) >= 4 and f[0] in ("ESTAB", "SYN-RECV", "CLOSE-WAIT", "LAST-ACK") and \
                    int(f[3].rsplit(":", 1)[1]) in ports:
                bad.append(line)
        return bad

    def test_states_equal_truth_and_nmap(self):
        got, p = self.scan("v4", ["-p", ",".join(map(str, PORTS))] + HOSTS)
        want = {(ip, port): zones.truth_for("connect", ip, port) for ip in HOSTS
                for port in PORTS}
        bad = self.compare_with_truth(got, want)
        self.verify(not bad, "vs truth: %s" % "; ".join(bad[:6]))
        xml = self.artifact("nmap-sT.xml")
        n = subprocess.run(["timeout", "300", "ip", "netns", "exec", self.tb.scan_ns, "nmap",
                            "-sT", "-n", "-Pn", "-S", self.peer_ip, "-e", self.tb.scan_if,
                            "--max-retries", "1", "--initial-rtt-timeout", "100ms",
                            "--max-rtt-timeout", "300ms", "-p", ",".join(map(str, PORTS)),
                            "-oX", xml] + HOSTS, capture_output=True, text=True, timeout=330)
        self.verify(n.returncode == 0, "nmap -sT: %s" % n.stderr[-400:])
        theirs = nmap_states(xml)
        diff = ["%s:%d nmap %s, ours %s" % (k[0], k[1], theirs.get(k), got[k]["state"])
                for k in sorted(want) if theirs.get(k) != got[k]["state"]]
        self.verify(not diff, "vs nmap -sT: %s" % "; ".join(diff[:6]))
        opened = sum(1 for s, _ in want.values() if s == "open")
        c = conn_counts(p.stderr)
        self.verify(c is not None, "no connections line: %s" % p.stderr[-400:])
        self.verify(c["opened"] == opened and c["closed"] == opened and c["open"] == 0,
                    "%d open ports but connections %s" % (opened, c))
        time.sleep(0.5)
        left = self.target_sockets(PORTS)
        self.verify(not left, "the target kept sockets: %s" % left[:4])
        print("    -sT: %d pairs equal to nmap -sT and the truth; %d connections opened and "
              "closed" % (len(want), opened), flush=True)

    def test_ipv6(self):
        got, p = self.scan("v6", ["-p", ",".join(map(str, PORTS))] + HOSTS6)
        want = {(ip, port): zones.truth_for("connect", ip, port) for ip in HOSTS6
                for port in PORTS}
        bad = self.compare_with_truth(got, want)
        self.verify(not bad, "IPv6 vs truth: %s" % "; ".join(bad[:6]))
        c = conn_counts(p.stderr)
        opened = sum(1 for s, _ in want.values() if s == "open")
        self.verify(c is not None and c["closed"] == opened == c["opened"],
                    "IPv6: %d open, connections %s" % (opened, c))

    def test_sigint_resets_open_connections(self):
        """Connections that wait for a silent server are reset on SIGINT, not
        left open on the target."""
        self.tb.start_banner_farm()
        prefix = "prt-con-" + uuid.uuid4().hex[:8]
        # SIGINT goes to the scanner itself (communicate() below bounds the run)
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary] + \
            self.tb.eal_args(prefix) + ["--"] + self.tb.scan_args() + [
            "-sT", "--banners", "--banner-wait", "30", "--connection-timeout", "60",
            "--checkpoint", self.artifact("sigint.resume"), "-p", "9999", "198.19.0.0/28"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        tel = Telemetry(prefix)
        deadline = time.time() + 20
        opened = 0
        while time.time() < deadline and opened < 16:
            tcp = tel.query("/prtip/tcp")
            opened = tcp.get("open", 0) if isinstance(tcp, dict) else 0
            time.sleep(0.2)
        tel.close()
        self.verify(opened == 16, "16 connections never opened: /prtip/tcp %s" % tcp)
        self.verify(tcp["mode"] == "banners", "mode %s" % tcp)
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        c = conn_counts(err)
        self.verify(proc.returncode == 130, "exit %d: %s" % (proc.returncode, err[-300:]))
        self.verify(c is not None and c["aborted"] == 16 and c["open"] == 0,
                    "connections after SIGINT: %s" % c)
        time.sleep(0.5)
        left = self.target_sockets([9999])
        self.verify(not left, "the target kept sockets after our resets: %s" % left[:4])

    def test_bad_input(self):
        cases = [
            (["--banners", "-sF", "-p", "80", HOSTS[0]], "--banners needs a scan that finds"),
            (["--banners", "--banner-wait", "20", "--connection-timeout", "5", "-p", "80",
              HOSTS[0]], "--banner-wait 20.0 must be below --connection-timeout 5.0"),
            (["-sT", "--max-connections", "3", "-p", "80", HOSTS[0]],
             "bad --max-connections '3'"),
            (["-sT", "--connection-timeout", "0", "-p", "80", HOSTS[0]],
             "bad --connection-timeout '0'"),
            (["-sT", "--service-probes", "/nonexistent", "-p", "80", HOSTS[0]],
             "--service-probes is read for --banners"),
            (["--banners", "--service-probes", "/nonexistent", "-p", "80", HOSTS[0]],
             "--service-probes: cannot read /nonexistent"),
        ]
        for args, want in cases:
            p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + args, timeout=60)
            self.verify(p.returncode == 2 and want in p.stderr,
                        "%s: exit %d, %s" % (" ".join(args), p.returncode, p.stderr[-300:]))
