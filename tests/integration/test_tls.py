"""Issue 7 (transport): drctl verifies TLS certificates on every https endpoint, trusts a private
CA only through AWS_CA_BUNDLE, and refuses plain http to anything but loopback.

A local HTTPS reverse proxy (Python ssl, a CA and a server certificate for 127.0.0.1 made in
the test with the openssl CLI) forwards to moto over http, Host header untouched so moto's
signature check still passes.
"""

import http.client
import http.server
import shutil
import ssl
import subprocess
import threading
import time
import unittest
import urllib.parse

from harness.moto_env import MotoTestCase
from stacks import create_estate, write_stack


def make_ca_and_server_cert(folder, name):
    """<name>-ca.pem and server.pem/server.key signed by it, valid for IP 127.0.0.1."""
    def run(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name} test CA",
        "-keyout", f"{name}-ca.key", "-out", f"{name}-ca.pem")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", f"{name}-server.key", "-out", f"{name}-server.csr")
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    run("x509", "-req", "-in", f"{name}-server.csr", "-CA", f"{name}-ca.pem", "-CAkey", f"{name}-ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", f"{name}-server.pem")
    return folder / f"{name}-ca.pem", folder / f"{name}-server.pem", folder / f"{name}-server.key"


class _Forward(http.server.BaseHTTPRequestHandler):
    upstream = None  # "127.0.0.1:PORT" of moto
    requests_seen = 0

    def _forward(self):
        type(self).requests_seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        conn = http.client.HTTPConnection(self.upstream, timeout=60)
        conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            conn.putheader(name, value)  # Host included: the signature covers it
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for name, value in resp.getheaders():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

    def log_message(self, *args):
        pass


@unittest.skipUnless(shutil.which("openssl"), "needs the openssl CLI")
class Tls(MotoTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import tempfile
        from pathlib import Path
        cls.certs = Path(tempfile.mkdtemp(prefix="drctl-tls-"))
        cls.addClassCleanup(shutil.rmtree, cls.certs, ignore_errors=True)
        cls.ca, cert, key = make_ca_and_server_cert(cls.certs, "good")
        cls.other_ca, _, _ = make_ca_and_server_cert(cls.certs, "other")
        handler = type("Forward", (_Forward,), {"upstream": urllib.parse.urlparse(cls.moto.endpoint).netloc})
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        cls.server.socket = ctx.wrap_socket(cls.server.socket, server_side=True)
        cls.handler = handler
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.https = f"https://127.0.0.1:{cls.server.server_address[1]}"

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.stack_dir = write_stack(self.work / "stack")
        create_estate(self.moto)

    def plan(self, **env):
        return self.run_drctl("plan", self.stack_dir, "--detailed-exitcode", env=self.moto.env(**env), cwd=self.work)

    def test_plan_through_https_with_the_ca_bundle(self):
        before = self.handler.requests_seen
        r = self.plan(AWS_ENDPOINT_URL=self.https, AWS_CA_BUNDLE=str(self.ca))
        self.assertEqual(r.exit_code, 2, r.output())  # changes pending: every read answered
        self.assertIn("s3.replication.assets", r.stdout)
        self.assertGreater(self.handler.requests_seen, before)  # really through the proxy

    def test_untrusted_certificate_fails_and_names_aws_ca_bundle(self):
        started = time.monotonic()
        r = self.plan(AWS_ENDPOINT_URL=self.https)
        self.assertEqual(r.exit_code, 1, r.output())
        output = r.stdout + r.stderr
        self.assertIn("TLS certificate of 127.0.0.1 not trusted", output)
        self.assertIn("set AWS_CA_BUNDLE", output)
        self.assertLess(time.monotonic() - started, 30, "a certificate failure is not retried")

    def test_a_bundle_of_another_ca_does_not_verify(self):
        r = self.plan(AWS_ENDPOINT_URL=self.https, AWS_CA_BUNDLE=str(self.other_ca))
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn(f"AWS_CA_BUNDLE={self.other_ca} does not verify it", r.stdout + r.stderr)

    def test_plain_http_to_a_non_loopback_host_is_refused_without_sending(self):
        started = time.monotonic()
        r = self.plan(AWS_ENDPOINT_URL="http://10.1.2.3")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("refusing plain http to 10.1.2.3", r.stdout + r.stderr)
        self.assertIn("DRCTL_ALLOW_INSECURE_HTTP=1", r.stdout + r.stderr)
        # No connection attempt (there is no network: one would hang until the timeout).
        self.assertLess(time.monotonic() - started, 20)


if __name__ == "__main__":
    unittest.main()
