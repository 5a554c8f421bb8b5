"""Resume: a scan interrupted twice (SIGINT) and resumed from its checkpoint
reports every pair exactly once, and the same as one uninterrupted scan and
the ground truth; its -oX is one valid document; checkpoints from other
options, versions or lcore counts are refused."""
import hashlib
import hmac
import ipaddress
import json
import os
import shutil
import signal
import struct
import subprocess
import time
import xml.etree.ElementTree as ET

from framework import testbed, zones
from framework.test_suite import TestSuite

NET = "198.19.0.0/19"  # 8192 hosts x 3 ports: about 5 s at 5000 pps
PORTS = "22,80,81"
OPTS = ["--seed", "11", "--rate", "5000", "--wait", "1", "-p", PORTS, NET]


class TestResume(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("res").create()
        self.truth = {(str(ip), p): zones.truth(str(ip), p)
                      for ip in ipaddress.ip_network(NET) for p in map(int, PORTS.split(","))}

    def tear_down_suite(self):
        self.tb.destroy()

    def start(self, args, eal=None):
        cmd = ["ip", "netns", "exec", self.tb.scan_ns, self.ctx.binary] + \
            (eal or self.tb.eal_args()) + ["--"] + args
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def interrupt_after(self, proc, seconds, name):
        time.sleep(seconds)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        with open(self.artifact(name + ".log"), "w", encoding="utf-8") as f:
            f.write(out + "\n--- stderr ---\n" + err)
        self.verify(proc.returncode == 130, "%s: exit %d %s" % (name, proc.returncode, err[-500:]))
        return err

    def test_interrupted_twice_equals_uninterrupted(self):
        ck = self.artifact("scan.resume")
        whole, parts, xml, events = (self.artifact(n) for n in (
            "whole.ndjson", "parts.ndjson", "parts.xml", "parts.events"))
        for path in (ck, parts, xml, events):
            if os.path.exists(path):
                os.unlink(path)
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + ["-oJ", whole] + OPTS,
                                timeout=180)
        self.verify(p.returncode == 0, "uninterrupted: %s" % p.stderr[-400:])
        outs = ["-oJ", parts, "-oX", xml, "--xml-scanner-nmap", "--checkpoint", ck,
                "--event-log", events]

        err = self.interrupt_after(self.start(self.tb.scan_args() + outs + OPTS), 2.5, "part1")
        self.verify(os.path.exists(ck) and "--resume " + ck in err, "no checkpoint: %s" % err)
        n1 = sum(1 for _ in open(parts, encoding="utf-8"))
        # the second part: --resume alone, the options come from the checkpoint
        self.interrupt_after(self.start(["--resume", ck]), 2.5, "part2")
        n2 = sum(1 for _ in open(parts, encoding="utf-8"))
        self.verify(0 < n1 < n2 < len(self.truth), "lines after parts: %d, %d of %d" %
                    (n1, n2, len(self.truth)))
        # the rest: --resume with the same options again
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + outs + OPTS +
                                ["--resume", ck], timeout=180)
        with open(self.artifact("part3.log"), "w", encoding="utf-8") as f:
            f.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
        self.verify(p.returncode == 0, "last part: exit %d %s" % (p.returncode, p.stderr[-500:]))
        self.verify(not os.path.exists(ck), "a completed scan left its checkpoint")

        got = self.read_ndjson(parts)  # raises if a pair is reported twice
        ref = self.read_ndjson(whole)
        bad = self.compare_with_truth(got, self.truth)
        self.verify(not bad, "resumed scan vs truth: %d, e.g. %s" % (len(bad), bad[:4]))
        diff = [k for k in ref if (ref[k]["state"], ref[k]["reason"]) !=
                (got[k]["state"], got[k]["reason"])]
        self.verify(not diff and len(got) == len(ref), "resumed vs uninterrupted: %s" % diff[:4])

        v = subprocess.run(["xmllint", "--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", xml],
                           capture_output=True, text=True)
        self.verify(v.returncode == 0, "xmllint: %s" % v.stderr[-400:])
        hosts = {h.find("address").get("addr") for h in ET.parse(xml).getroot().iter("host")}
        answering = {ip for (ip, _), (s, r) in self.truth.items() if r != "no-response"}
        self.verify(hosts == answering, "xml hosts %d, answering %d" % (len(hosts),
                                                                        len(answering)))
        # one event log over the three parts: one scan id (made, not given), each
        # part's start, the last part's end
        with open(events, encoding="utf-8") as f:
            ev = [json.loads(line) for line in f]
        starts = [e for e in ev if e["event"] == "scan_start"]
        self.verify(len({e["scan"] for e in ev}) == 1 and
                    [e["resumed"] for e in starts] == [False, True, True] and
                    ev[-1]["event"] == "scan_end" and ev[-1]["exit"] == 0,
                    "events: ids %s, starts %s" % ({e["scan"] for e in ev}, starts))
        print("    %d pairs in three parts: each once, equal to the uninterrupted scan "
              "(%d + %d + %d lines)" % (len(got), n1, n2 - n1, len(got) - n2), flush=True)

    def test_internet_mode_stopped_by_max_runtime_then_resumed(self):
        """Internet mode keeps no bit per pair: its checkpoint is the walk positions.
        --max-runtime stops each part cleanly (exit 0, a checkpoint); each resumed
        part goes on from there for as long again; together they report every
        answered pair of the truth exactly once and nothing silent."""
        ck, parts = self.artifact("inet.resume"), self.artifact("inet.ndjson")
        for path in (ck, parts):
            if os.path.exists(path):
                os.unlink(path)
        args = self.tb.scan_args(states=None) + ["--max-state-memory", "0", "--checkpoint", ck,
                                                 "-oJ", parts] + OPTS
        p = self.tb.run_scanner(self.ctx.binary, args + ["--max-runtime", "2"], timeout=120)
        self.keep_run("inet-part1", p)
        self.verify("stopping after --max-runtime" in p.stderr and os.path.exists(ck),
                    "no stop or no checkpoint: %s" % p.stderr[-400:])
        n1 = sum(1 for _ in open(parts, encoding="utf-8"))
        # the checkpoint keeps --max-runtime (a nightly window): each resumed part
        # runs 2 s more, until the scan completes and removes its checkpoint
        for part in range(2, 8):
            if not os.path.exists(ck):
                break
            p = self.tb.run_scanner(self.ctx.binary, ["--resume", ck], timeout=120)
            self.keep_run("inet-part%d" % part, p)
        self.verify(not os.path.exists(ck), "not complete after %d parts" % part)
        got = self.read_ndjson(parts)  # raises if a pair is reported twice
        answered = {k: v for k, v in self.truth.items() if v[1] != "no-response"}
        bad = self.compare_with_truth(got, answered)
        self.verify(0 < n1 < len(got) and not bad, "%d then %d lines, %d mismatches: %s" % (
            n1, len(got), len(bad), bad[:4]))

    def make_checkpoint(self, name, extra=()):
        ck = self.artifact(name)
        if os.path.exists(ck):
            os.unlink(ck)
        self.interrupt_after(self.start(self.tb.scan_args() + ["--checkpoint", ck] +
                                        list(extra) + OPTS), 1.5, name)
        return ck

    def test_tampered_fields_behind_a_valid_mac(self):
        """What the MAC cannot stop (a bug, or someone who has the key): every field
        out of range, the host table's states out of range, and cuts at many places,
        each with a fresh MAC under the machine's key, is refused with a message,
        never a crash."""
        ck = self.make_checkpoint("fields.resume")
        with open(ck, "rb") as f:
            good = f.read()[:-32]
        with open("/var/lib/dpdk-prtip/checkpoint.key", "rb") as f:
            key = f.read()
        layout = struct.unpack_from("<I", good, 24)[0]
        max_tx, key_size = layout >> 8 & 0xff, layout & 0xff
        args_len = struct.unpack_from("<I", good, 28)[0]
        at = {"args_len": 28}
        at["npairs"] = 32 + args_len + key_size + 8
        at["n_tx"] = at["npairs"] + 8
        at["steps"] = at["n_tx"] + 4 + 4 * max_tx
        at["state_count"] = at["steps"] + 8 * max_tx
        at["probes"] = at["state_count"] + 8 * (layout >> 16 & 0xff)
        at["nwords"] = at["probes"] + 24
        npairs = struct.unpack_from("<Q", good, at["npairs"])[0]
        nwords = struct.unpack_from("<Q", good, at["nwords"])[0]
        hosts = at["nwords"] + 8 + 8 * nwords  # count, then the first host
        state = hosts + 8 + 16 + 16 + 1 + 3    # its first group's state
        bad = self.artifact("fields-bad.resume")

        def run(data):
            with open(bad, "wb") as f:
                f.write(data + hmac.new(key, data, hashlib.sha256).digest())
            return self.tb.run_scanner(self.ctx.binary, ["--resume", bad], timeout=60)

        def put(fmt, where, value):
            data = bytearray(good)
            struct.pack_into(fmt, data, where, value)
            return bytes(data)

        cases = {
            "args_len huge": put("<I", at["args_len"], 0xffffffff),
            "no TX lcore": put("<I", at["n_tx"], 0),
            "200 TX lcores": put("<I", at["n_tx"], 200),
            "npairs of another size": put("<Q", at["npairs"], npairs * 2 + 64),
            "a position past the end": put("<Q", at["steps"], npairs + 1),
            "counts past the pairs": put("<Q", at["state_count"], 1 << 62),
            "more replies than probes": put("<Q", at["probes"] + 8, 1 << 40),
        }
        for name, data in cases.items():
            p = run(data)
            self.verify(p.returncode == 2 and "damaged" in p.stderr,
                        "%s: exit %d %s" % (name, p.returncode, p.stderr[-300:]))
        for value in (7, 200, 255):
            p = run(put("<B", state, value))
            self.verify(p.returncode == 1 and "host table is damaged" in p.stderr,
                        "host state %d: exit %d %s" % (value, p.returncode, p.stderr[-300:]))
        for cut in range(0, len(good), max(1, len(good) // 40)):
            p = run(good[:cut])
            self.verify(p.returncode in (1, 2) and "cannot resume" in p.stderr and
                        p.returncode < 128, "cut at %d: exit %d %s" % (cut, p.returncode,
                                                                     p.stderr[-300:]))
        print("    %d field tamperings, 3 host states and %d cuts with valid MACs refused" %
              (len(cases), len(range(0, len(good), max(1, len(good) // 40)))), flush=True)

    def test_refusals(self):
        ck = self.make_checkpoint("refuse.resume")
        # other options
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + OPTS[:-1] +
                                ["198.19.64.0/19", "--resume", ck], timeout=60)
        self.verify(p.returncode == 2 and "written for other scanner options" in p.stderr,
                    "other options: exit %d %s" % (p.returncode, p.stderr))
        # another version
        with open(ck, "rb") as f:
            data = bytearray(f.read())
        data[8:24] = b"0.0.1-other\0\0\0\0\0"
        other = self.artifact("other-version.resume")
        with open(other, "wb") as f:
            f.write(data)
        p = self.tb.run_scanner(self.ctx.binary, ["--resume", other], timeout=60)
        self.verify(p.returncode == 2 and "written by dpdk-prtip 0.0.1-other" in p.stderr,
                    "other version: exit %d %s" % (p.returncode, p.stderr))
        # garbage and a truncated file
        junk = self.artifact("junk.resume")
        with open(junk, "wb") as f:
            f.write(b"not a checkpoint at all")
        p = self.tb.run_scanner(self.ctx.binary, ["--resume", junk], timeout=60)
        self.verify(p.returncode == 2 and "not a dpdk-prtip checkpoint" in p.stderr, p.stderr)
        with open(ck, "rb") as f:
            head = f.read(60)
        with open(junk, "wb") as f:
            f.write(head)
        p = self.tb.run_scanner(self.ctx.binary, ["--resume", junk], timeout=60)
        self.verify(p.returncode == 2 and "MAC does not match" in p.stderr, p.stderr)
        # only its owner reads it: it holds the cookie key and the walk seed
        mode = os.stat(ck).st_mode & 0o777
        self.verify(mode == 0o600, "checkpoint mode %o" % mode)
        # one bit flipped anywhere (here: in the pair bitmap's region) fails the MAC
        with open(ck, "rb") as f:
            data = bytearray(f.read())
        data[len(data) // 2] ^= 0x10
        with open(junk, "wb") as f:
            f.write(data)
        p = self.tb.run_scanner(self.ctx.binary, ["--resume", junk], timeout=60)
        self.verify(p.returncode == 2 and "MAC does not match" in p.stderr, p.stderr)
        # another user's checkpoint is not replayed alone (its output paths would be ours)
        theirs = self.artifact("theirs.resume")
        shutil.copyfile(ck, theirs)
        os.chown(theirs, 65534, 65534)
        p = self.tb.run_scanner(self.ctx.binary, ["--resume", theirs], timeout=60)
        self.verify(p.returncode == 2 and "belongs to another user" in p.stderr, p.stderr)
        # other lcores: the default roles of four lcores give two TX lcores, not one
        eal = self.tb.eal_args()
        eal[eal.index("--lcores") + 1] = "0@0,1@1,2@0,3@1"
        eal[eal.index("--vdev") + 1] += ",qpairs=2"
        p = self.tb.run_scanner(self.ctx.binary, ["--resume", ck], eal=eal, timeout=60)
        self.verify(p.returncode == 1 and "written with 1 TX lcores, this run has 2" in p.stderr,
                    "lcore mismatch: exit %d %s" % (p.returncode, p.stderr))
