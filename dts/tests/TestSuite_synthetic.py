"""The synthetic Internet (dpdk-prtip-responder over net_memif): at the highest
rate this machine carries, every answer of the responder's truth is reported
exactly once and nothing else, in the per-pair regime and in Internet mode;
under hostile replies (broken checksums, duplicates, late answers, malformed
frames, forged SYN-ACKs for silent pairs) at that rate, no false positive."""
from framework.nmap_xml import xml_ports
from framework.synthetic import Synthetic, sending_rate
from framework.test_suite import TestSuite

WORLD = ["--seed", "9", "--open", "2", "--closed", "10", "--unreachable", "1"]
HOSTILE = ["--bad-checksum", "5", "--duplicate", "5", "--late", "2", "--late-ms", "100",
           "--garbage", "5", "--forged", "5"]
TARGETS = ["198.18.0.0/16"]
PORTS = "1-16"  # 1,048,576 pairs
RATE = "2000000"  # more than two processes on two shared vCPUs carry (~1.5 M)


class TestSynthetic(TestSuite):
    def run_against(self, name, world, extra):
        out = self.artifact(name + ".ndjson")
        with Synthetic(self.ctx.binary, world) as syn:
            truth = syn.truth(PORTS, TARGETS)
            p = syn.scan(["--seed", "4", "--rate", RATE, "-p", PORTS, "-oJ", out] + extra +
                         TARGETS)
            counters = syn.stop()
        self.keep_run(name, p)
        with open(self.artifact(name + ".responder"), "w", encoding="utf-8") as f:
            f.write(counters)
        got = self.read_ndjson(out)  # raises on a pair reported twice
        false = [k for k in got if k not in truth or
                 (got[k]["state"], got[k]["reason"]) != truth[k]]
        missed = [k for k in truth if k not in got]
        print("    %s: %d answers of %d pairs at %d probes/s: %d missed, %d false; %s" % (
            name, len(truth), 65536 * 16, sending_rate(p.stdout), len(missed), len(false),
            counters.strip().splitlines()[-1] if counters.strip() else "?"), flush=True)
        return missed, false, truth, p

    def test_exact_at_rate(self):
        missed, false, _, _ = self.run_against("exact", WORLD, ["--max-retries", "2"])
        self.verify(not missed and not false, "missed %s, false %s" % (missed[:4], false[:4]))

    def test_exact_at_rate_internet_mode(self):
        """-oX too: ~57,000 responding hosts pass the host table's budget (1 MiB
        with --max-state-memory 0), so it goes to disk and is merged at the end;
        the merged document lists exactly the responders, each answer once."""
        xml = self.artifact("internet.xml")
        missed, false, truth, p = self.run_against(
            "internet", WORLD, ["--max-state-memory", "0", "--max-retries", "2", "-oX", xml])
        self.verify(not missed and not false, "missed %s, false %s" % (missed[:4], false[:4]))
        self.verify("per-host table went to disk" in p.stderr,
                    "the host table never spilled: %s" % p.stderr[-300:])
        listed, extra = xml_ports(xml)
        states = {k: v[0] for k, v in listed.items()}
        want = {k: v[0] for k, v in truth.items()}
        self.verify(states == want and not extra,
                    "-oX differs from the truth: %d listed, %d true, first wrong %s" % (
                        len(states), len(want),
                        [k for k in set(states) ^ set(want)][:3] or
                        [k for k in states if states[k] != want.get(k)][:3]))

    def test_hostile_replies_at_rate(self):
        missed, false, _, _ = self.run_against("hostile", WORLD + HOSTILE, ["--max-retries", "2"])
        self.verify(not false, "false positives: %s" % false[:6])
        self.verify(not missed, "missed: %s" % missed[:6])
