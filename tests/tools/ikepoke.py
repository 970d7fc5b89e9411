#!/usr/bin/env python3
"""ikepoke: hostile IKE datagrams for the netns suite (tests/netns/ike.sh).

  ikepoke.py garbage ADDR PORT N      N random datagrams, some with a
                                      plausible IKE header
  ikepoke.py truncated ADDR PORT      an IKE_SA_INIT header cut short at
                                      every length, and a length field lie
  ikepoke.py oversized ADDR PORT      a 9000-byte datagram
  ikepoke.py critical ADDR PORT       an IKE_SA_INIT request with an unknown
                                      critical payload: exit 0 only if the
                                      answer is UNSUPPORTED_CRITICAL_PAYLOAD
                                      naming that payload type

On port 4500 every IKE message gets the four-byte non-ESP marker.
"""
import os
import random
import socket
import struct
import sys

HDR = struct.Struct("!QQBBBBII")  # SPIi SPIr next version exchange flags msgid length
IKE_SA_INIT = 34
FLAG_I = 0x08


def sock(addr):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(3)
    return s


def send(s, addr, port, data):
    if port == 4500 and data:
        data = b"\0\0\0\0" + data
    s.sendto(data, (addr, port))


def header(next_pl, length, spi=None):
    spi = spi if spi is not None else random.getrandbits(64) or 1
    return HDR.pack(spi, 0, next_pl, 0x20, IKE_SA_INIT, FLAG_I, 0, length)


def garbage(addr, port, n):
    s = sock(addr)
    for i in range(n):
        size = random.randrange(0, 1400)
        data = os.urandom(size)
        if i % 2 and size >= 28:
            data = header(random.randrange(0, 256), size) + data[28:]
        send(s, addr, port, data)
    return 0


def truncated(addr, port):
    s = sock(addr)
    msg = header(0, 28)
    for n in range(len(msg)):
        send(s, addr, port, msg[:n])
    send(s, addr, port, header(0, 2000))  # claims more than it has
    return 0


def oversized(addr, port):
    s = sock(addr)
    send(s, addr, port, header(0, 9000) + os.urandom(9000 - 28))
    return 0


def critical(addr, port):
    s = sock(addr)
    ptype = 200
    body = b"\0\0\0\0"
    # generic payload header: next, critical bit, length
    pl = struct.pack("!BBH", 0, 0x80, 4 + len(body)) + body
    msg = header(ptype, 28 + len(pl), spi=0x1122334455667788) + pl
    send(s, addr, port, msg)
    try:
        data, _ = s.recvfrom(2048)
    except socket.timeout:
        print("no answer")
        return 1
    if port == 4500:
        data = data[4:]
    spii, spir, nxt, ver, exch, flags, mid, length = HDR.unpack(data[:28])
    # N payload: generic header (4), protocol, spi size, type (2), data
    if nxt != 41 or len(data) < 28 + 9:
        print("answer is not a notify: next payload %d" % nxt)
        return 1
    ntype = struct.unpack("!H", data[34:36])[0]
    if spii != 0x1122334455667788 or not flags & 0x20 or ntype != 1 \
            or data[36] != ptype:
        print("unexpected answer: notify %d data %r" % (ntype, data[36:]))
        return 1
    return 0


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    mode, addr, port = argv[1], argv[2], int(argv[3])
    if mode == "garbage":
        return garbage(addr, port, int(argv[4]))
    if mode == "truncated":
        return truncated(addr, port)
    if mode == "oversized":
        return oversized(addr, port)
    if mode == "critical":
        return critical(addr, port)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
