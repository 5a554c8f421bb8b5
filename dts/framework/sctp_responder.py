"""SCTP hosts for the SCTP suite, as RFC 9260 has a stack answer (this VM's
kernel has no SCTP module to load). Run inside the target namespace as
python3 sctp_responder.py IFACE; prints "ready" once its socket is bound.

It answers for NET, addresses the target's kernel does not own (it drops
them silently: no forwarding, no protocol unreachable), whoever asks: the
scanner and nmap alike. truth() says what each (host, port) does:

  open    an INIT gets an INIT ACK; a COOKIE ECHO (no association) nothing
  closed  an INIT or COOKIE ECHO gets an ABORT (9260 8.4 rules 3 and 8)
  silent  nothing at all

Checksums (CRC32c) are right; a packet whose checksum is wrong is dropped.
"""
import ipaddress
import socket
import struct
import sys

NET = "198.19.200.0/29"
OPEN_PORTS = (80, 2905, 3868)
SILENT_HOST = "198.19.200.6"
ETH_P_ALL = 0x0003
INIT, INIT_ACK, ABORT, COOKIE_ECHO = 1, 2, 6, 10


def truth(host, port):
    """What (host, port) does: "open", "closed" or "silent"."""
    if host == SILENT_HOST:
        return "silent"
    return "open" if port in OPEN_PORTS else "closed"


def expected(scan, host, port):
    """nmap's (state, reason) for a -sY ("sctpinit") or -sZ scan of (host, port)."""
    t = truth(host, port)
    if t == "closed":
        return ("closed", "abort")
    if scan == "sctpinit":
        return ("open", "init-ack") if t == "open" else ("filtered", "no-response")
    return ("open|filtered", "no-response")


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def sctp_packet(sport, dport, vtag, chunks):
    body = struct.pack("!HHII", sport, dport, vtag, 0) + chunks
    return body[:8] + struct.pack("<I", crc32c(body)) + body[12:]


def ipv4(src, dst, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, 64, 132, 0, src, dst)
    s = sum(struct.unpack("!10H", hdr))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return hdr[:10] + struct.pack("!H", ~s & 0xFFFF) + hdr[12:] + payload


def answer(sctp):
    """The SCTP packet answering @p sctp (bytes), or None."""
    if len(sctp) < 16:
        return None
    sport, dport, vtag, cksum = struct.unpack("!HHII", sctp[:12])
    if struct.pack("!I", cksum) != struct.pack("<I", crc32c(sctp[:8] + bytes(4) + sctp[12:])):
        return None
    chunk = sctp[12]
    return sport, dport, vtag, chunk


def respond(sock, frame):
    ihl = (frame[14] & 0x0F) * 4
    src, dst = frame[26:30], frame[30:34]
    host = str(ipaddress.IPv4Address(dst))
    if ipaddress.IPv4Address(host) not in ipaddress.ip_network(NET):
        return
    got = answer(frame[14 + ihl:14 + struct.unpack("!H", frame[16:18])[0]])
    if got is None:
        return
    sport, dport, vtag, chunk = got
    t = truth(host, dport)
    sctp = frame[14 + ihl:]
    if t == "silent" or chunk not in (INIT, COOKIE_ECHO):
        return
    if chunk == INIT and len(sctp) >= 20:
        their_tag = struct.unpack("!I", sctp[16:20])[0]
        if t == "open":
            # INIT ACK: our tag, a_rwnd, streams, TSN, and a State Cookie parameter
            ack = struct.pack("!BBHIIHHI", INIT_ACK, 0, 28, 0x5C7F0001, 65536, 10, 10, 1)
            ack += struct.pack("!HH4s", 7, 8, b"ckie")
            reply = sctp_packet(dport, sport, their_tag, ack)
        else:
            reply = sctp_packet(dport, sport, their_tag, struct.pack("!BBH", ABORT, 0, 4))
    elif chunk == COOKIE_ECHO and t == "closed":
        # out of the blue: the tag reflected, the T bit set
        reply = sctp_packet(dport, sport, vtag, struct.pack("!BBH", ABORT, 1, 4))
    else:
        return
    sock.send(frame[6:12] + frame[0:6] + b"\x08\x00" + ipv4(dst, src, reply))


def main():
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((sys.argv[1], 0))
    print("ready", flush=True)
    while True:
        frame, addr = sock.recvfrom(65535)
        # incoming IPv4 SCTP only (not our own frames going out)
        if addr[2] != 4 and len(frame) >= 34 and frame[12:14] == b"\x08\x00" and \
                frame[23] == 132:
            respond(sock, frame)


if __name__ == "__main__":
    main()
