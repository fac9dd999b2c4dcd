"""Failback as two plans: `drctl failback DIR` (protect) and `drctl failback DIR --switch`,
each run by `drctl apply PLANFILE`, then `drctl apply DIR --reset-after-failover`, against moto
with signatures checked, verified with boto3.

The estate is tests/harness/warm_standby.py's:
a PostgreSQL primary in us-east-1, a DR Auto Scaling group and ECS service in us-west-2 and a
hosted zone, protected by a warm-standby stack. Each test applies it and fails over first.
Promotion goes through tests/moto/ext_failover.py (moto 5.2.1 keeps a promoted instance's
source link) and a rename onto a taken name or of a replicated instance through
tests/moto/ext_failback.py; tests relying on them say so in their names.
"""

import json
import re
import sqlite3
import unittest

from harness import warm_standby
from harness.moto_env import MotoTestCase

PRIMARY, DR = "us-east-1", "us-west-2"
STACK = "shop"
PRIMARY_ID = "orders-primary"
REPLICA_ID = f"drctl-{STACK}-orders"
RECORD = "api.shop.example."


class Failback(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        self.zone = warm_standby.create_estate(self.moto, rds_tags={"team": "orders"})
        self.stack = warm_standby.write_stack(self.work / "stack", self.zone)
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, **kw)

    # ------------------------------------------------------------------ independent checks

    def instances(self, region):
        return {i["DBInstanceIdentifier"]: i
                for i in self.moto.client("rds", region).describe_db_instances()["DBInstances"]}

    def tags(self, region, arn):
        return {t["Key"]: t["Value"]
                for t in self.moto.client("rds", region).list_tags_for_resource(ResourceName=arn)["TagList"]}

    def group(self):
        return self.moto.client("autoscaling", DR).describe_auto_scaling_groups(
            AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]

    def service(self):
        return self.moto.client("ecs", DR).describe_services(cluster="shop", services=["api"])["services"][0]

    def primary_record(self):
        sets = self.moto.client("route53").list_resource_record_sets(HostedZoneId=self.zone)["ResourceRecordSets"]
        return next(r for r in sets if r["Name"] == RECORD and r.get("Failover") == "PRIMARY")

    def retired(self, region, prefix):
        names = [n for n in self.instances(region) if n.startswith(prefix + "-pre-failback-")]
        self.assertEqual(len(names), 1, self.instances(region).keys())
        self.assertRegex(names[0], r"-pre-failback-\d{12}$")
        return names[0]

    def journal(self):
        db = sqlite3.connect(self.stack / ".drctl" / "state.db")
        try:
            return db.execute("SELECT address, action, phase FROM journal WHERE address LIKE 'op.%' ORDER BY run_id, id").fetchall()
        finally:
            db.close()

    def plan_and_apply(self, *cmd, out):
        plan = self.work / out
        r = self.drctl(*cmd, "--out", plan)
        self.assertEqual(r.exit_code, 0, r.output())
        a = self.drctl("apply", plan)
        self.assertEqual(a.exit_code, 0, a.output())
        return r

    def fail_over(self):
        self.plan_and_apply("failover", self.stack, "--to", DR, out="f.plan")
        self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", self.instances(DR)[REPLICA_ID])

    def assert_protected(self):
        east = self.instances(PRIMARY)
        old = self.retired(PRIMARY, PRIMARY_ID)
        self.assertEqual(east[old]["DBInstanceClass"], "db.t3.micro")  # kept, not deleted
        self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", east[old])
        tags = self.tags(PRIMARY, east[old]["DBInstanceArn"])
        self.assertEqual(tags.get("drctl:retired-by"), "failback")
        self.assertEqual(tags.get("drctl:retired-from"), PRIMARY_ID)
        replica = east[PRIMARY_ID]
        self.assertEqual(replica["ReadReplicaSourceDBInstanceIdentifier"],
                         self.instances(DR)[REPLICA_ID]["DBInstanceArn"])
        self.assertEqual(replica["DBInstanceClass"], "db.t3.micro")  # sized like the old primary
        self.assertEqual(replica["DBInstanceStatus"], "available")
        self.assertEqual(self.tags(PRIMARY, replica["DBInstanceArn"]).get("team"), "orders")
        # Traffic stays in DR during protect.
        self.assertEqual([v["Value"] for v in self.primary_record()["ResourceRecords"]], ["dr.shop.example.net"])

    # ------------------------------------------------------------------ tests

    def test_full_cycle_failover_protect_switch_reset_via_extension(self):
        self.fail_over()

        r = self.plan_and_apply("failback", self.stack, out="p.plan")
        for step in ("op.rds_retire.orders-old-primary", "op.rds_reverse_replica.orders"):
            self.assertIn(step, r.stdout)
        self.assertIn("keeps the old primary orders-primary as orders-primary-pre-failback-", r.output())
        self.assertIn("Estimated duration of this phase", r.stdout)
        self.assert_protected()

        # Protect again: nothing left to do.
        r = self.drctl("failback", self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("nothing left to do", r.stdout)

        r = self.plan_and_apply("failback", self.stack, "--switch", out="s.plan")
        for step in ("op.rds_promote.orders-failback", "op.dns_switch.dns-failback", "op.rds_retire.orders-dr-writer",
                     "op.sns_notify.failback"):
            self.assertIn(step, r.stdout)
        saved = json.loads((self.work / "s.plan").read_text())
        self.assertEqual(saved["kind"], "failback-switch")
        deps = {c["address"]: c["depends_on"] for c in saved["changes"]}
        self.assertIn("op.rds_promote.orders-failback", deps["op.dns_switch.dns-failback"])
        self.assertIn("op.dns_switch.dns-failback", deps["op.rds_retire.orders-dr-writer"])
        self.assertIn("op.rds_retire.orders-dr-writer", deps["op.sns_notify.failback"])

        east = self.instances(PRIMARY)
        self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", east[PRIMARY_ID])  # promoted: standalone
        record = self.primary_record()
        self.assertEqual([v["Value"] for v in record["ResourceRecords"]], ["primary.shop.example.net"])
        self.assertIn("HealthCheckId", record)  # the health check is back on the PRIMARY record
        west = self.instances(DR)
        self.assertNotIn(REPLICA_ID, west)
        dr_old = self.retired(DR, REPLICA_ID)
        self.assertEqual(self.tags(DR, west[dr_old]["DBInstanceArn"]).get("drctl:retired-by"), "failback")

        # A normal plan is still refused (op.* records), the reset brings the stack home.
        r = self.drctl("plan", self.stack)
        self.assertEqual(r.exit_code, 1, r.output())
        r = self.drctl("apply", self.stack, "--reset-after-failover", "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        replica = self.instances(DR)[REPLICA_ID]
        self.assertEqual(replica["ReadReplicaSourceDBInstanceIdentifier"].split(":")[-1], PRIMARY_ID)
        self.assertEqual(replica["ReadReplicaSourceDBInstanceIdentifier"].split(":")[3], PRIMARY)
        g = self.group()
        self.assertEqual((g["MinSize"], g["DesiredCapacity"]), (1, 1))
        self.assertEqual(self.service()["desiredCount"], 1)
        self.assertIn(dr_old, self.instances(DR))  # the retired DR writer is kept
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_failback_without_a_failover_is_refused(self):
        before = set(self.instances(PRIMARY))
        for args in ((), ("--switch",)):
            r = self.drctl("failback", self.stack, *args)
            self.assertEqual(r.exit_code, 1, r.output())
            self.assertIn("has not failed over", r.stderr)
        self.assertEqual(set(self.instances(PRIMARY)), before)

    def test_switch_before_protect_is_refused_via_extension(self):
        self.fail_over()
        r = self.drctl("failback", self.stack, "--switch", "--out", self.work / "s.plan")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("protect phase has not run", r.stderr)
        self.assertFalse((self.work / "s.plan").exists())

    def test_protect_killed_half_way_resumes_without_repeating_steps_via_extension(self):
        self.fail_over()
        plan = self.work / "p.plan"
        r = self.drctl("failback", self.stack, "--out", plan)
        self.assertEqual(r.exit_code, 0, r.output())
        # One step at a time: the kill comes right after the retire is recorded.
        r = self.drctl("apply", plan, "--parallelism", "1", env=dict(self.env, DRCTL_TEST_KILL_AT="after-record:1"))
        self.assertEqual(r.exit_code, -9, r.output())
        done_first = [a for a, _, phase in self.journal() if phase == "done" and "failback" not in a
                      and a.startswith(("op.rds_retire", "op.rds_reverse"))]
        self.assertEqual(done_first, ["op.rds_retire.orders-old-primary"], self.journal())
        self.retired(PRIMARY, PRIMARY_ID)
        self.assertNotIn(PRIMARY_ID, self.instances(PRIMARY))

        r = self.drctl("failback", self.stack, "--out", plan)
        self.assertEqual(r.exit_code, 0, r.output())
        saved = {c["address"]: c["action"] for c in json.loads(plan.read_text())["changes"]}
        self.assertEqual(saved["op.rds_retire.orders-old-primary"], "no-op", saved)
        self.assertEqual(saved["op.rds_reverse_replica.orders"], "create", saved)
        r = self.drctl("apply", plan)
        self.assertEqual(r.exit_code, 1, r.output())  # the killed run's lock
        lock_id = re.search(r"force-unlock (\w+)", r.stderr)
        self.assertIsNotNone(lock_id, r.output())
        r = self.drctl("force-unlock", lock_id.group(1), "--state", self.stack / ".drctl" / "state.db")
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("apply", plan)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assert_protected()
        journal = [(a, action, phase) for a, action, phase in self.journal()
                   if a.startswith(("op.rds_retire", "op.rds_reverse"))]
        for address in {a for a, _, _ in journal}:  # each step completed exactly once across both runs
            self.assertEqual(sum(1 for a, _, phase in journal if a == address and phase == "done"), 1, journal)


if __name__ == "__main__":
    unittest.main()
