"""A DPDK telemetry client (the v2 socket protocol, as dpdk-telemetry.py
speaks it): connect, read the greeting, send a command, read one JSON reply."""
import json
import socket
import time


class Telemetry:
    def __init__(self, file_prefix, timeout=10):
        self.path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % file_prefix
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                self.sock.connect(self.path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        self.greeting = json.loads(self.sock.recv(16384).decode())
        self.max_len = self.greeting.get("max_output_len", 16384)

    def query(self, cmd):
        """Send '/prtip/stats' (or 'cmd,params'); returns the command's value."""
        self.sock.send(cmd.encode())
        reply = json.loads(self.sock.recv(self.max_len).decode())
        return reply[cmd.split(",")[0]]

    def close(self):
        self.sock.close()
