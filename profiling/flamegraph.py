#!/usr/bin/python3
"""Folded stacks -> a flamegraph SVG and a per-function table; written here
because Debian ships no FlameGraph scripts.

    flamegraph.py fold  PERF_SCRIPT_TXT  > stacks.folded
    flamegraph.py svg   stacks.folded TITLE > flame.svg
    flamegraph.py diff  BEFORE.folded AFTER.folded TITLE > diff.svg
    flamegraph.py table stacks.folded [MIN_PERCENT]    > functions.txt

"fold" reads `perf script` output (one sample: a header line, then one
frame per line, innermost first, then a blank line) and writes one line per
distinct stack, "outer;...;inner COUNT". The SVG is plain, well-formed XML
(no script): one rectangle per frame, width by samples, a <title> with the
exact numbers. A differential graph has the shape of AFTER and colours each
frame by the change of its share of samples against BEFORE (red: grew,
blue: shrank).
"""
import collections
import html
import sys

WIDTH, ROW = 1200, 16


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


def shares(stacks):
    """Share of all samples of each call path prefix (for differential colours)."""
    total = sum(stacks.values()) or 1
    out = collections.Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        for i in range(1, len(frames) + 1):
            out[";".join(frames[:i])] += count / total
    return out


def colour(name, delta=None):
    if delta is not None:
        d = max(-1.0, min(1.0, delta * 20))  # +-5 points of share is full colour
        if d >= 0:
            return "rgb(255,%d,%d)" % (int(230 - 180 * d), int(230 - 180 * d))
        return "rgb(%d,%d,255)" % (int(230 + 180 * d), int(230 + 180 * d))
    h = sum(map(ord, name)) % 60
    return "rgb(%d,%d,%d)" % (205 + h % 50, 90 + h, 40 + h // 2)


def svg(stacks, title, before=None):
    root = tree(stacks)
    total = sum(stacks.values()) or 1
    depth = max((s.count(";") + 1 for s in stacks), default=1)
    height = (depth + 3) * ROW
    old = shares(before) if before is not None else None
    new = shares(stacks) if before is not None else None
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
                delta = None if old is None else new[key] - old.get(key, 0.0)
                label = "%s (%d samples, %.2f%%%s)" % (
                    name, count, 100.0 * count / total,
                    "" if delta is None else ", %+.2f points" % (100 * delta))
                out.append('<g><title>%s</title><rect x="%.1f" y="%d" width="%.1f" '
                           'height="%d" fill="%s" stroke="white" stroke-width="0.5"/>'
                           % (html.escape(label), x, y, w, ROW - 1, colour(name, delta)))
                chars = int(w / 7)
                if chars >= 3:
                    text = name if len(name) <= chars else name[:chars - 2] + ".."
                    out.append('<text x="%.1f" y="%d">%s</text>' % (x + 2, y + ROW - 4,
                                                                 html.escape(text)))
                out.append("</g>")
                walk(children, x, y - ROW, full)
            x += w

    walk(root, 10.0, height - 2 * ROW, [])
    out.append("</svg>")
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
    elif cmd == "table":
        sys.stdout.write(table(read_folded(argv[2]),
                               float(argv[3]) if len(argv) > 3 else 1.0))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
