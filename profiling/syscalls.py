#!/usr/bin/python3
"""Syscalls counted per thread (perf trace -s) and divided by the scan's own
counters: per probe and per TX burst on the TX lcore, per non-empty RX poll
on the RX lcore, per result and per byte written on the main lcore.

    syscalls.py report TRACE STATS.json   (what profile.py's syscalls type writes)

perf trace -s prints, per thread, "comm (tid), N events, P%" and a table
of syscall, calls, errors, times. DPDK names its lcore threads
rte-worker-<lcore id>; the main lcore keeps the binary's name. By default
the last worker receives and the others transmit (app/dpdk-prtip/run_lcores.c).
"""
import json
import re
import sys

THREAD = re.compile(r"^ (\S.*?) \((\d+)\), (\d+) events")
ROW = re.compile(r"^\s+([a-z_0-9]+)\s+(\d+)\s+(\d+)\s+[\d.]+")


def parse_trace(path):
    """{thread name: {syscall: calls}} of a perf trace -s summary (threads of
    one name, e.g. two runs of a helper, are added up)."""
    threads, cur = {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = THREAD.match(line)
            if m:
                cur = threads.setdefault(m.group(1), {})
                continue
            m = ROW.match(line)
            if m and cur is not None:
                cur[m.group(1)] = cur.get(m.group(1), 0) + int(m.group(2))
    return threads


def role_threads(threads):
    """(main, [tx threads], rx thread) by DPDK's names: the main lcore is the
    thread that is no helper; the last rte-worker receives."""
    workers = sorted((t for t in threads if t.startswith("rte-worker-")),
                     key=lambda t: int(t.rsplit("-", 1)[1]))
    helpers = ("eal-intr-thread", "rte_mp_handle", "telemetry-v2", "prtip-")
    main = [t for t in threads if not t.startswith("rte-worker-") and
            not t.startswith(helpers)]
    return (main[0] if main else None), workers[:-1], (workers[-1] if workers else None)


def per(n, d):
    return "%.3f" % (n / d) if d else "-"


def report(threads, stats, out=sys.stdout):
    """The table: each lcore's syscalls, and divided by what it did.
    @p stats: /prtip/stats at the end, plus "results" and "bytes_written"."""
    main, txs, rx = role_threads(threads)
    probes, bursts = stats.get("probes_sent", 0), stats.get("tx_bursts", 0)
    rx_bursts, results = stats.get("rx_bursts", 0), stats.get("results", 0)
    out.write("probes_sent %d, tx_bursts %d (tx_busy_retries %d), rx_bursts (non-empty "
              "polls) %d, results %d\n" % (probes, bursts, stats.get("tx_busy_retries", 0),
                                             rx_bursts, results))
    for t in txs:
        calls = sum(threads[t].values())
        out.write("TX %s: %d syscalls (%s); per probe %s, per TX burst %s\n" % (
            t, calls, top(threads[t]), per(calls, probes), per(calls, bursts)))
    if rx is not None:
        calls = sum(threads[rx].values())
        out.write("RX %s: %d syscalls (%s); per RX burst %s\n" % (
            rx, calls, top(threads[rx]), per(calls, rx_bursts)))
    if main is not None:
        m = threads[main]
        writes = sum(m.get(k, 0) for k in ("write", "writev", "pwrite64", "pwritev"))
        out.write("main %s: %d syscalls (%s); writes %d, per result %s" % (
            main, sum(m.values()), top(m), writes, per(writes, results)))
        if stats.get("bytes_written"):
            out.write(", bytes per write %s" % per(stats["bytes_written"], writes))
        out.write("\n")
    others = [t for t in threads if t not in txs + [rx, main]]
    for t in sorted(others):
        out.write("helper %s: %d syscalls (%s)\n" % (t, sum(threads[t].values()),
                                                     top(threads[t])))


def top(calls, n=4):
    best = sorted(calls.items(), key=lambda kv: -kv[1])[:n]
    return ", ".join("%s %d" % kv for kv in best) or "none"


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "report":
        sys.stderr.write(__doc__)
        return 2
    with open(sys.argv[3], encoding="utf-8") as f:
        stats = json.load(f)
    report(parse_trace(sys.argv[2]), stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
