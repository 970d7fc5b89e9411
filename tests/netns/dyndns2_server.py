#!/usr/bin/env python3
"""dyndns2_server.py: a small dyndns2 service for tests/netns/dyndns2.sh.

Answers GET /nic/update?hostname=H&myip=A with Basic auth over HTTPS (or
plain HTTP without --cert), and appends one JSON line per request (and per
TLS server name seen) to --log.  What it answers depends on the host name:

  fail.example.net    911          busy.example.net    HTTP 503
  nohost.example.net  nohost       chunked.example.net good, chunked
  anything else       good A, or nochg A when A is what it holds already

A wrong or missing password gets 401 with "badauth".  --silent accepts
connections and never reads them (for the client's deadline).
"""
import argparse
import base64
import json
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()
HELD = {}


def record(args, **what):
    what["t"] = round(time.time(), 3)
    with LOCK, open(args.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(what) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "dyndns2-test"

    def log_message(self, fmt, *a):  # keep stderr quiet
        pass

    def reply(self, status, body, chunked=False):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if chunked:
            half = len(data) // 2
            for part in (data[:half], data[half:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(data)

    def auth_ok(self):
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return False
        try:
            return base64.b64decode(h[6:], validate=True).decode() == \
                self.server.creds
        except ValueError:
            return False

    def answer(self, host, ip):
        if host == "fail.example.net":
            return 200, "911", False
        if host == "busy.example.net":
            return 503, "<html>busy</html>", False
        if host == "nohost.example.net":
            return 200, "nohost", False
        with LOCK:
            same = HELD.get(host) == ip
            HELD[host] = ip
        return 200, ("nochg " if same else "good ") + ip, \
            host == "chunked.example.net"

    def do_GET(self):
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        host = q.get("hostname", [""])[0]
        ip = q.get("myip", [""])[0]
        if url.path != "/nic/update":
            status, body, chunked = 404, "not here", False
        elif not self.auth_ok():
            status, body, chunked = 401, "badauth", False
        else:
            status, body, chunked = self.answer(host, ip)
        record(self.server.args, port=self.server.args.port,
               client=self.client_address[0], line=self.requestline,
               headers=[f"{k}: {v}" for k, v in self.headers.items()],
               hostname=host, myip=ip,
               agent=self.headers.get("User-Agent", ""),
               auth_ok=self.auth_ok(), status=status, answer=body)
        self.reply(status, body, chunked)


class Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True

    def server_bind(self):
        # One socket for both families: 192.0.2.x arrives v4-mapped.
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--creds", default="alice:s3cret")
    p.add_argument("--log", required=True)
    p.add_argument("--silent", action="store_true")
    args = p.parse_args()
    if args.silent:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::", args.port))
        s.listen(8)
        print("ready", flush=True)
        while True:
            time.sleep(3600)
    srv = Server(("::", args.port), Handler)
    srv.args = args
    srv.creds = args.creds
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        ctx.sni_callback = lambda sock, name, c: record(
            args, port=args.port, sni=name)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("ready", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
