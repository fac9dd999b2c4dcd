"""RTO/RPO assessment: validate and plan refuse a stack that cannot meet its own objectives
(exit 1, pointing at the objective's line), and `drctl assess` prints objective vs achievable
per workload as text, JSON and Markdown. No AWS is needed: the check runs before any call."""

import json
import os
import shutil
import tempfile
import textwrap
import unittest
from pathlib import Path

from harness.moto_env import run_drctl

ROOT = Path(__file__).resolve().parents[2]

# Hourly backups, no replication (backup-restore RDS), RPO 5m: 1h + 30m copy cannot meet it.
IMPOSSIBLE = textwrap.dedent("""\
    version: 1
    stack: shop
    regions: { primary: us-east-1, dr: us-west-2 }
    strategy: backup-restore
    objectives: { rto: 24h, rpo: 5m }
    workloads:
      db: { kind: rds, source: shop-db, replica: { class: db.t3.medium } }
    backups:
      schedule: cron(0 * ? * * *)
      retention: 35d
      select: { tags: { dr: protected } }
    """)


class Assess(unittest.TestCase):

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="drctl-assess-"))
        # Endpoint on a closed port: any AWS call would fail loudly, and none must be made.
        self.env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.dir),
                    "AWS_ACCESS_KEY_ID": "unused", "AWS_SECRET_ACCESS_KEY": "unused",
                    "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_DEFAULT_REGION": "us-east-1"}

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def stack(self, text):
        folder = self.dir / "stack"
        folder.mkdir(exist_ok=True)
        (folder / "stack.dr.yaml").write_text(text)
        return folder

    def test_validate_and_plan_fail_on_an_impossible_rpo(self):
        folder = self.stack(IMPOSSIBLE)
        for args in (("validate", folder), ("plan", folder, "--state", self.dir / "state.db")):
            r = run_drctl(*args, env=self.env, cwd=self.dir)
            self.assertEqual(r.exit_code, 1, r.output())
            self.assertIn("stack.dr.yaml:5:25: error: objectives.rpo: workload 'db' cannot meet its RPO of 5m: "
                          "achievable 1h30m", r.stderr, r.output())
            self.assertIn("backups every 1h (cron(0 * ? * * *)) + copy to DR 30m = 1h30m", r.stderr)
            self.assertRegex(r.stderr, r"cause: .*stack\.dr\.yaml:9:3: backups\.schedule")
        self.assertFalse((self.dir / "state.db").exists(), "plan must stop before opening state")

    def test_loosened_workload_objective_passes(self):
        folder = self.stack(IMPOSSIBLE.replace(
            "replica: { class: db.t3.medium } }",
            "replica: { class: db.t3.medium }, objectives: { rpo: 2h } }"))
        r = run_drctl("validate", folder, env=self.env, cwd=self.dir)
        self.assertEqual(r.exit_code, 0, r.output())

    def test_unknown_timing_override_is_an_error_at_its_line(self):
        folder = self.stack(IMPOSSIBLE.replace("rpo: 5m", "rpo: 2h") + "timings: { rds_promotion: 5m }\n")
        r = run_drctl("validate", folder, env=self.env, cwd=self.dir)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertRegex(r.stderr, r"stack\.dr\.yaml:12:\d+: error: timings\.rds_promotion: unknown timing")

    def test_assess_json_for_the_warm_standby_example(self):
        example = ROOT / "examples" / "ecommerce-warm-standby"
        r = run_drctl("assess", example, "--format", "json",
                      env=self.env, cwd=self.dir)
        doc = json.loads(r.stdout)
        rows = {w["name"]: w for w in doc["workloads"]}
        self.assertEqual(doc["stack"], "ecommerce")
        self.assertEqual(doc["strategy"], "warm-standby")
        self.assertEqual(set(rows), {"orders", "images", "api", "dns"})
        # orders: replica lag 1m; health check 30s x 3 = 1m30s, then promotion 10m.
        self.assertEqual(rows["orders"]["rpo"]["achievable_seconds"], 60)
        self.assertEqual(rows["orders"]["rpo"]["verdict"], "meets")
        self.assertEqual([s["seconds"] for s in rows["orders"]["rto"]["steps"]], [90, 600])
        self.assertEqual(rows["orders"]["rto"]["achievable"], "11m30s")
        self.assertEqual(rows["orders"]["rto"]["verdict"], "meets")
        # api: standby 1 -> 3 tasks: scale-out; dns: detection + 60 s TTL; neither holds data.
        self.assertEqual(rows["api"]["rto"]["steps"][1]["timing"], "ecs_scale_out")
        self.assertEqual(rows["dns"]["rto"]["achievable_seconds"], 150)
        self.assertEqual(rows["api"]["rpo"]["verdict"], "n/a")
        # images: S3 RTC is bounded at 15 minutes; the example declares its own 15m RPO for it
        # (the stack's 5m could not hold), at the workload's objectives line.
        self.assertEqual(rows["images"]["rpo"]["achievable"], "15m")
        self.assertEqual(rows["images"]["rpo"]["verdict"], "meets")
        self.assertEqual(rows["images"]["rpo"]["declared_field"], "workloads.images.objectives.rpo")
        self.assertTrue(doc["meets_all"])
        self.assertEqual(r.exit_code, 0, r.output())

        # The same stack with the images' own objective removed inherits 5m and fails, pointing
        # at the stack's objectives line.
        stack = self.dir / "ecommerce"
        stack.mkdir()
        text = (example / "stack.dr.yaml").read_text()
        (stack / "stack.dr.yaml").write_text(text.replace("    objectives: { rpo: 15m }\n", ""))
        r = run_drctl("assess", stack, "--format", "json", env=self.env, cwd=self.dir)
        self.assertEqual(r.exit_code, 1, r.output())
        images = {w["name"]: w for w in json.loads(r.stdout)["workloads"]}["images"]
        self.assertEqual(images["rpo"]["verdict"], "misses")
        self.assertEqual(images["rpo"]["declared_field"], "objectives.rpo")
        self.assertTrue(images["rpo"]["declared_at"].endswith("stack.dr.yaml:7:25"))

    def test_assess_markdown_and_text(self):
        example = ROOT / "examples" / "webapp-pilot-light"
        md = run_drctl("assess", example, "--format", "markdown", env=self.env, cwd=self.dir)
        self.assertEqual(md.exit_code, 0, md.output())
        self.assertIn("| Workload | Kind | RPO objective | RPO achievable | RPO verdict | "
                      "RTO objective | RTO achievable | RTO verdict |", md.stdout)
        # Pilot light: the web tier scales from zero (10m) after detection (1m30s).
        self.assertIn("| `web` | asg | 15m | n/a | n/a | 4h | 11m30s | meets |", md.stdout)
        text = run_drctl("assess", example, env=self.env, cwd=self.dir)
        self.assertEqual(text.exit_code, 0, text.output())
        self.assertIn("scale from zero to 4 (10m, timings.asg_scale_from_zero)", text.stdout)
        self.assertIn("Every declared objective can be met.", text.stdout)


if __name__ == "__main__":
    unittest.main()
