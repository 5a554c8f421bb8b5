"""Servers that attack the parser, for the hostile suite: run inside the
target namespace as python3 hostile_farm.py; it binds 0.0.0.0 on every port
of BANNERS (so every AnyIP address answers), prints "ready" and sends each
port's bytes to whoever connects: spreadsheet formulas, terminal escape
sequences (CSI, OSC, C1), invalid UTF-8 and U+FFFF, XML metacharacters. Port
7199 says nothing and keeps the connection open (the privilege test needs
connections that last); port 7105 greets a second late."""
import asyncio

try:  # the suites import it from the framework package; the target runs it as a script
    from . import banner_farm
except ImportError:
    import banner_farm

BANNERS = {
    7100: b"=HYPERLINK(\"http://x\",\"y\")\r\n",
    7101: b"+1,2,\"three\"\x1b[2J\x1b]0;pwned\x07\r\n",
    7102: b"@SUM(A1)\xc2\x9b31m\xef\xbf\xbf\xff\xfe\r\n",
    7103: b"-ERR <x a=\"&\"/> ]]> <!-- --\r\n",
    7104: b"\tTAB first\rCR\x00NUL\r\n",
}
SILENT = 7199
# greets only after a second: time for an attacker to meddle with the connection first
LATE, LATE_BANNER = 7105, b"220 the real server speaks\r\n"


async def serve(port, reader, writer):
    try:
        if port in BANNERS:
            writer.write(BANNERS[port])
            await writer.drain()
        elif port == LATE:
            await asyncio.sleep(1)
            writer.write(LATE_BANNER)
            await writer.drain()
        await reader.read()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


if __name__ == "__main__":
    banner_farm.run(list(BANNERS) + [SILENT, LATE], serve)
