#!/usr/bin/python3
"""Write the seed corpora (small, deterministic): frames shaped like the
replies a scan gets, target/port specs, driver profiles. Run once; the files
are committed. Fuzzers grow their own corpora from these."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload, ttl=64):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, ttl, proto, 0,
                      bytes(src), bytes(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def tcp(src, dst, sport, dport, seq, ack, flags):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535, 0, 0)
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    return hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def sctp(sport, dport, vtag, chunks):
    body = struct.pack("!HHII", sport, dport, vtag, 0) + chunks
    return body[:8] + struct.pack("<I", crc32c(body)) + body[12:]


def eth(payload, ethertype=0x0800):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + struct.pack("!H", ethertype) + payload


US, TGT, GW = [198, 18, 0, 2], [198, 19, 0, 5], [198, 18, 0, 1]
US6 = bytes.fromhex("20010002000000000000000000000002")      # 2001:2::2
TGT6 = bytes.fromhex("20010002000001000000000000000005")     # 2001:2:0:100::5
GW6 = bytes.fromhex("20010002000000000000000000000001")      # 2001:2::1


def ipv6(src, dst, nh, payload, hops=64):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, hops) + src + dst + payload


def l4sum6(src, dst, nh, data):
    return csum(src + dst + struct.pack("!IxxxB", len(data), nh) + data)


def tcp6(src, dst, sport, dport, seq, ack, flags):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535, 0, 0)
    return hdr[:16] + struct.pack("!H", l4sum6(src, dst, 6, hdr)) + hdr[18:]


def icmp6(src, dst, body):
    msg = body[:2] + b"\0\0" + body[4:]
    return msg[:2] + struct.pack("!H", l4sum6(src, dst, 58, msg)) + msg[4:]


def frames():
    yield "synack", eth(ipv4(TGT, US, 6, tcp(TGT, US, 80, 40000, 7, 12345, 0x12)))
    yield "rst", eth(ipv4(TGT, US, 6, tcp(TGT, US, 22, 40001, 0, 999, 0x14)))
    probe = ipv4(US, TGT, 6, tcp(US, TGT, 40002, 443, 555, 0, 0x02))[:28]
    icmp = struct.pack("!BBHI", 3, 13, 0, 0) + probe
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    yield "icmp-3-13", eth(ipv4(GW, US, 1, icmp))
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, b"\x02\0\0\0\0\x01", bytes(GW),
                      b"\0" * 6, bytes(US))
    yield "arp-request", eth(arp, 0x0806) + b"\0" * 18
    # -PR: a target's ARP reply to us
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, b"\x02\0\0\0\0\x09", bytes(TGT),
                      b"\x02\0\0\0\0\x02", bytes(US))
    yield "arp-reply", eth(arp, 0x0806) + b"\0" * 18
    # -PR on IPv6: a target's solicited advertisement to us (from its link-local address)
    ll = bytes.fromhex("fe800000000000000000000000000009")
    na = struct.pack("!BBHB3x", 136, 0, 0, 0x60) + TGT6 + b"\x02\x01\x02\0\0\0\0\x09"
    yield "nd-advert", eth(ipv6(ll, US6, 58, icmp6(ll, US6, na), hops=255), 0x86dd)
    yield "truncated", eth(ipv4(TGT, US, 6, tcp(TGT, US, 80, 40000, 7, 12345, 0x12)))[:40]
    # SCTP: an INIT ACK, an ABORT, an unreachable quoting an INIT
    yield "sctp-init-ack", eth(ipv4(TGT, US, 132, sctp(80, 40000, 0x01020304, bytes(
        [2, 0, 0, 28]) + struct.pack("!IIHHI", 9, 65536, 10, 10, 1) + bytes([0, 7, 0, 8]) +
        b"ckie")))
    yield "sctp-abort", eth(ipv4(TGT, US, 132, sctp(9, 40001, 0x05060708, bytes([6, 1, 0, 4]))))
    init = ipv4(US, TGT, 132, sctp(40002, 2905, 0, bytes([1, 0, 0, 20]) + bytes(16)))[:28]
    icmp = struct.pack("!BBHI", 3, 2, 0, 0) + init
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    yield "sctp-icmp-3-2", eth(ipv4(TGT, US, 1, icmp))
    # ICMP queries' replies (-PP, -PM): identifier, sequence, echoed word
    for name, body in (("timestamp-reply", struct.pack("!BBHHHIII", 14, 0, 0, 40000, 7, 7, 1, 2)),
                       ("mask-reply", struct.pack("!BBHHHI", 18, 0, 0, 40000, 7, 0xffffff00))):
        body = body[:2] + struct.pack("!H", csum(body)) + body[4:]
        yield name, eth(ipv4(TGT, US, 1, body))
    # -sO: a protocol unreachable quoting a bare IP header (GRE), as Linux sends it
    bare = ipv4(US, TGT, 47, b"")
    icmp = struct.pack("!BBHI", 3, 2, 0, 0) + bare
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    yield "ipproto-icmp-3-2", eth(ipv4(TGT, US, 1, icmp))
    # IPv6: an answer, one behind a hop-by-hop header, an unreachable, NDP
    yield "synack6", eth(ipv6(TGT6, US6, 6, tcp6(TGT6, US6, 80, 40000, 7, 12345, 0x12)), 0x86DD)
    hbh = bytes([6, 0, 1, 4, 0, 0, 0, 0])
    yield "rst6-hbh", eth(ipv6(TGT6, US6, 0, hbh + tcp6(TGT6, US6, 22, 40001, 0, 9, 0x14)),
                          0x86DD)
    probe6 = ipv6(US6, TGT6, 6, tcp6(US6, TGT6, 40002, 443, 555, 0, 0x02))
    yield "icmp6-1-4", eth(ipv6(GW6, US6, 58, icmp6(GW6, US6, bytes([1, 4, 0, 0, 0, 0, 0, 0])
                                                     + probe6)), 0x86DD)
    ns = bytes([135, 0, 0, 0, 0, 0, 0, 0]) + US6 + bytes([1, 1, 2, 0, 0, 0, 0, 1])
    yield "ndp-ns", eth(ipv6(GW6, bytes.fromhex("ff0200000000000000000001ff000002"), 58,
                             icmp6(GW6, bytes.fromhex("ff0200000000000000000001ff000002"), ns),
                             255), 0x86DD)


def main():
    d = os.path.join(HERE, "corpus")
    for name, data in frames():
        with open(os.path.join(d, "classify", name), "wb") as f:
            f.write(data)
    specs = ["198.18.0.1", "198.18.0.0/20", "198.18.0.1-198.18.3.9", "198.18.0-3.1-254",
             "198.18.1,3.*", "22,80,1000-2000", "-", "T:22,60000-", "198.18.0.1 # c\n10-\n"]
    for i, s in enumerate(specs):
        with open(os.path.join(d, "target_spec", "spec%d" % i), "w", encoding="utf-8") as f:
            f.write(s)
    profiles = ["driver = net_af_packet\nrx_desc = 2048\ntx_desc = 2048\nmbufs = 16383\n"
                "burst = 32\npromiscuous = no\n", "# only a comment\n", "driver=x\nburst=0\n"]
    for i, p in enumerate(profiles):
        with open(os.path.join(d, "profile", "profile%d" % i), "w", encoding="utf-8") as f:
            f.write(p)


def host_table():
    """A checkpoint's host table (lib/output's layout, native x86-64): one host
    with an open group of 2 ports and a closed group of 3, no banners."""
    def port(p, state, reason):
        return struct.pack("<HBBBBBB", p, 6, state, reason, 0, 0, 64)
    addr = bytes(10) + b"\xff\xff" + bytes(TGT)
    body = addr + struct.pack("<QQB", 1, 2, 2)
    body += port(0, 0, 0) + struct.pack("<QI", 2, 2) + port(22, 0, 0) + port(80, 0, 0)
    body += port(0, 1, 1) + struct.pack("<QI", 3, 3) + b"".join(port(p, 1, 1) for p in (23, 24, 25))
    body += struct.pack("<I", 0)
    return struct.pack("<Q", 1) + body


NMAP_FILES = [  # written for these seeds in nmap's formats, not copied from nmap
    b"\x00Exclude T:9100\nProbe TCP NULL q||\ntotalwaitms 6000\n"
    b"match ftp m|^220 ([\\w.]+) FTP|s p/x/ v/$1/ cpe:/a:x:y:$1/\n"
    b"softmatch ssh m/^SSH-/\nProbe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
    b"rarity 1\nports 80,8080-8090\nsslports 443\nfallback NULL\n",
    b"\x01udp 53 \"\\x12\\x34\\x01\\x00\" source 53\nudp 123,1230-1235 \"\\xe3\\x00\"\n",
    b"\x02http\t80/tcp\t0.484143\t# World Wide Web HTTP\ndomain\t53/udp\t0.213496\n",
]

TCP_PROGRAMS = [  # 12-byte steps: open, data, time, close, wake with siblings aborted
    bytes([0, 0, 0x12, 0, 0, 180, 0, 0, 0, 0, 0, 0]) + bytes([2, 0, 0x18, 5, 0, 0, 0, 0, 0, 0, 0, 0])
    + bytes([7, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0]) + bytes([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    bytes([0, 1, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0]) + bytes([0, 2, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    + bytes([6, 1, 0, 0, 0, 0, 5, 2, 2, 0, 0, 0]) + bytes([6, 2, 0, 0, 0, 0, 5, 1, 1, 0, 0, 0])
    + bytes([7, 0, 0, 0, 0, 0, 60, 0, 0, 0, 0, 0]),
    bytes([1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) + bytes([2, 3, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
]

TEXTS = [b"commonName=a/R&D\"><!--=x", b"\xef\xbf\xbf\xff\xfe\xc2\x9b\x1b[2J", b"100k",
         b"p/$1/ v/$SUBST(2,\"-\",\" \")/ i/$I(3,\">\")/SSH-2.0-OpenSSH_9.2p1"]


def chunk(conn, wait_ms10, data):
    """fuzz_service's chunk: connection, wait (x10 ms), length, the server's bytes."""
    return bytes([conn, wait_ms10, len(data)]) + data


def tls_server_hello():
    """A TLS 1.2 ServerHello, then a Certificate that is not DER."""
    hello = b"\x03\x03" + bytes(32) + b"\x00\xc0\x2f\x00\x00\x05\xff\x01\x00\x01\x00"
    hs = bytes([2, 0, 0, len(hello)]) + hello
    bad = b"\x30\x82\x00\x20" + b"\xff" * 32
    certs = len(bad).to_bytes(3, "big") + bad
    hs += bytes([11]) + (len(certs) + 3).to_bytes(3, "big") + len(certs).to_bytes(3, "big") + certs
    return bytes([22, 3, 3]) + len(hs).to_bytes(2, "big") + hs


def jarm_server_hello():
    """A TLS 1.2 ServerHello alone, with three extensions (JARM reads their types)."""
    exts = b"\xff\x01\x00\x01\x00\x00\x0b\x00\x02\x01\x00\x00\x17\x00\x00"
    hello = b"\x03\x03" + bytes(32) + b"\x20" + bytes(32) + b"\xc0\x2f\x00" + \
        len(exts).to_bytes(2, "big") + exts
    hs = bytes([2]) + len(hello).to_bytes(3, "big") + hello
    return bytes([22, 3, 3]) + len(hs).to_bytes(2, "big") + hs


SERVICE = [
    b"\x00" + chunk(0, 1, b"220 farm FTP ready\r\n") + chunk(0, 50, b""),
    b"\x01" + chunk(0, 1, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
    b"\x01" + chunk(0, 60, b"") + chunk(1, 1, b"HTTP/1.0 200 OK\r\nServer: nginx/1.22.1\r\n\r\n"),
    b"\x01" + b"".join(chunk(0, 0, bytes([c])) for c in b"220 x FTP server (Version 1.2)\r\n"),
    b"\x02" + chunk(0, 1, tls_server_hello()[:200]) + chunk(0, 1, tls_server_hello()[200:]),
    # --jarm: the handshake's ServerHello and FIN, then ten hellos answered in turn
    b"\x03" + chunk(0, 1, jarm_server_hello()) + chunk(0, 1, b"") +
    b"".join(chunk(0, 0, jarm_server_hello() if i % 3 else b"\x15\x03\x03\x00\x02\x02\x28")
             for i in range(10)),
]


def write_seeds(d, name, items):
    for i, data in enumerate(items):
        with open(os.path.join(d, name, "seed%d" % i), "wb") as f:
            f.write(data)


def main_hardening():
    d = os.path.join(HERE, "corpus")
    write_seeds(d, "host_table", [host_table()])
    write_seeds(d, "nmap_files", NMAP_FILES)
    write_seeds(d, "tcp", TCP_PROGRAMS)
    write_seeds(d, "text", TEXTS)
    write_seeds(d, "service", SERVICE)


if __name__ == "__main__":
    main()
    main_hardening()
