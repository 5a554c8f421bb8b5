"""bench.py's Internet-scale sections (issue 12): the walk on many shapes next to
testpmd, a sustained Internet-mode scan and its memory over a minute, the
writers' throughput, and accuracy against the synthetic Internet by rate."""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dts"))

from framework.synthetic import Synthetic, sending_rate  # noqa: E402

# (label, ports, targets): the fast shape of the first benchmark, many hosts x few
# ports, products that are no power of two, and an IPv6 list; every address in
# the test ranges 198.18.0.0/15 and 2001:2::/48, even on net_null
SHAPES = [("256 hosts x 65535 ports", "1-65535", ["198.19.0.0/24"]),
          ("131072 hosts x 256 ports", "1-256", ["198.18.0.0/15"]),
          ("131072 hosts x 8 ports", "1-8", ["198.18.0.0/15"]),
          ("131072 hosts x 257 ports", "1-257", ["198.18.0.0/15"]),
          ("65536 hosts x 1000 ports", "1-1000", ["198.18.0.0/16"]),
          ("IPv6: 65536 hosts x 256 ports", "1-256", ["2001:2::/112"])]
V6_ARGS = ["-S", "2001:2::2"]


def med(values, fmt="%.2f"):
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(values), min(values),
                                                   max(values)) if values else "-"


def section_shapes(a, prtip, testpmd_txonly, null_args):
    """Every shape and testpmd txonly alternated, runs times each."""
    rates = {label: [] for label, _, _ in SHAPES}
    peer = []
    for _ in range(a.runs):
        peer.append(testpmd_txonly("net_null0,no-rx=1") / 1e6)
        for label, ports, targets in SHAPES:
            extra = V6_ARGS if ":" in targets[0] else []
            rates[label].append(prtip(a.binary, "net_null0,no-rx=1",
                                      null_args + extra + ["-p", ports] + targets)[0] / 1e6)
    base = statistics.median(rates[SHAPES[0][0]])
    tp = statistics.median(peer)
    rows = ["## The walk on many shapes (net_null, one TX lcore, whole scans)", "",
            "| shape | Mpps | / first shape | / testpmd |", "|---|---|---|---|"]
    for label, _, _ in SHAPES:
        m = statistics.median(rates[label])
        rows.append("| %s | %s | %.2f | %.2f |" % (label, med(rates[label]), m / base, m / tp))
    rows += ["| dpdk-testpmd txonly, 58-byte frames | %s | | 1.00 |" % med(peer), "",
             "Targets: 131072 x 256 >= 0.9 of 256 x 65535: %s; both >= 0.58 of testpmd: "
             "%s; every IPv4 shape >= 0.58 of testpmd: %s." % (
                 "met" if statistics.median(rates[SHAPES[1][0]]) >= 0.9 * base else "NOT met",
                 "met" if all(statistics.median(rates[SHAPES[i][0]]) >= 0.58 * tp
                              for i in (0, 1)) else "NOT met",
                 "met" if all(statistics.median(v) >= 0.58 * tp for k, v in rates.items()
                              if not k.startswith("IPv6")) else "NOT met"), ""]
    return rows


def rss_kb(pid):
    with open("/proc/%d/status" % pid, encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def section_internet(a, eal, null_args):
    """0.0.0.0/0 x 100 ports in Internet mode on net_null for 62 s: RSS at 5, 30
    and 60 s and the sustained rate (telemetry-free: the progress lines)."""
    rows = ["## Internet mode: 0.0.0.0/0 x 100 ports, 62 s on net_null", "",
            "| run | RSS 5 s MiB | RSS 30 s MiB | RSS 60 s MiB | 60 s / 5 s | Mpps sustained |",
            "|---|---|---|---|---|---|"]
    for run in range(a.runs):
        cmd = [a.binary] + eal("net_null0,no-rx=1") + ["--"] + null_args + [
            "--max-targets", "5000000000", "--max-runtime", "62", "--stats-every", "1",
            "--checkpoint", "/tmp/prt-bench-%s.resume" % uuid.uuid4().hex[:8],
            "-p", "1-100", "0.0.0.0/0"]
        proc = subprocess.Popen(["timeout", "--signal=INT", "120"] + cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        pid = None
        for _ in range(100):  # the scanner under timeout
            out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
            if out.stdout.strip():
                pid = int(out.stdout.split()[0])
                break
            time.sleep(0.05)
        t0, rss = time.monotonic(), {}
        for at in (5, 30, 60):
            time.sleep(max(0, t0 + at - time.monotonic()))
            rss[at] = rss_kb(pid) / 1024
        out, err = proc.communicate(timeout=120)
        rates = [float(l.split(", ")[1].split()[0]) / 1e6 for l in err.splitlines()
                 if " scanning: " in l and " pps," in l][2:]
        rows.append("| %d | %.0f | %.0f | %.0f | %.3f | %s |" % (
            run + 1, rss[5], rss[30], rss[60], rss[60] / rss[5], med(rates)))
    rows += ["", "Target: RSS at 60 s within 10% of RSS at 5 s and below 2 GiB.", ""]
    return rows


def section_writers(a):
    bench = os.path.join(os.path.dirname(os.path.dirname(a.binary)), "..", "profiling",
                         "writer-bench")
    rows = ["## Writers: 5 M results through one format (tmpfs /tmp)", "",
            "| format | M results/s |", "|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for letter, name in (("J", "-oJ"), ("L", "-oL"), ("C", "-oC")):
            vals = []
            for _ in range(a.runs):
                p = subprocess.run([bench, letter, "5000000", os.path.join(tmp, "out")],
                                   capture_output=True, text=True, check=True)
                vals.append(float(p.stdout.split(": ")[1].split()[0]) / 1e6)
            rows.append("| %s | %s |" % (name, med(vals)))
    rows += ["", "Target: -oJ >= 2 M results/s.", ""]
    return rows


HOSTILE = ["--bad-checksum", "5", "--duplicate", "5", "--late", "2", "--late-ms", "100",
           "--garbage", "5", "--forged", "5"]


def synthetic_run(a, world, rate, extra):
    """One scan of 198.18.0.0/15 x 128 ports against the responder: (truth,
    answers reported, pairs reported twice, the scanner's process)."""
    with tempfile.TemporaryDirectory() as tmp, Synthetic(a.binary, world) as syn:
        out = os.path.join(tmp, "o.ndjson")
        truth = syn.truth("1-128", ["198.18.0.0/15"])
        p = syn.scan(["--seed", "4", "--rate", str(rate), "--max-retries", "2",
                      "-p", "1-128", "-oJ", out] + extra + ["198.18.0.0/15"])
        syn.stop()
        got, twice = {}, 0
        with open(out, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                twice += (r["ip"], r["port"]) in got
                got[(r["ip"], r["port"])] = (r["state"], r["reason"])
    return truth, got, twice, p


def section_synthetic(a):
    """Accuracy against dpdk-prtip-responder (net_memif) by rate: 198.18.0.0/15 x
    128 ports (16.8 M pairs, over 10 s of sending at the rates this VM carries),
    in both regimes, and with hostile replies (broken checksums, duplicates,
    late answers, malformed frames, forged SYN-ACKs) at the same rate."""
    world = ["--seed", "9", "--open", "2", "--closed", "10", "--unreachable", "1"]
    rows = ["## Accuracy against the synthetic Internet (net_memif, 16,777,216 pairs, "
            "--max-retries 2)", "",
            "| --rate | regime | replies | achieved Mpps while sending | answers | missed | "
            "false | reported twice |",
            "|---|---|---|---|---|---|---|---|"]
    runs = (("per-pair", "honest", [], []),
            ("Internet", "honest", ["--max-state-memory", "0"], []),
            ("per-pair", "hostile", [], HOSTILE),
            ("Internet", "hostile", ["--max-state-memory", "0"], HOSTILE))
    for rate in a.synthetic_rates:
        for regime, replies, extra, hostile in runs:
            truth, got, twice, p = synthetic_run(a, world + hostile, rate, extra)
            missed = sum(1 for k in truth if k not in got)
            false = sum(1 for k, v in got.items() if truth.get(k) != v)
            m = re.search(r"sending ([0-9.]+) s", p.stdout)
            rows.append("| %d | %s | %s | %.2f over %s s | %d | %d | %d | %d |" % (
                rate, regime, replies, sending_rate(p.stdout) / 1e6,
                m.group(1) if m else "?", len(truth), missed, false, twice))
    return rows + [""]
