"""bench.py's sections for issue 14's operations paths: the results store
(--db) and the event log (--event-log) next to -oJ, fed the same results
through the same code the main lcore runs (profiling/writer-bench), the
variants alternated within each round so a noisy machine hits them alike."""
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dts"))

from framework import postgres  # noqa: E402

N = 1000000  # results per run: 1/7 open (a port_open event each), the rest closed


def med(values, fmt="%.0f"):
    if not values:
        return "-"
    spread = (max(values) - min(values)) / statistics.median(values) * 100
    return (fmt + " (" + fmt + "-" + fmt + ", spread %.0f%%)") % (
        statistics.median(values), min(values), max(values), spread)


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
    rows += ["", "Handed over: results/s through prt_output_write (the -oJ writer, the event "
             "log's port_open events, the store's copy into its batch) until the outputs "
             "closed. Into the database: rows (results and events) the writer thread "
             "committed per second from the first result to the last commit, the queue full "
             "all along (the producer is several times faster), so this is the backend's "
             "sustained ingest; what did not fit the queue was dropped and counted. The "
             "PostgreSQL server is the test's own (initdb in a temporary directory, Unix "
             "socket, fsync=off); SQLite is a file in /tmp.", ""]
    return rows
