"""TestSuite base class in the shape of DPDK DTS: set_up_suite, test_*,
tear_down_suite, verify(cond, msg)."""
import json
import os


class VerifyError(AssertionError):
    pass


class TestSuite:
    #: a blocking suite that fails stops the run (the smoke suite)
    blocking = False

    def __init__(self, ctx):
        self.ctx = ctx  # framework.runner.Context
        self.out_dir = os.path.join(ctx.output_dir, type(self).__name__)
        os.makedirs(self.out_dir, exist_ok=True)

    def set_up_suite(self):
        pass

    def tear_down_suite(self):
        pass

    def verify(self, condition, message):
        if not condition:
            raise VerifyError(message)

    def artifact(self, name):
        return os.path.join(self.out_dir, name)

    def keep_run(self, name, p, expect_rc=0):
        """Save a finished scanner run's output as NAME.log and check its exit status."""
        with open(self.artifact(name + ".log"), "w", encoding="utf-8") as f:
            f.write(p.stdout + "\n--- stderr ---\n" + p.stderr)
        self.verify(p.returncode == expect_rc, "%s: exit %d %s" % (name, p.returncode,
                                                                   p.stderr[-800:]))

    @staticmethod
    def read_ndjson(path):
        """{(ip, port): record} of an -oJ file; every line must parse alone."""
        results = {}
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                rec = json.loads(line)
                key = (rec["ip"], rec["port"])
                if key in results:
                    raise VerifyError("%s:%d: (%s, %d) reported twice" % (path, n, *key))
                results[key] = rec
        return results

    def compare_with_truth(self, results, expected):
        """Compare {(ip, port): rec} with {(ip, port): (state, reason)}; returns
        a list of human-readable mismatches (empty when equal)."""
        bad = []
        for key, want in expected.items():
            rec = results.get(key)
            got = (rec["state"], rec["reason"]) if rec else None
            if got != want:
                bad.append("%s:%d expected %s got %s" % (key[0], key[1], want, got))
        for key in results.keys() - expected.keys():
            bad.append("%s:%d reported but not scanned" % key)
        return bad
