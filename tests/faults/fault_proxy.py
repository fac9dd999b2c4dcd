#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for tests, in front of moto (Python standard library only).

    python3 fault_proxy.py --upstream http://127.0.0.1:MOTO --port 0 --rate 0.2 --seed 7 \
        --kinds throttle,http500,reset,truncate-after --port-file /tmp/port

Every request is forwarded byte for byte (method, path, query, every header including Host and
Authorization, body), so SigV4 signatures made for the proxy's address still verify at moto.
A seeded random draw decides, per request, whether to inject a fault and which kind. Faults
look the way the request's protocol returns them (the protocol is told from X-Amz-Target,
the credential scope's service in Authorization, and Content-Type):

  before forwarding (moto never sees the request):
    throttle   query: 400 <ErrorResponse> Throttling; json and rest-json: 400
               x-amzn-ErrorType ThrottlingException + JSON body; ec2: 503 <Response><Errors>
               RequestLimitExceeded (as EC2 really answers); s3: 503 <Error> SlowDown;
               route53: 400 <ErrorResponse> Throttling
    http500 / http502 / http503   a plain 5xx with an HTML body (neither XML nor JSON)
    reset      the connection is reset (RST) before any response byte
    slow       no answer for --slow-s seconds (longer than the client timeout), then close
  after forwarding (moto did the work; the answer is lost on the way back):
    reset-after      moto's answer is dropped, the connection reset
    truncate-after   moto's status and headers, Content-Length larger than the bytes sent
                     (half the body), then close
    slow-after       moto's answer held back --slow-s seconds (the client gave up)
    http503-after    moto's answer replaced by a plain 503

Control endpoint (never forwarded; the path cannot be an S3 bucket: underscores):
  GET  /__fault__/stats    {"requests", "faults", "by_kind", "by_protocol", "faulted_ops"}
  POST /__fault__/config   JSON {"rate", "seed", "kinds", "only" (operation substrings),
                           "writes_only" (fault only mutating requests)}:
                           replaces what is given and re-seeds; stats are kept
  POST /__fault__/reset-stats
Prints "PORT <n>" on stdout once listening (and writes it to --port-file if given).
"""

import argparse
import http.client
import json
import random
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BEFORE_KINDS = ("throttle", "http500", "http502", "http503", "reset", "slow")
AFTER_KINDS = ("reset-after", "truncate-after", "slow-after", "http503-after")
ALL_KINDS = BEFORE_KINDS + AFTER_KINDS
JSON_SERVICES = {"dynamodb", "ecs", "kms", "logs", "events"}      # X-Amz-Target protocols
REST_JSON_SERVICES = {"backup", "elasticfilesystem", "lambda"}
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


def request_protocol(headers, path):
    """(service, protocol) of a request: protocol is one of query, ec2, json, rest-json,
    rest-xml (s3), route53."""
    auth = headers.get("Authorization", "")
    m = _SCOPE.search(auth)
    service = m.group(2) if m else ""
    if headers.get("X-Amz-Target"):
        return service, "json"
    if service == "s3":
        return service, "rest-xml"
    if service == "route53" or path.startswith("/2013-04-01/"):
        return service or "route53", "route53"
    if service == "ec2":
        return service, "ec2"
    if service in REST_JSON_SERVICES or service in JSON_SERVICES:
        return service, "rest-json" if service in REST_JSON_SERVICES else "json"
    ctype = headers.get("Content-Type", "")
    if "x-www-form-urlencoded" in ctype:
        return service, "query"
    if "json" in ctype:
        return service, "rest-json"
    return service, "query"


def operation_name(headers, path, body):
    """A readable name for stats: the X-Amz-Target op, the query Action, or METHOD path."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.split(".")[-1]
    if body and b"Action=" in body[:200]:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if form.get("Action"):
            return form["Action"][0]
    return path.split("?")[0]


def is_mutating(method, op):
    """False for GET/HEAD and for Describe*/Get*/List* actions (query, json protocols)."""
    if method in ("GET", "HEAD"):
        return False
    action = op.split(":", 1)[-1]
    return not action.startswith(("Describe", "Get", "List"))


def throttle_response(protocol):
    """(status, headers, body) of a throttling error as the protocol really returns it."""
    rid = "fault-proxy-0000"
    if protocol == "json" or protocol == "rest-json":
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        ctype = "application/x-amz-json-1.1" if protocol == "json" else "application/json"
        return 400, {"Content-Type": ctype, "x-amzn-ErrorType": "ThrottlingException:",
                     "x-amzn-RequestId": rid}, body
    if protocol == "ec2":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
                f"<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
                f"</Error></Errors><RequestID>{rid}</RequestID></Response>").encode()
        return 503, {"Content-Type": "text/xml;charset=UTF-8"}, body
    if protocol == "rest-xml":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                f"<Message>Please reduce your request rate.</Message><RequestId>{rid}</RequestId>"
                f"</Error>").encode()
        return 503, {"Content-Type": "application/xml", "x-amz-request-id": rid}, body
    # query and route53: <ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>
    body = (f"<ErrorResponse xmlns=\"https://fault-proxy/doc/\"><Error><Type>Sender</Type>"
            f"<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
            f"<RequestId>{rid}</RequestId></ErrorResponse>").encode()
    return 400, {"Content-Type": "text/xml", "x-amzn-RequestId": rid}, body


class Faults:
    """The fault policy and the counters, shared by all handler threads."""

    def __init__(self, rate, seed, kinds, only, slow_s, writes_only=False):
        self.lock = threading.Lock()
        self.writes_only = writes_only
        self.slow_s = slow_s
        self.stats = {"requests": 0, "faults": 0, "by_kind": {}, "by_protocol": {}, "faulted_ops": {}}
        self.configure({"rate": rate, "seed": seed, "kinds": kinds, "only": only})

    def configure(self, cfg):
        with self.lock:
            for key in ("rate", "seed", "kinds", "only", "writes_only"):
                if key in cfg:
                    setattr(self, key, cfg[key])
            bad = [k for k in self.kinds if k not in ALL_KINDS]
            if bad:
                raise ValueError(f"unknown fault kinds {bad}; known: {ALL_KINDS}")
            self.rng = random.Random(self.seed)

    def draw(self, op, protocol, mutating=True):
        """The fault for this request, or None; counts it."""
        with self.lock:
            self.stats["requests"] += 1
            self.stats["by_protocol"][protocol] = self.stats["by_protocol"].get(protocol, 0) + 1
            roll, pick = self.rng.random(), self.rng.random()
            if not self.kinds or roll >= self.rate:
                return None
            if self.only and not any(o in op for o in self.only):
                return None
            if self.writes_only and not mutating:
                return None
            kind = self.kinds[int(pick * len(self.kinds)) % len(self.kinds)]
            self.stats["faults"] += 1
            self.stats["by_kind"][kind] = self.stats["by_kind"].get(kind, 0) + 1
            key = f"{op} {kind}"
            self.stats["faulted_ops"][key] = self.stats["faulted_ops"].get(key, 0) + 1
            return kind

    def snapshot(self):
        with self.lock:
            return json.loads(json.dumps(self.stats))

    def reset_stats(self):
        with self.lock:
            self.stats = {"requests": 0, "faults": 0, "by_kind": {}, "by_protocol": {}, "faulted_ops": {}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-proxy"
    upstream = None   # (host, port)
    faults = None     # Faults

    def log_message(self, fmt, *args):  # quiet: tests read /__fault__/stats instead
        pass

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            return self.rfile.read(length)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        return b""

    def _send(self, status, headers, body, declared_length=None):
        self.send_response_only(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def _reset(self):
        """Closes with RST: SO_LINGER on, zero timeout."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _control(self, body):
        if self.path.startswith("/__fault__/stats"):
            return self._send(200, {"Content-Type": "application/json"},
                              json.dumps(self.faults.snapshot()).encode())
        if self.path.startswith("/__fault__/reset-stats"):
            self.faults.reset_stats()
            return self._send(200, {}, b"")
        if self.path.startswith("/__fault__/config"):
            try:
                self.faults.configure(json.loads(body or b"{}"))
            except (ValueError, TypeError) as e:
                return self._send(400, {"Content-Type": "text/plain"}, str(e).encode())
            return self._send(200, {}, b"")
        return self._send(404, {}, b"")

    def _forward(self, body):
        """moto's answer: (status, headers without hop-by-hop ones, body)."""
        conn = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in self.headers.items():
                if k.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                    conn.putheader(k, v)
            if body or self.command in ("POST", "PUT", "PATCH"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            data = resp.read()
            headers = {k: v for k, v in resp.getheaders()
                       if k.lower() not in ("connection", "keep-alive", "transfer-encoding",
                                            "content-length", "date", "server")}
            return resp.status, headers, data
        finally:
            conn.close()

    def _handle(self):
        body = self._read_body()
        if self.path.startswith("/__fault__/"):
            return self._control(body)
        service, protocol = request_protocol(self.headers, self.path)
        op = f"{service}:{operation_name(self.headers, self.path, body)}"
        kind = self.faults.draw(op, protocol, is_mutating(self.command, op))
        if kind == "throttle":
            return self._send(*throttle_response(protocol))
        if kind in ("http500", "http502", "http503"):
            return self._send(int(kind[4:]), {"Content-Type": "text/html"},
                              b"<html><body>fault-proxy: injected server error</body></html>")
        if kind == "reset":
            return self._reset()
        if kind == "slow":
            time.sleep(self.faults.slow_s)
            self.close_connection = True
            return None
        status, headers, data = self._forward(body)
        if kind == "reset-after":
            return self._reset()
        if kind == "truncate-after":
            return self._send(status, headers, data[: len(data) // 2], declared_length=len(data) + 64)
        if kind == "slow-after":
            time.sleep(self.faults.slow_s)
        if kind == "http503-after":
            return self._send(503, {"Content-Type": "text/html"}, b"<html>fault-proxy: 503</html>")
        try:
            return self._send(status, headers, data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (slow-after)
            self.close_connection = True
            return None

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--upstream", required=True, help="http://host:port of moto")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--rate", type=float, default=0.0, help="fraction of requests faulted (0..1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--kinds", default="throttle", help=f"comma-separated, of {','.join(ALL_KINDS)}")
    p.add_argument("--only", default="", help="comma-separated operation substrings to fault")
    p.add_argument("--writes-only", action="store_true", help="fault only mutating requests")
    p.add_argument("--slow-s", type=float, default=5.0, help="delay of slow / slow-after")
    p.add_argument("--port-file", default="")
    a = p.parse_args(argv)
    up = urllib.parse.urlsplit(a.upstream)
    Handler.upstream = (up.hostname, up.port or 80)
    Handler.faults = Faults(a.rate, a.seed, [k for k in a.kinds.split(",") if k],
                            [o for o in a.only.split(",") if o], a.slow_s, a.writes_only)
    server = Server(("127.0.0.1", a.port), Handler)
    port = server.server_address[1]
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(port))
        import os
        os.replace(a.port_file + ".tmp", a.port_file)
    print(f"PORT {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
