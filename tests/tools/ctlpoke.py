#!/usr/bin/env python3
"""ctlpoke: talk to tsunagid's control socket the way a broken, slow or
hostile client would, for tests/netns/daemon.sh.  Each subcommand exits 0
when the daemon behaved as it must."""
import json
import socket
import subprocess
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    return s


def read_all(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


def request(path, payload):
    s = connect(path)
    s.sendall(payload)
    s.shutdown(socket.SHUT_WR)
    data = read_all(s)
    s.close()
    return data


def expect_error(path, payload, msg, code="usage"):
    got = request(path, payload).decode("ascii", "replace")
    want = ".error\tcode=" + code + "\tmsg=" + msg + "\n"
    if not got.endswith(want):
        print("got %r, want it to end with %r" % (got, want))
        return 1
    return 0


def status_ok(path):
    got = request(path, b"show status\n")
    return 0 if got.startswith(b"status\t") and got.endswith(b".ok\n") else 1


def cmd_garbage(path):
    return expect_error(path, b"\xff\xfe\x01\x02 show\n",
                        "request contains a non-printable character")


def cmd_nul(path):
    return expect_error(path, b"show\x00status\n", "request contains a NUL byte")


def cmd_oversized(path):
    # No newline and more than the daemon will hold: refused, connection closed.
    s = connect(path)
    try:
        s.sendall(b"a" * 5000)
    except (BrokenPipeError, ConnectionResetError):
        pass
    data = read_all(s)
    s.close()
    if data != b".error\tcode=usage\tmsg=request too long\n":
        print("got %r" % data)
        return 1
    return status_ok(path)


def cmd_many(path, n):
    socks = [connect(path) for _ in range(n)]
    for s in socks:
        s.sendall(b"show status\n")
        s.shutdown(socket.SHUT_WR)
    bad = sum(1 for s in socks if not read_all(s).endswith(b".ok\n"))
    for s in socks:
        s.close()
    print("%d of %d clients answered" % (n - bad, n))
    return 1 if bad else 0


def cmd_stalled(path, ctl):
    # One silent client, one that sends a request and a flood of pipelined
    # requests but never reads: neither may keep a third from being served.
    silent = connect(path)
    flood = connect(path)
    flood.setblocking(False)
    sent = 0
    try:
        for _ in range(100000):
            sent += flood.send(b"show status\n" * 64)
    except BlockingIOError:
        pass
    t0 = time.monotonic()
    r = subprocess.run(ctl + ["show", "status"], capture_output=True)
    dt = time.monotonic() - t0
    silent.close()
    flood.close()
    print("flood client sent %d bytes; third client answered rc=%d in %.2fs"
          % (sent, r.returncode, dt))
    return r.returncode


def cmd_pipeline(path):
    got = request(path, b"show version\nshow status\nnope\n")
    lines = got.decode().splitlines()
    terms = [l for l in lines if l.startswith(".")]
    if terms != [".ok", ".ok", '.error\tcode=unknown-command\tmsg=unknown '
                 'command: "nope" (try "help")']:
        print(lines)
        return 1
    return 0


def cmd_json(ctl, want_pid):
    out = subprocess.run(ctl + ["--json", "show", "status"],
                         capture_output=True, check=True).stdout
    recs = json.loads(out)
    st = recs[0]
    if st["type"] != "status" or st["pid"] != int(want_pid):
        print(recs)
        return 1
    if not isinstance(st["uptime"], int) or not isinstance(st["config"], str):
        print(recs)
        return 1
    return 0


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    if cmd == "garbage":
        return cmd_garbage(path)
    if cmd == "nul":
        return cmd_nul(path)
    if cmd == "oversized":
        return cmd_oversized(path)
    if cmd == "many":
        return cmd_many(path, int(rest[0]))
    if cmd == "stalled":
        return cmd_stalled(path, rest)
    if cmd == "pipeline":
        return cmd_pipeline(path)
    if cmd == "json":
        return cmd_json(rest[1:], rest[0])
    if cmd == "status":
        return status_ok(path)
    print("unknown subcommand", cmd)
    return 2


if __name__ == "__main__":
    sys.exit(main())
