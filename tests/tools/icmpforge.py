#!/usr/bin/env python3
"""icmpforge: echo replies nobody asked for, for tests/netns/watch.sh.

  icmpforge.py DEST ID SEQ[-LAST] [BODYLEN]

sends ICMP echo replies to DEST (IPv4) with identifier ID: one of
sequence SEQ, or one of each from SEQ to LAST (modulo 65536, 0.1 ms
apart, so that none is dropped for want of room in a socket buffer),
each with BODYLEN bytes of body (16 by default: the length of a real
probe's, but not its bytes).
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ospfpoke import csum  # noqa: E402  the Internet checksum, one copy


def reply(ident, seq, body):
    m = struct.pack("!BBHHH", 0, 0, 0, ident, seq) + body
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def main():
    dest, ident = sys.argv[1], int(sys.argv[2])
    blen = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    first, _, last = sys.argv[3].partition("-")
    first = int(first)
    n = (int(last) - first) % 65536 + 1 if last else 1
    seqs = [(first + i) % 65536 for i in range(n)]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    body = b"\x5a" * blen
    for q in seqs:
        while True:
            try:
                s.sendto(reply(ident, q, body), (dest, 0))
                time.sleep(0.0001)
                break
            except BlockingIOError:
                pass
            except OSError:  # ENOBUFS: the queue is full for a moment
                pass


if __name__ == "__main__":
    main()
