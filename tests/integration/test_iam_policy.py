"""Issue 7 (least privilege): `drctl iam-policy` prints the minimal policy a command needs, and
that policy is proven under moto's IAM enforcement: a second IAM user holding exactly the
printed apply policy can apply the stack; taking one action away makes apply fail with an
error naming what was denied.

How moto 5.2.1 enforces IAM (moto/iam/access_control.py, moto/core/authorization.py), and the
gaps this test bridges in moto_view() below, without changing what drctl prints:
- The action checked is "<signing name>:<operation>", e.g. iam:PutRolePolicy, backup:CreateBackupVault.
  Where the signing name differs from the IAM prefix (cloudwatch signs as "monitoring", the
  tagging API as "tagging" for IAM's "tag") moto checks the signing name: moto_view() grants
  tag:GetResources (the backup types' tag reads) as tagging:GetResources. The stack applied here
  uses no cloudwatch type.
- Every non-S3 request is authorised against resource "*", so a statement scoped to an ARN
  never matches in moto. moto_view() widens non-S3 resources to "*": their ARN scoping is
  covered by the unit tests (src/resources/permissions_test.cc), not by moto.
- S3 requests are authorised against the bucket ARN (a real resource-level check), but with
  moto's own action names (moto/s3/responses.py ACTION_MAP), not IAM's: a sub-resource it does
  not list falls back to the method's default (GET -> ListBucket, PUT -> CreateBucket), so
  PutBucketReplication is checked as s3:CreateBucket on the source bucket. moto_view() renames
  each IAM action to the one moto checks for the same call (MOTO_S3_ACTION); the grant stays on
  the same bucket ARNs. S3's AccessDenied from moto names no action ("Access Denied"): drctl's
  error names the API call that failed.
- iam:PassRole and backup-storage:MountCapsule are checked by AWS as side effects, never by
  moto: they are printed but not proven here.
"""

import json

from harness.moto_env import MotoTestCase
from stacks import create_estate, write_stack

ACCOUNT = "123456789012"  # moto's default account
LEAST_USER = "drctl-least-privilege"

# IAM action -> the action moto checks for the S3 call drctl makes with it.
MOTO_S3_ACTION = {
    "s3:GetBucketLocation": "s3:GetBucketLocation",
    "s3:GetBucketVersioning": "s3:GetBucketVersioning",
    "s3:GetBucketTagging": "s3:GetBucketTagging",
    "s3:GetEncryptionConfiguration": "s3:ListBucket",        # GET ?encryption
    "s3:GetBucketObjectLockConfiguration": "s3:ListBucket",  # GET ?object-lock
    "s3:GetReplicationConfiguration": "s3:ListBucket",       # GET ?replication
    "s3:CreateBucket": "s3:CreateBucket",
    "s3:PutBucketVersioning": "s3:PutBucketVersioning",
    "s3:PutBucketTagging": "s3:PutBucketTagging",            # also DELETE ?tagging
    "s3:PutEncryptionConfiguration": "s3:CreateBucket",      # PUT ?encryption
    "s3:PutBucketObjectLockConfiguration": "s3:CreateBucket",  # PUT ?object-lock
    "s3:PutReplicationConfiguration": "s3:CreateBucket",     # PUT ?replication (DELETE: DeleteBucket)
    "s3:DeleteBucket": "s3:DeleteBucket",
}


# IAM action -> the "<signing name>:<operation>" moto checks for it.
MOTO_SIGNING_PREFIX = {"tag:GetResources": "tagging:GetResources"}


def moto_view(policy):
    """The policy as moto can check it (see the module docstring)."""
    statements = []
    for st in policy["Statement"]:
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        s3 = [a for a in actions if a.startswith("s3:")]
        other = [a for a in actions if not a.startswith("s3:")]
        if s3:
            statements.append({"Sid": st["Sid"], "Effect": "Allow", "Resource": st["Resource"],
                               "Action": sorted({MOTO_S3_ACTION[a] for a in s3})})
        if other:
            statements.append({"Sid": st["Sid"] + "Moto", "Effect": "Allow", "Resource": "*",
                               "Action": [MOTO_SIGNING_PREFIX.get(a, a) for a in other]})
    return {"Version": "2012-10-17", "Statement": statements}


def without_action(policy, action):
    out = json.loads(json.dumps(policy))
    for st in out["Statement"]:
        st["Action"] = [a for a in st["Action"] if a != action]
    out["Statement"] = [st for st in out["Statement"] if st["Action"]]
    return out


class IamPolicy(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.stack_dir = write_stack(self.work / "stack")
        create_estate(self.moto)

    def printed_policy(self, phase="apply"):
        r = self.run_drctl("iam-policy", self.stack_dir, "--for", phase, "--account", ACCOUNT, cwd=self.work)
        self.assertEqual(r.exit_code, 0, r.output())
        return json.loads(r.stdout)

    def least_privilege_env(self, policy, name=LEAST_USER):
        iam = self.moto.client("iam")
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="drctl", PolicyDocument=json.dumps(moto_view(policy)))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return self.moto.env(AWS_ACCESS_KEY_ID=key["AccessKeyId"], AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"])

    def apply(self, env):
        return self.run_drctl("apply", self.stack_dir, "--auto-approve", env=env, cwd=self.work)

    def test_printed_policy_is_scoped_to_the_stack(self):
        policy = self.printed_policy()
        by_action = {}
        for st in policy["Statement"]:
            self.assertRegex(st["Sid"], r"^[A-Za-z0-9]+$")
            resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
            for a in st["Action"]:
                by_action.setdefault(a, set()).update(resources)
        self.assertEqual(by_action["s3:PutReplicationConfiguration"],
                         {"arn:aws:s3:::shop-assets", "arn:aws:s3:::shop-invoices"})
        self.assertIn("arn:aws:s3:::shop-assets-dr", by_action["s3:CreateBucket"])
        self.assertNotIn("*", by_action["s3:CreateBucket"])
        self.assertIn(f"arn:aws:iam::{ACCOUNT}:role/", " ".join(by_action["iam:CreateRole"]))
        self.assertIn(f"arn:aws:iam::{ACCOUNT}:role/", " ".join(by_action["iam:PassRole"]))
        self.assertEqual(by_action["iam:ListRoles"], {"*"})
        # A read-only command gets no write action.
        plan_actions = {a for st in self.printed_policy("plan")["Statement"] for a in st["Action"]}
        self.assertIn("s3:GetReplicationConfiguration", plan_actions)
        self.assertIn("tag:GetResources", plan_actions)  # backup vault and plan tags: one pass per region
        self.assertNotIn("backup:ListTags", plan_actions)
        self.assertFalse({a for a in plan_actions if ":Put" in a or ":Create" in a or ":Delete" in a})

    def test_apply_with_exactly_the_printed_policy_succeeds(self):
        env = self.least_privilege_env(self.printed_policy())
        r = self.apply(env)
        self.assertEqual(r.exit_code, 0, r.output())
        s3_dr = self.moto.client("s3", region="us-west-2")
        for workload in ("assets", "invoices"):
            self.assertEqual(s3_dr.get_bucket_versioning(Bucket=f"shop-{workload}-dr")["Status"], "Enabled")
        rules = self.moto.client("s3").get_bucket_replication(Bucket="shop-assets")["ReplicationConfiguration"]["Rules"]
        self.assertEqual(rules[0]["Destination"]["Bucket"], "arn:aws:s3:::shop-assets-dr")
        vaults = [v["BackupVaultName"] for v in self.moto.client("backup", region="us-west-2").list_backup_vaults()["BackupVaultList"]]
        self.assertTrue(vaults, "no DR backup vault")
        # The plan policy is enough to see the converged stack.
        plan_env = self.least_privilege_env(self.printed_policy("plan"), name="drctl-plan-only")
        again = self.run_drctl("plan", self.stack_dir, "--detailed-exitcode", env=plan_env, cwd=self.work)
        self.assertEqual(again.exit_code, 0, again.output())

    def test_plan_without_tag_get_resources_fails_the_reads_and_plans_no_create(self):
        r = self.apply(self.moto.env())
        self.assertEqual(r.exit_code, 0, r.output())
        env = self.least_privilege_env(without_action(self.printed_policy("plan"), "tag:GetResources"), name="drctl-no-tags")
        plan = self.run_drctl("plan", self.stack_dir, "--detailed-exitcode", env=env, cwd=self.work)
        self.assertEqual(plan.exit_code, 1, plan.output())
        self.assertIn("cannot read backup.vault.dr", plan.stderr)
        self.assertIn("GetResources", plan.stderr)
        # A failed tag read is never "no tags" or "absent": the vaults are not planned again.
        self.assertNotRegex(plan.stdout, r"backup\.vault\.\w+ (create|update)")

    def test_apply_without_iam_put_role_policy_fails_naming_it(self):
        env = self.least_privilege_env(without_action(self.printed_policy(), "iam:PutRolePolicy"))
        r = self.apply(env)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("AccessDenied", r.stdout + r.stderr)
        self.assertIn("iam:PutRolePolicy", r.stdout + r.stderr)  # moto's message names the action

    def test_apply_without_s3_put_replication_configuration_fails_naming_the_call(self):
        env = self.least_privilege_env(without_action(self.printed_policy(), "s3:PutReplicationConfiguration"))
        r = self.apply(env)
        self.assertEqual(r.exit_code, 1, r.output())
        output = r.stdout + r.stderr
        self.assertIn("AccessDenied", output)
        self.assertIn("PutBucketReplication", output)  # S3's message names no action; drctl names the call
        with self.assertRaises(Exception):
            self.moto.client("s3").get_bucket_replication(Bucket="shop-assets")


if __name__ == "__main__":
    import unittest
    unittest.main()
