"""Sharding: with the same --seed, the shards of a scan are disjoint and their
union is exactly the full scan (masscan's 1-based --shard I/N and zmap's
0-based --shards N --shard I name the same shards)."""
import ipaddress

from framework import testbed, zones
from framework.test_suite import TestSuite

PORTS = [21, 22, 23, 80, 443, 3389, 8080, 9999]
NETS = ["198.19.0.0/21", "198.19.20.0/23", "198.19.128.0/23"]


class TestShards(TestSuite):
    def set_up_suite(self):
        self.tb = testbed.Testbed("shard").create()
        self.truth = {(str(ip), p): zones.truth(str(ip), p)
                      for n in NETS for ip in ipaddress.ip_network(n) for p in PORTS}

    def tear_down_suite(self):
        self.tb.destroy()

    def scan(self, name, shard_args):
        out = self.artifact(name + ".ndjson")
        p = self.tb.run_scanner(self.ctx.binary, self.tb.scan_args() + shard_args + [
            "--seed", "9", "--wait", "1", "-p", ",".join(map(str, PORTS)), "-oJ", out] + NETS,
            timeout=300)
        self.verify(p.returncode == 0, "%s: exit %d: %s" % (name, p.returncode, p.stderr[-400:]))
        return {k: (r["state"], r["reason"]) for k, r in self.read_ndjson(out).items()}

    def check_shards(self, n):
        shards = [self.scan("shard%dof%d" % (i, n), ["--shard", "%d/%d" % (i, n)])
                  for i in range(1, n + 1)]
        union = {}
        for i, s in enumerate(shards):
            self.verify(len(s) > 0, "shard %d is empty" % (i + 1))
            overlap = union.keys() & s.keys()
            self.verify(not overlap, "shards overlap on %d pairs" % len(overlap))
            union.update(s)
        bad = [k for k in self.truth if union.get(k) != self.truth[k]]
        extra = union.keys() - self.truth.keys()
        self.verify(not bad and not extra, "union differs from the truth: %d wrong, %d extra, "
                    "e.g. %s" % (len(bad), len(extra), bad[:3]))
        sizes = sorted(len(s) for s in shards)
        self.verify(sizes[-1] - sizes[0] <= 1, "unbalanced shards %s" % sizes)
        return union

    def test_three_shards_are_disjoint_and_cover_the_scan(self):
        self.check_shards(3)

    def test_four_shards_union_equals_the_unsharded_scan(self):
        union = self.check_shards(4)
        whole = self.scan("unsharded", [])
        self.verify(union == whole, "4 shards differ from the unsharded scan on %d pairs" %
                    len(set(union.items()) ^ set(whole.items())))

    def test_zmap_and_masscan_numbering_agree(self):
        a = self.scan("masscan-2of3", ["--shard", "2/3"])
        b = self.scan("zmap-1of3", ["--shards", "3", "--shard", "1"])
        self.verify(a == b, "shard 2/3 and --shards 3 --shard 1 differ")
