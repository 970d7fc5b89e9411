#!/usr/bin/env python3
"""slowecho: a slow line's echo replies, for tests/netns/watch.sh.

  slowecho.py DELAY_MS SECONDS [COPIES]

answers every IPv4 echo request this namespace receives DELAY_MS
milliseconds late, COPIES times (1 by default: 2 makes a duplicated
reply), for SECONDS seconds.  The kernel's own replies must be off
(net.ipv4.icmp_echo_ignore_all=1): a raw socket sees the requests
anyway.  The host kernel has no netem; this is the delay it lacks.
"""
import heapq
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from icmpforge import reply  # noqa: E402  one copy of the reply codec


def main():
    delay = int(sys.argv[1]) / 1000.0
    end = time.monotonic() + float(sys.argv[2])
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    due = []  # (when, n, source, packet)
    n = 0
    while True:
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, src, pkt = heapq.heappop(due)
            s.sendto(pkt, (src, 0))
        if now >= end and not due:
            break
        until = due[0][0] if due else end
        if now < end:
            until = min(until, end)
        r, _, _ = select.select([s], [], [], max(until - now, 0))
        if not r:
            continue
        data, (src, _) = s.recvfrom(2048)
        ihl = (data[0] & 15) * 4
        icmp = data[ihl:]
        if len(icmp) < 8 or icmp[0] != 8 or now >= end:
            continue  # not an echo request (our own replies come back too)
        ident, seq = struct.unpack("!HH", icmp[4:8])
        for _ in range(copies):
            n += 1
            heapq.heappush(
                due, (time.monotonic() + delay, n, src,
                      reply(ident, seq, icmp[8:])))


if __name__ == "__main__":
    main()
