#!/usr/bin/env python3
"""notifyd: the service manager's end of sd_notify(3), for
tests/netns/service.sh.  Binds a datagram socket at PATH and writes one
line per message to OUT: "pid=<sender's pid> <the message, its lines
joined by '|'>".  On READY=1 it also asks the daemon's control socket
CTL for "show status" at once and writes "ctl=ok" or "ctl=fail", so the
suite can tell that READY=1 came only once the daemon answers."""
import os
import socket
import struct
import sys


def ask(ctl):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(ctl)
        s.sendall(b"show status\n")
        data = b""
        while b"\n.ok\n" not in data and b".error" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        return "ok" if b"\n.ok\n" in data else "fail"
    except OSError:
        return "fail"


def main():
    path, out, ctl = sys.argv[1], sys.argv[2], sys.argv[3]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    ucred = struct.calcsize("3i")
    with open(out, "a", buffering=1) as f:
        while True:
            msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(ucred))
            pid = -1
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = struct.unpack("3i", data[:ucred])[0]
            text = msg.decode("ascii", "replace")
            f.write("pid=%d %s\n" % (pid, text.replace("\n", "|")))
            if "READY=1" in text.split("\n"):
                f.write("ctl=%s\n" % ask(ctl))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        os._exit(0)
