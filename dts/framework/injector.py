"""Frames an attacker on the target's side sends, for the hostile suite; run
inside the target namespace: python3 injector.py IFACE MODE ...

  flood SECONDS       SYN-ACKs from the target block 198.19.0.0/24 with random
                      ports, sequence and ACK numbers (bad cookies) to the
                      scanner, as fast as Python sends; prints "sent N in S s"
  mapped6 SECONDS     IPv6 SYN-ACKs to the scanner's 2001:2::2 from ::ffff:198.19.0.5,
                      the scanned IPv4 host in disguise, 2000 a second;
                      prints "sent N"
  hijack PORT         waits for the scanner's ACK that completes a handshake
                      with PORT, then sends it, as the server: a reset inside
                      its window but not at rcv_nxt, and data at rcv_nxt whose
                      ACK is beyond what the scanner sent; prints "injected"

Checksums are right, so each frame reaches the checks it is meant to test.
Prints "ready" once its socket is bound."""
import random
import socket
import struct
import sys
import time

SCANNER_IP = bytes([198, 18, 0, 2])
ETH_P_ALL, ETH_P_IP = 0x0003, 0x0800


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp_frame(eth, src, dst, sport, dport, seq, ack, flags, payload=b""):
    """Ethernet (eth: dst+src MACs), IPv4 and TCP with both checksums."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535, 0, 0) + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return eth + struct.pack("!H", ETH_P_IP) + ip + tcp


def tcp6_frame(eth, src, dst, sport, dport, seq, ack, flags):
    """Ethernet, IPv6 and TCP with its checksum over the IPv6 pseudo-header."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535, 0, 0)
    pseudo = src + dst + struct.pack("!IxxxB", len(tcp), 6)
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(tcp), 6, 64, src, dst)
    return eth + struct.pack("!H", 0x86DD) + ip6 + tcp


def mapped6(sock, seconds):
    eth, _ = learn_scanner(sock)
    src = bytes(10) + b"\xff\xff" + bytes([198, 19, 0, 5])
    dst = socket.inet_pton(socket.AF_INET6, "2001:2::2")
    rng = random.Random(5)
    sent, t0 = 0, time.time()
    while time.time() - t0 < seconds:
        sock.send(tcp6_frame(eth, src, dst, rng.choice((22, 80, 443)),
                             rng.randrange(32768, 61000), rng.getrandbits(32),
                             rng.getrandbits(32), 0x12))
        sent += 1
        time.sleep(0.0005)
    print("sent %d" % sent, flush=True)


def learn_scanner(sock):
    """The MACs of the scanner's next IPv4 frame (dst+src for our replies) and the frame."""
    while True:
        frame, addr = sock.recvfrom(65535)
        if addr[2] != 4 and frame[12:14] == b"\x08\x00" and frame[26:30] == SCANNER_IP:
            return frame[6:12] + frame[0:6], frame


def flood(sock, seconds):
    eth, _ = learn_scanner(sock)
    rng = random.Random(3)
    frames = [tcp_frame(eth, bytes([198, 19, 0, rng.randrange(1, 255)]), SCANNER_IP,
                        rng.choice((22, 80, 443)), rng.randrange(32768, 61000),
                        rng.getrandbits(32), rng.getrandbits(32), 0x12) for _ in range(4096)]
    sent, t0 = 0, time.time()
    while time.time() - t0 < seconds:
        for f in frames:
            sock.send(f)
        sent += len(frames)
    print("sent %d in %.1f s" % (sent, time.time() - t0), flush=True)


def hijack(sock, port):
    while True:
        eth, frame = learn_scanner(sock)
        ihl = (frame[14] & 0x0F) * 4
        tcp = frame[14 + ihl:]
        sport, dport, seq, ack = struct.unpack("!HHII", tcp[:12])
        flags = tcp[13]
        if dport == port and flags & 0x10 and not flags & 0x02:
            break  # our ACK of the SYN-ACK: seq is our snd_nxt, ack our rcv_nxt
    server, scanner_port = frame[30:34], sport
    sock.send(tcp_frame(eth, server, SCANNER_IP, port, scanner_port, ack + 100, 0, 0x04))
    sock.send(tcp_frame(eth, server, SCANNER_IP, port, scanner_port, ack, seq + 1000, 0x18,
                        b"FORGED by an attacker\r\n"))
    print("injected", flush=True)


def main():
    iface, mode = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((iface, 0))
    print("ready", flush=True)
    if mode == "flood":
        flood(sock, float(sys.argv[3]))
    elif mode == "mapped6":
        mapped6(sock, float(sys.argv[3]))
    else:
        hijack(sock, int(sys.argv[3]))


if __name__ == "__main__":
    main()
