"""Finds TestSuite_*.py, runs them (smoke first), prints one line per test
and the closing 'N passed, N failed'."""
import importlib.util
import inspect
import os
import time
import traceback

from .test_suite import TestSuite


class Context:
    def __init__(self, binary, output_dir, source_dir):
        self.binary = binary
        self.output_dir = output_dir
        self.source_dir = source_dir
        # a sanitizer build is several times slower: tests that race a peer
        # against the clock check its results, not its time
        with open(binary, "rb") as f:
            self.sanitized = b"__asan_init" in f.read()


def discover(tests_dir, wanted=None):
    suites = []
    for name in sorted(os.listdir(tests_dir)):
        if not (name.startswith("TestSuite_") and name.endswith(".py")):
            continue
        short = name[len("TestSuite_"):-3]
        if wanted and short not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(tests_dir, name))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, TestSuite) and cls is not TestSuite and cls.__module__ == mod.__name__:
                suites.append(cls)
    # blocking suites (smoke) first, then by name
    suites.sort(key=lambda c: (not c.blocking, c.__name__))
    return suites


def test_methods(cls):
    """test_* methods in the order they are written in the file."""
    methods = [(m.__code__.co_firstlineno, n) for n, m in vars(cls).items()
               if n.startswith("test_") and callable(m)]
    return [n for _, n in sorted(methods)]


def run_suites(suites, ctx):
    passed = failed = 0
    for cls in suites:
        suite = cls(ctx)
        names = test_methods(cls)
        print("== %s (%d tests)" % (cls.__name__, len(names)), flush=True)
        try:
            suite.set_up_suite()
        except Exception as e:  # the whole suite fails
            traceback.print_exc()
            print("FAIL %s.set_up_suite: %s" % (cls.__name__, e), flush=True)
            failed += len(names)
            suite.tear_down_suite()
            if cls.blocking:
                break
            continue
        suite_failed = False
        for name in names:
            t0 = time.time()
            try:
                getattr(suite, name)()
                passed += 1
                print("PASS %s.%s (%.1f s)" % (cls.__name__, name, time.time() - t0), flush=True)
            except Exception as e:
                failed += 1
                suite_failed = True
                print("FAIL %s.%s (%.1f s): %s" % (cls.__name__, name, time.time() - t0, e),
                      flush=True)
        try:
            suite.tear_down_suite()
        except Exception as e:
            print("WARN %s.tear_down_suite: %s" % (cls.__name__, e), flush=True)
        if cls.blocking and suite_failed:
            print("blocking suite %s failed: stopping" % cls.__name__, flush=True)
            break
    return passed, failed
