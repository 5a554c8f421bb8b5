"""An NTP-like server for the target namespace: answers every 48-byte
client request (mode 3) on UDP 123 with a server reply (mode 4) whose
originate timestamp is the request's transmit timestamp, as RFC 5905 says.

It binds 0.0.0.0 (and [::] when the namespace has IPv6) and, with
IP_PKTINFO / IPV6_PKTINFO, answers from the address the request was sent to,
so every AnyIP target address is a server.
"""
import selectors
import socket
import struct
import sys
import time

IP_PKTINFO = 8  # Linux; the socket module does not name it
IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)


def reply_for(request):
    if len(request) < 48 or request[0] & 0x07 != 3:
        return None
    now = time.time() + 2208988800  # NTP era 0
    stamp = struct.pack("!II", int(now), int((now % 1) * 2**32))
    head = bytes([0x24, 2, request[2], 0xEC])  # LI 0, version 4, mode 4; stratum 2
    return head + bytes(20) + request[40:48] + stamp + stamp


def answer_one(s, v6):
    data, anc, _, peer = s.recvmsg(2048, socket.CMSG_SPACE(20))
    answer = reply_for(data)
    if answer is None:
        return
    cmsg = []
    for level, kind, value in anc:
        if not v6 and level == socket.IPPROTO_IP and kind == IP_PKTINFO:
            # ipi_spec_dst := ipi_addr, the address the request went to
            cmsg = [(level, IP_PKTINFO, bytes(4) + value[8:12] + bytes(4))]
        if v6 and level == socket.IPPROTO_IPV6 and kind == IPV6_PKTINFO:
            cmsg = [(level, IPV6_PKTINFO, value[:16] + bytes(4))]  # from that address
    try:
        s.sendmsg([answer], cmsg, 0, peer)
    except OSError:
        pass


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 123
    sel = selectors.DefaultSelector()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind(("0.0.0.0", port))
    sel.register(s, selectors.EVENT_READ, False)
    try:
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s6.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
        s6.bind(("::", port))
        sel.register(s6, selectors.EVENT_READ, True)
    except OSError:
        pass  # no IPv6 in this namespace
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            answer_one(key.fileobj, key.data)


if __name__ == "__main__":
    main()
