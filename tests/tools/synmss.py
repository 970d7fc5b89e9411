#!/usr/bin/env python3
"""synmss.py: the MSS option of the TCP SYNs that reach this host.

  synmss.py listen PORT N

listens on PORT (IPv4 and IPv6), accepts whatever connects, and prints
one line per SYN to PORT it sees, "ipv4 MSS" or "ipv6 MSS" (the option
as it arrived, after every router on the way), until it has seen N of
them or 15 s have passed.  Prints "ready" once it listens.

  synmss.py connect ADDR PORT

opens a TCP connection to ADDR PORT, and closes it once the handshake
is done.  Exit status 0 if it connected.

  synmss.py sink PORT
  synmss.py send ADDR PORT BYTES

a bulk transfer: sink takes one connection on PORT, prints the MSS its
SYN arrived with ("ipv4 MSS" or "ipv6 MSS"), reads to the end, prints
"received N", and closes.  send sends BYTES to it, and waits for that
close, so that all was received; it prints "sent N in MS ms".  A
transfer that stalls (no progress for 30 s) fails with status 1.
"""
import select
import socket
import struct
import sys
import time


def mss_of(tcp, port):
    """The MSS option of a SYN to port in a TCP segment, else None."""
    if len(tcp) < 20:
        return None
    dport, = struct.unpack("!H", tcp[2:4])
    if dport != port or not tcp[13] & 0x02:
        return None
    end, i = min((tcp[12] >> 4) * 4, len(tcp)), 20
    while i < end:
        kind = tcp[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= end or tcp[i + 1] < 2:
            break
        if kind == 2 and tcp[i + 1] == 4 and i + 4 <= end:
            return struct.unpack("!H", tcp[i + 2:i + 4])[0]
        i += tcp[i + 1]
    return None


def listener(port):
    """A TCP socket listening on port, IPv4 and IPv6; says "ready"."""
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("::", port))
    ls.listen(8)
    print("ready", flush=True)
    return ls


def raw_socks():
    return (socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP),
            socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                          socket.IPPROTO_TCP))


def listen(port, want):
    r4, r6 = raw_socks()
    ls = listener(port)
    seen, conns, end = 0, [], time.monotonic() + 15
    while seen < want and time.monotonic() < end:
        rd, _, _ = select.select([r4, r6, ls], [], [], 0.2)
        for s in rd:
            if s is ls:
                conns.append(ls.accept()[0])
                continue
            d = s.recv(65535)
            if s is r4:
                d = d[(d[0] & 15) * 4:]
            m = mss_of(d, port)
            if m is not None:
                print("%s %d" % ("ipv4" if s is r4 else "ipv6", m),
                      flush=True)
                seen += 1
    for c in conns:
        c.close()


def connect(addr, port):
    s = socket.create_connection((addr, port), timeout=5)
    s.close()


def first_syn(r4, r6, port):
    """The family and MSS of the first SYN to port the raw sockets hold."""
    for s in (r4, r6):
        s.setblocking(False)
        while True:
            try:
                d = s.recv(65535)
            except BlockingIOError:
                break
            if s is r4:
                d = d[(d[0] & 15) * 4:]
            m = mss_of(d, port)
            if m is not None:
                return "%s %d" % ("ipv4" if s is r4 else "ipv6", m)
    return "no SYN seen"


def sink(port):
    r4, r6 = raw_socks()
    ls = listener(port)
    ls.settimeout(60)
    c = ls.accept()[0]
    print(first_syn(r4, r6, port), flush=True)
    c.settimeout(30)
    n = 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        n += len(d)
    print("received %d" % n, flush=True)
    c.close()


def send(addr, port, nbytes):
    t0 = time.monotonic()
    s = socket.create_connection((addr, port), timeout=30)
    chunk, left = b"\x5a" * (1 << 16), nbytes
    while left > 0:
        left -= s.send(chunk[:min(left, len(chunk))])
    s.shutdown(socket.SHUT_WR)
    while s.recv(1 << 16):
        pass
    s.close()
    print("sent %d in %d ms" % (nbytes, (time.monotonic() - t0) * 1000))


def main():
    try:
        if sys.argv[1] == "listen":
            listen(int(sys.argv[2]), int(sys.argv[3]))
        elif sys.argv[1] == "sink":
            sink(int(sys.argv[2]))
        elif sys.argv[1] == "send":
            send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        else:
            connect(sys.argv[2], int(sys.argv[3]))
    except OSError as e:  # socket.timeout included: a stall
        print("%s: %s" % (sys.argv[1], e), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
