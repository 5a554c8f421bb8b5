"""The other PMDs of drivers-config: net_null (TX sink), net_pcap (capture the
probes to a file and check them), net_ring (frames loop back to us)."""
import struct
import subprocess
import uuid

from framework.test_suite import TestSuite

ADDR = ["-S", "198.18.0.2", "--router-mac", "02:00:00:00:00:01", "--allow-special-ranges", "-Pn"]


class TestPmds(TestSuite):
    def run(self, vdev, args, timeout=120):
        eal = ["--no-pci", "--no-huge", "-m", "512", "--file-prefix",
               "prt-pmd-" + uuid.uuid4().hex[:8], "--lcores", "0@0,1@1,2@0", "--log-level",
               "notice", "--vdev", vdev]
        p = subprocess.run(["timeout", "--signal=INT", str(timeout), self.ctx.binary] + eal +
                           ["--"] + args, capture_output=True, text=True, timeout=timeout + 30)
        with open(self.artifact(vdev.split(",")[0] + ".log"), "w", encoding="utf-8") as f:
            f.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
        self.verify(p.returncode == 0, "%s: exit %d: %s" % (vdev, p.returncode, p.stderr[-500:]))
        return p

    def test_net_null_sends_every_probe(self):
        p = self.run("net_null0", ADDR + ["--rate", "1M", "--max-retries", "0", "--wait", "0",
                                          "-p", "1-1000", "198.19.0.0/24"])
        self.verify("256 IPs x 1000 ports, 256000 probes" in p.stdout, p.stdout[-300:])

    def test_net_pcap_captures_valid_probes(self):
        pcap = self.artifact("probes.pcap")
        empty = self.artifact("empty.pcap")
        with open(empty, "wb") as f:  # pcap global header, Ethernet, no packets
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.run("net_pcap0,rx_pcap=%s,tx_pcap=%s" % (empty, pcap),
                 ADDR + ["--max-retries", "0", "--wait", "0", "-p", "22,80", "198.19.0.0/28"])
        dump = subprocess.run(["tcpdump", "-nn", "-vv", "-r", pcap, "tcp"], capture_output=True,
                              text=True, timeout=60).stdout
        syns = [l for l in dump.splitlines() if "Flags [S]" in l]
        self.verify(len(syns) == 32, "%d SYNs in the capture, want 32" % len(syns))
        self.verify("incorrect" not in dump and "bad cksum" not in dump,
                    "a probe with a bad checksum: %s" % dump[:500])
        dests = {l.split(" > ")[1].split(":")[0] for l in dump.splitlines() if " > " in l}
        want = {"198.19.0.%d.%d" % (h, p) for h in range(16) for p in (22, 80)}
        self.verify(dests == want, "destinations %s" % sorted(dests ^ want)[:5])

    def test_net_ring_loopback_is_not_a_reply(self):
        p = self.run("net_ring0", ADDR + ["--max-retries", "0", "--wait", "0.5", "-p", "80",
                                          "198.19.0.0/28"])
        self.verify("0 replies" in p.stdout and "16 filtered" in p.stdout, p.stdout[-300:])
        self.verify("not-for-us 16" in p.stderr, "loopback frames not counted: %s" %
                    p.stderr[-300:])
