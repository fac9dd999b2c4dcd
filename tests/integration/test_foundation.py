"""Issue: the walking skeleton end to end. drctl plans and applies S3 replication and AWS
Backup against moto over HTTP (signatures checked), and every result is verified with boto3.

Tests named *_via_extension rely on tests/moto/drctl_moto.py for the Backup operations moto
lacks (UpdateBackupPlan and the BackupSelection operations)."""

import json
import os
import pty
import re
import select
import subprocess
import time
import unittest
from pathlib import Path

import jsonschema

from harness.moto_env import MotoTestCase, drctl_bin, REPO_ROOT
from stacks import EXPECTED_ADDRESSES, create_estate, write_stack

PLAN_SCHEMA = json.loads((REPO_ROOT / "schemas" / "plan.schema.json").read_text())
DRIFT_SCHEMA = json.loads((REPO_ROOT / "schemas" / "drift.schema.json").read_text())


class Foundation(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.work = self.make_workdir()
        self.stack_dir = write_stack(self.work / "stack")
        create_estate(self.moto)

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, **kw)

    def apply_ok(self, *extra):
        r = self.drctl("apply", self.stack_dir, "--auto-approve", *extra)
        self.assertEqual(r.exit_code, 0, r.output())
        return r

    # --- independent reads with boto3 -------------------------------------------------------

    def backup_plans(self):
        plans = self.moto.client("backup").list_backup_plans()["BackupPlansList"]
        return [p for p in plans if p["BackupPlanName"] == "drctl-shop"]

    def assert_estate_protected(self):
        s3 = self.moto.client("s3")
        s3_dr = self.moto.client("s3", region="us-west-2")
        iam = self.moto.client("iam")
        for workload in ("assets", "invoices"):
            dr_bucket = f"shop-{workload}-dr"
            self.assertEqual(s3_dr.get_bucket_location(Bucket=dr_bucket)["LocationConstraint"], "us-west-2")
            self.assertEqual(s3_dr.get_bucket_versioning(Bucket=dr_bucket)["Status"], "Enabled")
            enc = s3_dr.get_bucket_encryption(Bucket=dr_bucket)["ServerSideEncryptionConfiguration"]
            self.assertEqual(enc["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
            self.assertEqual(s3.get_bucket_versioning(Bucket=f"shop-{workload}")["Status"], "Enabled")
            config = s3.get_bucket_replication(Bucket=f"shop-{workload}")["ReplicationConfiguration"]
            self.assertEqual(len(config["Rules"]), 1)
            rule = config["Rules"][0]
            self.assertEqual(rule["Status"], "Enabled")
            self.assertEqual(rule["Destination"]["Bucket"], f"arn:aws:s3:::{dr_bucket}")
            role = iam.get_role(RoleName=f"drctl-shop-{workload}-replication")["Role"]
            self.assertEqual(config["Role"], role["Arn"])
            policies = iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
            self.assertEqual(len(policies), 1)
        assets = s3.get_bucket_replication(Bucket="shop-assets")["ReplicationConfiguration"]["Rules"][0]
        self.assertEqual(assets["Destination"]["ReplicationTime"]["Status"], "Enabled")
        self.assertEqual(assets["Destination"]["StorageClass"], "STANDARD_IA")
        self.assertEqual(assets["DeleteMarkerReplication"]["Status"], "Enabled")

        backup = self.moto.client("backup")
        dr_vault = self.moto.client("backup", region="us-west-2").describe_backup_vault(BackupVaultName="drctl-shop-dr")
        plans = self.backup_plans()
        self.assertEqual(len(plans), 1, plans)
        plan = backup.get_backup_plan(BackupPlanId=plans[0]["BackupPlanId"])["BackupPlan"]
        rule = plan["Rules"][0]
        self.assertEqual(rule["TargetBackupVaultName"], "drctl-shop-primary")
        self.assertEqual(rule["ScheduleExpression"], "cron(0 * ? * * *)")
        self.assertEqual(rule["Lifecycle"], {"MoveToColdStorageAfterDays": 14, "DeleteAfterDays": 120})
        self.assertEqual(rule["CopyActions"][0]["DestinationBackupVaultArn"], dr_vault["BackupVaultArn"])
        self.assertIn(":us-west-2:", dr_vault["BackupVaultArn"])
        selections = backup.list_backup_selections(BackupPlanId=plans[0]["BackupPlanId"])["BackupSelectionsList"]
        self.assertEqual(len(selections), 1, selections)
        sel = backup.get_backup_selection(BackupPlanId=plans[0]["BackupPlanId"],
                                          SelectionId=selections[0]["SelectionId"])["BackupSelection"]
        self.assertEqual(sel["ListOfTags"][0]["ConditionKey"], "dr")
        self.assertEqual(sel["ListOfTags"][0]["ConditionValue"], "protected")
        self.assertEqual(sel["IamRoleArn"], iam.get_role(RoleName="drctl-shop-backup")["Role"]["Arn"])

    # --- tests ------------------------------------------------------------------------------

    def test_request_signed_with_a_wrong_secret_is_rejected(self):
        r = self.drctl("plan", self.stack_dir, env=self.moto.env(AWS_SECRET_ACCESS_KEY="wrong-secret"))
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("SignatureDoesNotMatch", r.output())
        self.assertNotIn("wrong-secret", r.output())

    def test_apply_from_empty_then_plan_is_a_no_op_via_extension(self):
        r = self.drctl("plan", self.stack_dir, "--format", "json", "--detailed-exitcode")
        self.assertEqual(r.exit_code, 2, r.output())
        plan = json.loads(r.stdout)
        jsonschema.validate(plan, PLAN_SCHEMA)
        self.assertEqual({c["address"] for c in plan["changes"]}, EXPECTED_ADDRESSES)
        self.assertTrue(all(c["action"] == "create" for c in plan["changes"]), plan["changes"])

        self.apply_ok()
        self.assert_estate_protected()

        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("No changes.", r.stdout)
        state = self.work / "stack" / ".drctl" / "state.db"
        self.assertEqual(os.stat(state).st_mode & 0o777, 0o600)
        listed = self.drctl("state", "list", self.stack_dir)
        self.assertEqual({line.split("\t")[0] for line in listed.stdout.splitlines()}, EXPECTED_ADDRESSES)

    def test_out_of_band_changes_are_drift_and_apply_repairs_them_via_extension(self):
        self.apply_ok()
        s3 = self.moto.client("s3")
        self.moto.client("s3", region="us-west-2").put_bucket_versioning(
            Bucket="shop-assets-dr", VersioningConfiguration={"Status": "Suspended"})
        config = s3.get_bucket_replication(Bucket="shop-invoices")["ReplicationConfiguration"]
        config["Rules"][0]["Status"] = "Disabled"
        s3.put_bucket_replication(Bucket="shop-invoices", ReplicationConfiguration=config)
        backup = self.moto.client("backup")
        plan_id = self.backup_plans()[0]["BackupPlanId"]
        for sel in backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]:
            backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=sel["SelectionId"])

        r = self.drctl("drift", self.stack_dir, "--format", "json")
        self.assertEqual(r.exit_code, 2, r.output())
        report = json.loads(r.stdout)
        jsonschema.validate(report, DRIFT_SCHEMA)
        entries = {e["address"]: e for e in report["entries"]}
        self.assertEqual(set(entries), {"s3.bucket.assets", "s3.replication.invoices", "backup.selection.main"})
        self.assertEqual(entries["backup.selection.main"]["kind"], "deleted")
        paths = {a["path"]: a for a in entries["s3.bucket.assets"]["attributes"]}
        self.assertEqual(paths["versioning"]["expected"], "Enabled")
        self.assertEqual(paths["versioning"]["actual"], "Suspended")
        paths = {a["path"]: a for a in entries["s3.replication.invoices"]["attributes"]}
        self.assertEqual(paths["rules[0].status"]["actual"], "Disabled")

        text = self.drctl("drift", self.stack_dir)
        self.assertEqual(text.exit_code, 2)
        self.assertIn("rules[0].status", text.stdout)

        self.apply_ok()
        self.assert_estate_protected()
        r = self.drctl("drift", self.stack_dir)
        self.assertEqual(r.exit_code, 0, r.output())

    def test_in_place_update_changes_the_live_object_via_extension(self):
        self.apply_ok()
        write_stack(self.stack_dir, rtc=False, retention="200d")
        r = self.drctl("plan", self.stack_dir, "--format", "json")
        changed = {c["address"]: c for c in json.loads(r.stdout)["changes"] if c["action"] != "no-op"}
        self.assertEqual(set(changed), {"s3.replication.assets", "backup.plan.main"}, r.stdout)
        self.assertEqual({c["action"] for c in changed.values()}, {"update"})
        plan_id = self.backup_plans()[0]["BackupPlanId"]
        self.apply_ok()
        plans = self.backup_plans()
        self.assertEqual([p["BackupPlanId"] for p in plans], [plan_id])  # updated, not recreated
        rule = self.moto.client("backup").get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]["Rules"][0]
        self.assertEqual(rule["Lifecycle"]["DeleteAfterDays"], 200)
        dest = self.moto.client("s3").get_bucket_replication(Bucket="shop-assets")[
            "ReplicationConfiguration"]["Rules"][0]["Destination"]
        self.assertNotIn("ReplicationTime", dest)

    def test_objects_that_already_exist_are_imported_not_duplicated_via_extension(self):
        self.moto.client("backup", region="us-west-2").create_backup_vault(BackupVaultName="drctl-shop-dr")
        self.moto.client("s3", region="us-west-2").create_bucket(
            Bucket="shop-assets-dr", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        r = self.drctl("plan", self.stack_dir, "--format", "json")
        actions = {c["address"]: c["action"] for c in json.loads(r.stdout)["changes"]}
        self.assertEqual(actions["backup.vault.dr"], "import", r.stdout)
        self.assertEqual(actions["s3.bucket.assets"], "import", r.stdout)
        self.assertEqual(actions["backup.vault.primary"], "create")
        self.apply_ok()
        vaults = self.moto.client("backup", region="us-west-2").list_backup_vaults()["BackupVaultList"]
        self.assertEqual([v["BackupVaultName"] for v in vaults], ["drctl-shop-dr"])
        self.assert_estate_protected()  # the imported bucket was brought to the desired settings
        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_import_command_adopts_an_object_under_its_address(self):
        self.moto.client("s3", region="us-west-2").create_bucket(
            Bucket="shop-invoices-dr", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        r = self.drctl("import", "s3.bucket.invoices", "shop-invoices-dr", self.stack_dir)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("differ from the configuration", r.stdout)
        shown = json.loads(self.drctl("state", "show", "s3.bucket.invoices", self.stack_dir).stdout)
        self.assertEqual(shown["cloud_id"], "shop-invoices-dr")
        r = self.drctl("plan", self.stack_dir, "--format", "json")
        actions = {c["address"]: c["action"] for c in json.loads(r.stdout)["changes"]}
        self.assertEqual(actions["s3.bucket.invoices"], "update", r.stdout)
        r = self.drctl("import", "s3.bucket.nope", "x", self.stack_dir)
        self.assertEqual(r.exit_code, 1)
        self.assertIn("not in the configuration", r.stderr)

    def test_destroying_a_data_bearing_resource_needs_allow_destroy_via_extension(self):
        self.apply_ok()
        text = (self.stack_dir / "stack.dr.yaml").read_text()
        start = text.index("  invoices:")
        end = text.index("backups:")
        (self.stack_dir / "stack.dr.yaml").write_text(text[:start] + text[end:])
        r = self.drctl("plan", self.stack_dir)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("would delete the data", r.output())
        self.assertIn("--allow-destroy=s3.bucket.invoices", r.output())
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 1, r.output())
        self.moto.client("s3", region="us-west-2").head_bucket(Bucket="shop-invoices-dr")  # still there
        r = self.drctl("apply", self.stack_dir, "--auto-approve", "--allow-destroy", "s3.bucket.invoices")
        self.assertEqual(r.exit_code, 0, r.output())
        buckets = [b["Name"] for b in self.moto.client("s3").list_buckets()["Buckets"]]
        self.assertNotIn("shop-invoices-dr", buckets)
        self.assertNotIn("drctl-shop-invoices-replication",
                         [x["RoleName"] for x in self.moto.client("iam").list_roles()["Roles"]])
        with self.assertRaises(Exception):
            self.moto.client("s3").get_bucket_replication(Bucket="shop-invoices")

    def test_objects_tagged_with_the_stack_but_unknown_to_state_are_orphans_via_extension(self):
        self.apply_ok()
        r = self.drctl("orphans", self.stack_dir)
        self.assertEqual(r.exit_code, 0, r.output())
        # A leftover of a killed run: tagged as the stack's DR bucket, but not the one in state.
        s3_dr = self.moto.client("s3", region="us-west-2")
        s3_dr.create_bucket(Bucket="shop-assets-dr-2", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
        s3_dr.put_bucket_tagging(Bucket="shop-assets-dr-2", Tagging={"TagSet": [
            {"Key": "drctl:stack", "Value": "shop"}, {"Key": "drctl:address", "Value": "s3.bucket.assets"}]})
        self.moto.client("sns", region="us-west-2").create_topic(
            Name="ghost", Tags=[{"Key": "drctl:stack", "Value": "shop"}, {"Key": "drctl:address", "Value": "sns.topic.ghost"}])
        r = self.drctl("orphans", self.stack_dir, "--format", "json")
        self.assertEqual(r.exit_code, 2, r.output())
        found = {o["arn"]: o for o in json.loads(r.stdout)}
        self.assertEqual(set(found), {"arn:aws:s3:::shop-assets-dr-2",
                                      "arn:aws:sns:us-west-2:123456789012:ghost"}, r.stdout)
        self.assertIn("state knows s3.bucket.assets as shop-assets-dr", found["arn:aws:s3:::shop-assets-dr-2"]["reason"])
        self.assertEqual(found["arn:aws:sns:us-west-2:123456789012:ghost"]["reason"], "not in state")

    def test_stale_saved_plan_is_refused(self):
        first, second = self.work / "first.plan", self.work / "second.plan"
        self.assertEqual(self.drctl("plan", self.stack_dir, "--out", first).exit_code, 0)
        self.assertEqual(self.drctl("plan", self.stack_dir, "--out", second).exit_code, 0)
        r = self.drctl("apply", first)
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("apply", second)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("stale", r.stderr)
        # A configuration edited after planning makes the plan stale too.
        third = self.work / "third.plan"
        self.assertEqual(self.drctl("plan", self.stack_dir, "--out", third).exit_code, 0)
        write_stack(self.stack_dir, rtc=False)
        r = self.drctl("apply", third)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("configuration", r.stderr)

    def test_targeted_apply_reads_and_changes_only_the_target_and_its_dependencies(self):
        r = self.drctl("plan", self.stack_dir, "--target", "s3.replication.assets", "--format", "json")
        self.assertEqual(r.exit_code, 0, r.output())
        planned = {c["address"] for c in json.loads(r.stdout)["changes"]}
        self.assertEqual(planned, {"s3.replication.assets", "s3.bucket.assets", "iam.role.assets-replication"})
        self.assertIn("resource targeting is in effect", r.stderr)

        r = self.drctl("apply", self.stack_dir, "--auto-approve", "--target", "assets")
        self.assertEqual(r.exit_code, 0, r.output())
        s3 = self.moto.client("s3")
        rule = s3.get_bucket_replication(Bucket="shop-assets")["ReplicationConfiguration"]["Rules"][0]
        self.assertEqual(rule["Destination"]["Bucket"], "arn:aws:s3:::shop-assets-dr")
        with self.assertRaises(Exception):  # the other workload was left alone
            s3.get_bucket_replication(Bucket="shop-invoices")
        self.assertEqual(self.backup_plans(), [])

        # The whole stack still wants the rest; a target matching nothing is an error.
        r = self.drctl("plan", self.stack_dir, "--format", "json")
        todo = {c["address"] for c in json.loads(r.stdout)["changes"] if c["action"] != "no-op"}
        self.assertEqual(todo, EXPECTED_ADDRESSES - {"s3.replication.assets", "s3.bucket.assets",
                                                     "iam.role.assets-replication"})
        r = self.drctl("plan", self.stack_dir, "--target", "s3.bukcet.*")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("--target s3.bukcet.* matches no resource", r.stderr)

    def test_apply_without_auto_approve_on_a_non_tty_refuses(self):
        r = self.drctl("apply", self.stack_dir)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("--auto-approve", r.stderr)
        self.assertEqual(self.backup_plans(), [])

    def test_second_concurrent_apply_is_refused_naming_the_holder(self):
        # The first apply holds the lock while it waits for confirmation on a terminal.
        master, slave = pty.openpty()
        first = subprocess.Popen([str(drctl_bin()), "apply", str(self.stack_dir)], env=self.env,
                                 cwd=self.work, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        try:
            seen = b""
            deadline = time.time() + 60
            while b"Only 'yes' is accepted" not in seen and time.time() < deadline:
                ready, _, _ = select.select([master], [], [], 1)
                if ready:
                    seen += os.read(master, 65536)
            self.assertIn(b"Only 'yes' is accepted", seen)
            r = self.drctl("apply", self.stack_dir, "--auto-approve")
            self.assertEqual(r.exit_code, 1, r.output())
            self.assertIn("locked by", r.stderr)
            self.assertIn(f"pid {first.pid}", r.stderr)
            self.assertIn("'apply'", r.stderr)
            os.write(master, b"no\n")
            self.assertEqual(first.wait(timeout=60), 1)
        finally:
            if first.poll() is None:
                first.kill()
            os.close(master)
        self.assertEqual(self.backup_plans(), [])
        self.apply_ok()  # the lock was released

    def test_lock_timeout_waits_for_the_holder_then_applies(self):
        master, slave = pty.openpty()
        first = subprocess.Popen([str(drctl_bin()), "apply", str(self.stack_dir)], env=self.env,
                                 cwd=self.work, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        try:
            seen = b""
            deadline = time.time() + 60
            while b"Only 'yes' is accepted" not in seen and time.time() < deadline:
                ready, _, _ = select.select([master], [], [], 1)
                if ready:
                    seen += os.read(master, 65536)
            self.assertIn(b"Only 'yes' is accepted", seen)
            # A short wait runs out and says so.
            started = time.time()
            r = self.drctl("apply", self.stack_dir, "--auto-approve", "--lock-timeout", "1s")
            self.assertEqual(r.exit_code, 1, r.output())
            self.assertGreaterEqual(time.time() - started, 1.0)
            self.assertIn("waited 1s", r.stderr)
            self.assertEqual(self.backup_plans(), [])
            # A longer one gets the lock once the holder lets go.
            second = subprocess.Popen([str(drctl_bin()), "apply", str(self.stack_dir), "--auto-approve",
                                       "--lock-timeout", "2m"], env=self.env, cwd=self.work,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.5)
            self.assertIsNone(second.poll(), "the second apply waits while the lock is held")
            os.write(master, b"no\n")
            self.assertEqual(first.wait(timeout=60), 1)
            out, err = second.communicate(timeout=120)
            self.assertEqual(second.returncode, 0, out + err)
            self.assertIn("waiting for the state lock", err)
        finally:
            for p in (first,):
                if p.poll() is None:
                    p.kill()
            os.close(master)
        self.assertEqual(len(self.backup_plans()), 1)
        r = self.drctl("apply", self.stack_dir, "--auto-approve", "--lock-timeout", "soon")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("not a duration", r.stderr)

    def test_sigkill_during_apply_then_reapply_converges_via_extension(self):
        kill_points = ["after-intent:1", "after-call:1", "after-outcome:2", "after-record:3",
                       "after-intent:6", "after-call:8", "after-record:10", "after-intent:11"]
        for point in kill_points:
            with self.subTest(point=point):
                self.moto.reset()
                env = self.moto.env()
                create_estate(self.moto)
                state = self.work / f"state-{point.replace(':', '-')}.db"
                r = self.drctl("apply", self.stack_dir, "--auto-approve", "--state", state,
                               env=dict(env, DRCTL_TEST_KILL_AT=point))
                self.assertEqual(r.exit_code, -9, r.output())
                r = self.drctl("apply", self.stack_dir, "--auto-approve", "--state", state, env=env)
                self.assertEqual(r.exit_code, 1, r.output())
                lock_id = re.search(r"force-unlock (\w+)", r.stderr)
                self.assertIsNotNone(lock_id, r.output())
                self.assertIn("stale", r.stderr)
                r = self.drctl("force-unlock", lock_id.group(1), "--state", state, env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                r = self.drctl("apply", self.stack_dir, "--auto-approve", "--state", state, env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                self.env = env
                self.assert_estate_protected()  # exactly one plan, one selection, one rule each
                r = self.drctl("plan", self.stack_dir, "--detailed-exitcode", "--state", state, env=env)
                self.assertEqual(r.exit_code, 0, r.output())
                check = subprocess.run(["sqlite3", str(state), "PRAGMA integrity_check;"],
                                       capture_output=True, text=True)
                self.assertEqual(check.stdout.strip(), "ok")


if __name__ == "__main__":
    unittest.main()
