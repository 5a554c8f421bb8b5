#!/usr/bin/python3
"""CI smoke test of profile-scenario.sh: one short scenario with every type,
then checks that each artefact exists and parses: the flamegraph and the I/O
plot are well-formed XML, the flamegraph names our functions, io.csv has
samples with rates, memory.txt has the peak RSS and the mempool. And the
differential flamegraph compares like with like: the run against itself
under another binary name shows no change at all, its two halves (a seeded
random split of its samples) none beyond noise, and a frame made to shrink
is drawn shrinking.

    profiling/smoke.py [--output-dir D]     (root; prints "N passed, N failed")
"""
import argparse
import csv
import os
import random
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import ab  # noqa: E402
import flamegraph  # noqa: E402
import heap as heap_report  # noqa: E402


def perf_samples(path):
    """The samples of a `perf script` text, each a list of lines."""
    samples, cur = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                if cur:
                    samples.append(cur)
                cur = []
            else:
                cur.append(line)
    if cur:
        samples.append(cur)
    return samples


def fold_samples(samples):
    return flamegraph.fold(line for s in samples for line in s + ["\n"])


def frame_fill(svg_text, name):
    """The fill of the first rectangle whose tooltip starts with @p name."""
    root = ET.fromstring(svg_text)
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        title = g.find("{http://www.w3.org/2000/svg}title")
        rect = g.find("{http://www.w3.org/2000/svg}rect")
        if title is not None and title.text.startswith(name + " ("):
            return rect.get("fill")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--output-dir", default=None)
    out = ap.parse_args().output_dir or tempfile.mkdtemp(prefix="prt-prof-smoke-")
    checks = []

    def check(name, fn):
        try:
            fn()
            checks.append((name, None))
            print("PASS profiling.%s" % name, flush=True)
        except Exception as e:  # noqa: BLE001 - any failure of a check is its verdict
            checks.append((name, e))
            print("FAIL profiling.%s: %s" % (name, e), flush=True)

    def run():
        p = subprocess.run(["timeout", "600", "bash", os.path.join(HERE, "profile-scenario.sh"),
                            "--scenario", "syn-1k", "--type", "all", "--output-dir", out],
                           capture_output=True, text=True)
        assert p.returncode == 0, "exit %d: %s" % (p.returncode, (p.stdout + p.stderr)[-600:])

    def flame():
        root = ET.parse(os.path.join(out, "flame.svg")).getroot()
        titles = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title"))
        for fn in ("prt_tx_lcore_main", "prt_rx_lcore_main"):
            assert fn in titles, "flame.svg does not name %s" % fn
        with open(os.path.join(out, "functions.txt"), encoding="utf-8") as f:
            assert "prt_rx_lcore_main" in f.read(), "functions.txt lacks our functions"

    def io():
        ET.parse(os.path.join(out, "io.svg"))
        with open(os.path.join(out, "io.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) >= 5, "only %d I/O samples" % len(rows)
        assert max(int(r["pps_out"]) for r in rows) > 500, "no sending rate in io.csv"

    def memory():
        with open(os.path.join(out, "memory.txt"), encoding="utf-8") as f:
            text = f.read()
        assert "peak RSS" in text and "mempool prt_pool" in text, text[:300]

    def heap():
        with open(os.path.join(out, "massif.txt"), encoding="utf-8") as f:
            text = f.read()
        assert "Massif arguments" in text, "massif.txt is not a massif report"
        assert "peak snapshot" in text and "(heap allocation functions)" in text, \
            "massif.txt has no peak snapshot tree: %s" % text[-400:]
        assert os.path.getsize(os.path.join(out, "massif.out")) > 0, "massif.out not kept"
        # the scanner's file, not the forked checkpoint helper's (which once overwrote it)
        helper = os.path.join(out, "massif-helper.out")
        if os.path.exists(helper):
            assert heap_report.massif_instructions(os.path.join(out, "massif.out")) > \
                heap_report.massif_instructions(helper), "massif.out is the helper's"
        with open(os.path.join(out, "leaks.txt"), encoding="utf-8") as f:
            text = f.read()
        assert "definitely lost by dpdk-prtip's own code: 0 bytes" in text, text

    def syscalls():
        with open(os.path.join(out, "syscalls.txt"), encoding="utf-8") as f:
            text = f.read()
        # on net_af_packet the TX lcore kicks the kernel: at least one syscall per burst
        m = re.search(r"^TX rte-worker-1: (\d+) syscalls .*per TX burst ([\d.]+)$", text, re.M)
        assert m and int(m.group(1)) > 0 and float(m.group(2)) >= 1, text
        assert re.search(r"^main \S+: \d+ syscalls", text, re.M), text

    def diff_renamed_binary():
        samples = perf_samples(os.path.join(out, "raw", "perf-script.txt"))
        a = fold_samples(samples)
        b = fold_samples([[line.replace("dpdk-prtip", "prtip-after") for line in s]
                          for s in samples])
        assert a != b, "the renamed copy folds the same without normalising: no test"
        moved = flamegraph.significant(a, b)
        assert not moved, "a run against itself renamed: %s" % moved[:3]
        svg = flamegraph.svg(b, "self", before=a)
        assert "rgb(255," not in svg and ",255)" not in svg, "frames coloured in a self-diff"

    def diff_halves_are_noise():
        samples = perf_samples(os.path.join(out, "raw", "perf-script.txt"))
        assert len(samples) >= 200, "only %d samples" % len(samples)
        # a random split (seeded): samples in time order alternate between the CPUs
        random.Random(1).shuffle(samples)
        half = len(samples) // 2
        moved = flamegraph.significant(fold_samples(samples[:half]), fold_samples(samples[half:]))
        assert not moved, "two halves of one run differ beyond noise: %s" % moved[:3]

    def diff_shows_a_shrink():
        before = flamegraph.read_folded(os.path.join(out, "stacks.folded"))
        # the TX lcore loses three quarters of its samples
        after = {k: (v // 4 if "prt_tx_lcore_main" in k else v) for k, v in before.items()}
        moved = [m for m in flamegraph.significant(before, after)
                 if m[0].endswith(";prt_tx_lcore_main")]
        assert moved and moved[0][2] < moved[0][1], "the shrink is not beyond noise: %s" % moved
        fill = frame_fill(flamegraph.svg(after, "shrink", before=before), "prt_tx_lcore_main")
        assert fill is not None and fill.endswith(",255)"), "drawn %s, not blue" % fill

    def ab_protocol():
        """ab.py claims a change only outside the noise."""
        a, b = [100, 102, 99, 101, 100], [120, 119, 121, 122, 120]
        assert ab.verdict(a, b, True).startswith("B +20.0 % against A (better)"), \
            ab.verdict(a, b, True)
        assert ab.verdict(a, [101, 99, 100, 102, 98], True).startswith("noise: the ranges "
                                                                        "overlap")
        wide = [100, 80, 120, 100, 100]
        assert "A's spread 40.0 % > 10 %" in ab.verdict(wide, b, True)
        assert ab.verdict(b, a, False).endswith("(better)"), "lower time is better"

    check("ab_protocol_refuses_noise", ab_protocol)
    check("profile_scenario_runs", run)
    if checks[-1][1] is None:
        check("cpu_flamegraph", flame)
        check("io_view", io)
        check("memory_report", memory)
        check("heap_and_leaks", heap)
        check("syscalls_per_burst", syscalls)
        check("diff_of_a_renamed_binary_is_empty", diff_renamed_binary)
        check("diff_of_two_halves_is_noise", diff_halves_are_noise)
        check("diff_draws_a_shrink_blue", diff_shows_a_shrink)
    failed = sum(1 for _, e in checks if e is not None)
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
