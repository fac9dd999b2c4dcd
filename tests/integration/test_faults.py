"""AWS faults between drctl and moto: tests/faults/fault_proxy.py answers a fixed, seeded share of
drctl's requests with throttling (as each protocol returns it), 5xx, resets, answers slower
than drctl's timeout, truncated bodies, and answers lost after moto did the work. drctl goes
through the proxy (AWS_ENDPOINT_URL); every check goes straight to moto with boto3.

Shown here: with 20% of requests faulted, apply, refresh (plan) and a failover plan + apply
converge in a bounded number of runs, each run ending 0 or 1 (1 names the failed operation,
and releases the lock: no force-unlock); exactly one of each object is left and a faults-off
plan is empty. With 100% throttling the run stops cleanly naming the operation and
"Throttling", and the next run converges. The figures (requests, faults, retries, runs) are
printed to stderr for the record.
Route 53 health checks rely on tests/moto/ext_faults.py (CallerReference idempotency, as AWS).
"""

import json
import re
import sys
import unittest

from harness.moto_env import MotoTestCase
from faults import estates
from faults.proxy_process import FaultProxy

ALL_KINDS = ["throttle", "http500", "http502", "http503", "reset", "slow",
             "reset-after", "truncate-after", "slow-after", "http503-after"]
TIMEOUT_S = 2      # drctl's per-request timeout under test (DRCTL_HTTP_TIMEOUT_S)
SLOW_S = 3         # the proxy's slow answers: longer than that
MAX_RUNS = 8
# How a failed run names its failed call: "<service> <Operation> in <region>: <Code>".
FAILED_CALL = r"\b[a-z0-9]+ [A-Z][A-Za-z0-9]+(?: in [a-z0-9-]+)?: [A-Za-z]+"


def report(what, figures):
    print(f"\n[fault figures] {what}: {json.dumps(figures, sort_keys=True)}", file=sys.stderr)


class Faults(MotoTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.proxy = FaultProxy(cls.moto.endpoint, rate=0.0, slow_s=SLOW_S)
        cls.addClassCleanup(cls.proxy.stop)
        cls.proxy.start()

    def setUp(self):
        self.moto.reset()
        self.proxy.configure(rate=0.0, kinds=ALL_KINDS, only=[], writes_only=False)
        self.proxy.reset_stats()
        self.work = self.make_workdir()
        self.env = self.moto.env(AWS_ENDPOINT_URL=self.proxy.endpoint, DRCTL_HTTP_TIMEOUT_S=str(TIMEOUT_S))
        self.state = self.work / "state.db"

    def drctl(self, *args, **kw):
        return self.run_drctl(*args, env=self.env, cwd=self.work, timeout_s=300, **kw)

    def faults(self, rate, seed, kinds=ALL_KINDS, only=(), writes_only=False):
        self.proxy.configure(rate=rate, seed=seed, kinds=list(kinds), only=list(only), writes_only=writes_only)

    def until_ok(self, *args, ok_codes=(0,)):
        """Runs drctl until it exits with one of ok_codes, at most MAX_RUNS times. Every
        other run must exit 1 cleanly, naming the operation that failed. Returns the runs."""
        runs = []
        for _ in range(MAX_RUNS):
            r = self.drctl(*args)
            runs.append(r)
            if r.exit_code in ok_codes:
                return runs
            self.assertEqual(r.exit_code, 1, r.output())
            self.assertRegex(r.stderr, FAILED_CALL, r.output())
            self.assertNotIn("force-unlock", r.stderr, r.output())  # a clean exit released the lock
        self.fail(f"no success in {MAX_RUNS} runs; last:\n{runs[-1].output()}")

    def figures(self, runs):
        """Requests and faults as the proxy saw them; retries estimated as the faults that did
        not end a run (drctl retries every fault it survives; each failed run ends on one)."""
        s = self.proxy.stats()
        failed = sum(1 for r in runs if r.exit_code != 0)
        return {"requests": s["requests"], "faults": s["faults"], "by_kind": s["by_kind"],
                "runs": len(runs), "failed_runs": failed, "retries_est": max(0, s["faults"] - failed)}

    def assert_plan_empty_without_faults(self, stack, *extra):
        self.faults(0.0, 1)
        r = self.drctl("plan", stack, "--detailed-exitcode", "--state", self.state, *extra)
        self.assertEqual(r.exit_code, 0, r.output())

    # ------------------------------------------------------------------ the proxy itself

    def test_each_fault_is_read_by_botocore_as_its_protocols_error(self):
        """The injected errors are well-formed: boto3 (through the proxy) parses each as the
        code its protocol uses, and after-forward faults really reached moto."""
        import boto3
        import botocore.config
        import botocore.exceptions

        def client(service, region="us-east-1"):
            return boto3.client(service, region_name=region, endpoint_url=self.proxy.endpoint,
                                aws_access_key_id=self.moto.access_key_id,
                                aws_secret_access_key=self.moto.secret_access_key,
                                config=botocore.config.Config(retries={"total_max_attempts": 1},
                                                              read_timeout=1, connect_timeout=1))
        self.faults(1.0, 1, ["throttle"])
        expected = {"s3": (503, "SlowDown"), "ec2": (503, "RequestLimitExceeded"),
                    "dynamodb": (400, "ThrottlingException"), "backup": (400, "ThrottlingException"),
                    "rds": (400, "Throttling"), "route53": (400, "Throttling"),
                    "efs": (400, "ThrottlingException"), "sns": (400, "Throttling")}
        calls = {"s3": lambda c: c.list_buckets(), "ec2": lambda c: c.describe_vpcs(),
                 "dynamodb": lambda c: c.list_tables(), "backup": lambda c: c.list_backup_vaults(),
                 "rds": lambda c: c.describe_db_instances(), "route53": lambda c: c.list_hosted_zones(),
                 "efs": lambda c: c.describe_file_systems(), "sns": lambda c: c.list_topics()}
        for service, call in calls.items():
            with self.subTest(service=service):
                with self.assertRaises(botocore.exceptions.ClientError) as caught:
                    call(client(service))
                got = caught.exception.response
                self.assertEqual((got["ResponseMetadata"]["HTTPStatusCode"], got["Error"]["Code"]),
                                 expected[service])
        for kind in ["reset", "reset-after", "truncate-after", "slow-after", "http503-after"]:
            with self.subTest(kind=kind):
                self.faults(1.0, 1, [kind])
                with self.assertRaises(Exception):
                    client("s3").create_bucket(Bucket=f"lost-{kind}")
        made = sorted(b["Name"] for b in self.moto.client("s3").list_buckets()["Buckets"])
        self.assertEqual(made, ["lost-http503-after", "lost-reset-after", "lost-slow-after",
                                "lost-truncate-after"])  # "reset" never reached moto

    # ------------------------------------------------------------------ apply and refresh

    def test_apply_and_refresh_converge_with_20_percent_faults_via_extension(self):
        stack = estates.setup_backup_restore(self.moto, self.work / "stack")
        self.faults(0.2, 11)
        runs = self.until_ok("apply", stack, "--auto-approve", "--state", self.state)
        report("apply backup-restore at 20%", self.figures(runs))
        self.faults(0.0, 1)
        estates.check_backup_restore(self, self.moto)
        self.assertEqual(estates.addresses(self.state), estates.BACKUP_RESTORE_ADDRESSES)
        self.assertEqual(estates.unsettled_intents(self.state), [])
        self.assert_plan_empty_without_faults(stack)

        # Refresh under faults: a plan either answers "no changes" (0) or fails cleanly (1);
        # never a change that is not there.
        self.proxy.reset_stats()
        self.faults(0.2, 12)
        runs = self.until_ok("plan", stack, "--detailed-exitcode", "--state", self.state)
        report("plan (refresh) backup-restore at 20%", self.figures(runs))
        estates.check_backup_restore(self, self.moto)

    def test_failover_apply_converges_with_20_percent_faults_via_extension(self):
        stack, zone = estates.setup_warm_standby(self.moto, self.work / "stack")
        self.faults(0.2, 21)
        runs = self.until_ok("apply", stack, "--auto-approve", "--state", self.state)
        report("apply warm-standby at 20%", self.figures(runs))
        self.faults(0.0, 1)
        estates.check_standby(self, self.moto, zone, self.state)
        self.assert_plan_empty_without_faults(stack)

        self.proxy.reset_stats()
        plan = self.work / "failover.plan"
        all_runs = []
        for attempt in range(MAX_RUNS):
            self.faults(0.2, 22 + attempt)
            made = self.drctl("failover", stack, "--to", estates.DR, "--out", plan, "--state", self.state)
            all_runs.append(made)
            if made.exit_code != 0:
                self.assertEqual(made.exit_code, 1, made.output())
                continue
            r = self.drctl("apply", plan, "--state", self.state)
            all_runs.append(r)
            if r.exit_code == 0:
                break
            self.assertEqual(r.exit_code, 1, r.output())
        else:
            self.fail(f"failover did not converge in {MAX_RUNS} rounds:\n{all_runs[-1].output()}")
        report("failover plan+apply at 20%", self.figures(all_runs))
        self.faults(0.0, 1)
        estates.check_failed_over(self, self.moto, zone, self.state)
        r = self.drctl("failover", stack, "--to", estates.DR, "--out", plan, "--state", self.state)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("nothing left to do", r.stdout)

    # ------------------------------------------------------------------ beyond the budget

    def test_throttling_beyond_the_retry_budget_stops_cleanly_then_resumes_via_extension(self):
        stack = estates.setup_backup_restore(self.moto, self.work / "stack")
        # Reads pass, every mutating call is throttled: the run gets as far as the first write.
        self.faults(1.0, 5, ["throttle"], writes_only=True)
        r = self.drctl("apply", stack, "--auto-approve", "--state", self.state)
        self.assertEqual(r.exit_code, 1, r.output())
        # Names the service, the operation and why, e.g. "backup CreateBackupVault in us-west-2:
        # ThrottlingException: Rate exceeded (HTTP 400, ...)".
        self.assertRegex(r.stderr, r"\b[a-z0-9]+ (Create|Put)[A-Za-z]+(?: in [a-z0-9-]+)?: (Throttling|ThrottlingException|SlowDown)\b",
                         r.output())
        report("100% throttling of writes", {**self.figures([r]), "message": r.stderr.strip()[:300]})

        self.faults(0.0, 1)
        r = self.drctl("apply", stack, "--auto-approve", "--state", self.state)
        self.assertEqual(r.exit_code, 0, r.output())  # no stale lock: the failed run released it
        estates.check_backup_restore(self, self.moto)
        self.assertEqual(estates.unsettled_intents(self.state), [])
        self.assert_plan_empty_without_faults(stack)


if __name__ == "__main__":
    unittest.main()
