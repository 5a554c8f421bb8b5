"""Real TCP listeners for the target namespace: accept, say hello, close.

Run inside the namespace: python3 listeners.py PORT... ; it binds 0.0.0.0
and, when the namespace has IPv6, [::] too, so with the AnyIP routes every
target address answers on these ports.
"""
import selectors
import socket
import sys


def main():
    sel = selectors.DefaultSelector()
    for port in map(int, sys.argv[1:]):
        for family, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
            try:
                s = socket.socket(family, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((addr, port))
            except OSError:
                continue  # no IPv6 in this namespace
            s.listen(4096)
            s.setblocking(False)
            sel.register(s, selectors.EVENT_READ)
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            try:
                conn, _ = key.fileobj.accept()
                conn.close()
            except OSError:
                pass


if __name__ == "__main__":
    main()
