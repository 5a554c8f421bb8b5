#!/usr/bin/python3
"""dts/main.py: end-to-end suites for dpdk-prtip on a netns + veth testbed.

    sudo /usr/bin/python3 dts/main.py                 # every suite
    sudo /usr/bin/python3 dts/main.py --suites smoke,syn_scan
    sudo /usr/bin/python3 dts/main.py --demo          # build the demo network and scan it
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from framework import runner  # noqa: E402
from framework.demo import run_demo  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "build", "app", "dpdk-prtip",
                                                     "dpdk-prtip"))
    ap.add_argument("--suites", help="comma-separated suite names (default: all)")
    ap.add_argument("--output", default=os.path.join(HERE, "output"))
    ap.add_argument("--demo", action="store_true", help="scan the demo network and exit")
    args = ap.parse_args()

    if os.geteuid() != 0:
        sys.exit("dts: needs root (network namespaces, veth, AF_PACKET)")
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit("dts: no scanner binary at %s (build first: meson setup build && ninja -C build)"
                 % binary)
    if args.demo:
        sys.exit(run_demo(binary))
    ctx = runner.Context(binary, os.path.abspath(args.output), os.path.join(HERE, ".."))
    wanted = set(args.suites.split(",")) if args.suites else None
    suites = runner.discover(os.path.join(HERE, "tests"), wanted)
    if not suites:
        sys.exit("dts: no suite matches %s" % args.suites)
    passed, failed = runner.run_suites(suites, ctx)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
