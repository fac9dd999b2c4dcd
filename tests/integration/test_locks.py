"""Issue: Backup Vault Lock on backup.vault and S3 Object Lock on s3.bucket, from the stack's
backups.vault_lock and an s3 workload's object_lock, applied against moto (signatures checked)
and verified with boto3.

The stacks have a backups: block, whose selection goes through tests/moto's Backup extension
(moto lacks the BackupSelection operations): hence the via_extension names. Object Lock reads
go through tests/moto/ext_locks.py's fix of GetObjectLockConfiguration's shape."""

import json
import textwrap
import unittest

from harness.moto_env import MotoTestCase


def write_stack(folder, object_lock="{ mode: GOVERNANCE, retention: 30d }",
                vault_lock="{ min_retention: 30d, max_retention: 400d }", retention="120d"):
    folder.mkdir(parents=True, exist_ok=True)
    lock_line = f"    object_lock: {object_lock}\n" if object_lock else ""
    (folder / "stack.dr.yaml").write_text(textwrap.dedent("""\
        version: 1
        stack: vault
        regions: { primary: us-east-1, dr: us-west-2 }
        strategy: backup-restore
        objectives: { rto: 24h, rpo: 1h }
        workloads:
          ledger:
            kind: s3
            source: vault-ledger
        """) + lock_line + textwrap.dedent(f"""\
        backups:
          schedule: cron(0 * ? * * *)
          retention: {retention}
          cold_after: 14d
          copy_to_dr: true
          vault_lock: {vault_lock}
          select:
            tags: {{ dr: protected }}
        """))
    return folder


class Locks(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.work = self.make_workdir()
        self.stack = self.work / "stack"
        s3 = self.moto.client("s3")
        s3.create_bucket(Bucket="vault-ledger", ObjectLockEnabledForBucket=True)
        s3.put_object_lock_configuration(Bucket="vault-ledger", ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}})

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work, timeout_s=300)

    def apply_then_replan_clean(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, "a second plan must be a no-op\n" + r.output())

    def planned(self):
        r = self.drctl("plan", self.stack, "--format", "json")
        self.assertEqual(r.exit_code, 0, r.output())
        return {c["address"]: c for c in json.loads(r.stdout)["changes"] if c["action"] != "no-op"}

    def vault(self, region, name):
        return self.moto.client("backup", region=region).describe_backup_vault(BackupVaultName=name)

    def dr_bucket_lock(self):
        return self.moto.client("s3", region="us-west-2").get_object_lock_configuration(
            Bucket="vault-ledger-dr")["ObjectLockConfiguration"]

    def test_vault_lock_and_object_lock_are_applied_and_replan_clean_via_extension(self):
        write_stack(self.stack)
        r = self.drctl("validate", self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertNotIn("vault_lock", r.output())  # the "not applied yet" warning is gone
        self.apply_then_replan_clean()
        for region, name in (("us-east-1", "drctl-vault-primary"), ("us-west-2", "drctl-vault-dr")):
            v = self.vault(region, name)
            self.assertTrue(v["Locked"], v)
            self.assertEqual((v["MinRetentionDays"], v["MaxRetentionDays"]), (30, 400))
            self.assertNotIn("LockDate", v)  # no changeable_for: a governance lock
        self.assertEqual(self.dr_bucket_lock(), {
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}})
        # Object Lock turns versioning on; the replication role may read the source's retention.
        s3_dr = self.moto.client("s3", region="us-west-2")
        self.assertEqual(s3_dr.get_bucket_versioning(Bucket="vault-ledger-dr")["Status"], "Enabled")
        policy = self.moto.client("iam").get_role_policy(RoleName="drctl-vault-ledger-replication",
                                                         PolicyName="drctl-replication")["PolicyDocument"]
        actions = [a for s in policy["Statement"] for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])]
        self.assertIn("s3:GetObjectRetention", actions)

    def test_changing_locks_updates_in_place_via_extension(self):
        write_stack(self.stack)
        self.apply_then_replan_clean()
        write_stack(self.stack, object_lock="{ mode: COMPLIANCE, retention: 60d }",
                    vault_lock="{ min_retention: 60d, max_retention: 400d, changeable_for: 3d }")
        changes = self.planned()
        self.assertEqual({a: c["action"] for a, c in changes.items()}, {
            "backup.vault.primary": "update", "backup.vault.dr": "update", "s3.bucket.ledger": "update"})
        self.apply_then_replan_clean()
        v = self.vault("us-east-1", "drctl-vault-primary")
        self.assertEqual(v["MinRetentionDays"], 60)
        self.assertIn("LockDate", v)  # changeable_for: immutable after 3 days
        self.assertEqual(self.dr_bucket_lock()["Rule"]["DefaultRetention"], {"Mode": "COMPLIANCE", "Days": 60})

    def test_object_lock_added_to_an_existing_dr_bucket_is_an_update_not_a_replace_via_extension(self):
        write_stack(self.stack, object_lock=None)
        self.apply_then_replan_clean()
        with self.assertRaises(self.moto.client("s3").exceptions.ClientError):
            self.dr_bucket_lock()
        write_stack(self.stack)
        changes = self.planned()
        self.assertEqual(changes["s3.bucket.ledger"]["action"], "update", changes["s3.bucket.ledger"])
        self.apply_then_replan_clean()
        self.assertEqual(self.dr_bucket_lock()["Rule"]["DefaultRetention"], {"Mode": "GOVERNANCE", "Days": 30})

    def test_retention_outside_the_vault_lock_is_refused_at_validate(self):
        write_stack(self.stack, retention="500d")
        r = self.drctl("validate", self.stack)
        self.assertNotEqual(r.exit_code, 0, r.output())
        self.assertIn("outside the vault lock's range", r.output())


if __name__ == "__main__":
    unittest.main()
