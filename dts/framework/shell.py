"""Running commands, bounded in time, with errors that say what failed."""
import subprocess


class CommandError(RuntimeError):
    pass


def run(cmd, check=True, timeout=60, **kw):
    """Run a command (list) and return the CompletedProcess; text mode."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and proc.returncode != 0:
        raise CommandError("%s -> exit %d: %s" % (" ".join(cmd), proc.returncode,
                                                  proc.stderr.strip()[-500:]))
    return proc


def ns(netns, *cmd, check=True, timeout=60):
    """Run a command inside a network namespace."""
    return run(["ip", "netns", "exec", netns] + list(cmd), check=check, timeout=timeout)
