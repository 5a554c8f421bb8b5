"""A PostgreSQL server of the test's own: initdb in a temporary directory,
reachable only through a Unix socket in that directory (no TCP port, no
system service), trust authentication, removed on exit."""
import os
import shutil
import subprocess
import tempfile
import time

BIN = "/usr/lib/postgresql/15/bin"
USER = "postgres"  # initdb and the server refuse to run as root


def _as_user(cmd, **kw):
    return subprocess.run(["runuser", "-u", USER, "--"] + cmd, check=True,
                          capture_output=True, text=True, **kw)


class Postgres:
    def __init__(self, port=55432):
        self.port = port
        self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="prt-pg-")
        shutil.chown(self.dir, USER, USER)
        data = os.path.join(self.dir, "data")
        _as_user([BIN + "/initdb", "-D", data, "-A", "trust", "-U", USER, "--no-sync"])
        _as_user([BIN + "/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "log"), "-w",
                  "-o", "-c listen_addresses='' -k %s -p %d -c fsync=off" %
                  (self.dir, self.port), "start"])
        for _ in range(50):
            if self.psql("SELECT 1", db="postgres").strip() == "1":
                break
            time.sleep(0.1)
        self.psql("CREATE DATABASE prtip", db="postgres")
        return self

    def stop(self):
        if self.dir is None:
            return
        subprocess.run(["runuser", "-u", USER, "--", BIN + "/pg_ctl", "-D",
                        os.path.join(self.dir, "data"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def url(self, db="prtip"):
        return "postgresql:///%s?host=%s&port=%d&user=%s" % (db, self.dir, self.port, USER)

    def psql(self, sql, db="prtip"):
        """Rows as 'a|b' lines (psql -At)."""
        p = subprocess.run(["psql", "-At", "-h", self.dir, "-p", str(self.port), "-U", USER,
                            "-d", db, "-c", sql], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("psql %s: %s" % (sql, p.stderr))
        return p.stdout
