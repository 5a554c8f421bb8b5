"""bench.py's sections for issue 14's operations paths: the results store
(--db) and the event log (--event-log) next to -oJ, fed the same results
through the same code the main lcore runs (profiling/writer-bench), the
variants alternated within each round so a noisy machine hits them alike."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dts"))

from framework import postgres, testbed  # noqa: E402

N = 3000000  # results per run: 1/7 open (a port_open event each), the rest closed
TABLES = "scans, hosts, ports, services, certificates, banners, events"


def med(values, fmt="%.0f"):
    if not values:
        return "-"
    spread = (max(values) - min(values)) / statistics.median(values) * 100
    return (fmt + " (" + fmt + "-" + fmt + ", spread %.0f%%)") % (
        statistics.median(values), min(values), max(values), spread)


def raw(label, values, fmt):
    """Every run's value, in the order they ran (the evidence behind a median)."""
    return "- %s: %s" % (label, ", ".join(fmt % v for v in values))


def bench_path(a):
    return os.path.join(os.path.dirname(os.path.dirname(a.binary)), "..", "profiling",
                        "writer-bench")


def run(a, tmp, extra):
    """(results/s the main lcore handed over, rows/s stored or None, rows lost)."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(os.path.join(tmp, "s.db" + suffix)):
            os.unlink(os.path.join(tmp, "s.db" + suffix))
    p = subprocess.run([bench_path(a), "J", str(N), os.path.join(tmp, "out.ndjson")] + extra,
                       capture_output=True, text=True, check=True)
    lines = p.stdout.splitlines()
    handed = float(lines[0].split(": ")[1].split()[0])
    if len(lines) < 2:
        return handed, None, 0
    stored = float(lines[1].split(": ")[1].split()[0])
    lost = int(lines[1].split(", ")[-1].split()[0])
    return handed, stored, lost


def section_store(a):
    variants = ["-oJ", "-oJ --event-log", "-oJ --db SQLite", "-oJ --db PostgreSQL"]
    handed = {v: [] for v in variants}
    stored = {v: [] for v in variants}
    lost = {v: 0 for v in variants}
    with tempfile.TemporaryDirectory() as tmp, postgres.Postgres(port=55433) as pg:
        extras = {"-oJ": [],
                  "-oJ --event-log": ["--event-log", os.path.join(tmp, "ev.ndjson")],
                  "-oJ --db SQLite": ["--db", os.path.join(tmp, "s.db")],
                  "-oJ --db PostgreSQL": ["--db", pg.url()]}
        for _ in range(a.runs):
            for v in variants:
                # every run into an empty database (the SQLite file is removed by run())
                pg.psql("DROP TABLE IF EXISTS " + TABLES)
                h, s, n = run(a, tmp, extras[v])
                handed[v].append(h / 1e6)
                if s is not None:
                    stored[v].append(s / 1e6)
                lost[v] += n
    rows = ["## Results store and event log: %d results (1/7 open) through the main lcore's "
            "path" % N, "",
            "| outputs | M results/s handed over | M rows/s into the database | rows "
            "dropped (all runs) |", "|---|---|---|---|"]
    for v in variants:
        rows.append("| %s | %s | %s | %s |" % (v, med(handed[v], "%.2f"),
                                              med(stored[v], "%.3f") if stored[v] else "-",
                                              lost[v] if stored[v] else "-"))
    rows += ["", "Runs, in order (rounds alternate the variants):"]
    rows += [raw(v + " handed over", handed[v], "%.3f") for v in variants]
    rows += [raw(v + " stored", stored[v], "%.3f") for v in variants if stored[v]]
    rows += ["", "Handed over: results/s through prt_output_write (the -oJ writer, the event "
             "log's port_open events, the store's copy into its batch) until the outputs "
             "closed. Into the database: rows (results and events) the writer thread "
             "committed per second from the first result to the last commit, the queue full "
             "all along (the producer is several times faster), so this is the backend's "
             "sustained ingest; what did not fit the queue was dropped and counted. The "
             "PostgreSQL server is the test's own (initdb in a temporary directory, Unix "
             "socket, fsync=off); SQLite is a file in /tmp.", ""]
    return rows


def scan_wall(a, tb, rate, extra, tmp):
    """One SYN scan of the testbed's /16 x 22,80: (wall s, answers in -oL)."""
    out = os.path.join(tmp, "p.lst")
    for name in os.listdir(tmp):
        if name.startswith("s.db") or name == "ev.ndjson":
            os.unlink(os.path.join(tmp, name))
    t0 = time.time()
    p = tb.run_scanner(a.binary, tb.scan_args(states=None) + [
        "--rate", str(rate), "--wait", "1", "-p", "22,80", "-oL", out] + extra +
        ["198.19.0.0/16"], timeout=600)
    wall = time.time() - t0
    if p.returncode != 0:
        raise RuntimeError("dpdk-prtip: " + p.stderr[-300:])
    with open(out, encoding="utf-8") as f:
        return wall, sum(1 for line in f if line[0] in "oc")


def section_ops_e2e(a):
    """The SYN path end to end with and without the event log and the store."""
    variants = ["-oL", "-oL --event-log", "-oL --db SQLite"]
    rows = ["## SYN scan end to end with the event log and the store: 198.19.0.0/16 x 22,80 "
            "on the dts testbed (net_af_packet)", "",
            "| outputs | --rate | wall s | answers reported |", "|---|---|---|---|"]
    walls_all, answers_all = {}, {}
    with testbed.Testbed("benchops") as tb, tempfile.TemporaryDirectory() as tmp:
        extras = {"-oL": [], "-oL --event-log": ["--event-log", os.path.join(tmp, "ev.ndjson")],
                  "-oL --db SQLite": ["--db", os.path.join(tmp, "s.db")]}
        for rate in a.e2e_rates:
            walls = {v: [] for v in variants}
            answers = {v: [] for v in variants}
            for _ in range(a.runs):
                for v in variants:
                    w, n = scan_wall(a, tb, rate, extras[v], tmp)
                    walls[v].append(w)
                    answers[v].append(n)
            for v in variants:
                rows.append("| %s | %d | %s | %s |" % (v, rate, med(walls[v], "%.2f"),
                                                      med(answers[v], "%.0f")))
                walls_all[(v, rate)] = walls[v]
                answers_all[(v, rate)] = answers[v]
    rows += ["", "Runs, in order (rounds alternate the variants):"]
    rows += [raw("%s at %d: wall" % (v, rate), walls_all[(v, rate)], "%.2f") +
             "; answers " + ", ".join(str(n) for n in answers_all[(v, rate)])
             for rate in a.e2e_rates for v in variants]
    rows += ["", "Each row's runs alternate with the other rows' (same rate). Wall time "
             "includes EAL start-up and --wait 1; the testbed's half-dark /16 answers "
             "65,536 pairs (open and closed).", ""]
    return rows
