#!/usr/bin/python3
"""The side-by-side benchmark: one command, every comparison from the same run.

    sudo /usr/bin/python3 profiling/bench.py [--runs 3] [--sections null,scaling,...]

Sections (default: all):
  null      generation ceiling without I/O: dpdk-prtip SYN scan on net_null vs
            dpdk-testpmd --forward-mode=txonly on net_null, same run
  scaling   dpdk-prtip on net_null with 1..--max-tx TX lcores
  afpacket  the kernel AF_PACKET path into a veth whose peer drops it all: dpdk-prtip
            (net_af_packet) vs masscan vs zmap (one send thread) vs testpmd
  e2e       a /16 x 2 ports against the dts testbed: time and recall for
            dpdk-prtip, masscan and zmap at several rates
  memory    peak RSS of a stateless scan of a /24 and of a /8 (net_null)
  rx        one RX lcore classifying real replies replayed from a pcap vs
            dpdk-testpmd --forward-mode=rxonly on the same pcap
  shapes    the walk on six target x port shapes (odd bit counts, many hosts x few
            ports, IPv6) next to testpmd txonly, alternated
  internet  0.0.0.0/0 x 100 ports in Internet mode for 62 s: RSS at 5/30/60 s and
            the sustained rate
  writers   -oJ/-oL/-oC results/s (profiling/writer-bench)
  store     -oJ alone, with --event-log, with --db SQLite and PostgreSQL: results/s
            the main lcore hands over and rows/s each database takes
  ops-e2e   a SYN scan of the testbed's /16 with -oL alone, with --event-log, with --db
  synthetic exact results vs --rate against dpdk-prtip-responder over net_memif
Each figure is the median of --runs runs with (min-max). Output: a markdown
report on stdout (and --output FILE). Installs masscan, zmap and dpdk-dev
(testpmd) when missing. Traffic stays in namespaces it creates, 198.18.0.0/15.
"""
import argparse
import ipaddress
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

from framework import shell, testbed, zones  # noqa: E402
import bench_scale  # noqa: E402
import bench_store  # noqa: E402

SRC_IP, SRC_MAC, GW_MAC = "198.18.0.2", "02:00:00:00:00:02", "02:00:00:00:00:01"
NULL_ARGS = ["-S", SRC_IP, "--router-mac", GW_MAC, "--allow-special-ranges", "-Pn", "--rate", "1G",
             "--max-retries", "0",
             "--wait", "0"]


def med(values, fmt="%.0f"):
    if not values:
        return "-"
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(values), min(values),
                                                   max(values))


def eal(vdev, lcores="0@0,1@1,2@0", mem="512"):
    return ["--no-pci", "--no-huge", "-m", mem, "--file-prefix", "prt-bench-" +
            uuid.uuid4().hex[:8], "--lcores", lcores, "--log-level", "notice", "--vdev", vdev]


def prtip(binary, vdev, args, lcores="0@0,1@1,2@0", netns=None, timeout=300):
    """Run dpdk-prtip; returns (probes/s while sending, stdout, rusage)."""
    cmd = ([] if netns is None else ["ip", "netns", "exec", netns]) + [binary] + \
        eal(vdev, lcores) + ["--"] + args
    proc = subprocess.Popen(["timeout", "--signal=INT", str(timeout)] + cmd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError("dpdk-prtip failed (%d): %s" % (proc.returncode, err[-400:]))
    m = re.search(r"sending ([0-9.]+) s, ([0-9]+) probes/s", out)
    return float(m.group(2)), out


def testpmd_rate(vdev, mode, seconds=6, netns=None, extra=()):
    """Median of testpmd's per-second Tx-pps (txonly) or Rx-pps (rxonly), the
    first sample dropped."""
    cmd = ([] if netns is None else ["ip", "netns", "exec", netns]) + [
        "dpdk-testpmd"] + eal(vdev, "0@0,1@1", "1024") + [
        "--", "--forward-mode=" + mode, "--auto-start", "--stats-period=1", "--nb-cores=1",
        "--total-num-mbufs=%d" % (65535 if mode == "rxonly" else 16384)] + list(extra)
    p = subprocess.run(["timeout", "--signal=INT", str(seconds)] + cmd, capture_output=True,
                       text=True, errors="replace")
    key = "Tx-pps" if mode == "txonly" else "Rx-pps"
    rates = [int(x) for x in re.findall(key + r":\s+([0-9]+)", p.stdout)]
    rates = [r for r in rates[1:] if r > 0]
    if not rates:
        raise RuntimeError("testpmd gave no rate: " + (p.stdout + p.stderr)[-400:])
    return statistics.median(rates)


def testpmd_txonly(vdev, netns=None):
    return testpmd_rate(vdev, "txonly", netns=netns, extra=["--txpkts=58"])


# -- sections ----------------------------------------------------------------
def section_null(a):
    ours, peer, ratio = [], [], []
    work = NULL_ARGS + ["-p", "1-65535", "198.19.0.0/24"]  # 16.8 M probes
    for _ in range(a.runs):
        # no-rx: net_null would otherwise invent packets for the RX lcore
        o, _ = prtip(a.binary, "net_null0,no-rx=1", work)
        t = testpmd_txonly("net_null0,no-rx=1")
        ours.append(o / 1e6)
        peer.append(t / 1e6)
        ratio.append(o / t)
    return ["## Generation ceiling (net_null, one TX lcore)", "",
            "| generator | Mpps |", "|---|---|",
            "| dpdk-prtip SYN scan (256 hosts x 65535 ports) | %s |" % med(ours, "%.2f"),
            "| dpdk-testpmd --forward-mode=txonly, 58-byte frames | %s |" % med(peer, "%.2f"),
            "| ratio dpdk-prtip / testpmd (per run) | %s |" % med(ratio, "%.2f"),
            "", "Target: >= 37.2 Mpps, i.e. >= 0.58 of testpmd in the same run: %s." %
            ("met" if statistics.median(ratio) >= 0.58 else "NOT met"), ""]


def section_scaling(a):
    ncpu = os.cpu_count() or 1
    rows = ["## Scaling with TX lcores (net_null)", "",
            "| TX lcores | Mpps |", "|---|---|"]
    for n in range(1, a.max_tx + 1):
        # main on CPU 0, TX lcore i on CPU i % ncpu, the RX lcore last
        lc = ",".join(["0@0"] + ["%d@%d" % (i, i % ncpu) for i in range(1, n + 2)])
        args = NULL_ARGS + ["--tx-lcores", "1-%d" % n, "--rx-lcores", str(n + 1),
                            "-p", "1-65535", "198.19.0.0/24"]
        vals = [prtip(a.binary, "net_null0,no-rx=1", args, lcores=lc)[0] / 1e6
                for _ in range(a.runs)]
        rows.append("| %d | %s |" % (n, med(vals, "%.2f")))
    rows += ["", "On a machine with %d CPUs the lcores share them (main and RX with TX); "
             "real scaling needs a core per lcore." % ncpu, ""]
    return rows


class DropVeth:
    """A veth whose peer drops every frame in the kernel: frames go to a MAC that
    is not the peer's, so its stack discards them as 'other host' right away.
    (A peer that is down stalls AF_PACKET TX rings on this kernel: the frames
    stay pending, so no sender can be measured that way.) The sending end has
    198.18.0.2 because zmap reads its interface's address; nothing answers."""

    def __enter__(self):
        self.ns = "prt-bench-dn-" + uuid.uuid4().hex[:6]
        shell.run(["ip", "netns", "add", self.ns])
        shell.ns(self.ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1")
        shell.run(["ip", "-n", self.ns, "link", "add", "dn0", "type", "veth", "peer", "name",
                   "dn1"])
        shell.run(["ip", "-n", self.ns, "link", "set", "dn0", "address", SRC_MAC])
        shell.run(["ip", "-n", self.ns, "addr", "add", SRC_IP + "/32", "dev", "dn0"])
        for ifc in ("dn0", "dn1"):
            shell.run(["ip", "-n", self.ns, "link", "set", ifc, "up"])
        return self

    def __exit__(self, *exc):
        shell.run(["ip", "netns", "del", self.ns], check=False)


def masscan_rate(ns, iface, targets, ports, rate, extra=()):
    """masscan's own per-second rate while it sends (it may hang after its
    scan: a time limit with SIGINT, then KILL, ends it)."""
    p = subprocess.run(["timeout", "--signal=INT", "--kill-after=3", "20", "ip", "netns", "exec",
                        ns, "masscan",
                        "--interface", iface, "--adapter-ip", SRC_IP, "--adapter-mac", SRC_MAC,
                        "--router-mac", GW_MAC, "-Pn", "--rate", str(rate), "-p", ports, "--wait", "0"]
                       + list(extra) + targets, capture_output=True, text=True, errors="replace")
    rates = [float(x) for x in re.findall(r"rate:\s*([0-9.]+)-kpps", p.stderr)]
    rates = [r * 1000 for r in rates if r > 0]
    return statistics.median(rates) if rates else 0.0


def zmap_rate(ns, iface, target, rate, probes, blocklist):
    """zmap's average send rate: it counts targets per second, each sent
    --probes times."""
    p = subprocess.run(["timeout", "--signal=INT", "--kill-after=3", "120", "ip", "netns",
                        "exec", ns, "zmap",
                        "-i", iface, "-G", GW_MAC, "--source-mac", SRC_MAC, "-S", SRC_IP,
                        "-p", "80", "-r", str(rate), "-T", "1", "-P", str(probes), "-c", "0",
                        "-b", blocklist, "-o", "/dev/null", target],
                       capture_output=True, text=True, errors="replace")
    m = re.findall(r"send: [0-9]+(?: done)? [^(]*\(([0-9.]+) ([KM]?)p/s avg\)", p.stderr)
    if not m:
        raise RuntimeError("zmap gave no rate: " + p.stderr[-400:])
    val, unit = m[-1]
    return float(val) * {"": 1, "K": 1e3, "M": 1e6}[unit] * probes


def section_afpacket(a):
    ours, xdp, mass, zm, tpmd, txdp = [], [], [], [], [], []
    with DropVeth() as dv, tempfile.NamedTemporaryFile("w", suffix=".conf") as bl:
        for _ in range(a.runs):
            o, _ = prtip(a.binary, "net_af_packet0,iface=dn0",
                         NULL_ARGS + ["-p", "1-65535", "198.19.0.0/29"], netns=dv.ns)
            ours.append(o / 1e6)
            o, _ = prtip(a.binary, "net_af_xdp0,iface=dn0",
                         NULL_ARGS + ["-p", "1-65535", "198.19.0.0/29"], netns=dv.ns)
            xdp.append(o / 1e6)
            mass.append(masscan_rate(dv.ns, "dn0", ["198.19.0.0/29"], "1-65535", 100000000)
                        / 1e6)
            zm.append(zmap_rate(dv.ns, "dn0", "198.19.0.0/16", 10000000, 16, bl.name) / 1e6)
            tpmd.append(testpmd_txonly("net_af_packet0,iface=dn0", netns=dv.ns) / 1e6)
            txdp.append(testpmd_txonly("net_af_xdp0,iface=dn0", netns=dv.ns) / 1e6)
    best = [max(o, x) for o, x in zip(ours, xdp)]
    r_m = [o / m for o, m in zip(best, mass) if m > 0]
    r_z = [o / z for o, z in zip(best, zm) if z > 0]
    r_c = [x / t for x, t in zip(xdp, txdp) if t > 0]
    c_m = [t / m for t, m in zip(txdp, mass) if m > 0]
    return ["## The kernel AF_PACKET path (veth whose peer drops every frame), one send "
            "thread", "",
            "| sender | Mpps |", "|---|---|",
            "| dpdk-prtip, net_af_packet, 1 TX lcore | %s |" % med(ours, "%.3f"),
            "| dpdk-prtip, net_af_xdp (copy mode on veth), 1 TX lcore | %s |" % med(xdp, "%.3f"),
            "| masscan 1.3.2 (libpcap) | %s |" % med(mass, "%.3f"),
            "| zmap 2.1.1, -T 1 | %s |" % med(zm, "%.3f"),
            "| dpdk-testpmd txonly, net_af_packet | %s |" % med(tpmd, "%.3f"),
            "| dpdk-testpmd txonly, net_af_xdp (the path's DPDK ceiling) | %s |" %
            med(txdp, "%.3f"),
            "| ratio dpdk-prtip / testpmd, both net_af_xdp | %s |" % med(r_c, "%.2f"),
            "| ratio testpmd net_af_xdp / masscan (what 2x needs of the path) | %s |" %
            med(c_m, "%.2f"),
            "| ratio dpdk-prtip (faster PMD of the run) / masscan | %s |" % med(r_m, "%.2f"),
            "| ratio dpdk-prtip (faster PMD of the run) / zmap | %s |" % med(r_z, "%.2f"),
            "", "Target >= 2x masscan and >= 2x zmap: %s." % (
                "met" if r_m and r_z and min(statistics.median(r_m), statistics.median(r_z))
                >= 2 else "NOT met"), ""]


def truth_16(ports):
    want = {}
    for ip in ipaddress.ip_network("198.19.0.0/16"):
        for p in ports:
            want[(str(ip), p)] = zones.truth(str(ip), p)[0]
    return want


def recall(found, want):
    out = []
    for state in ("open", "closed"):
        keys = [k for k, v in want.items() if v == state]
        out.append(100.0 * sum(1 for k in keys if found.get(k) == state) / len(keys))
    return out


def read_list(path):
    found = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 5 and p[1] == "tcp":
                found.setdefault((p[3], int(p[2])), p[0])
    return found


def e2e_prtip(a, tb, rate, tmp):
    out = os.path.join(tmp, "p.lst")
    t0 = time.time()
    p = tb.run_scanner(a.binary, tb.scan_args() + ["--rate", str(rate), "-p", "22,80",
                                                    "-oL", out, "198.19.0.0/16"], timeout=600)
    if p.returncode != 0:
        raise RuntimeError("dpdk-prtip: " + p.stderr[-300:])
    return time.time() - t0, read_list(out)


def farm_mac(tb):
    out = shell.run(["ip", "-n", tb.farm_ns, "-o", "link", "show", tb.farm_if]).stdout
    return out.split("link/ether ")[1].split()[0]


def e2e_masscan(tb, rate, tmp):
    out = os.path.join(tmp, "m.lst")
    t0 = time.time()
    # masscan may hang after its scan: SIGINT at the limit makes it write its
    # list and exit, KILL 5 s later if it does not
    limit = str(int(2 * 65536 / rate + 3 + 20))
    subprocess.run(["timeout", "--signal=INT", "--kill-after=5", limit, "ip", "netns", "exec",
                    tb.scan_ns, "masscan", "--interface", tb.scan_if, "--adapter-ip", "198.18.0.4",
                    "--router-mac", farm_mac(tb), "-Pn", "--rate", str(rate), "-p", "22,80",
                    "--wait", "3", "--show", "closed", "-oL", out, "198.19.0.0/16"],
                   capture_output=True, text=True)
    return time.time() - t0, read_list(out)


def e2e_zmap(tb, rate, tmp):
    found, total = {}, 0.0
    bl = os.path.join(tmp, "empty.conf")
    open(bl, "w").close()
    # zmap reads its interface's address and sends nothing without one; the
    # scanner-side kernel then also owns 198.18.0.3 (its RSTs to SYN-ACKs do
    # not change what zmap records)
    shell.run(["ip", "-n", tb.scan_ns, "addr", "add", "198.18.0.3/32", "dev", tb.scan_if])
    for port in (22, 80):  # zmap 2.1 scans one port per run
        out = os.path.join(tmp, "z%d.csv" % port)
        t0 = time.time()
        subprocess.run(["timeout", "--signal=INT", "--kill-after=5",
                        str(int(65536 / rate + 3 + 20)), "ip", "netns", "exec", tb.scan_ns,
                        "zmap", "-i", tb.scan_if, "-G", farm_mac(tb), "-S", "198.18.0.3",
                        "-p", str(port), "-r", str(rate), "-c", "3", "-b", bl,
                        "-f", "saddr,classification", "--output-filter=repeat = 0",
                        "-o", out, "198.19.0.0/16"], capture_output=True, text=True)
        total += time.time() - t0
        with open(out, encoding="utf-8") as f:
            for line in f:
                ip, _, cls = line.strip().partition(",")
                state = {"synack": "open", "rst": "closed"}.get(cls)
                if state:
                    found.setdefault((ip, port), state)
    shell.run(["ip", "-n", tb.scan_ns, "addr", "del", "198.18.0.3/32", "dev", tb.scan_if])
    return total, found


def section_e2e(a):
    want = truth_16([22, 80])
    rows = ["## End to end: 198.19.0.0/16 x ports 22,80 on the dts testbed", "",
            "| scanner | --rate | wall s | open recall % | closed recall % |",
            "|---|---|---|---|---|"]
    with testbed.Testbed("bench") as tb, tempfile.TemporaryDirectory() as tmp:
        for name, fn in (("dpdk-prtip", lambda r: e2e_prtip(a, tb, r, tmp)),
                         ("masscan", lambda r: e2e_masscan(tb, r, tmp)),
                         ("zmap", lambda r: e2e_zmap(tb, r, tmp))):
            for rate in a.e2e_rates:
                walls, opens, closeds = [], [], []
                for _ in range(a.runs):
                    wall, found = fn(rate)
                    o, c = recall(found, want)
                    walls.append(wall)
                    opens.append(o)
                    closeds.append(c)
                rows.append("| %s | %d | %s | %s | %s |" % (name, rate, med(walls, "%.2f"),
                                                            med(opens, "%.2f"),
                                                            med(closeds, "%.2f")))
    rows += ["", "Half of the /16 is dark (blackholed): dpdk-prtip retries it once and waits "
             "3 s; masscan and zmap wait 3 s and do not retry. zmap 2.1 scans one port per "
             "run: its time is the sum of two runs. zmap 2.1.1 recorded no RST at all on "
             "this testbed (even with --output-filter='repeat = 0'), so its closed recall is "
             "0; it is a SYN-ACK finder here.", ""]
    return rows


def peak_rss_kb(binary, args):
    cmd = [binary] + eal("net_null0") + ["--"] + args
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError("dpdk-prtip exited %d" % status)
    return usage.ru_maxrss


def section_memory(a):
    small, big = [], []
    for _ in range(a.runs):
        small.append(peak_rss_kb(a.binary, NULL_ARGS + ["-p", "80", "198.19.0.0/24"]) / 1024)
        # as many pairs as a /8 x 1 port, inside the test range 198.18.0.0/15
        big.append(peak_rss_kb(a.binary, NULL_ARGS + ["-p", "1-128", "198.18.0.0/15"]) / 1024)
    diff = [100.0 * (b - s) / s for s, b in zip(small, big)]
    return ["## Memory of a stateless scan (net_null, 1 port, peak RSS)", "",
            "| targets | peak RSS MiB |", "|---|---|",
            "| a /24 x 1 port (256 pairs) | %s |" % med(small, "%.1f"),
            "| a /15 x 128 ports (16.8 M pairs, as many as a /8 x 1) | %s |" % med(big, "%.1f"),
            "| difference %% | %s |" % med(diff, "%.1f"),
            "", "Target: < 10%% difference: %s. 16.8 M pairs cost their answered bitmap (1 bit "
            "per pair, 2 MiB) and nothing per target on the send path. (Test addresses stay "
            "in 198.18.0.0/15, so the /8's pair count is reached with ports.)" %
            ("met" if statistics.median(diff) < 10 else "NOT met"), ""]


def capture_replies(a, tmp):
    """Real replies with valid cookies: scan the testbed with a fixed seed
    while tcpdump records what reaches the scanner."""
    pcap = os.path.join(tmp, "replies.pcap")
    with testbed.Testbed("benchrx") as tb:
        cap = subprocess.Popen(["ip", "netns", "exec", tb.scan_ns, "tcpdump", "-i", tb.scan_if,
                                "-n", "-U", "--immediate-mode", "-B", "65536", "-w", pcap,
                                "tcp and dst host " + SRC_IP], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        cap.stderr.readline()
        p = tb.run_scanner(a.binary, tb.scan_args() + ["--seed", "42", "--rate", "20000",
                                                        "-p", "1-100", "198.19.0.0/26"])
        testbed.Testbed.stop_capture(cap)
        if p.returncode != 0:
            raise RuntimeError("capture scan failed: " + p.stderr[-300:])
    return pcap


def prtip_rx_rate(a, pcap, tmp):
    """RX lcore packets/s while it classifies the pcap replayed in a loop. The
    replay scan asks for twice the ports, so it keeps running (slowly) and
    every captured reply stays a valid answer to it."""
    from framework.telemetry import Telemetry
    prof = os.path.join(tmp, "pcap.conf")
    with open(prof, "w", encoding="utf-8") as f:
        f.write("driver = net_pcap\nrx_desc = 1024\ntx_desc = 1024\nmbufs = 65535\n"
                "burst = 32\npromiscuous = no\n")
    e = eal("net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % pcap, mem="1024")
    prefix = e[e.index("--file-prefix") + 1]
    proc = subprocess.Popen(["timeout", "--signal=INT", "60", a.binary] + e + [
        "--", "-S", "198.18.0.2", "--router-mac", GW_MAC, "--allow-special-ranges", "-Pn", "--seed",
        "42", "--rate", "100",
        "--driver-profile", prof, "-p", "1-200", "198.19.0.0/26"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    tel = Telemetry(prefix)
    time.sleep(2)
    first = tel.query("/prtip/lcores")
    t0 = time.monotonic()
    time.sleep(3)
    second = tel.query("/prtip/lcores")
    dt = time.monotonic() - t0
    drops = tel.query("/prtip/stats")
    tel.close()
    proc.send_signal(2)
    proc.communicate(timeout=60)
    i = first["role"].index("rx")
    return (second["packets"][i] - first["packets"][i]) / dt, drops


def section_rx(a):
    ours, peer, ratio = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        pcap = capture_replies(a, tmp)
        for _ in range(a.runs):
            o, stats = prtip_rx_rate(a, pcap, tmp)
            t = testpmd_rate("net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % pcap,
                             "rxonly")
            ours.append(o / 1e6)
            peer.append(t / 1e6)
            ratio.append(o / t)
    bad = stats.get("drop_bad_cookie", 0) + stats.get("drop_bad_checksum", 0)
    return ["## RX: classifying replayed replies (net_pcap infinite_rx, one RX lcore)", "",
            "| receiver | Mpps |", "|---|---|",
            "| dpdk-prtip RX lcore (parse, dedupe; SYN-ACKs verified and reset) | %s |" %
            med(ours, "%.2f"),
            "| dpdk-testpmd --forward-mode=rxonly | %s |" % med(peer, "%.2f"),
            "| ratio | %s |" % med(ratio, "%.2f"),
            "", "The pcap holds the real SYN-ACKs and RSTs of a testbed scan with --seed 42 "
            "(6,400 replies, replayed in a loop); the replay run uses the same seed, so every "
            "reply is a valid answer (bad cookie or checksum in the last run: %d, duplicates "
            "%d). After the first loop every reply is for an answered pair: a stateless scan "
            "recognises those in the RX loop from fixed header offsets (prt_cls_quick_duplicate: "
            "no checksum, no cookie); SYN-ACKs, 2%% of the pcap, are still verified and reset. "
            "So this is the rate at which an RX lcore sheds replies for answered pairs (a flood, "
            "a replay; a retransmitted SYN-ACK is verified in full, since it gets a reset); "
            "first answers also pay the checksums and SipHash-1-3. Target >= 0.80: %s." % (
                bad, stats.get("duplicates", 0),
                "met" if statistics.median(ratio) >= 0.8 else "NOT met"), ""]


SECTIONS = {"null": section_null, "scaling": section_scaling, "afpacket": section_afpacket,
            "e2e": section_e2e, "memory": section_memory, "rx": section_rx,
            "shapes": lambda a: bench_scale.section_shapes(a, prtip, testpmd_txonly, NULL_ARGS),
            "internet": lambda a: bench_scale.section_internet(a, eal, NULL_ARGS),
            "writers": bench_scale.section_writers,
            "store": bench_store.section_store,
            "ops-e2e": bench_store.section_ops_e2e,
            "synthetic": bench_scale.section_synthetic}


def ensure_tools():
    need = [p for p, exe in (("masscan", "masscan"), ("zmap", "zmap"),
                             ("dpdk-dev", "dpdk-testpmd")) if not shutil_which(exe)]
    if need:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q"] + need, check=True, env=env,
                       stdout=subprocess.DEVNULL)


def shutil_which(exe):
    import shutil
    return shutil.which(exe)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "build", "app", "dpdk-prtip",
                                                     "dpdk-prtip"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sections", default=",".join(SECTIONS))
    ap.add_argument("--max-tx", type=int, default=max(2, os.cpu_count() or 1))
    ap.add_argument("--e2e-rates", default="100000,300000")
    ap.add_argument("--synthetic-rates", default="250000,500000,1000000,2000000")
    ap.add_argument("--output", help="also write the report here")
    a = ap.parse_args()
    a.binary = os.path.abspath(a.binary)
    a.e2e_rates = [int(r) for r in a.e2e_rates.split(",")]
    a.synthetic_rates = [int(r) for r in a.synthetic_rates.split(",")]
    if os.geteuid() != 0:
        sys.exit("bench: needs root (namespaces, raw sockets)")
    ensure_tools()
    report = ["# dpdk-prtip benchmark", "",
              "%s; kernel %s; %d CPUs; %d runs per figure, median (min-max); %s" % (
                  time.strftime("%Y-%m-%d"), os.uname().release, os.cpu_count(), a.runs,
                  " ".join(["profiling/bench.py"] + sys.argv[1:])), ""]
    print("\n".join(report), flush=True)
    for name in a.sections.split(","):
        print("bench: %s ..." % name, file=sys.stderr, flush=True)
        rows = SECTIONS[name](a)
        report += rows
        print("\n".join(rows), flush=True)  # each section as soon as it is measured
    if a.output:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
