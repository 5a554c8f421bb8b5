#!/usr/bin/python3
"""Folded stacks -> a flamegraph SVG and a per-function table; written here
because Debian ships no FlameGraph scripts.

    flamegraph.py fold  PERF_SCRIPT_TXT  > stacks.folded
    flamegraph.py svg   stacks.folded TITLE > flame.svg
    flamegraph.py diff  BEFORE.folded AFTER.folded TITLE > diff.svg
    flamegraph.py diff-table BEFORE.folded AFTER.folded > diff.txt
    flamegraph.py table stacks.folded [MIN_PERCENT]    > functions.txt

"fold" reads `perf script` output (one sample: a header line, then one
frame per line, innermost first, then a blank line) and writes one line per
distinct stack, "outer;...;inner COUNT". The SVG is plain, well-formed XML
(no script): one rectangle per frame, width by samples, a <title> with the
exact numbers. A differential graph has the shape of AFTER and colours each
frame by the change of its share of samples against BEFORE (red: grew,
blue: shrank) when the change is beyond sampling noise, grey otherwise;
frames BEFORE had and AFTER lost are listed under the graph.

Like is compared with like: both sides' stacks are normalised first, so a
binary profiled under another name (prtip-before, prtip-after) has the
same roots. The main thread's name (the binary's, "dpdk-prtip") becomes
"main-lcore" and the binary's own unresolved frames "[main binary]"; DPDK's and
our threads keep theirs (rte-worker-N, telemetry-v2, prtip-ckpt, ...).
Shares are of each side's own total, so runs of different lengths compare.
A change is beyond noise when it is at least MIN_POINTS of share and its
two-proportion z score is at least NOISE_Z (a frame's sample count is
binomial: with N samples a share p wobbles by sqrt(p(1-p)/N)).
"""
import collections
import html
import math
import re
import sys

WIDTH, ROW = 1200, 16
NOISE_Z = 4.0       # |z| below this: sampling noise
MIN_POINTS = 0.25   # and a change of less than this many points of share: noise
# thread names that are not the binary's own (DPDK's service threads, ours, the kernel's)
OTHER_THREADS = re.compile(r"^(rte[-_]|eal-|telemetry|prtip-ckpt|perf|kworker|swapper)")
LIBRARY_FRAME = re.compile(r"^\[(\[|lib|ld-|kernel|vdso|vsyscall|unknown)")


def normalise(stacks):
    """Stacks with the roots and frames that name the binary made the same for
    every build: the main thread "main-lcore", the binary's unresolved frames
    "[main binary]"."""
    out = collections.Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        if frames and not OTHER_THREADS.match(frames[0]):
            frames[0] = "main-lcore"
        frames = [("[main binary]" if f.startswith("[") and not LIBRARY_FRAME.match(f)
                   else f) for f in frames]
        out[";".join(frames)] += count
    return out


def fold(lines):
    """perf script samples -> {"comm;outer;...;inner": count}: the thread's
    name (main lcore, rte-worker-N) is the root of its stacks."""
    stacks = collections.Counter()
    comm, frames = None, []

    def flush():
        if comm is not None:
            stacks[";".join([comm] + list(reversed(frames)))] += 1

    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            flush()
            comm, frames = None, []
        elif line.startswith((" ", "\t")):
            # "    7f3a1b2c func+0x1a (/path/lib.so)" -> func
            parts = line.split()
            name = parts[1] if len(parts) > 1 else parts[0]
            name = name.split("+0x")[0]
            if name == "[unknown]" and len(parts) > 2:
                name = "[" + parts[-1].strip("()").rsplit("/", 1)[-1] + "]"
            frames.append(name)
        else:
            flush()  # a header without the blank line before it
            comm, frames = line.split()[0], []  # the sample header: the thread's name
    flush()
    return stacks


def read_folded(path):
    stacks = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if stack:
                stacks[stack] += int(count)
    return stacks


def tree(stacks):
    """{name: [count, children]} from folded stacks."""
    root = {}
    for stack, count in stacks.items():
        level = root
        for frame in stack.split(";"):
            node = level.setdefault(frame, [0, {}])
            node[0] += count
            level = node[1]
    return root


def path_counts(stacks):
    """Samples of each call path prefix."""
    out = collections.Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        for i in range(1, len(frames) + 1):
            out[";".join(frames[:i])] += count
    return out


def changes(before, after):
    """{path: (share before, share after, z)} of every call path of either side."""
    old, new = path_counts(before), path_counts(after)
    n1, n2 = sum(before.values()) or 1, sum(after.values()) or 1
    out = {}
    for key in set(old) | set(new):
        p1, p2 = old.get(key, 0) / n1, new.get(key, 0) / n2
        pooled = (old.get(key, 0) + new.get(key, 0)) / (n1 + n2)
        se = math.sqrt(max(pooled * (1 - pooled), 1e-12) * (1 / n1 + 1 / n2))
        out[key] = (p1, p2, (p2 - p1) / se)
    return out


def beyond_noise(change):
    p1, p2, z = change
    return abs(z) >= NOISE_Z and abs(p2 - p1) * 100 >= MIN_POINTS


def significant(before, after):
    """The call paths whose share changed beyond noise: [(path, before, after, z)]."""
    before, after = normalise(before), normalise(after)
    return sorted(((k, p1, p2, z) for k, (p1, p2, z) in changes(before, after).items()
                   if beyond_noise((p1, p2, z))), key=lambda r: -abs(r[2] - r[1]))


def colour(name, delta=None, noise=False):
    if delta is not None and noise:
        return "rgb(225,225,225)"
    if delta is not None:
        d = max(-1.0, min(1.0, delta * 20))  # +-5 points of share is full colour
        if d >= 0:
            return "rgb(255,%d,%d)" % (int(230 - 180 * d), int(230 - 180 * d))
        return "rgb(%d,%d,255)" % (int(230 + 180 * d), int(230 + 180 * d))
    h = sum(map(ord, name)) % 60
    return "rgb(%d,%d,%d)" % (205 + h % 50, 90 + h, 40 + h // 2)


def svg(stacks, title, before=None):
    if before is not None:
        stacks, before = normalise(stacks), normalise(before)
    root = tree(stacks)
    total = sum(stacks.values()) or 1
    depth = max((s.count(";") + 1 for s in stacks), default=1)
    change = changes(before, stacks) if before is not None else None
    gone = [] if change is None else sorted(
        (k, p1) for k, (p1, p2, z) in change.items()
        if p2 == 0 and beyond_noise((p1, p2, z)) and k.count(";") < 12)
    height = (depth + 3 + len(gone)) * ROW
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="monospace" font-size="11">' % (WIDTH, height),
           '<rect x="0" y="0" width="%d" height="%d" fill="rgb(250,250,240)"/>' % (WIDTH, height),
           '<text x="%d" y="14" text-anchor="middle" font-size="14">%s (%d samples)</text>'
           % (WIDTH // 2, html.escape(title), total)]

    def walk(level, x, y, path):
        for name, (count, children) in sorted(level.items()):
            w = count * (WIDTH - 20) / total
            full = path + [name]
            if w >= 0.3:
                key = ";".join(full)
                c = None if change is None else change[key]
                delta = None if c is None else c[1] - c[0]
                noise = c is not None and not beyond_noise(c)
                label = "%s (%d samples, %.2f%%%s)" % (
                    name, count, 100.0 * count / total,
                    "" if c is None else ", %+.2f points, z %+.1f%s" % (
                        100 * delta, c[2], ": noise" if noise else ""))
                out.append('<g><title>%s</title><rect x="%.1f" y="%d" width="%.1f" '
                           'height="%d" fill="%s" stroke="white" stroke-width="0.5"/>'
                           % (html.escape(label), x, y, w, ROW - 1,
                              colour(name, delta, noise)))
                chars = int(w / 7)
                if chars >= 3:
                    text = name if len(name) <= chars else name[:chars - 2] + ".."
                    out.append('<text x="%.1f" y="%d">%s</text>' % (x + 2, y + ROW - 4,
                                                                 html.escape(text)))
                out.append("</g>")
                walk(children, x, y - ROW, full)
            x += w

    walk(root, 10.0, (depth + 1) * ROW, [])
    for i, (key, p1) in enumerate(gone):  # what AFTER no longer has at all
        out.append('<text x="10" y="%d" fill="rgb(40,40,200)">gone: %s (%.2f%% before)</text>'
                   % ((depth + 3 + i) * ROW, html.escape(key), 100 * p1))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def diff_table(before, after):
    """Per function (self and anywhere on a stack): share before, after, points, z;
    the changes beyond noise first."""
    before, after = normalise(before), normalise(after)

    def per_function(stacks):
        total = sum(stacks.values()) or 1
        anywhere = collections.Counter()
        for stack, count in stacks.items():
            for name in set(stack.split(";")):
                anywhere[name] += count
        return anywhere, total

    (old, n1), (new, n2) = per_function(before), per_function(after)
    rows = []
    for name in set(old) | set(new):
        p1, p2 = old.get(name, 0) / n1, new.get(name, 0) / n2
        pooled = (old.get(name, 0) + new.get(name, 0)) / (n1 + n2)
        z = (p2 - p1) / math.sqrt(max(pooled * (1 - pooled), 1e-12) * (1 / n1 + 1 / n2))
        rows.append((not beyond_noise((p1, p2, z)), -abs(p2 - p1), name, p1, p2, z))
    rows.sort()
    out = ["%-48s %9s %9s %9s %7s" % ("function (total %)", "before", "after", "points", "z")]
    for noise, _, name, p1, p2, z in rows:
        if max(p1, p2) >= 0.005:
            out.append("%-48s %9.2f %9.2f %+9.2f %+7.1f%s" % (
                name[:48], 100 * p1, 100 * p2, 100 * (p2 - p1), z, "  noise" if noise else ""))
    out.append("(%d samples before, %d after; beyond noise: |z| >= %.0f and >= %.2f points)"
               % (n1, n2, NOISE_Z, MIN_POINTS))
    return "\n".join(out) + "\n"


def table(stacks, min_percent=1.0):
    """Per function: self % (innermost frame) and total % (anywhere on the stack)."""
    total = sum(stacks.values()) or 1
    self_count, total_count = collections.Counter(), collections.Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        self_count[frames[-1]] += count
        for name in set(frames):
            total_count[name] += count
    rows = ["%-48s %8s %8s" % ("function", "self %", "total %")]
    for name, count in sorted(total_count.items(), key=lambda kv: (-self_count[kv[0]],
                                                                   -kv[1])):
        s, t = 100.0 * self_count[name] / total, 100.0 * count / total
        if s >= min_percent or t >= min_percent:
            rows.append("%-48s %8.2f %8.2f" % (name[:48], s, t))
    rows.append("(%d samples; functions above %.1f%% self or total)" % (total, min_percent))
    return "\n".join(rows) + "\n"


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "fold":
        with open(argv[2], encoding="utf-8", errors="replace") as f:
            for stack, count in sorted(fold(f).items()):
                print("%s %d" % (stack, count))
    elif cmd == "svg":
        sys.stdout.write(svg(read_folded(argv[2]), argv[3] if len(argv) > 3 else argv[2]))
    elif cmd == "diff":
        sys.stdout.write(svg(read_folded(argv[3]), argv[4] if len(argv) > 4 else "diff",
                             before=read_folded(argv[2])))
    elif cmd == "diff-table":
        sys.stdout.write(diff_table(read_folded(argv[2]), read_folded(argv[3])))
    elif cmd == "table":
        sys.stdout.write(table(read_folded(argv[2]),
                               float(argv[3]) if len(argv) > 3 else 1.0))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
