"""Failover as a plan: `drctl failover DIR --to REGION --out PLANFILE`, then `drctl apply
PLANFILE`, against moto with signatures checked, verified with boto3.

The estate: a PostgreSQL primary in us-east-1, a DR Auto Scaling group and ECS service in
us-west-2 and a hosted zone, protected by a warm-standby stack (rds + asg + ecs +
dns-failover + notify) applied first. The failover promotes the replica (checked through the
moto extension tests/moto/ext_failover.py: moto 5.2.1 keeps a promoted instance's source link),
raises the ASG and ECS service to their failover capacity, points the PRIMARY record at the DR
target and notifies the DR topic. Tests that rely on the extension say so in their names.
"""

import json
import re
import socket
import sqlite3
import unittest

from harness import warm_standby
from harness.moto_env import MotoTestCase

PRIMARY, DR = "us-east-1", "us-west-2"
STACK = "shop"
REPLICA_ID = f"drctl-{STACK}-orders"
RECORD = "api.shop.example."


def dead_port():
    """A loopback port nothing listens on: bound, then closed."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Failover(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        self.zone = warm_standby.create_estate(self.moto)
        self.stack = warm_standby.write_stack(self.work / "stack", self.zone)
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertEqual(self.group()["DesiredCapacity"], 1)
        self.assertEqual(self.replica()["ReadReplicaSourceDBInstanceIdentifier"].split(":")[-1], "orders-primary")

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, **kw)

    # ------------------------------------------------------------------ independent checks

    def replica(self):
        return self.moto.client("rds", DR).describe_db_instances(DBInstanceIdentifier=REPLICA_ID)["DBInstances"][0]

    def group(self):
        return self.moto.client("autoscaling", DR).describe_auto_scaling_groups(
            AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]

    def service(self):
        return self.moto.client("ecs", DR).describe_services(cluster="shop", services=["api"])["services"][0]

    def records(self):
        sets = self.moto.client("route53").list_resource_record_sets(HostedZoneId=self.zone)["ResourceRecordSets"]
        return {r["Failover"]: [v["Value"] for v in r.get("ResourceRecords", [])]
                for r in sets if r["Name"] == RECORD and "Failover" in r}

    def assert_failed_over(self):
        db = self.replica()
        self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", db)  # promoted (via the extension)
        self.assertEqual(db["DBInstanceStatus"], "available")
        primary = self.moto.client("rds", PRIMARY).describe_db_instances(
            DBInstanceIdentifier="orders-primary")["DBInstances"][0]
        self.assertEqual(primary.get("ReadReplicaDBInstanceIdentifiers", []), [])
        g = self.group()
        self.assertEqual((g["MinSize"], g["DesiredCapacity"], g["MaxSize"]), (4, 4, 4))
        self.assertEqual(self.service()["desiredCount"], 3)
        self.assertEqual(self.records(), {"PRIMARY": ["dr.shop.example.net"], "SECONDARY": ["dr.shop.example.net"]})

    def failover(self, *extra, env=None):
        plan = self.work / "f.plan"
        r = self.drctl("failover", self.stack, "--to", DR, "--out", plan, *extra, env=env)
        self.assertEqual(r.exit_code, 0, r.output())
        return r, plan

    def journal(self):
        db = sqlite3.connect(self.stack / ".drctl" / "state.db")
        try:
            return db.execute("SELECT address, action, phase FROM journal WHERE address LIKE 'op.%' ORDER BY run_id, id").fetchall()
        finally:
            db.close()

    # ------------------------------------------------------------------ tests

    def test_failover_plan_then_apply_then_nothing_left_via_extension(self):
        r, plan = self.failover()
        for step in ("op.rds_promote.orders", "op.asg_scale.web", "op.ecs_scale.api", "op.dns_switch.dns",
                     "op.sns_notify.failover"):
            self.assertIn(step, r.stdout)
        self.assertIn("promotes the last replica of orders-primary", r.output())
        rto = re.search(r"Estimated RTO of this runbook: (\S+) \(critical path: ([^;]+);", r.stdout)
        self.assertIsNotNone(rto, r.output())
        # timings.yaml: promotion 10m (scale-outs 10m from zero / 3m run beside it), then the DNS
        # switch 60 s propagation + 60 s TTL, then notify 5 s.
        self.assertEqual(rto.group(1), "12m5s")
        self.assertTrue(rto.group(2).startswith("op.rds_promote.orders"), rto.group(2))
        saved = json.loads(plan.read_text())
        deps = {c["address"]: c["depends_on"] for c in saved["changes"]}
        self.assertEqual(deps["op.rds_promote.orders"], [])
        self.assertIn("op.rds_promote.orders", deps["op.dns_switch.dns"])
        self.assertEqual(deps["op.sns_notify.failover"], ["op.dns_switch.dns"])
        # Nothing happened yet: the plan is for review.
        self.assertIn("ReadReplicaSourceDBInstanceIdentifier", self.replica())

        r = self.drctl("apply", plan)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assert_failed_over()

        r, _ = self.failover()
        self.assertNotRegex(r.stdout, r"\b(create|update)\b.*op\.", r.output())
        self.assertIn("nothing left to do", r.stdout)

        # A normal plan or apply would undo the failover (scale the DR side back to standby,
        # point DNS back at the primary): refused until the team resets deliberately.
        for args in (("plan", self.stack), ("apply", self.stack, "--auto-approve")):
            r = self.drctl(*args)
            self.assertEqual(r.exit_code, 1, r.output())
            self.assertIn("failed over", r.stderr)
        self.assert_failed_over()
        r = self.drctl("plan", self.stack, "--reset-after-failover", "--format", "json")
        self.assertIn(r.exit_code, (0, 1), r.output())
        self.assertIn('"op.asg_scale.web"', r.stdout)

    def test_failover_killed_half_way_resumes_without_repeating_steps_via_extension(self):
        _, plan = self.failover()
        # One step at a time, so "two steps done" is exact when the kill comes.
        r = self.drctl("apply", plan, "--parallelism", "1", env=dict(self.env, DRCTL_TEST_KILL_AT="after-record:2"))
        self.assertEqual(r.exit_code, -9, r.output())
        done_first = [a for a, action, phase in self.journal() if phase == "done"]
        self.assertEqual(len(done_first), 2, self.journal())

        _, plan = self.failover()
        saved = {c["address"]: c["action"] for c in json.loads(plan.read_text())["changes"]}
        for address in done_first:
            self.assertEqual(saved[address], "no-op", saved)
        r = self.drctl("apply", plan)
        self.assertEqual(r.exit_code, 1, r.output())  # the killed run's lock
        lock_id = re.search(r"force-unlock (\w+)", r.stderr)
        self.assertIsNotNone(lock_id, r.output())
        r = self.drctl("force-unlock", lock_id.group(1), "--state", self.stack / ".drctl" / "state.db")
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("apply", plan)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assert_failed_over()
        journal = self.journal()
        steps = {a for a, _, _ in journal}
        self.assertEqual(len(steps), 5, journal)
        for address in steps:  # each step completed exactly once across both runs
            self.assertEqual(sum(1 for a, _, phase in journal if a == address and phase == "done"), 1, journal)

    def test_unplanned_failover_with_the_primary_region_unreachable_via_extension(self):
        dead = dict(self.env, DRCTL_ENDPOINT_URL_US_EAST_1=f"http://127.0.0.1:{dead_port()}")
        # The outage is real for drctl: a plan of the stack itself cannot read the primary.
        r = self.drctl("plan", self.stack, env=dead)
        self.assertEqual(r.exit_code, 1, r.output())
        r, plan = self.failover("--unplanned", env=dead)
        self.assertIn("unplanned", r.stdout)
        r = self.drctl("apply", plan, env=dead)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assert_failed_over()


if __name__ == "__main__":
    unittest.main()
