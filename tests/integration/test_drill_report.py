"""Drills, the run history and the audit pack, against moto with signatures checked, verified
with boto3: `drctl drill` fails a warm-standby stack over for real, measures each step, fails
back and returns to the configured topology; `drctl assess` then shows the last drill and
`drctl report` writes the audit pack (HTML, JSON, Markdown).

moto 5.2.1 keeps a promoted instance's source link, cannot rename instances the way RDS does
and lacks Aurora switchover: the extensions in tests/moto/ext_*.py fill these, so tests that
depend on them say so in their names.
"""

import html.parser
import json
import sqlite3

from harness import warm_standby
from harness.moto_env import MotoTestCase
from stacks import create_estate, write_stack

PRIMARY, DR = "us-east-1", "us-west-2"
STACK = "shop"
RECORD = "api.shop.example."


class Drill(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        self.zone = warm_standby.create_estate(self.moto, ecs=False)
        self.stack = warm_standby.write_stack(self.work / "stack", self.zone, ecs=False)
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, timeout_s=300, **kw)

    def instance(self, region, identifier):
        found = self.moto.client("rds", region).describe_db_instances()["DBInstances"]
        return next((d for d in found if d["DBInstanceIdentifier"] == identifier), None)

    def records(self):
        sets = self.moto.client("route53").list_resource_record_sets(HostedZoneId=self.zone)["ResourceRecordSets"]
        return {r["Failover"]: [v["Value"] for v in r.get("ResourceRecords", [])]
                for r in sets if r["Name"] == RECORD and "Failover" in r}

    def runs(self):
        db = sqlite3.connect(self.stack / ".drctl" / "state.db")
        try:
            return db.execute("SELECT kind, outcome, detail FROM runs ORDER BY id").fetchall()
        finally:
            db.close()

    def test_drill_fails_over_measures_and_comes_back_via_extension(self):
        report = self.work / "drill.md"
        r = self.drctl("drill", self.stack, "--auto-approve", "--report", report)
        self.assertEqual(r.exit_code, 0, r.output())
        for phase in ("failover", "failback-protect", "failback-switch", "reset"):
            self.assertIn(f"== {phase} ==", r.stdout)
        self.assertIn("Achieved RTO:", r.stdout)

        # Back where it started, checked with boto3: the primary region holds the writer, the
        # DR region a replica of it, DR capacity at standby, DNS on the primary target.
        primary = self.instance(PRIMARY, "orders-primary")
        self.assertIsNotNone(primary)
        self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", primary)
        replica = self.instance(DR, f"drctl-{STACK}-orders")
        self.assertIsNotNone(replica)
        self.assertEqual(replica["ReadReplicaSourceDBInstanceIdentifier"].split(":")[-1], "orders-primary")
        g = self.moto.client("autoscaling", DR).describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
        self.assertEqual((g["MinSize"], g["DesiredCapacity"]), (1, 1))
        self.assertEqual(self.records()["PRIMARY"], ["primary.shop.example.net"])

        # The history: one run per phase, then the drill with measured steps.
        runs = self.runs()
        kinds = [k for k, _, _ in runs]
        for kind in ("failover", "failback-protect", "failback-switch", "drill"):
            self.assertIn(kind, kinds)
        drill = json.loads([d for k, _, d in runs if k == "drill"][-1])
        self.assertTrue(drill["ok"], drill)
        failover = next(p for p in drill["phases"] if p["name"] == "failover")
        self.assertIn("op.rds_promote.orders", [s["address"] for s in failover["steps"]])
        self.assertTrue(all(s["seconds"] >= 0 for s in failover["steps"]))
        # Detection is modelled from the health check: 30 s x 3.
        self.assertEqual(drill["detection_seconds"], 90)
        self.assertEqual(drill["rto_objective_seconds"], 1800)
        self.assertGreaterEqual(drill["achieved_rto_seconds"], 90)
        self.assertTrue(drill["meets_rto"])
        self.assertIn("op.rds_promote.orders", report.read_text())

        # After the drill the stack is exactly as configured again.
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

        # assess shows the drill next to the objective.
        r = self.drctl("assess", self.stack)
        self.assertIn("last drill today:", r.stdout, r.output())
        self.assertIn("vs RTO 30m (meets)", r.stdout)
        r = self.drctl("assess", self.stack, "--format", "json")
        self.assertEqual(json.loads(r.stdout)["last_drill"]["achieved_rto_seconds"], drill["achieved_rto_seconds"])

        # The audit pack carries it too.
        r = self.drctl("report", self.stack, "--format", "json", "--no-readiness")
        self.assertIn(r.exit_code, (0, 2), r.output())
        pack = json.loads(r.stdout)
        self.assertEqual(pack["last_drill"]["achieved_rto_seconds"], drill["achieved_rto_seconds"])
        orders = next(w for w in pack["workloads"] if w["name"] == "orders")
        # No backups block: the RDS workload has no backup plan, a control it fails.
        self.assertEqual([c["name"] for c in orders["controls"]], ["backup plan"])
        self.assertFalse(orders["compliant"])
        self.assertEqual(r.exit_code, 2)

    def test_drill_needs_approval_and_changes_nothing_without_it(self):
        r = self.drctl("drill", self.stack)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("--auto-approve", r.stderr)
        replica = self.instance(DR, f"drctl-{STACK}-orders")
        self.assertIn("ReadReplicaSourceDBInstanceIdentifier", replica)
        self.assertNotIn("drill", [k for k, _, _ in self.runs()])

    def test_assess_without_a_drill_says_so(self):
        r = self.drctl("assess", self.stack)
        self.assertIn("no drill on record", r.stdout, r.output())


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.text = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


class AuditPack(MotoTestCase):
    """The backup controls of the audit pack, read from the configuration (no AWS reads)."""

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        create_estate(self.moto)

    def report(self, stack, fmt):
        return self.run_drctl("report", stack, "--format", fmt, "--no-readiness", env=self.env, cwd=self.work)

    def controls(self, stack):
        r = self.report(stack, "json")
        self.assertIn(r.exit_code, (0, 2), r.output())
        pack = json.loads(r.stdout)
        assets = next(w for w in pack["workloads"] if w["name"] == "assets")
        return pack, {c["name"]: c for c in assets["controls"]}

    def test_controls_follow_the_backup_configuration(self):
        stack = write_stack(self.work / "plain")
        # Retention under the 35 days of the control (no cold storage, which needs 90 days more).
        yaml = stack / "stack.dr.yaml"
        yaml.write_text(yaml.read_text().replace("retention: 120d", "retention: 14d").replace("  cold_after: 14d\n", ""))
        pack, controls = self.controls(stack)
        self.assertEqual(pack["stack"], "shop")
        self.assertIsNone(pack["revision"]["commit"])  # not in a git repository
        self.assertEqual(len(pack["revision"]["config_hash"]), 64)
        self.assertTrue(controls["backup frequency"]["compliant"], controls)  # hourly
        self.assertFalse(controls["backup retention"]["compliant"])  # 14d < 35d
        self.assertTrue(controls["cross-region copy"]["compliant"])
        self.assertFalse(controls["vault lock"]["compliant"])
        self.assertFalse(pack["compliant"])

        locked = write_stack(self.work / "locked", retention="120d",
                             extra="  vault_lock: { min_retention: 35d, max_retention: 365d }\n")
        _, controls = self.controls(locked)
        self.assertTrue(all(c["compliant"] for c in controls.values()), controls)

    def test_html_is_one_escaped_page(self):
        stack = write_stack(self.work / "plain")
        r = self.report(stack, "html")
        self.assertEqual(r.exit_code, 2, r.output())  # no drill on record: not compliant overall
        parser = _Text()
        parser.feed(r.stdout)
        self.assertEqual(parser.tags[0], "html")
        self.assertNotIn("script", parser.tags)
        text = "".join(parser.text)
        self.assertIn("DR audit pack: shop", text)
        self.assertIn("no drill on record", text)
        self.assertIn("vault lock", text)
        out = self.work / "pack.md"
        r = self.run_drctl("report", stack, "--out", out, "--no-readiness", env=self.env, cwd=self.work)
        self.assertEqual(r.exit_code, 2, r.output())
        self.assertIn("| `assets` | vault lock |", out.read_text())
