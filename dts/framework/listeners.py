"""Real TCP listeners for the target namespace: accept, say hello, close.

Run inside the namespace: python3 listeners.py PORT... ; it binds 0.0.0.0,
so with the AnyIP route every target address answers on these ports.
"""
import selectors
import socket
import sys


def main():
    sel = selectors.DefaultSelector()
    for port in map(int, sys.argv[1:]):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
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
