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


def eth(payload, ethertype=0x0800):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + struct.pack("!H", ethertype) + payload


US, TGT, GW = [198, 18, 0, 2], [198, 19, 0, 5], [198, 18, 0, 1]


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
    yield "truncated", eth(ipv4(TGT, US, 6, tcp(TGT, US, 80, 40000, 7, 12345, 0x12)))[:40]


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


if __name__ == "__main__":
    main()
