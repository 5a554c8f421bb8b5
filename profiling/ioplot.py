#!/usr/bin/python3
"""An I/O time series CSV -> an SVG line plot (no plotting library needed).

    ioplot.py io.csv TITLE COLUMN [COLUMN...] > io.svg

One line per column against the "t_s" column, each scaled to its own
maximum (the legend gives the maximum), so rates and burst sizes share a plot.
"""
import csv
import html
import sys

W, H, PAD = 900, 360, 50
COLOURS = ["#c0392b", "#2471a3", "#229954", "#b9770e", "#7d3c98", "#566573"]


def plot(rows, title, columns):
    t = [float(r["t_s"]) for r in rows]
    t_max = max(t) if t and max(t) > 0 else 1.0
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (W, H),
           '<rect width="%d" height="%d" fill="white"/>' % (W, H),
           '<text x="%d" y="20" text-anchor="middle" font-size="14">%s</text>'
           % (W // 2, html.escape(title)),
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
           % (PAD, H - PAD, W - PAD, H - PAD),
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (PAD, PAD, PAD, H - PAD),
           '<text x="%d" y="%d" text-anchor="middle">time (s), 0 - %.1f</text>'
           % (W // 2, H - 15, t_max)]
    for i, col in enumerate(columns):
        values = [float(r[col] or 0) for r in rows]
        top = max(values) if values and max(values) > 0 else 1.0
        pts = " ".join("%.1f,%.1f" % (PAD + (W - 2 * PAD) * x / t_max,
                                      H - PAD - (H - 2 * PAD) * v / top)
                       for x, v in zip(t, values))
        colour = COLOURS[i % len(COLOURS)]
        out.append('<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>'
                   % (colour, pts))
        out.append('<text x="%d" y="%d" fill="%s">%s (max %.1f)</text>'
                   % (W - PAD - 260, PAD + 16 * i, colour, html.escape(col), top))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    sys.stdout.write(plot(rows, argv[2], argv[3:]))


if __name__ == "__main__":
    main(sys.argv)
