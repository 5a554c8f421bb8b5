"""Debian's headless Chromium for pages a person looks at: the DOM after
the page's scripts ran, a screenshot, and what the console said."""
import subprocess
import tempfile

CHROMIUM = "/usr/bin/chromium"


def _run(args, timeout=90):
    with tempfile.TemporaryDirectory(prefix="prt-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr",
             "--v=0"] + args, capture_output=True, text=True, timeout=timeout)


def console_errors(stderr):
    """Console lines of a page's script errors (Chromium logs them as CONSOLE)."""
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line]


def dump_dom(path):
    """(DOM after load, console errors) of a local file."""
    p = _run(["--dump-dom", "file://" + path])
    return p.stdout, console_errors(p.stderr)


def screenshot(path, png, width=1100, height=2400):
    """Render a local file into @p png; returns the console errors."""
    p = _run(["--window-size=%d,%d" % (width, height), "--screenshot=" + png,
              "file://" + path])
    return console_errors(p.stderr)
