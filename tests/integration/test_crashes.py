"""SIGKILL anywhere in apply, then re-run: the estate converges with nothing lost or doubled.

DRCTL_TEST_KILL_AT (src/apply/crash_point.h) kills drctl at a named point the N-th time it is
reached: after a journal intent, after the AWS call, after the outcome is journaled, after the
state record is written, between sending a mutating request and reading its answer (in-call),
and inside a state/journal write transaction before COMMIT (in-commit). For every point: the
killed run must really die there (exit -9), the next run finds the stale lock and names the
force-unlock command, and after force-unlock one apply converges. Invariant after every
re-run, checked with boto3 and sqlite3: live equals desired, exactly one of each object, no
unsettled journal intent, PRAGMA integrity_check ok, a plan with --detailed-exitcode exits 0
(for a failover: the runbook has nothing left to do).
"""

import re
import sys
import time
import unittest

from harness.moto_env import MotoTestCase
from faults import estates

# The backup-restore stack has 11 resources: 11 intents, about 3 state/journal commits and
# 1-3 mutating requests each. Every point below is reached on a run from empty.
APPLY_POINTS = (
    [f"after-intent:{n}" for n in (1, 3, 6, 9, 11)]
    + [f"after-call:{n}" for n in (2, 5, 8, 11)]
    + [f"after-outcome:{n}" for n in (1, 4, 7, 10)]
    + [f"after-record:{n}" for n in (2, 6, 10)]
    + [f"in-call:{n}" for n in (1, 2, 4, 7, 10, 14, 18)]
    + [f"in-commit:{n}" for n in (1, 2, 3, 5, 8, 13, 20, 28)]
)
# The failover runbook has 5 steps, one mutating request each (promote, scale, scale, UPSERT,
# publish), 2 commits per step in the journal plus state writes.
FAILOVER_POINTS = ["after-intent:2", "after-call:1", "after-outcome:3", "after-record:4",
                   "in-call:1", "in-call:3", "in-call:5", "in-commit:2", "in-commit:5", "in-commit:9"]


class CrashHarness(MotoTestCase):

    def setUp(self):
        self.work = self.make_workdir()

    def drctl(self, *args, env, **kw):
        return self.run_drctl(*args, env=env, cwd=self.work, **kw)

    def killed(self, point, env, *args):
        r = self.drctl(*args, env=dict(env, DRCTL_TEST_KILL_AT=point))
        self.assertEqual(r.exit_code, -9, f"kill point {point} not reached\n{r.output()}")

    def rerun_after_kill(self, env, state, *args):
        """The re-run: refused for the killed run's stale lock (naming force-unlock), released
        with the exact id, then run again to success."""
        r = self.drctl(*args, env=env)
        if r.exit_code != 0:
            self.assertEqual(r.exit_code, 1, r.output())
            lock_id = re.search(r"force-unlock (\w+)", r.stderr)
            self.assertIsNotNone(lock_id, r.output())
            u = self.drctl("force-unlock", lock_id.group(1), "--state", state, env=env)
            self.assertEqual(u.exit_code, 0, u.output())
            r = self.drctl(*args, env=env)
        self.assertEqual(r.exit_code, 0, r.output())

    def assert_state_sound(self, state):
        self.assertEqual(estates.unsettled_intents(state), [])
        self.assertEqual(estates.integrity(state), "ok")

    def report(self, what, survived, started):
        print(f"\n[crash figures] {what}: {survived} kill points survived in "
              f"{time.monotonic() - started:.0f} s", file=sys.stderr)


class ApplyCrashes(CrashHarness):

    def test_sigkill_at_31_points_of_apply_then_rerun_converges_via_extension(self):
        self.assertGreaterEqual(len(set(APPLY_POINTS)), 30)
        started, survived = time.monotonic(), 0
        for point in APPLY_POINTS:
            with self.subTest(point=point):
                self.moto.reset()
                env = self.moto.env()
                stack = estates.setup_backup_restore(self.moto, self.work / "stack")
                state = self.work / f"state-{point.replace(':', '-')}.db"
                args = ("apply", stack, "--auto-approve", "--state", state)
                self.killed(point, env, *args)
                self.rerun_after_kill(env, state, *args)
                estates.check_backup_restore(self, self.moto)
                self.assertEqual(estates.addresses(state), estates.BACKUP_RESTORE_ADDRESSES)
                self.assert_state_sound(state)
                r = self.drctl("plan", stack, "--detailed-exitcode", "--state", state, env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                survived += 1
        self.report("apply (backup-restore, 11 resources)", survived, started)


class FailoverCrashes(CrashHarness):

    def test_sigkill_at_10_points_of_a_failover_then_rerun_converges_via_extension(self):
        started, survived = time.monotonic(), 0
        for point in FAILOVER_POINTS:
            with self.subTest(point=point):
                self.moto.reset()
                env = self.moto.env()
                stack, zone = estates.setup_warm_standby(self.moto, self.work / f"stack-{point.replace(':', '-')}")
                state = stack / ".drctl" / "state.db"
                r = self.drctl("apply", stack, "--auto-approve", env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                plan = self.work / "failover.plan"
                r = self.drctl("failover", stack, "--to", estates.DR, "--out", plan, env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                self.killed(point, env, "apply", plan, "--parallelism", "1")
                # Re-plan from the journal (steps done are no-ops), then apply.
                r = self.drctl("failover", stack, "--to", estates.DR, "--out", plan, env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                self.rerun_after_kill(env, state, "apply", plan)
                estates.check_failed_over(self, self.moto, zone, state)
                self.assert_state_sound(state)
                r = self.drctl("failover", stack, "--to", estates.DR, "--out", plan, env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                self.assertIn("nothing left to do", r.stdout)
                survived += 1
        self.report("failover runbook (5 steps)", survived, started)


if __name__ == "__main__":
    unittest.main()
