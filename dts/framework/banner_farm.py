"""Services that talk, for --banners: run inside the target namespace as
python3 banner_farm.py; it binds 0.0.0.0 on every port of FARM (so every
AnyIP address answers) and prints "ready". Each port's behaviour and the
banner a scanner must report for it are in FARM, which the suites import:
well-behaved servers, one that waits for a request, a silent one, and the
hostile ones (flood, drip, reset mid-banner, binary garbage)."""
import asyncio
import socket
import struct
import sys

GARBAGE = bytes(range(256))
FLOOD_CHUNK = b"FLOOD-" * 10000

# port: (behaviour, what is sent, the banner expected, probed)
FARM = {
    2121: ("greet", b"220 prtip FTP ready\r\n"),
    2222: ("greet", b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
    2525: ("greet", b"220 farm.prtip.test ESMTP Postfix (Debian/GNU)\r\n"),
    7005: ("greet-close", b"BYE-BANNER\r\n"),
    8000: ("http", b"HTTP/1.0 200 OK\r\nServer: prtip-farm/1.0\r\nContent-Length: 2\r\n\r\nok"),
    9999: ("silent", b""),
    7001: ("flood", FLOOD_CHUNK),
    7002: ("drip", b"SLOWBANNER\r\n"),
    7003: ("reset", b"PARTIAL-BANNER"),
    7004: ("greet", GARBAGE),
    # hostile to a TLS client: each answers whatever comes first (a ClientHello)
    7443: ("tls-plain", b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
    7444: ("tls-garbage", b"\x16\x03\x03\x00\x10" + bytes(range(0xf0, 0x100))),
    7445: ("tls-flood", b""),
    7446: ("tls-alert", b"\x15\x03\x03\x00\x02\x02\x28"),  # fatal handshake_failure
    7447: ("tls-badcert", b""),
}

# the ports --banners is checked on (the TLS-hostile ones wait for a client's word)
BANNER_PORTS = sorted(p for p, (kind, _) in FARM.items() if not kind.startswith("tls-"))
TLS_HOSTILE_PORTS = sorted(p for p, (kind, _) in FARM.items() if kind.startswith("tls-"))


def tls_record(content_type, body):
    return bytes([content_type, 3, 3, len(body) >> 8, len(body) & 0xff]) + body


def handshake(msg_type, body):
    return bytes([msg_type, len(body) >> 16 & 0xff, len(body) >> 8 & 0xff,
                  len(body) & 0xff]) + body


def malformed_certificate():
    """A TLS 1.2 ServerHello (ECDHE-RSA-AES128-GCM-SHA256, which every client
    offers), then a Certificate whose one certificate is not DER at all."""
    reneg = b"\xff\x01\x00\x01\x00"  # renegotiation_info, empty: clients insist on it
    hello = b"\x03\x03" + bytes(32) + b"\x00" + b"\xc0\x2f" + b"\x00" + \
        len(reneg).to_bytes(2, "big") + reneg
    bad = b"\x30\x82\x01\x00" + b"\xff" * 256
    certs = len(bad).to_bytes(3, "big") + bad
    body = len(certs).to_bytes(3, "big") + certs
    return tls_record(22, handshake(2, hello) + handshake(11, body) + handshake(14, b""))


def certificate_flood():
    """A handshake message that claims a 1 MiB certificate list, sent in full."""
    total = 1 << 20
    msg = bytes([11, total >> 16 & 0xff, total >> 8 & 0xff, total & 0xff]) + b"\x30" * total
    return b"".join(tls_record(22, msg[i:i + 16384]) for i in range(0, len(msg), 16384))


def expected(port, banner_max=1024):
    """(banner bytes, probed) a scanner must report; None: no banner."""
    kind, data = FARM[port]
    if kind == "silent":
        return None
    if kind == "http":
        return data, True
    if kind == "flood":
        return (data * 2)[:banner_max], False
    if kind == "drip":
        return data[:1], False  # one byte, then a quiet second: the banner ends
    return data, False


async def serve(port, reader, writer):
    kind, data = FARM[port]
    sock = writer.get_extra_info("socket")
    try:
        if kind == "http":
            await reader.readuntil(b"\r\n\r\n")
            writer.write(data)
            await writer.drain()
        elif kind in ("greet", "greet-close"):
            writer.write(data)
            await writer.drain()
            if kind == "greet":
                await reader.read()  # until the client closes
        elif kind == "silent":
            await reader.read()
        elif kind == "flood":
            while True:
                writer.write(data)
                await writer.drain()
        elif kind == "drip":
            for i in range(len(data)):
                writer.write(data[i:i + 1])
                await writer.drain()
                await asyncio.sleep(1)
        elif kind.startswith("tls-"):
            await reader.read(1)  # the client's first bytes
            writer.write(certificate_flood() if kind == "tls-flood" else
                         malformed_certificate() if kind == "tls-badcert" else data)
            await writer.drain()
            await reader.read()
        elif kind == "reset":
            writer.write(data)
            await writer.drain()
            await asyncio.sleep(0.2)
            # close with a reset instead of a FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except (ConnectionError, asyncio.IncompleteReadError, OSError):
        pass
    finally:
        writer.close()


async def listen(ports, handler):
    """handler(port, reader, writer) on 0.0.0.0:port for each port; "ready"; forever."""
    for port in ports:
        await asyncio.start_server(lambda r, w, p=port: handler(p, r, w), "0.0.0.0", port,
                                   backlog=4096, reuse_address=True)
    print("ready", flush=True)
    await asyncio.Event().wait()


def run(ports, handler):
    """The farm scripts' main: listen() until SIGINT."""
    try:
        asyncio.run(listen(ports, handler))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    run(FARM, serve)
