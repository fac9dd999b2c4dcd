#!/usr/bin/env python3
"""An HTTP proxy in front of moto that adds AWS-like latency and counts calls.

    latency_proxy.py --upstream http://127.0.0.1:5000 --latency-ms 30 --port-file FILE
                     [--op-latency PromoteReadReplica=2000,UpdateAutoScalingGroup=1000]

Every request is forwarded byte for byte (Host header included, so SigV4 signatures made for
the proxy's address still verify at moto) after sleeping --latency-ms, concurrently: the
latency is per call, as a real round trip to AWS is, not a shared queue. --op-latency gives
chosen operations (by name, any service) a latency of their own instead, e.g. a slow promotion.

Control endpoints (not forwarded):
  GET  /__bench/stats  -> {"calls": N, "upstream_s": seconds moto spent, "wall_s": sum of call
                           durations as the client saw them, "by_call": {"us-west-2 autoscaling
                           DescribeAutoScalingGroups": n, ...}}
  POST /__bench/reset  -> zeroes the counters
The chosen port is written to --port-file once the proxy listens. Stop it by its PID.
"""

import argparse
import http.client
import http.server
import json
import re
import threading
import time
import urllib.parse

_CRED = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.calls, self.upstream_s, self.wall_s, self.by_call = 0, 0.0, 0.0, {}

    def add(self, key, upstream_s, wall_s):
        with self.lock:
            self.calls += 1
            self.upstream_s += upstream_s
            self.wall_s += wall_s
            self.by_call[key] = self.by_call.get(key, 0) + 1

    def snapshot(self):
        with self.lock:
            return {"calls": self.calls, "upstream_s": round(self.upstream_s, 3),
                    "wall_s": round(self.wall_s, 3), "by_call": dict(sorted(self.by_call.items()))}


def call_name(method, path, headers, body):
    """'region service Operation' from the signature scope and the protocol's action field."""
    m = _CRED.search(headers.get("Authorization", ""))
    region, service = (m.group(1), m.group(2)) if m else ("-", "-")
    target = headers.get("X-Amz-Target")
    if target:
        op = target.rsplit(".", 1)[-1]
    else:
        query = urllib.parse.urlsplit(path).query
        params = urllib.parse.parse_qs(query)
        if "Action" not in params and body and b"Action=" in body[:4096]:
            params = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "Action" in params:
            op = params["Action"][0]
        else:  # rest protocols: the method and the path with ids folded away
            p = urllib.parse.urlsplit(path).path
            p = re.sub(r"/(hostedzone|healthcheck|tags/healthcheck)/[^/?]+", r"/\1/ID", p)
            op = f"{method} {p}" + (f"?{query.split('=')[0]}" if query else "")
    return f"{region} {service} {op}"


def make_handler(upstream, latency_s, stats, op_latency_s=None):
    op_latency_s = op_latency_s or {}

    up = urllib.parse.urlsplit(upstream)
    local = threading.local()

    def connection():
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection(up.hostname, up.port, timeout=300)
        return local.conn

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _reply(self, status, body, headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _forward(self):
            start = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith("/__bench/"):
                if self.path == "/__bench/reset":
                    stats.reset()
                return self._reply(200, json.dumps(stats.snapshot()).encode(),
                                   [("Content-Type", "application/json")])
            name = call_name(self.command, self.path, self.headers, body)
            time.sleep(op_latency_s.get(name.rsplit(" ", 1)[-1], latency_s))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            up_start = time.monotonic()
            for attempt in range(2):  # a kept-alive upstream connection may have been closed
                try:
                    conn = connection()
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    break
                except (http.client.HTTPException, OSError):
                    local.conn = None
                    if attempt:
                        raise
            up_s = time.monotonic() - up_start
            out = [(k, v) for k, v in resp.getheaders()
                   if k.lower() not in _HOP and k.lower() != "content-length"]
            self._reply(resp.status, data, out)
            stats.add(name, up_s, time.monotonic() - start)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _forward

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--latency-ms", type=float, default=30.0)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--op-latency", default="", help="Operation=milliseconds,... (overrides --latency-ms)")
    a = ap.parse_args()
    op_latency = {}
    for item in filter(None, a.op_latency.split(",")):
        op, ms = item.split("=")
        op_latency[op.strip()] = float(ms) / 1000.0
    stats = Stats()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", a.port), make_handler(a.upstream, a.latency_ms / 1000.0, stats, op_latency))
    server.daemon_threads = True
    if a.port_file:
        with open(a.port_file, "w") as f:
            f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
