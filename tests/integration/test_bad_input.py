"""Bad input: every problem gives exit 1 and a message naming the file, line and field, and
the state is left exactly as it was. No AWS is needed: nothing gets that far."""

import hashlib
import os
import tempfile
import textwrap
import unittest
from pathlib import Path

from harness.moto_env import run_drctl

GOOD = textwrap.dedent("""\
    version: 1
    stack: shop
    regions: { primary: us-east-1, dr: us-west-2 }
    strategy: backup-restore
    objectives: { rto: 24h, rpo: 1h }
    workloads:
      assets:
        kind: s3
        source: shop-assets
        rtc: true
    backups:
      schedule: cron(0 * ? * * *)
      retention: 120d
      cold_after: 14d
      copy_to_dr: true
      select:
        tags: { dr: protected }
    """)


class BadInput(unittest.TestCase):

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="drctl-bad-"))
        self.env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.dir),
                    "AWS_ACCESS_KEY_ID": "unused", "AWS_SECRET_ACCESS_KEY": "unused",
                    "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_DEFAULT_REGION": "us-east-1"}

    def tearDown(self):
        import shutil
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, text, line, field, words=()):
        """Writes the stack, runs validate, plan and apply; each must fail pointing at
        stack.dr.yaml:line with the field named, and leave the state file untouched."""
        stack = self.dir / "stack"
        stack.mkdir(exist_ok=True)
        (stack / "stack.dr.yaml").write_text(text)
        state = self.dir / "state.db"
        self.assertEqual(run_drctl("state", "list", "--state", state, env=self.env).exit_code, 0)
        before = hashlib.sha256(state.read_bytes()).hexdigest()
        for args in (("validate", stack), ("plan", stack, "--state", state),
                     ("apply", stack, "--auto-approve", "--state", state)):
            r = run_drctl(*args, env=self.env, cwd=self.dir)
            self.assertEqual(r.exit_code, 1, r.output())
            self.assertRegex(r.stderr, rf"stack\.dr\.yaml:{line}:\d+: error: ", r.output())
            if field:
                self.assertIn(field, r.stderr, r.output())
            for w in words:
                self.assertIn(w, r.stderr, r.output())
        self.assertEqual(hashlib.sha256(state.read_bytes()).hexdigest(), before)

    def test_good_stack_validates(self):
        stack = self.dir / "stack"
        stack.mkdir()
        (stack / "stack.dr.yaml").write_text(GOOD)
        r = run_drctl("validate", stack, env=self.env)
        self.assertEqual(r.exit_code, 0, r.output())

    def test_malformed_yaml(self):
        self.check(GOOD.replace("    kind: s3\n", "    kind: [s3\n"), 9, None)

    def test_unknown_key(self):
        self.check(GOOD.replace("    rtc: true\n", "    rtcc: true\n"), 10, "rtcc")

    def test_wrong_type(self):
        self.check(GOOD.replace("    rtc: true\n", "    rtc: sometimes\n"), 10, "rtc")

    def test_bad_duration(self):
        self.check(GOOD.replace("retention: 120d", "retention: 120 days"), 13, "retention")

    def test_bad_schedule(self):
        self.check(GOOD.replace("cron(0 * ? * * *)", "cron(0 * * * *)"), 12, "schedule")

    def test_same_primary_and_dr_region(self):
        self.check(GOOD.replace("dr: us-west-2", "dr: us-east-1"), 3, "dr")

    def test_unknown_region(self):
        self.check(GOOD.replace("dr: us-west-2", "dr: us-west-9"), 3, "dr", ["us-west-9"])

    def test_bad_bucket_name(self):
        self.check(GOOD.replace("source: shop-assets", "source: Shop_Assets"), 9, "source")


if __name__ == "__main__":
    unittest.main()
