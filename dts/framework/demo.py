"""The demo: build the target network, scan part of it, show the table."""
import os
import tempfile

from . import testbed


def run_demo(binary):
    targets = ["198.19.0.0/28", "198.19.1.1-198.19.1.4", "198.19.16.1", "198.19.20.1",
               "198.19.21.1", "198.19.128.1"]
    print("demo: target network 198.19.0.0/17 in a network namespace: listeners on "
          "22,80,443,8080; zones of closed, dropped, ICMP-rejected and dark addresses")
    with testbed.Testbed("demo") as tb, tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "demo.ndjson")
        args = tb.scan_args(states=None, discovery=True) + ["-p", "21-23,80,443,8080", "--wait", "1", "-oJ", out] + targets
        print("demo: dpdk-prtip %s -- %s\n" % (" ".join(tb.eal_args("prt-demo")), " ".join(args)),
              flush=True)
        proc = tb.run_scanner(binary, args, timeout=120, eal=tb.eal_args("prt-demo"))
        print(proc.stdout)
        if proc.returncode != 0:
            print(proc.stderr)
            return proc.returncode
        with open(out, encoding="utf-8") as f:
            lines = f.readlines()
        print("demo: -oJ wrote %d results, e.g.\n  %s" % (len(lines), "  ".join(lines[:3])))
    return 0
