#!/usr/bin/python3
"""Scan timing and recall on the dts testbed, dpdk-prtip side by side with
masscan in the same run (these machines are noisy: compare within a run).

    sudo /usr/bin/python3 profiling/scan_timing.py [--runs 3] [--rates 100000,200000] [--no-masscan]

For each scenario and rate it runs each scanner --runs times against the
target namespace and reports wall time, probes/s while sending, and recall of
open and closed ports against the testbed's ground truth (median, min-max).
"""
import argparse
import ipaddress
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "dts"))

from framework import testbed, zones  # noqa: E402

TEN_PORTS = [21, 22, 23, 25, 80, 443, 3389, 8080, 8443, 9999]
SCENARIOS = {
    "one-host-65535": (["198.19.0.5"], "1-65535"),
    "three-20s-x10": (["198.19.0.0/20", "198.19.16.0/20", "198.19.128.0/20"],
                      ",".join(map(str, TEN_PORTS))),
}


def ports_of(spec):
    out = []
    for item in spec.split(","):
        a, _, b = item.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def truth(cidrs, ports):
    want = {}
    for c in cidrs:
        for ip in ipaddress.ip_network(c):
            for p in ports:
                want[(str(ip), p)] = zones.truth(str(ip), p)[0]
    return want


def recall(found, want):
    """Fraction of truly open / closed pairs reported with that state, and the
    number of answered pairs whose state differs from nmap's semantics (masscan
    calls an ICMP port-unreachable 'closed'; nmap and we call it filtered)."""
    res = {}
    for state in ("open", "closed"):
        keys = [k for k, v in want.items() if v == state]
        hit = sum(1 for k in keys if found.get(k) == state)
        res[state] = hit / len(keys) if keys else 1.0
    wrong = sum(1 for k, v in found.items() if k in want and v != "filtered" and v != want[k])
    return res, wrong


def read_list(path):
    found = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 5 and parts[1] == "tcp":
                found.setdefault((parts[3], int(parts[2])), parts[0])
    return found


def run_prtip(tb, binary, cidrs, ports, rate, tmp):
    out = os.path.join(tmp, "prtip.lst")
    args = tb.scan_args() + ["--rate", str(rate), "-p", ports, "-oL", out] + cidrs
    t0 = time.time()
    p = tb.run_scanner(binary, args, timeout=900)
    wall = time.time() - t0
    if p.returncode != 0:
        raise RuntimeError("dpdk-prtip failed: " + p.stderr[-500:])
    summary = [l for l in p.stdout.splitlines() if l.startswith("Scan done")][-1]
    pps = float(summary.split("(sending ")[1].split(",")[1].split()[0])
    return wall, pps, read_list(out)


MASSCAN_HUNG = 0


def farm_mac(tb):
    out = subprocess.run(["ip", "-n", tb.farm_ns, "-o", "link", "show", tb.farm_if],
                         capture_output=True, text=True, check=True).stdout
    return out.split("link/ether ")[1].split()[0]


def run_masscan(tb, cidrs, ports, rate, tmp):
    out = os.path.join(tmp, "masscan.lst")
    # masscan's own address is on no kernel interface either (it answers ARP itself)
    n_probes = sum(ipaddress.ip_network(c).num_addresses for c in cidrs) * len(ports_of(ports))
    # masscan sometimes never ends its wait ("waiting -93-secs"): SIGINT makes it
    # write its output and exit; such a run is counted and reported as hung
    limit = int(n_probes / rate + 3 + 30)
    cmd = ["timeout", "--signal=INT", "--kill-after=10", str(limit), "ip", "netns", "exec",
           tb.scan_ns, "masscan", "--interface",
           tb.scan_if, "--adapter-ip", "198.18.0.3", "--router-mac", farm_mac(tb),
           "--rate", str(rate), "-p", ports, "--wait", "3", "--show", "closed", "-oL", out] + cidrs
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t0
    if wall >= limit - 1:  # stopped by the time limit, whatever it then exited with
        global MASSCAN_HUNG
        MASSCAN_HUNG += 1
    elif p.returncode != 0:
        raise RuntimeError("masscan failed (exit %d): %s" % (p.returncode, p.stderr[-300:]))
    return wall, None, read_list(out)  # masscan prints no achieved rate to parse


def fmt(values, spec):
    med = statistics.median(values)
    return ("%s (%s-%s)" % (spec, spec, spec)) % (med, min(values), max(values))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "build", "app", "dpdk-prtip",
                                                     "dpdk-prtip"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rates", default="100000")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--no-masscan", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    peers = ["dpdk-prtip"] + ([] if args.no_masscan else ["masscan"])
    rows = []
    with testbed.Testbed("bench") as tb, tempfile.TemporaryDirectory() as tmp:
        for name in args.scenarios.split(","):
            cidrs, ports = SCENARIOS[name]
            want = truth(cidrs, ports_of(ports))
            for rate in map(int, args.rates.split(",")):
                for peer in peers:
                    walls, ppss, opens, closeds, wrongs = [], [], [], [], []
                    for _ in range(args.runs):
                        if peer == "dpdk-prtip":
                            wall, pps, found = run_prtip(tb, binary, cidrs, ports, rate, tmp)
                        else:
                            wall, pps, found = run_masscan(tb, cidrs, ports, rate, tmp)
                        rec, wrong = recall(found, want)
                        walls.append(wall)
                        if pps is not None:
                            ppss.append(pps)
                        opens.append(100 * rec["open"])
                        closeds.append(100 * rec["closed"])
                        wrongs.append(wrong)
                    rows.append((name, rate, peer, fmt(walls, "%.2f"),
                                 fmt(ppss, "%.0f") if ppss else "-",
                                 fmt(opens, "%.2f"), fmt(closeds, "%.2f"), max(wrongs)))
                    print("  done: %s %s %s" % (name, rate, peer), file=sys.stderr, flush=True)
    print("| scenario | --rate | scanner | wall s | probes/s sending | open recall % | "
          "closed recall % | states unlike nmap's |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %d | %s | %s | %s | %s | %s | %d |" % r)
    print("\nmedian (min-max) of %d runs; machine: %s, %d CPUs; PMD net_af_packet on veth"
          % (args.runs, os.uname().release, os.cpu_count()))
    if MASSCAN_HUNG:
        print("masscan hung after its scan in %d run(s) and was stopped with SIGINT; its "
              "wall time there includes the wait for the time limit" % MASSCAN_HUNG)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("scan_timing: needs root (network namespaces)")
    main()
