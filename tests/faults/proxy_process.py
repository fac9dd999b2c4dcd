"""Runs tests/faults/fault_proxy.py as a subprocess in front of a moto endpoint.

    with FaultProxy(moto.endpoint, rate=0.2, seed=7, kinds=["throttle", "reset"]) as proxy:
        env = moto.env(AWS_ENDPOINT_URL=proxy.endpoint)   # drctl goes through the proxy
        proxy.configure(rate=0.0)                         # faults off, same process
        proxy.stats()["faults"]

Stopped by PID in stop() (and by the kernel if the test process dies, on Linux).
"""

import ctypes
import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "fault_proxy.py"


def _die_with_parent():
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class FaultProxy:
    def __init__(self, upstream, rate=0.0, seed=1, kinds=("throttle",), only=(), slow_s=5.0):
        self.args = ["--upstream", upstream, "--rate", str(rate), "--seed", str(seed),
                     "--kinds", ",".join(kinds), "--only", ",".join(only), "--slow-s", str(slow_s)]
        self.endpoint = None
        self._proc = None
        self._dir = None

    def start(self):
        self._dir = tempfile.TemporaryDirectory(prefix="drctl-fault-proxy-")
        port_file = Path(self._dir.name) / "port"
        self._proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), *self.args, "--port", "0", "--port-file", str(port_file)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        deadline = time.monotonic() + 15
        while not port_file.exists():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("fault proxy did not start")
            time.sleep(0.05)
        self.endpoint = f"http://127.0.0.1:{port_file.read_text().strip()}"
        return self

    def stop(self):
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _call(self, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(self.endpoint + path, data=data,
                                     method="GET" if data is None else "POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def configure(self, **cfg):
        """rate=, seed=, kinds=[...], only=[...]: replaces what is given and re-seeds."""
        self._call("/__fault__/config", cfg)

    def stats(self):
        return self._call("/__fault__/stats")

    def reset_stats(self):
        self._call("/__fault__/reset-stats", {})
