#!/usr/bin/python3
"""The measurement protocol (docs/profiling.md): A and B run alternately,
N times each, on the same scenario; each side's median and spread are
printed, and a difference is claimed only when both spreads are at most
10 % and the two ranges do not overlap. Everything goes to runs.txt: the
commit, the machine, both command lines and every run.

    ab.py --a BIN_A --b BIN_B --scenario NAME [--runs 5] [--metric rate|time]
          [--output-dir D] [--label TEXT]

A and B may be one binary (an A/A run: the noise floor of the scenario).
The lcores are pinned by EAL (--lcores 0@0,1@1,2@0: the TX lcore alone on
CPU 1, main and RX on CPU 0); runs.txt notes the CPUs and the load before
the first run, since a busy machine moves every figure.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import profile  # noqa: E402

MAX_SPREAD = 0.10


def one_run(sc, binary):
    """(scan seconds, probes/s, seconds after the last probe, command) of one run
    of the scenario with @p binary."""
    sc.binary = binary
    cmd = sc.command("prt-ab-" + uuid.uuid4().hex[:8])
    p = subprocess.run(["timeout", "--signal=INT", "600"] + cmd, capture_output=True,
                       text=True, timeout=630)
    m = profile.SCAN_DONE.search(p.stdout + p.stderr)
    if p.returncode != 0 or m is None:
        raise RuntimeError("run failed (exit %d): %s" % (p.returncode, p.stderr[-400:]))
    return float(m.group(1)), int(m.group(3)), float(m.group(1)) - float(m.group(2)), cmd


def spread(v):
    """(max - min) / median."""
    return (max(v) - min(v)) / statistics.median(v)


def verdict(a, b, higher_is_better):
    """What the runs may claim: B's change against A, or noise."""
    why = []
    for side, v in (("A", a), ("B", b)):
        if spread(v) > MAX_SPREAD:
            why.append("%s's spread %.1f %% > %d %%" % (side, 100 * spread(v),
                                                      100 * MAX_SPREAD))
    if max(a) >= min(b) and max(b) >= min(a):
        why.append("the ranges overlap")
    change = statistics.median(b) / statistics.median(a) - 1
    better = change > 0 if higher_is_better else change < 0
    text = "B %+.1f %% against A (%s)" % (100 * change, "better" if better else
                                          "worse" if abs(change) >= 0.0005 else "the same")
    return ("noise: %s; %s" % (", ".join(why), text)) if why else text


def machine():
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")),
                     "?")
    with open("/proc/loadavg", encoding="utf-8") as f:
        load = f.read().split()[:3]
    return "%d CPUs (%s), kernel %s, load %s before the first run" % (
        os.cpu_count(), model, os.uname().release, " ".join(load))


def commit():
    rev = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", HERE, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return rev + (" (with uncommitted changes)" if dirty else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True, help="binary A (before)")
    ap.add_argument("--b", required=True, help="binary B (after; A again for an A/A run)")
    ap.add_argument("--scenario", required=True, choices=sorted(profile.SCENARIOS))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--metric", choices=["rate", "time", "tail"], default="rate",
                    help="probes/s (higher is better), scan seconds or seconds after the "
                         "last probe (lower is better)")
    ap.add_argument("--output-dir")
    ap.add_argument("--label", default="", help="what B changes, for runs.txt")
    a = ap.parse_args()
    if a.runs < 3:
        ap.error("--runs: at least 3 per side, or no spread means anything")
    out = a.output_dir or os.path.join(HERE, "results", time.strftime("%Y-%m-%d"),
                                       "ab-" + a.scenario)
    os.makedirs(out, exist_ok=True)
    lines = ["scenario %s: %s" % (a.scenario, profile.SCENARIOS[a.scenario][2]),
             "commit %s; %s" % (commit(), machine()),
             "A %s" % os.path.abspath(a.a), "B %s%s" % (os.path.abspath(a.b),
                                                      " (%s)" % a.label if a.label else ""),
             "%d runs each, alternated A B A B ...; metric %s" % (a.runs, a.metric)]
    runs = {"A": [], "B": []}
    idx = {"time": 0, "rate": 1, "tail": 2}[a.metric]
    with profile.Scenario(a.scenario, a.a) as sc:
        for i in range(a.runs):
            for side, binary in (("A", a.a), ("B", a.b)):
                t, rate, tail, cmd = one_run(sc, binary)
                if i == 0:
                    lines.append("command %s: %s" % (side, " ".join(cmd)))
                runs[side].append((t, rate, tail))
                lines.append("run %d %s: %.3f s, %d probes/s, %.3f s after the last probe" %
                             (i + 1, side, t, rate, tail))
                print(lines[-1], flush=True)
    for side in ("A", "B"):
        v = [r[idx] for r in runs[side]]
        lines.append("%s: median %s (%s-%s), spread %.1f %%" % (
            side, fmt(statistics.median(v)), fmt(min(v)), fmt(max(v)), 100 * spread(v)))
    lines.append("verdict: " + verdict([r[idx] for r in runs["A"]],
                                       [r[idx] for r in runs["B"]], a.metric == "rate"))
    with open(os.path.join(out, "runs.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[-3:]))
    print("-> %s" % os.path.join(out, "runs.txt"))
    return 0


def fmt(x):
    return "%.3f" % x if x < 1000 else "%d" % x


if __name__ == "__main__":
    sys.exit(main())
