#!/usr/bin/python3
"""Profile one scan scenario: CPU (perf), I/O (DPDK telemetry) and memory.

    profile.py --binary B --scenario NAME --type cpu|io|memory|all
               [--output-dir D] [--freq HZ] [--runs N]
    profile.py --list

Each scenario sets up what it scans (a netns testbed from dts/framework, or
net_null), runs dpdk-prtip once per type (perf slows the process, so the
I/O and memory views come from runs of their own) and tears it down.

  cpu     perf record -e cpu-clock -g (hardware events are not available on
          these VMs) on the scanner process; stacks.folded, flame.svg and
          functions.txt (self/total % of every function above 1%)
  io      every 100 ms over the telemetry socket: /ethdev/stats,0 and
          /prtip/stats; io.csv with pps out/in, packets per tx/rx burst, empty
          RX polls are not counted (bursts are), tx retries, imissed and
          rx_nombuf; io.svg
  memory  every 100 ms: RSS (/proc/PID/status); once mid-run /eal/heap_info
          and every /mempool/info; memory.txt and rss.csv
  heap    the control path's malloc heap under valgrind massif (massif.txt)
          and a leak check under memcheck (leaks.txt: definitely lost bytes)
  syscalls  perf trace -s: every thread's syscalls, divided by the scan's
          probes, TX bursts, non-empty RX polls and results (syscalls.txt)
  writes  the scan again with each writer (-oJ, -oX, -oN, -oG, --event-log,
          --db): write calls per result and bytes per write (writes.txt)

Traffic stays in the namespaces the testbed creates (198.18.0.0/15,
2001:2::/48) or never leaves the process (net_null).
"""
import argparse
import csv
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import shutil
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dts"))

from framework import telemetry, testbed  # noqa: E402
import heap  # noqa: E402
import syscalls  # noqa: E402

NULL_ARGS = ["-S", "198.18.0.2", "--router-mac", "02:00:00:00:00:01", "--allow-special-ranges", "-Pn",
             "--max-retries", "0", "--wait", "0"]

# name: (where, scanner options, what it is)
SCENARIOS = {
    "syn-1k": ("testbed", ["--rate", "1000", "-p", "1-1000", "198.19.0.5"],
               "SYN, one host x ports 1-1000 at 1000 pps (a second of sending)"),
    "syn-all-ports": ("testbed", ["--rate", "50000", "-p-", "198.19.0.5"],
                      "SYN, one host x 65535 ports at 50k pps"),
    "syn-16": ("testbed", ["-p", "22,80", "--rate", "200000", "198.19.0.0/16"],
               "SYN, a /16 x 2 ports"),
    "syn-16-unlimited": ("testbed", ["-p", "22,80", "--rate", "1G", "198.19.0.0/16"],
                         "syn-16 with --rate 1G: the token bucket never binds, the kernel's "
                         "AF_PACKET path sets the rate"),
    "syn-16-paced": ("testbed", ["-p", "22,80", "--rate", "250000", "198.19.0.0/16"],
                     "syn-16 with --rate 250k, just under what the path carries: the bucket "
                     "binds (against syn-16-unlimited: the limiter's cost)"),
    "syn-16-xdp": ("testbed-xdp", ["-p", "22,80", "--rate", "200000", "198.19.0.0/16"],
                   "SYN, a /16 x 2 ports, over net_af_xdp (copy mode on the veth)"),
    "ipv6-syn-1k": ("testbed6", ["--rate", "1000", "-p", "1-1000", "2001:2:0:100::5"],
                    "SYN over IPv6, one host x ports 1-1000 at 1000 pps"),
    "udp": ("testbed-udp", ["-sU", "--rate", "2000", "--top-ports", "100", "198.19.0.0/28"],
            "UDP with payloads, 16 hosts x the top 100 UDP ports at 2000 pps"),
    "connect-100": ("testbed", ["-sT", "--rate", "10000", "-p", "1-100", "198.19.0.0/24"],
                    "-sT (userspace TCP), 256 hosts x ports 1-100 at 10k pps: 512 "
                    "connections opened and closed"),
    "banners-10k": ("testbed-farm", ["--banners", "--rate", "5000", "-p",
                                     "2121,2222,2525,7005,8000", "198.19.0.0/21"],
                    "--banners, 2048 hosts x 5 talking ports: 10,240 connections"),
    "service-detection": ("testbed-services", ["-sV", "-p",
                                               "22,2100,2121,2200,2222,2525,2526,6379,7004,"
                                               "8081,8443,8888,9999", "198.19.0.5"],
                          "-sV on the testbed's real and talking services (the Hyperscan "
                          "databases from the cache)"),
    "tls-cert": ("testbed-services", ["--ssl-cert", "-p", "4431,4432,4433,4434,8443",
                                      "198.19.0.0/28"],
                 "--ssl-cert on openssl s_server (TLS 1.2, 1.3, a 1 MiB chain) and nginx, "
                 "16 hosts"),
    "ratelimit": ("null", ["--rate", "1000000", "-p", "1-64", "198.19.0.0/16"],
                  "SYN on net_null at a fixed --rate 1M"),
    "unlimited": ("null", ["--rate", "1G", "-p", "1-64", "198.19.0.0/16"],
                  "SYN on net_null, --rate 1G: as fast as it goes"),
    "null-ceiling": ("null", ["--rate", "1G", "-p-", "198.19.0.0/24"],
                     "SYN on net_null: 256 hosts x 65535 ports, the generation ceiling"),
    "null-sustained": ("null", ["--rate", "1G", "-p-", "198.19.0.0/19"],
                       "SYN on net_null: 8192 hosts x 65535 ports, 537 M probes, >= 10 s of "
                       "sending (the A/B protocol's sustained run)"),
    "null-ceiling-ipv6": ("null", ["-S", "2001:2::2", "--rate", "1G", "-p-", "2001:2::/120"],
                          "SYN over IPv6 on net_null: 256 hosts x 65535 ports, the same "
                          "shape as null-ceiling"),
    "null-sustained-ipv6": ("null", ["-S", "2001:2::2", "--rate", "1G", "-p-",
                                     "2001:2::/115"],
                            "SYN over IPv6 on net_null: 8192 hosts x 65535 ports, 537 M "
                            "probes, >= 20 s of sending"),
    "events-1k": ("testbed", ["--event-log", "/tmp/prtip-profile-events.jsonl", "--rate",
                              "1000", "-p", "1-1000", "198.19.0.5"],
                  "syn-1k with the event log (a JSON line per event, to a file in /tmp)"),
    "tls-10k": ("testbed-services", ["--ssl-cert", "--rate", "2000", "-p", "8443",
                                     "198.19.32.0/19"],
                "--ssl-cert on nginx HTTPS, 8192 hosts: 8192 TLS handshakes (>10k samples)"),
}


def eal(prefix, vdev):
    return ["--no-pci", "--no-huge", "-m", "512", "--file-prefix", prefix, "--lcores",
            "0@0,1@1,2@0", "--log-level", "notice", "--vdev", vdev]


class Scenario:
    """Context manager: the place a scenario scans, and its command line."""

    def __init__(self, name, binary):
        self.name, self.binary = name, binary
        self.where, self.args, self.what = SCENARIOS[name]
        self.tb = None

    def __enter__(self):
        if self.where.startswith("testbed"):
            self.tb = testbed.Testbed("prof", ipv6=self.where == "testbed6").create()
            if self.where == "testbed-udp":
                self.tb.start_udp_services()
            if self.where in ("testbed-farm", "testbed-services"):
                self.tb.start_banner_farm()
            if self.where == "testbed-services":
                self.tb.start_real_services()
                self.tb.start_tls_servers()
        return self

    def __exit__(self, *exc):
        if self.tb is not None:
            self.tb.destroy()

    def command(self, prefix, wrapper=(), extra=()):
        """The scan's command line; @p wrapper (valgrind ...) goes right before the
        binary, @p extra (scanner options) before the scenario's own."""
        if self.tb is None:
            # no-rx: net_null would otherwise hand the RX lcore empty frames to classify
            return list(wrapper) + [self.binary] + eal(prefix, "net_null0,no-rx=1") + \
                ["--"] + NULL_ARGS + list(extra) + self.args
        e = self.tb.eal_args(prefix)
        if self.where == "testbed-xdp":
            e[-1] = "net_af_xdp0,iface=%s" % self.tb.scan_if
        return ["ip", "netns", "exec", self.tb.scan_ns] + list(wrapper) + [self.binary] + e + \
            ["--"] + self.tb.scan_args() + ["--wait", "1"] + list(extra) + self.args


def raw_log(out, kind):
    """The run's whole output goes to raw/ (not committed: a scan's table can
    be megabytes); summarise() keeps its summary and messages beside it."""
    os.makedirs(os.path.join(out, "raw"), exist_ok=True)
    return os.path.join(out, "raw", kind + "-run.log")


def summarise(out, kind):
    with open(raw_log(out, kind), encoding="utf-8", errors="replace") as f:
        keep = [l for l in f if l.startswith(("Scan done", "Scan interrupted", "dpdk-prtip:",
                                              "[ perf record"))]
    with open(os.path.join(out, kind + "-summary.txt"), "w", encoding="utf-8") as f:
        f.writelines(keep)


def run_logged(cmd, out, kind, timeout=600):
    log = raw_log(out, kind)
    with open(log, "w", encoding="utf-8") as f:
        p = subprocess.run(["timeout", "--signal=INT", str(timeout)] + cmd, stdout=f,
                           stderr=subprocess.STDOUT, timeout=timeout + 30)
    summarise(out, kind)
    if p.returncode != 0:
        raise RuntimeError("%s failed (exit %d), see %s" % (cmd[0], p.returncode, log))


def profile_cpu(sc, out, freq):
    data = os.path.join(out, "raw", "perf.data")
    os.makedirs(os.path.dirname(data), exist_ok=True)
    prefix = "prt-prof-" + uuid.uuid4().hex[:8]
    run_logged(["perf", "record", "-e", "cpu-clock", "-F", str(freq), "-g", "-o", data, "--"]
               + sc.command(prefix), out, "cpu")
    script = os.path.join(out, "raw", "perf-script.txt")
    with open(script, "w", encoding="utf-8") as f:
        subprocess.run(["perf", "script", "-i", data, "-F", "comm,ip,sym,dso"], stdout=f,
                       stderr=subprocess.DEVNULL, check=True)
    folded = os.path.join(out, "stacks.folded")
    fg = os.path.join(HERE, "flamegraph.py")
    for what, dest, extra in (("fold", folded, [script]),
                              ("svg", os.path.join(out, "flame.svg"), [folded, sc.name]),
                              ("table", os.path.join(out, "functions.txt"), [folded])):
        with open(dest, "w", encoding="utf-8") as f:
            subprocess.run(["/usr/bin/python3", fg, what] + extra, stdout=f, check=True)


class Sampler(threading.Thread):
    """Every 100 ms until stopped: call sample(t) (which may fail while the
    process starts or ends: those samples are skipped)."""

    def __init__(self, sample):
        super().__init__(daemon=True)
        self.sample, self.stop_event, self.t0 = sample, threading.Event(), time.time()
        self.error = None

    def run(self):
        while not self.stop_event.is_set():
            try:
                self.sample(time.time() - self.t0)
            except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError):
                pass
            except Exception as e:  # a bug in the sampler: say so, do not die silently
                self.error = e
                return
            self.stop_event.wait(0.1)


def run_sampled(sc, out, kind, sample_factory, wrapper=(), extra=()):
    prefix = "prt-prof-" + uuid.uuid4().hex[:8]
    log = open(raw_log(out, kind), "w", encoding="utf-8")
    proc = subprocess.Popen(["timeout", "--signal=INT", "600"] +
                            sc.command(prefix, wrapper, extra),
                            stdout=log, stderr=subprocess.STDOUT)
    sampler = Sampler(sample_factory(prefix, proc))
    sampler.start()
    rc = proc.wait(timeout=630)
    sampler.stop_event.set()
    sampler.join()
    log.close()
    summarise(out, kind)
    if rc != 0:
        raise RuntimeError("the %s run failed (exit %d)" % (kind, rc))
    if sampler.error is not None:
        raise RuntimeError("the %s sampler failed: %r" % (kind, sampler.error))


def profile_io(sc, out):
    rows = []
    state = {}

    def factory(prefix, proc):
        def sample(t):
            if "tel" not in state:
                state["tel"] = telemetry.Telemetry(prefix, timeout=0.2)
            tel = state["tel"]
            eth, st = tel.query("/ethdev/stats,0"), tel.query("/prtip/stats")
            rows.append({"t_s": round(t, 3), "opackets": eth["opackets"],
                         "ipackets": eth["ipackets"], "imissed": eth["imissed"],
                         "rx_nombuf": eth["rx_nombuf"], "probes_sent": st["probes_sent"],
                         "replies": st["replies"], "tx_bursts": st["tx_bursts"],
                         "rx_bursts": st["rx_bursts"], "rx_packets": st["rx_packets"],
                         "tx_busy_retries": st["tx_busy_retries"], "phase": st["phase"]})
        return sample

    run_sampled(sc, out, "io", factory)
    if "tel" in state:
        state["tel"].close()
    # rates and burst sizes between samples
    for prev, cur in zip(rows, rows[1:]):
        dt = cur["t_s"] - prev["t_s"] or 1e-9
        d = {k: cur[k] - prev[k] for k in ("opackets", "ipackets", "probes_sent", "tx_bursts",
                                             "rx_bursts", "rx_packets")}
        cur["pps_out"] = round(d["opackets"] / dt)
        cur["pps_in"] = round(d["ipackets"] / dt)
        cur["pkts_per_tx_burst"] = round(d["probes_sent"] / d["tx_bursts"], 2) \
            if d["tx_bursts"] else 0
        cur["pkts_per_rx_burst"] = round(d["rx_packets"] / d["rx_bursts"], 2) \
            if d["rx_bursts"] else 0
    if rows:
        rows[0].update(pps_out=0, pps_in=0, pkts_per_tx_burst=0, pkts_per_rx_burst=0)
    path = os.path.join(out, "io.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        if rows:
            w = csv.DictWriter(f, fieldnames=list(rows[-1].keys()))
            w.writeheader()
            w.writerows(rows)
    if rows:
        with open(os.path.join(out, "io.svg"), "w", encoding="utf-8") as f:
            subprocess.run(["/usr/bin/python3", os.path.join(HERE, "ioplot.py"), path,
                            sc.name + ": I/O over telemetry", "pps_out", "pps_in",
                            "pkts_per_tx_burst", "pkts_per_rx_burst"], stdout=f, check=True)
    return len(rows)


DONE_COUNTS = re.compile(r"Scan (?:done|interrupted): .*?(\d+) probes, \d+ replies: (.*?) in ")


def scan_counts(out, kind):
    """(probes, results) of the run's own closing line: telemetry's last
    sample may precede the results written at the end."""
    with open(os.path.join(out, kind + "-summary.txt"), encoding="utf-8") as f:
        m = DONE_COUNTS.search(f.read())
    if m is None:
        return None, None
    return int(m.group(1)), sum(int(n) for n in re.findall(r"(\d+) [a-z|]+", m.group(2)))


def traced_run(sc, out, kind, extra=()):
    """The scan under perf trace -s. @return (its per-thread syscall counts,
    /prtip/stats as last sampled (TX and RX bursts), with the probes and
    results of the scan's closing line)"""
    trace = os.path.join(out, kind + "-trace.txt")
    if os.path.exists(trace):
        os.unlink(trace)  # perf would keep it as .old
    state = {}

    def factory(prefix, proc):
        def sample(t):
            if "tel" not in state:
                state["tel"] = telemetry.Telemetry(prefix, timeout=0.2)
            st = state["tel"].query("/prtip/stats")
            if "probes_sent" in st:  # after the scan: {"error": "no scan running"}
                state["stats"] = st
        return sample

    run_sampled(sc, out, kind, factory, ["perf", "trace", "-s", "-o", trace, "--"], extra)
    if "tel" in state:
        state["tel"].close()
    stats = state.get("stats", {})
    probes, stats["results"] = scan_counts(out, kind)
    stats["probes_sent"] = probes or stats.get("probes_sent", 0)
    return syscalls.parse_trace(trace), stats


def profile_syscalls(sc, out):
    threads, stats = traced_run(sc, out, "syscalls")
    with open(os.path.join(out, "syscalls.txt"), "w", encoding="utf-8") as f:
        f.write("scenario %s: %s\n" % (sc.name, sc.what))
        syscalls.report(threads, stats, f)
    return sum(sum(t.values()) for t in threads.values())


WRITE_CALLS = ("write", "writev", "pwrite64", "pwritev", "fsync", "fdatasync")
WRITERS = (("none", []), ("-oJ", ["-oJ", "{d}/out.ndjson"]), ("-oX", ["-oX", "{d}/out.xml"]),
           ("-oN", ["-oN", "{d}/out.txt"]), ("-oG", ["-oG", "{d}/out.gnmap"]),
           ("--event-log", ["--event-log", "{d}/events.ndjson"]),
           ("--db", ["--db", "{d}/store.db"]))


def profile_writes(sc, out):
    """Each writer in a run of its own; its write calls are the run's, less
    those of the run without a file (the table on stdout, the messages)."""
    rows = []
    for name, extra in WRITERS:
        d = tempfile.mkdtemp(prefix="prt-writes-")
        threads, stats = traced_run(sc, out, "writes-" + name.lstrip("-"),
                                    [a.format(d=d) for a in extra])
        calls = {k: sum(t.get(k, 0) for n, t in threads.items()
                        if not n.startswith("rte-worker-")) for k in WRITE_CALLS}
        size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
        shutil.rmtree(d)
        rows.append((name, stats["results"], calls, size))
    base = rows[0][2]
    with open(os.path.join(out, "writes.txt"), "w", encoding="utf-8") as f:
        f.write("scenario %s: %s\nwriter: results; write calls beyond the run without a "
                "file (write+writev+pwrite64), per result, bytes written, bytes per call; "
                "fsync+fdatasync\n" % (sc.name, sc.what))
        for name, results, calls, size in rows[1:]:
            w = sum(calls[k] - base[k] for k in ("write", "writev", "pwrite64", "pwritev"))
            syncs = calls["fsync"] + calls["fdatasync"] - base["fsync"] - base["fdatasync"]
            f.write("%-12s %8d results; %7d writes, %s per result, %10d bytes, %s per "
                    "write; %d syncs\n" % (name, results, w, syscalls.per(w, results), size,
                                           syscalls.per(size, w), syncs))
    return len(rows)


def rss_kb(pid):
    with open("/proc/%d/status" % pid, encoding="utf-8") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise ValueError("no VmRSS")


def profile_heap(sc, out):
    """The control path's heap (malloc, not the DPDK heap) under valgrind's
    massif, and a leak check under memcheck: massif.out (kept whole),
    massif.txt (the graph and the peak snapshot's tree), leaks.txt."""
    massif = os.path.join(out, "massif.out")
    for stale in glob.glob(massif + "*") + glob.glob(os.path.join(out, "massif-helper*.out")):
        os.remove(stale)
    # The scanner drops root for an unprivileged user before it exits, when
    # massif writes its file: the directory must be writable by that user (the
    # results directory is not, and the scanner's file was lost). valgrind also
    # follows fork(): the checkpoint helper, forked while still root, writes a
    # file of its own, which %p keeps apart.
    drop = tempfile.mkdtemp(prefix="prt-massif-")
    os.chmod(drop, 0o1777)
    run_logged(sc.command("prt-prof-" + uuid.uuid4().hex[:8],
                          ["valgrind", "--tool=massif",
                           "--massif-out-file=" + os.path.join(drop, "massif.out.%p")]),
               out, "massif", timeout=900)
    files = sorted(glob.glob(os.path.join(drop, "massif.out.*")), key=heap.massif_instructions,
                   reverse=True)
    if not files:
        raise RuntimeError("massif wrote no file (see raw/massif-run.log)")
    shutil.move(files[0], massif)
    for i, other in enumerate(files[1:]):
        shutil.move(other, os.path.join(out, "massif-helper%s.out" % (i or "")))
    shutil.rmtree(drop, ignore_errors=True)
    with open(raw_log(out, "massif"), encoding="utf-8", errors="replace") as f:
        if "can not open xtree output file" in f.read():
            raise RuntimeError("a process under massif could not write its file")
    report = subprocess.run(["ms_print", massif], capture_output=True, text=True).stdout
    with open(os.path.join(out, "massif.txt"), "w", encoding="utf-8") as f:
        f.write(heap.massif_summary(report))
    run_logged(sc.command("prt-prof-" + uuid.uuid4().hex[:8],
                          ["valgrind", "--leak-check=full", "--num-callers=30",
                           "--show-leak-kinds=definite,possible"]),
               out, "memcheck", timeout=900)
    log = raw_log(out, "memcheck")
    ours, theirs = heap.own_leaks(log)
    with open(log, encoding="utf-8", errors="replace") as f:
        summary = [l for l in f if "lost:" in l or "ERROR SUMMARY" in l or
                   "All heap blocks were freed" in l]
    with open(os.path.join(out, "leaks.txt"), "w", encoding="utf-8") as f:
        f.writelines(summary)
        if sum("ERROR SUMMARY" in l for l in summary) > 1:
            f.write("(two processes: the scanner and the checkpoint helper it forks at start, "
                    "which inherits the scanner's heap and exits without freeing it)\n")
        f.write("definitely lost by dpdk-prtip's own code: %d bytes\n" % ours)
        f.write("definitely lost elsewhere (DPDK's driver plugins' constructors at dlopen): "
                "%d bytes\n" % theirs)
        for why, (nbytes, blocks) in sorted(heap.possibly_lost(log).items()):
            f.write("possibly lost: %d bytes in %d records: %s\n" % (nbytes, blocks, why))
    return "%d bytes by our code (%d elsewhere)" % (ours, theirs)


def profile_memory(sc, out):
    rss, once = [], {}

    def factory(prefix, proc):
        def sample(t):
            # the scanner: timeout's child (ip netns exec becomes the scanner)
            if "pid" not in once:
                kids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                      text=True).stdout.split()
                if not kids:
                    return  # timeout has not forked the scanner yet: the next sample
                once["pid"] = int(kids[0])
            rss.append({"t_s": round(t, 3), "rss_kb": rss_kb(once["pid"])})
            if "heap" not in once and t > 0.5:
                tel = telemetry.Telemetry(prefix, timeout=0.2)
                once["heap"] = tel.query("/eal/heap_info,0")
                once["mempools"] = {n: tel.query("/mempool/info," + n)
                                    for n in tel.query("/mempool/list")}
                tel.close()
        return sample

    run_sampled(sc, out, "memory", factory)
    with open(os.path.join(out, "rss.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["t_s", "rss_kb"])
        w.writeheader()
        w.writerows(rss)
    with open(os.path.join(out, "memory.txt"), "w", encoding="utf-8") as f:
        peak = max((r["rss_kb"] for r in rss), default=0)
        f.write("scenario %s: %s\n" % (sc.name, sc.what))
        f.write("peak RSS %d kB over %d samples (100 ms apart)\n" % (peak, len(rss)))
        f.write("rte_malloc heap 0 (/eal/heap_info,0): %s\n" % json.dumps(once.get("heap")))
        for name, info in sorted(once.get("mempools", {}).items()):
            f.write("mempool %s: size %s, elt_size %s, populated %s, total bytes ~%s\n" % (
                name, info.get("size"), info.get("elt_size"), info.get("populated_size"),
                (info.get("size") or 0) * ((info.get("elt_size") or 0) +
                                           (info.get("header_size") or 0) +
                                           (info.get("trailer_size") or 0))))
    return len(rss)


SCAN_DONE = re.compile(r"Scan (?:done|interrupted): .* in ([\d.]+) s \(sending ([\d.]+) s, "
                       r"(\d+) probes/s\)")


def median_table(out, runs):
    """runs.txt: the median, min and max over the runs of the scan time, the
    probe rate and (cpu runs) each function's self share: one figure from
    several runs, these machines being noisy."""
    times, rates, selfs = [], [], {}
    for run in range(1, runs + 1):
        d = os.path.join(out, "run%d" % run)
        for name in sorted(os.listdir(d)):
            if name.endswith("-summary.txt"):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    m = SCAN_DONE.search(f.read())
                if m:
                    times.append(float(m.group(1)))
                    rates.append(int(m.group(3)))
        table = os.path.join(d, "functions.txt")
        if os.path.exists(table):
            with open(table, encoding="utf-8") as f:
                for line in list(f)[1:]:
                    m = re.match(r"(.+?)\s+([\d.]+)\s+([\d.]+)$", line.rstrip())
                    if m:  # "function  self%  total%" rows; the footer is not one
                        selfs.setdefault(m.group(1), []).append(float(m.group(2)))
    rows = [("scan time (s)", times), ("probes/s", rates)]
    top = sorted(selfs.items(), key=lambda kv: -statistics.median(kv[1]))[:15]
    rows += [("self %% %s" % name, v) for name, v in top]
    with open(os.path.join(out, "runs.txt"), "w", encoding="utf-8") as f:
        f.write("%d runs; every figure: median (min-max) over the runs that have it\n" % runs)
        for label, v in rows:
            if v:
                f.write("%-58s %10.2f (%.2f-%.2f) n=%d\n" % (label, statistics.median(v), min(v),
                                                            max(v), len(v)))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary")
    ap.add_argument("--scenario")
    ap.add_argument("--type", default="all",
                    choices=["cpu", "io", "memory", "heap", "syscalls", "writes", "all"])
    ap.add_argument("--output-dir")
    ap.add_argument("--freq", type=int, default=999)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        for name, (where, _, what) in SCENARIOS.items():
            print("%-14s %-12s %s" % (name, where, what))
        return 0
    if a.scenario not in SCENARIOS or not a.binary:
        ap.error("--binary and --scenario (one of: %s) are needed" % ", ".join(SCENARIOS))
    out = a.output_dir or os.path.join(HERE, "results", time.strftime("%Y-%m-%d"), a.scenario)
    types = ["cpu", "io", "memory", "heap", "syscalls"] if a.type == "all" else [a.type]
    for run in range(1, a.runs + 1):
        run_out = out if a.runs == 1 else os.path.join(out, "run%d" % run)
        os.makedirs(run_out, exist_ok=True)
        with Scenario(a.scenario, a.binary) as sc:
            for kind in types:
                t0 = time.time()
                if kind == "cpu":
                    profile_cpu(sc, run_out, a.freq)
                    n = "flame.svg"
                elif kind == "io":
                    n = "%d I/O samples" % profile_io(sc, run_out)
                elif kind == "heap":
                    n = "definitely lost: %s" % profile_heap(sc, run_out)
                elif kind == "syscalls":
                    n = "%d syscalls" % profile_syscalls(sc, run_out)
                elif kind == "writes":
                    n = "%d runs" % profile_writes(sc, run_out)
                else:
                    n = "%d RSS samples" % profile_memory(sc, run_out)
                print("%s %s: %s in %.1f s -> %s" % (a.scenario, kind, n, time.time() - t0,
                                                    run_out), flush=True)
    if a.runs > 1:
        median_table(out, a.runs)
        print("%s: medians of %d runs -> %s" % (a.scenario, a.runs,
                                                os.path.join(out, "runs.txt")), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
