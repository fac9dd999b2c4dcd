"""Issue 7 (secrets): secret access keys, session tokens and web-identity tokens never appear in
drctl's stdout or stderr, its state (every table of the SQLite file), saved plans, reports or
drill reports, nor in error messages.

Every command runs with known, distinctive credentials: the harness's IAM user key (static),
temporary keys with a session token from sts:AssumeRole, and (via tests/moto/ext_ci_credentials.py,
hence *_via_extension) a web-identity token file. Outputs and every file drctl wrote are
scanned for each secret in plain, base64 and URL-encoded form. Any hit is a bug.
"""

import base64
import json
import sqlite3
import urllib.parse

from harness.moto_env import MotoTestCase, TEST_USER
from stacks import create_estate, write_stack

ACCOUNT = "123456789012"
ALLOW_ALL = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.drctl-secret-scan-web-identity-token.U2VjcmV0U2Nhbg"
WRONG_SECRET = "WrongSecretDrctlScan/0123456789+abcdefghijklmnopq"


def encodings(secret):
    """The forms a leak could take: as is, base64 (standard and URL-safe), URL-encoded."""
    raw = secret.encode()
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
    # base64 of a secret inside a longer text depends on its offset modulo 3: the middle of
    # each of the three alignments (standard and URL-safe alphabets).
    for k in range(3):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            text = enc(b"\0" * k + raw).decode()
            forms.add(text if k == 0 else text[4:-4])
            forms.add(text[4:-4])
    return {f for f in forms if len(f) >= 12}


def sqlite_dump(path):
    """Every row of every table, as text."""
    con = sqlite3.connect(str(path))
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


class Secrets(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.stack_dir = write_stack(self.work / "stack")
        create_estate(self.moto)
        self.outputs = []  # (what, text)

    # ------------------------------------------------------------ helpers

    def drctl(self, *args, env, expect=None):
        r = self.run_drctl(*args, env=env, cwd=self.work, timeout_s=300)
        self.outputs.append((" ".join(map(str, args)) + " stdout", r.stdout))
        self.outputs.append((" ".join(map(str, args)) + " stderr", r.stderr))
        if expect is not None:
            self.assertIn(r.exit_code, expect, r.output())
        return r

    def written_files(self, exclude=()):
        """(name, text) of every file under the workdir drctl could have written; SQLite
        files as a dump of all their tables (and their raw bytes, for WAL leftovers)."""
        for path in sorted(self.work.rglob("*")):
            if not path.is_file() or path in exclude:
                continue
            data = path.read_bytes()
            yield str(path), data.decode("utf-8", errors="replace")
            if data.startswith(b"SQLite format 3"):
                yield str(path) + " (dump)", sqlite_dump(path)

    def assert_no_secret(self, secrets, exclude=(), require_state=True):
        checked = list(self.outputs) + list(self.written_files(exclude))
        self.assertTrue(not require_state or any(".drctl" in name and "(dump)" in name for name, _ in checked), "no state file scanned")
        for secret in secrets:
            for form in encodings(secret):
                for name, text in checked:
                    self.assertNotIn(form, text, f"secret (form {form[:6]}...) leaked in {name}")

    def run_every_command(self, env):
        """Each command once, against the stack; files land in the workdir."""
        d = self.stack_dir
        self.drctl("validate", d, env=env, expect={0})
        self.drctl("plan", d, "--out", self.work / "plan.json", env=env, expect={0, 2})
        self.drctl("apply", self.work / "plan.json", "--auto-approve", env=env, expect={0})
        self.drctl("plan", d, "--format", "json", env=env, expect={0})
        self.drctl("apply", d, "--auto-approve", env=env, expect={0})
        for fmt in ("text", "json", "markdown", "html"):
            self.drctl("drift", d, "--format", fmt, env=env, expect={0, 2})
        self.drctl("state", "list", d, env=env, expect={0})
        self.drctl("state", "show", "s3.replication.assets", d, env=env, expect={0})
        self.drctl("assess", d, env=env, expect={0, 2})
        self.drctl("readiness", d, "--format", "json", env=env)
        self.drctl("failover", d, "--to", "us-west-2", "--out", self.work / "failover.json", env=env)
        for fmt in ("html", "json", "markdown"):
            # 2: not compliant (no drill on record); what matters here is what the files hold.
            self.drctl("report", d, "--format", fmt, "--out", self.work / f"report.{fmt}", env=env, expect={0, 2})
        self.drctl("graph", d, env=env, expect={0})
        self.drctl("import", "s3.bucket.assets", "shop-assets-dr", d, env=env)
        self.drctl("orphans", d, "--format", "json", env=env, expect={0, 2})
        self.drctl("iam-policy", d, env=env, expect={0})
        self.drctl("drill", d, "--auto-approve", "--skip-readiness", "--report", self.work / "drill.md", env=env)

    def assume_role_keys(self):
        iam = self.moto.client("iam")
        trust = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/{TEST_USER}"},
             "Action": "sts:AssumeRole"}]})
        arn = iam.create_role(RoleName="drctl-secret-scan", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        iam.put_role_policy(RoleName="drctl-secret-scan", PolicyName="all", PolicyDocument=ALLOW_ALL)
        return arn, self.moto.client("sts").assume_role(RoleArn=arn, RoleSessionName="scan")["Credentials"]

    # ------------------------------------------------------------ tests

    def test_static_keys_never_leak(self):
        self.run_every_command(self.moto.env())
        self.assertTrue(self.moto.client("s3", region="us-west-2").get_bucket_versioning(Bucket="shop-assets-dr"))
        self.assert_no_secret([self.moto.secret_access_key])

    def test_session_token_never_leaks(self):
        _, creds = self.assume_role_keys()
        env = self.moto.env(AWS_ACCESS_KEY_ID=creds["AccessKeyId"], AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"],
                            AWS_SESSION_TOKEN=creds["SessionToken"])
        self.run_every_command(env)
        self.assert_no_secret([creds["SecretAccessKey"], creds["SessionToken"], self.moto.secret_access_key])

    def test_web_identity_token_never_leaks_via_extension(self):
        role_arn, _ = self.assume_role_keys()
        iam = self.moto.client("iam")
        iam.update_assume_role_policy(RoleName="drctl-secret-scan", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                                                    "Principal": {"Federated": "token.actions.githubusercontent.com"}}]}))
        token_file = self.work / "oidc-token"
        token_file.write_text(WEB_TOKEN + "\n")
        env = self.moto.env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None, AWS_ROLE_ARN=role_arn,
                            AWS_WEB_IDENTITY_TOKEN_FILE=str(token_file), AWS_ROLE_SESSION_NAME="scan")
        self.run_every_command(env)
        self.assert_no_secret([WEB_TOKEN], exclude={token_file})

    def test_wrong_secret_fails_with_signature_error_without_echoing_it(self):
        env = self.moto.env(AWS_SECRET_ACCESS_KEY=WRONG_SECRET)
        r = self.drctl("plan", self.stack_dir, env=env, expect={1})
        self.assertIn("SignatureDoesNotMatch", r.stdout + r.stderr)
        self.drctl("drift", self.stack_dir, "--format", "json", env=env)
        self.drctl("readiness", self.stack_dir, env=env)
        self.drctl("apply", self.stack_dir, "--auto-approve", env=env, expect={1})
        self.assert_no_secret([WRONG_SECRET, self.moto.secret_access_key], require_state=False)


if __name__ == "__main__":
    import unittest
    unittest.main()
