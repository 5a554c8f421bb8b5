#!/usr/bin/python3
"""CI smoke test of profile-scenario.sh: one short scenario with every type,
then checks that each artefact exists and parses: the flamegraph and the I/O
plot are well-formed XML, the flamegraph names our functions, io.csv has
samples with rates, memory.txt has the peak RSS and the mempool.

    profiling/smoke.py [--output-dir D]     (root; prints "N passed, N failed")
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))


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
            assert "Massif arguments" in f.read(), "massif.txt is not a massif report"
        with open(os.path.join(out, "leaks.txt"), encoding="utf-8") as f:
            text = f.read()
        assert "definitely lost by dpdk-prtip's own code: 0 bytes" in text, text

    check("profile_scenario_runs", run)
    if checks[-1][1] is None:
        check("cpu_flamegraph", flame)
        check("io_view", io)
        check("memory_report", memory)
        check("heap_and_leaks", heap)
    failed = sum(1 for _, e in checks if e is not None)
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
