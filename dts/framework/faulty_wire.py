"""A faulty wire between two interfaces of one namespace, in place of tc
netem (this kernel has no sch_netem): python3 faulty_wire.py IF_A IF_B SEED
forwards every frame between IF_A and IF_B through AF_PACKET sockets and,
for frames from IF_B to IF_A (the target's answers, where netem on the
target side would act), per frame and independently drops it (LOSS), sends
it twice (DUP), flips one random bit past the Ethernet header (CORRUPT) or
holds it back until the next frame in that direction has gone (REORDER). It prints "ready",
then, on SIGTERM, one line of counts: "frames N lost N duplicated N
corrupted N reordered N"."""
import random
import select
import signal
import socket
import sys

LOSS, DUP, CORRUPT, REORDER = 0.05, 0.01, 0.01, 0.02
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main():
    a, b, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    socks = {}
    for name in (a, b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        socks[name] = s
    other = {socks[a]: socks[b], socks[b]: socks[a]}
    held = {socks[a]: None, socks[b]: None}
    counts = dict(frames=0, lost=0, duplicated=0, corrupted=0, reordered=0)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print("ready", flush=True)
    while not stop:
        try:
            ready, _, _ = select.select(list(other), [], [], 0.2)
        except InterruptedError:
            continue
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue  # what we sent ourselves on this interface
            out = other[s]
            if s is not socks[b]:
                out.send(frame)  # the scanner's probes pass untouched
                continue
            counts["frames"] += 1
            if rng.random() < LOSS:
                counts["lost"] += 1
                continue
            if rng.random() < CORRUPT and len(frame) > 14:
                bit = rng.randrange(14 * 8, len(frame) * 8)
                frame = bytearray(frame)
                frame[bit // 8] ^= 1 << (bit % 8)
                frame = bytes(frame)
                counts["corrupted"] += 1
            copies = 2 if rng.random() < DUP else 1
            counts["duplicated"] += copies - 1
            if held[s] is None and rng.random() < REORDER:
                held[s] = frame  # goes after the next frame this way
                counts["reordered"] += 1
                continue
            for _ in range(copies):
                out.send(frame)
            if held[s] is not None:
                out.send(held[s])
                held[s] = None
    print(" ".join("%s %d" % kv for kv in counts.items()), flush=True)


if __name__ == "__main__":
    main()
