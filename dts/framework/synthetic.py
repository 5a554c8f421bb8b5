"""A synthetic Internet: dpdk-prtip-responder in its own DPDK process, joined to
the scanner by net_memif (shared memory between two processes; no kernel
interface, no address outside the 198.18.0.0/15 the scans name). The responder
answers as a keyed hash of (address, port) decides and prints that truth with
--truth, so a scan of any size can be checked pair by pair at any rate."""
import os
import re
import signal
import subprocess
import time
import uuid

SCANNER_IP = "198.18.0.2"
ROUTER_IP = "198.18.0.1"


def responder_binary(scanner_binary):
    return os.path.join(os.path.dirname(os.path.dirname(scanner_binary)), "dpdk-prtip-responder",
                        "dpdk-prtip-responder")


class Synthetic:
    def __init__(self, scanner_binary, world_args, scanner_lcores="0@0,1@1,2@0",
                 responder_lcores="0@1", ring_log2=14):
        self.scanner = scanner_binary
        self.responder = responder_binary(scanner_binary)
        self.world = list(world_args)
        self.sock = "/tmp/prt-memif-%s.sock" % uuid.uuid4().hex[:8]
        self.scanner_lcores, self.responder_lcores = scanner_lcores, responder_lcores
        self.proc = None
        # large rings: on a machine where the processes share CPUs, a ring must hold
        # what arrives while its reader waits for its time slice
        self.ring_log2 = ring_log2

    def eal(self, role, lcores):
        return ["--no-pci", "--no-huge", "-m", "1024", "--file-prefix",
                "prt-syn-%s-%s" % (role, uuid.uuid4().hex[:8]), "--lcores", lcores,
                "--log-level", "notice", "--vdev",
                "net_memif0,role=%s,socket=%s,socket-abstract=no,rsize=%d" % (
                    role, self.sock, self.ring_log2)]

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["timeout", "--signal=INT", "900", self.responder] +
            self.eal("server", self.responder_lcores) + ["--"] + self.world,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(100):  # the server makes the socket the scanner connects to
            if os.path.exists(self.sock) or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not os.path.exists(self.sock):
            raise RuntimeError("responder did not start: %s" % self.stop()[-400:])
        return self

    def stop(self):
        """Stop the responder; returns its stderr (its counters)."""
        if self.proc is None:
            return ""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        _, err = self.proc.communicate(timeout=60)
        self.proc = None
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        return err

    def __exit__(self, *exc):
        self.stop()

    def scan(self, args, timeout=600):
        """Run the scanner against the responder; returns CompletedProcess."""
        cmd = ["timeout", "--signal=INT", "--kill-after=10", str(timeout), self.scanner] + \
            self.eal("client", self.scanner_lcores) + [
                "--", "-S", SCANNER_IP, "--router-ip", ROUTER_IP, "--allow-special-ranges", "-Pn"] + \
            list(args)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)

    def truth(self, ports, targets):
        """{(ip, port): (state, reason)} of every answering pair."""
        p = subprocess.run([self.responder, "--", "--truth", "-p", ports] + self.world +
                           list(targets), capture_output=True, text=True, check=True)
        out = {}
        for line in p.stdout.splitlines():
            ip, port, state, reason = line.split()
            out[(ip, int(port))] = (state, reason)
        return out


def sending_rate(stdout):
    """The scanner's achieved probes/s while sending, from its summary line."""
    m = re.search(r"sending [0-9.]+ s, ([0-9]+) probes/s", stdout)
    return int(m.group(1)) if m else 0
