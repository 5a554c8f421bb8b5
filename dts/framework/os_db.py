"""nmap-os-db read apart from the scanner's code, for what run-to-run timing can
move: SEQ's SP, GCD, ISR and TS come from when the six SYNs were answered and
from Linux's random ISNs and timestamp offsets, so two runs (nmap's and ours,
or nmap's twice) print different values. How many points that can move a
guess is known exactly from the reference prints' expressions: this module
evaluates them as nmap-os-db's header describes (alternatives with |, hex
ranges lo-hi, >x, <x, else equal) and weighs them with its MatchPoints."""
import functools
import math

DB = "/usr/share/nmap/nmap-os-db"
TIMING = ("SP", "GCD", "ISR", "TS")


def _tests(line):
    name, _, body = line.strip().partition("(")
    return name, dict(kv.partition("=")[::2] for kv in body.rstrip(")").split("%") if kv)


def read(path=DB):
    """(MatchPoints {test: {attr: weight}}, {print name: [{test: {attr: expr}}]})."""
    points, prints, cur, in_points = {}, {}, None, False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("MatchPoints"):
                in_points = True
            elif line.startswith("Fingerprint "):
                in_points = False
                cur = {}
                prints.setdefault(line[12:].strip(), []).append(cur)
            elif "(" in line and not line.startswith("#"):
                test, attrs = _tests(line)
                if in_points:
                    points[test] = {a: int(w) for a, w in attrs.items()}
                elif cur is not None:
                    cur[test] = attrs
    return points, prints


@functools.lru_cache(maxsize=1)
def read_once():
    """read() of the installed nmap-os-db, kept for the process."""
    return read()


def matches(expr, value):
    """Does an observed value satisfy a reference print's expression?"""
    for alt in expr.split("|"):
        try:
            v = int(value, 16)
            if alt.startswith(">") and v > int(alt[1:], 16) or \
                    alt.startswith("<") and v < int(alt[1:], 16):
                return True
            lo, dash, hi = alt.partition("-")
            if dash and lo and int(lo, 16) <= v <= int(hi, 16) or not dash and v == int(alt, 16):
                return True
        except ValueError:
            if alt == value:
                return True
    return False


def timing_slack(db, name, fp_a, fp_b):
    """How many accuracy points apart two fingerprints ({test: {attr: value}})
    whose differences are SEQ's timing values can put guess @p name: over its
    prints, the points those values win or lose over the points possible (the
    attributes both the print and the fingerprint have, as nmap counts them)."""
    points, prints = db
    seq_a, seq_b = fp_a.get("SEQ", {}), fp_b.get("SEQ", {})
    slack = 0
    for p in prints.get(name, []):
        seq = p.get("SEQ", {})
        moved = sum(points["SEQ"][a] * (matches(seq[a], seq_a[a]) - matches(seq[a], seq_b[a]))
                    for a in TIMING if a in seq and a in seq_a and a in seq_b)
        possible = sum(w for t, attrs in points.items() for a, w in attrs.items()
                       if a in p.get(t, {}) and a in fp_a.get(t, {}))
        if moved and possible:
            slack = max(slack, math.ceil(100 * abs(moved) / possible))
    return slack
