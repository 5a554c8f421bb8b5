#!/usr/bin/python3
"""Parse dpdk-prtip's output files with real parsers (test_output_hostile).

usage: check_outputs.py KIND=FILE ...   KIND: xml, json, csv, text
Exits 1 with a line naming the file and the problem, else 0.
"""
import csv
import io
import json
import sys
import xml.etree.ElementTree as ET

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def no_controls(text):
    """No C0 but tab and newline, no DEL, no C1 (a terminal obeys them)."""
    for ch in text:
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n") or 0x7f <= o <= 0x9f:
            return "control character U+%04X" % o
    return None


def check(kind, path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")  # strict: invalid UTF-8 fails here
    if kind == "xml":
        ET.fromstring(raw)
    elif kind == "json":
        for line in text.split("\n")[:-1]:  # not splitlines(): U+2028 is JSON text
            json.loads(line)
    elif kind == "csv":
        rows = list(csv.reader(io.StringIO(text, newline="")))
        for row in rows[1:]:
            if len(row) != len(rows[0]):
                return "row of %d cells under a header of %d: %r" % (len(row), len(rows[0]), row)
            for cell in row:
                if cell.startswith(FORMULA):
                    return "formula cell %r" % cell
    problem = no_controls(text)
    return problem


def main():
    for arg in sys.argv[1:]:
        kind, path = arg.split("=", 1)
        try:
            problem = check(kind, path)
        except (ValueError, ET.ParseError, csv.Error) as e:
            problem = str(e)
        if problem:
            print("%s (%s): %s" % (path, kind, problem))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
