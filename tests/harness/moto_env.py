"""A moto server (with drctl's extension) per test class, with signature checking on.

    from harness.moto_env import MotoTestCase

    class ApplyTest(MotoTestCase):
        def test_apply_creates_bucket(self):
            result = self.run_drctl("apply", "--auto-approve", env=self.moto.env())
            self.assertEqual(result.exit_code, 0, result.output())
            self.moto.client("s3").head_bucket(Bucket="...")

MotoServer starts tests/moto/drctl_moto.py on a free 127.0.0.1 port, then turns on moto's
signature checking the way AWS-TESTING.md describes: the first 3 calls are free and create the
IAM user drctl-test with an allow-all inline policy and an access key; every later call must be
signed with that key (so a wrong secret really fails with SignatureDoesNotMatch).
The server is stopped by PID in stop(), at interpreter exit, and (Linux) when the test process
dies, so a killed ctest run leaves no moto behind. The secret key is never logged.
"""

import atexit
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = REPO_ROOT / "tests" / "moto" / "drctl_moto.py"
REGION = "us-east-1"
TEST_USER = "drctl-test"
_ALLOW_ALL = json.dumps({"Version": "2012-10-17",
                         "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
# Calls moto serves unchecked before it starts verifying signatures: exactly the three of
# _setup_auth (create user, attach policy, create access key).
_FREE_CALLS = 3


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    """preexec_fn: the kernel sends SIGTERM to the server if the test process dies (even by
    SIGKILL from a ctest timeout). Linux only; silently nothing elsewhere."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class MotoServer:
    """One moto server process. start() before use; stop() (idempotent) when done."""

    def __init__(self, startup_timeout_s=30.0):
        self.startup_timeout_s = startup_timeout_s
        self.endpoint = None
        self.access_key_id = None
        self.secret_access_key = None
        self.tmp_dir = None
        self.home_dir = None  # empty: no ~/.aws of the developer leaks into subprocesses
        self.log_path = None
        self._proc = None
        self._log = None

    # ------------------------------------------------------------ lifecycle

    def start(self):
        self.tmp_dir = Path(tempfile.mkdtemp(prefix="drctl-moto-"))
        self.home_dir = self.tmp_dir / "home"
        self.home_dir.mkdir()
        self.log_path = self.tmp_dir / "moto.log"
        atexit.register(self.stop)
        # The port is free when probed but could be taken before moto binds it: retry.
        for _ in range(3):
            port = _free_port()
            self._spawn(port)
            if self._wait_ready():
                break
            self._kill()
        else:
            raise RuntimeError(f"moto did not start; log:\n{self.log_tail()}")
        self._setup_auth()
        return self

    def stop(self):
        """Stops the server by its PID and removes the temp dir (kept if DRCTL_KEEP_TMP=1)."""
        self._kill()
        if self.tmp_dir and self.tmp_dir.exists() and os.environ.get("DRCTL_KEEP_TMP") != "1":
            shutil.rmtree(self.tmp_dir, ignore_errors=True)

    def reset(self):
        """Wipes all moto state. Reset also deletes the IAM user, so the free-call budget is
        re-armed with /moto-api/reset-auth and the user and key are made again: the access
        key changes; take env() and client() again after a reset."""
        self._post("/moto-api/reset", b"")
        self._post("/moto-api/reset-auth", str(_FREE_CALLS).encode())
        self._setup_auth()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------ use

    def env(self, **overrides):
        """Environment for a subprocess (drctl, aws CLI) talking to this moto: the caller's
        environment without any AWS_* variable, plus endpoint, keys, region and an empty HOME.
        overrides: NAME=value adds or replaces, NAME=None removes."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",  # no network: never wait on IMDS
            "HOME": str(self.home_dir),
        })
        for key, value in overrides.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def client(self, service, region=REGION, access_key_id=None, secret_access_key=None):
        """A boto3 client against this moto, signed with the test user's key (or the given
        ones). No retries, so an unimplemented operation fails at once; no ~/.aws files."""
        import boto3
        import botocore.config
        import botocore.session

        # Our own config file and profile: the developer's ~/.aws and AWS_PROFILE are ignored.
        config_file = self.tmp_dir / "aws_config"
        if not config_file.exists():
            config_file.write_text("[default]\n")
        core = botocore.session.Session()
        core.set_config_variable("config_file", str(config_file))
        core.set_config_variable("credentials_file", os.devnull)
        core.set_config_variable("profile", "default")
        session = boto3.session.Session(botocore_session=core)
        return session.client(
            service,
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id=access_key_id or self.access_key_id,
            aws_secret_access_key=secret_access_key or self.secret_access_key,
            config=botocore.config.Config(retries={"total_max_attempts": 1},
                                          connect_timeout=10, read_timeout=60),
        )

    def log_tail(self, max_chars=4000):
        try:
            return self.log_path.read_text(errors="replace")[-max_chars:]
        except (OSError, AttributeError):
            return ""

    # ------------------------------------------------------------ internals

    def _spawn(self, port):
        self.endpoint = f"http://127.0.0.1:{port}"
        env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT=str(_FREE_CALLS))
        self._log = open(self.log_path, "ab")
        self._proc = subprocess.Popen(
            [sys.executable, str(LAUNCHER), "-H", "127.0.0.1", "-p", str(port)],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, env=env,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)

    def _wait_ready(self):
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        return False

    def _kill(self):
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _post(self, path, body):
        req = urllib.request.Request(self.endpoint + path, data=body, method="POST",
                                     headers={"Content-Type": "text/plain"})
        with urllib.request.urlopen(req, timeout=30) as r:
            if r.status != 200:
                raise RuntimeError(f"POST {path} answered {r.status}")

    def _setup_auth(self):
        # The three free calls; any key works for them (moto routes on the credential scope).
        iam = self.client("iam", access_key_id="bootstrap", secret_access_key="bootstrap")
        iam.create_user(UserName=TEST_USER)
        iam.put_user_policy(UserName=TEST_USER, PolicyName="all", PolicyDocument=_ALLOW_ALL)
        key = iam.create_access_key(UserName=TEST_USER)["AccessKey"]
        self.access_key_id = key["AccessKeyId"]
        self.secret_access_key = key["SecretAccessKey"]


# ---------------------------------------------------------------- running drctl

def drctl_bin():
    """The drctl binary under test: $DRCTL_BIN (set by ctest), else <repo>/build/src/cli/drctl."""
    return Path(os.environ.get("DRCTL_BIN") or REPO_ROOT / "build" / "src" / "cli" / "drctl")


@dataclass
class DrctlResult:
    args: list
    exit_code: int
    stdout: str
    stderr: str

    def output(self):
        """Everything drctl printed, for assertion messages."""
        return f"$ {' '.join(self.args)}\n--- exit {self.exit_code}\n--- stdout\n{self.stdout}" \
               f"--- stderr\n{self.stderr}"


def run_drctl(*args, env, cwd=None, timeout_s=120, input_text=None):
    """Runs drctl with `args` in `env` (e.g. MotoServer.env()), capturing its output.
    A run longer than timeout_s is killed and fails the test (AssertionError) with its output."""
    binary = drctl_bin()
    if not binary.is_file():
        raise FileNotFoundError(f"drctl binary not found at {binary}: build it or set DRCTL_BIN")
    argv = [str(binary), *map(str, args)]
    # Own process group, so a timeout kills drctl and anything it started, by that PID.
    proc = subprocess.Popen(argv, env=env, cwd=cwd, text=True, start_new_session=True,
                            stdin=subprocess.PIPE if input_text is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stdout, stderr = proc.communicate(input_text, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        raise AssertionError(f"drctl timed out after {timeout_s} s: {' '.join(argv)}\n"
                             f"--- stdout\n{stdout}--- stderr\n{stderr}")
    return DrctlResult(argv, proc.returncode, stdout, stderr)


class MotoTestCase(unittest.TestCase):
    """One moto server per test class, in self.moto / cls.moto. Tests of a class share it;
    call self.moto.reset() where a test needs a clean account."""

    moto = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.moto = MotoServer()
        cls.addClassCleanup(cls.moto.stop)  # runs even if start() fails half-way
        cls.moto.start()

    def make_workdir(self):
        """A fresh temp dir for this test (removed after it), e.g. as drctl's cwd."""
        path = Path(tempfile.mkdtemp(prefix="drctl-test-"))
        self.addCleanup(shutil.rmtree, path, ignore_errors=True)
        return path

    def run_drctl(self, *args, env=None, cwd=None, timeout_s=120, input_text=None):
        """run_drctl with this class's moto env by default and a fresh workdir as cwd."""
        return run_drctl(*args, env=env if env is not None else self.moto.env(),
                         cwd=cwd if cwd is not None else self.make_workdir(),
                         timeout_s=timeout_s, input_text=input_text)
