#!/usr/bin/env python3
"""ospfpoke: hostile OSPFv2 packets for the netns suite (tests/netns/ospf.sh).

  ospfpoke.py IFACE KIND RID [FILE]

sends, out of IFACE to 224.0.0.5 with TTL 1, one packet of KIND from
router-id RID (dotted), as a neighbour on that link could:

  truncated    a Hello whose length field says more than was sent
  checksum     a Hello with its checksum off by one
  version      a Hello of version 3
  area         a well-formed Hello of area 0.0.0.1
  lsa-checksum an update holding one router-LSA whose Fletcher checksum
               is wrong (the packet's own checksum is right)
  stray        a well-formed Hello (of another router, on a link that is
               point-to-point)
  garbage      200 random datagrams of 0-300 bytes
  file         FILE's bytes as they are (a captured packet, replayed)

  ospfpoke.py IFACE capture RID FILE

waits (10 s at most) for a Hello of router RID to arrive on IFACE and
writes it to FILE from its OSPF header on, digest included: a packet the
neighbour really sent a moment ago, for `file` to replay.  Captured live
rather than kept from another day, so that a replay is a replay whatever
the clock of the machine the suite runs on says (FRR's cryptographic
sequence number is the wall clock).
"""
import os
import random
import socket
import struct
import sys
import time

ALLSPF = "224.0.0.5"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def packet(ptype, rid, body, area=0, version=2, length=None):
    n = 24 + len(body) if length is None else length
    hdr = struct.pack("!BBH4sIHH8s", version, ptype, n, socket.inet_aton(rid),
                      area, 0, 0, b"\0" * 8)
    c = csum(hdr[:16] + body)
    return hdr[:12] + struct.pack("!H", c) + hdr[14:] + body


def hello(rid, **kw):
    body = struct.pack("!IHBBIII", 0xFFFFFFFC, 1, 0x02, 1, 4, 0, 0)
    return packet(1, rid, body, **kw)


def fletcher(lsa):
    """The checksum to store at bytes 16-17 (RFC 2328 12.1.7)."""
    data = bytearray(lsa[2:])
    data[14:16] = b"\0\0"
    c0 = c1 = 0
    for b in data:
        c0 = (c0 + b) % 255
        c1 = (c1 + c0) % 255
    x = ((len(data) - 14 - 1) * c0 - c1) % 255
    if x <= 0:
        x += 255
    y = 510 - c0 - x
    if y > 255:
        y -= 255
    return (x << 8) | y


def bad_lsu(rid):
    links = struct.pack("!BBH", 0, 0, 1) + struct.pack(
        "!4sIBBH", socket.inet_aton("10.77.0.0"), 0xFFFFFF00, 3, 0, 10)
    hdr = struct.pack("!HBB4s4siHH", 1, 0x02, 1, socket.inet_aton(rid),
                      socket.inet_aton(rid), 0x7FFF0000, 0, 20 + len(links))
    lsa = bytearray(hdr + links)
    struct.pack_into("!H", lsa, 16, fletcher(bytes(lsa)) ^ 0x0101)
    return packet(4, rid, struct.pack("!I", 1) + bytes(lsa))


def capture(ifname, rid, path):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 89)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack(
        "4s4si", socket.inet_aton(ALLSPF), b"\0" * 4,
        socket.if_nametoindex(ifname)))
    want = socket.inet_aton(rid)
    # 10 s in all, not per packet: our own Hellos keep coming when RID's
    # do not, and must not keep the wait going.
    end = time.monotonic() + 10
    while True:
        s.settimeout(max(end - time.monotonic(), 0.01))
        d = s.recv(65535)  # raises socket.timeout: the caller's failure
        o = d[(d[0] & 15) * 4:]
        if len(o) >= 24 and o[0] == 2 and o[1] == 1 and o[4:8] == want:
            with open(path, "wb") as f:
                f.write(o)
            return


def main():
    ifname, kind, rid = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind == "capture":
        capture(ifname, rid, sys.argv[4])
        return
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 89)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    idx = socket.if_nametoindex(ifname)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 struct.pack("4s4si", socket.inet_aton(ALLSPF), b"\0" * 4, idx))
    good = hello(rid)
    pkts = {
        "truncated": [hello(rid, length=len(good) + 8)],
        "checksum": [good[:12] + struct.pack("!H", (struct.unpack(
            "!H", good[12:14])[0] + 1) & 0xFFFF) + good[14:]],
        "version": [hello(rid, version=3)],
        "area": [hello(rid, area=1)],
        "stray": [good],
        "lsa-checksum": [bad_lsu(rid)],
        "garbage": [os.urandom(random.randint(0, 300)) for _ in range(200)],
        "file": [open(sys.argv[4], "rb").read()] if len(sys.argv) > 4 else [],
    }[kind]
    for p in pkts:
        s.sendto(p, (ALLSPF, 0))


if __name__ == "__main__":
    main()
