"""The scanner's end-of-scan connections line (-sT, --banners), parsed."""
import re

CONNS = re.compile(r"connections: (\d+) opened, (\d+) closed, (\d+) reset by peer, (\d+) timed "
                   r"out, (\d+) aborted, (\d+) refused \(table full\), (\d+) still open; "
                   r"(\d+) banners")
KEYS = ("opened", "closed", "reset", "timed_out", "aborted", "table_full", "open", "banners")


def conn_counts(stderr):
    """{opened, closed, reset, timed_out, aborted, table_full, open, banners} or None."""
    m = CONNS.search(stderr)
    return dict(zip(KEYS, map(int, m.groups()))) if m else None
