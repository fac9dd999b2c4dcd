"""Issue 5, pull-request plans: `drctl plan --format markdown` (the PR comment) and
`--format sarif` / `validate --format sarif` (code scanning findings) against moto.

Tests named *_via_extension apply the stack, which needs tests/moto/drctl_moto.py for the
Backup operations moto lacks (UpdateBackupPlan and the BackupSelection operations)."""

import json
import re
import unittest

import jsonschema

from harness.moto_env import MotoTestCase, REPO_ROOT
from stacks import create_estate, write_stack

SARIF_SCHEMA = json.loads((REPO_ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())


def workload_row(markdown, name):
    """The DR impact table row of a workload."""
    rows = [line for line in markdown.splitlines() if line.startswith(f"| `{name}` |") and "RPO" not in line
            and ("→" in line or "unchanged" in line)]
    return rows[-1] if rows else ""


class PullRequestPlan(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.work = self.make_workdir()
        self.stack_dir = write_stack(self.work / "stack")

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work)

    def test_markdown_plan_of_a_new_stack_has_the_summary_line_and_a_diagram(self):
        create_estate(self.moto)
        r = self.drctl("plan", self.stack_dir, "--format", "markdown")
        self.assertEqual(r.exit_code, 0, r.output())
        md = r.stdout
        self.assertIn("<!-- drctl-plan stack=shop -->", md)
        self.assertIn("**Plan:** 11 to add, 0 to change, 0 to replace, 0 to destroy, 0 to import (0 unchanged).", md)
        self.assertIn("#### `assets`", md)
        self.assertIn("<details><summary><code>s3.replication.assets</code> (create)</summary>", md)
        self.assertIn("first apply", md)
        self.assertIn("```mermaid\nflowchart LR\n", md)
        self.assertIn('subgraph g1["dr us-west-2"]', md)
        self.assertLess(len(md), 65536)
        # A plan changes nothing: the DR bucket is still not there (boto3, the independent client).
        buckets = [b["Name"] for b in self.moto.client("s3").list_buckets()["Buckets"]]
        self.assertNotIn("shop-assets-dr", buckets)

    def test_markdown_after_an_apply_shows_rpo_before_and_after_via_extension(self):
        create_estate(self.moto)
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        rule = self.moto.client("s3").get_bucket_replication(Bucket="shop-assets")["ReplicationConfiguration"]["Rules"][0]
        self.assertEqual(rule["Destination"]["ReplicationTime"]["Status"], "Enabled")

        # Unchanged configuration: nothing to do, and every RPO/RTO is unchanged.
        r = self.drctl("plan", self.stack_dir, "--format", "markdown")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("**Plan:** 0 to add, 0 to change, 0 to replace, 0 to destroy, 0 to import (11 unchanged).", r.stdout)
        self.assertIn("Compared with: the last successful apply (", r.stdout)
        self.assertIn("(unchanged)", workload_row(r.stdout, "assets"), r.stdout)

        # Dropping Replication Time Control changes one resource and loosens the assets RPO.
        write_stack(self.stack_dir, rtc=False)
        r = self.drctl("plan", self.stack_dir, "--format", "markdown")
        self.assertEqual(r.exit_code, 0, r.output())
        md = r.stdout
        self.assertIn("**Plan:** 0 to add, 1 to change, 0 to replace, 0 to destroy, 0 to import (10 unchanged).", md)
        self.assertNotIn("first apply", md)
        row = workload_row(md, "assets")
        self.assertRegex(row, r"15m → \*\*[^*]+\*\*", md)
        self.assertIn("(unchanged)", workload_row(md, "invoices"), md)
        self.assertIn("- rules[0].rtc = true\n+ rules[0].rtc = false", md)

    def test_sarif_points_at_the_line_of_a_schema_error(self):
        path = self.stack_dir / "stack.dr.yaml"
        lines = path.read_text().splitlines(keepends=True)
        line_no = next(i for i, l in enumerate(lines, 1) if l.strip().startswith("rtc:"))
        lines[line_no - 1] = lines[line_no - 1].replace("rtc:", "rtcc:")
        path.write_text("".join(lines))

        for args in (("validate", self.stack_dir, "--format", "sarif"),
                     ("plan", self.stack_dir, "--format", "sarif")):
            r = self.drctl(*args)
            self.assertEqual(r.exit_code, 1, r.output())
            log = json.loads(r.stdout)
            jsonschema.validate(log, SARIF_SCHEMA)
            run = log["runs"][0]
            self.assertEqual(run["tool"]["driver"]["name"], "drctl")
            hits = [res for res in run["results"] if "rtcc" in res["message"]["text"]]
            self.assertEqual(len(hits), 1, r.stdout)
            self.assertEqual(hits[0]["level"], "error")
            self.assertEqual(hits[0]["ruleId"], "config/workloads.*.rtcc")
            location = hits[0]["locations"][0]["physicalLocation"]
            # Not in a git repository: relative to the current directory (self.work).
            self.assertEqual(location["artifactLocation"]["uri"], "stack/stack.dr.yaml")
            self.assertEqual(location["region"]["startLine"], line_no)
            rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
            self.assertIn("config/workloads.*.rtcc", rule_ids)
            self.assertRegex(r.stderr, rf"stack\.dr\.yaml:{line_no}:\d+: error: ")

        # The PR comment says there is no plan, and why, at the line.
        r = self.drctl("plan", self.stack_dir, "--format", "markdown")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("**No plan:**", r.stdout)
        self.assertIn("<!-- drctl-plan stack=stack -->", r.stdout)
        self.assertRegex(r.stdout, rf"stack/stack\.dr\.yaml:{line_no}` `workloads\.assets\.rtcc`: unknown key")

    def test_sarif_plan_of_a_valid_stack_carries_its_warnings_and_exits_0(self):
        create_estate(self.moto)
        r = self.drctl("plan", self.stack_dir, "--format", "sarif")
        self.assertEqual(r.exit_code, 0, r.output())
        log = json.loads(r.stdout)
        jsonschema.validate(log, SARIF_SCHEMA)
        results = log["runs"][0]["results"]
        # invoices replicates without RTC: its 1h RPO cannot be shown (a warning, not an error).
        self.assertEqual([res["level"] for res in results], ["warning"], r.stdout)
        self.assertEqual(results[0]["ruleId"], "objectives/objectives.rpo")
        self.assertIn("workload 'invoices'", results[0]["message"]["text"])
        self.assertEqual(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 5)
        self.assertTrue(re.match(r"\d+\.\d+", log["runs"][0]["tool"]["driver"]["version"]))

if __name__ == "__main__":
    unittest.main()
