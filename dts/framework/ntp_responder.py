"""An NTP-like server for the target namespace: answers every 48-byte
client request (mode 3) on UDP 123 with a server reply (mode 4) whose
originate timestamp is the request's transmit timestamp, as RFC 5905 says.

It binds 0.0.0.0 and, with IP_PKTINFO, answers from the address the request
was sent to, so every AnyIP target address is a server.
"""
import socket
import struct
import sys
import time

IP_PKTINFO = 8  # Linux; the socket module does not name it


def reply_for(request):
    if len(request) < 48 or request[0] & 0x07 != 3:
        return None
    now = time.time() + 2208988800  # NTP era 0
    stamp = struct.pack("!II", int(now), int((now % 1) * 2**32))
    head = bytes([0x24, 2, request[2], 0xEC])  # LI 0, version 4, mode 4; stratum 2
    return head + bytes(20) + request[40:48] + stamp + stamp


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.bind(("0.0.0.0", int(sys.argv[1]) if len(sys.argv) > 1 else 123))
    print("ready", flush=True)
    while True:
        data, anc, _, peer = s.recvmsg(2048, socket.CMSG_SPACE(12))
        answer = reply_for(data)
        if answer is None:
            continue
        local = None
        for level, kind, value in anc:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                local = value[8:12]  # ipi_addr: the address the request went to
        cmsg = [(socket.IPPROTO_IP, IP_PKTINFO, struct.pack("!I", 0) + local + bytes(4))] \
            if local else []
        try:
            s.sendmsg([answer], cmsg, 0, peer)
        except OSError:
            pass


if __name__ == "__main__":
    main()
