"""Tests of the test environment itself: moto's signature checking as set up by
harness.moto_env, and each addition of tests/moto/drctl_moto.py (tests named test_extension_*),
all through boto3 with signatures checked.

Every Backup and S3 response read here is also checked against botocore's output shape
(no member the model does not define), since drctl's clients are written from the model.
"""

import json
import os
import shutil
import subprocess
import sys
import unittest
from unittest import mock

from botocore.exceptions import ClientError

from harness.moto_env import MotoTestCase

ROLE_ARN = "arn:aws:iam::123456789012:role/drctl-backup"


def _shape_violations(shape, value, where):
    """Paths in `value` (parsed JSON) that the botocore `shape` does not define."""
    out = []
    if shape.type_name == "structure" and isinstance(value, dict):
        for key, item in value.items():
            if key not in shape.members:
                out.append(f"{where}.{key}")
            else:
                out += _shape_violations(shape.members[key], item, f"{where}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            out += _shape_violations(shape.member, item, f"{where}[{i}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            out += _shape_violations(shape.value, item, f"{where}.{key}")
    return out


class ExtensionTestBase(MotoTestCase):
    def setUp(self):
        self.shape_errors = []

    def checked_client(self, service):
        """A client whose successful JSON responses are checked against the output shape."""
        client = self.moto.client(service)

        def check(operation_model, response_dict, **_):
            if response_dict["status_code"] != 200 or operation_model.output_shape is None:
                return
            body = response_dict["body"]
            if not body.strip().startswith(b"{"):
                return  # rest-xml: botocore's parser already maps by the model
            self.shape_errors += _shape_violations(
                operation_model.output_shape, json.loads(body), operation_model.name)

        client.meta.events.register(f"before-parse.{client.meta.service_model.service_name}",
                                    check)
        return client

    def tearDown(self):
        self.assertEqual(self.shape_errors, [], "response members outside the model")

    def assertClientError(self, code, fn, *args, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kwargs)
        self.assertEqual(ctx.exception.response["Error"]["Code"], code, ctx.exception.response)
        return ctx.exception


class HarnessTest(ExtensionTestBase):
    """The harness: its moto verifies signatures (before and after reset()), env() serves
    subprocesses."""

    def test_signature_check_rejects_wrong_secret(self):
        self.moto.client("s3").list_buckets()  # the right key passes
        bad = self.moto.client("s3", secret_access_key="not-the-secret")
        err = self.assertClientError("SignatureDoesNotMatch", bad.list_buckets)
        self.assertEqual(err.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        # Bodiless rest-json GET: checked too (the extension fixes how moto hashes its payload).
        # moto answers auth errors in query-style XML for every protocol, so boto3's rest-json
        # parser keeps the status as Code and the XML as Message.
        self.moto.client("backup").list_backup_plans()
        bad = self.moto.client("backup", secret_access_key="not-the-secret")
        err = self.assertClientError("403", bad.list_backup_plans)
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", err.response["Error"]["Message"])

    def test_extension_signature_check_uses_the_wire_path_for_arns(self):
        # Backup ListTags puts an ARN in the path (/tags/arn%3Aaws%3Abackup...): plain moto
        # verifies over the decoded path and rejects every correct signature.
        backup = self.moto.client("backup")
        arn = backup.create_backup_vault(BackupVaultName="drctl-wire-path")["BackupVaultArn"]
        self.assertEqual(backup.list_tags(ResourceArn=arn)["Tags"], {})
        bad = self.moto.client("backup", secret_access_key="not-the-secret")
        err = self.assertClientError("403", bad.list_tags, ResourceArn=arn)
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", err.response["Error"]["Message"])

    def test_signature_check_rejects_unknown_key(self):
        bad = self.moto.client("sts", access_key_id="AKIAUNKNOWNKEY000000",
                               secret_access_key="whatever")
        self.assertClientError("InvalidClientTokenId", bad.get_caller_identity)

    def test_reset_wipes_state_and_keeps_signature_check(self):
        self.moto.client("s3").create_bucket(Bucket="drctl-before-reset")
        old_key = self.moto.access_key_id
        self.moto.reset()
        self.assertNotEqual(self.moto.access_key_id, old_key)
        self.assertEqual(self.moto.client("s3").list_buckets()["Buckets"], [])
        bad = self.moto.client("s3", secret_access_key="not-the-secret")
        self.assertClientError("SignatureDoesNotMatch", bad.list_buckets)

    def test_env_has_endpoint_keys_and_no_profile(self):
        env = self.moto.env(AWS_PROFILE="leaked", EXTRA="1")
        self.assertEqual(env["AWS_ENDPOINT_URL"], self.moto.endpoint)
        self.assertEqual(env["AWS_ACCESS_KEY_ID"], self.moto.access_key_id)
        self.assertEqual(env["AWS_REGION"], "us-east-1")
        self.assertEqual(env["AWS_PROFILE"], "leaked")  # only when a test asks for it
        self.assertNotIn("AWS_PROFILE", self.moto.env())
        self.assertEqual(list(self.moto.home_dir.iterdir()), [])


    def test_env_serves_the_aws_cli(self):
        aws = shutil.which("aws", path=os.pathsep.join(
            [os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
        if aws is None:
            self.skipTest("aws CLI not installed")
        self.moto.client("s3").create_bucket(Bucket="drctl-cli-check")
        out = subprocess.run([aws, "s3api", "list-buckets", "--output", "json"],
                             env=self.moto.env(), capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        names = [b["Name"] for b in json.loads(out.stdout)["Buckets"]]
        self.assertIn("drctl-cli-check", names)
        bad = self.moto.env(AWS_SECRET_ACCESS_KEY="not-the-secret")
        out = subprocess.run([aws, "s3api", "list-buckets"], env=bad, capture_output=True,
                             text=True, timeout=120)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", out.stderr)

    def test_run_drctl_captures_output_exit_code_and_timeout(self):
        fake = self.make_workdir() / "drctl"
        fake.write_text('#!/bin/sh\necho "out $1 $AWS_ENDPOINT_URL"\necho err >&2\n'
                        '[ "$1" = hang ] && sleep 30\nexit 3\n')
        fake.chmod(0o755)
        with mock.patch.dict(os.environ, {"DRCTL_BIN": str(fake)}):
            result = self.run_drctl("plan")
            self.assertEqual(result.exit_code, 3)
            self.assertEqual(result.stdout, f"out plan {self.moto.endpoint}\n")
            self.assertEqual(result.stderr, "err\n")
            with self.assertRaisesRegex(AssertionError, "timed out"):
                self.run_drctl("hang", timeout_s=1)


class BackupPlanExtensionTest(ExtensionTestBase):
    def setUp(self):
        super().setUp()
        self.moto.reset()
        self.backup = self.checked_client("backup")
        self.backup.create_backup_vault(BackupVaultName="drctl-vault")

    def plan_doc(self, name, *rules):
        return {"BackupPlanName": name,
                "Rules": [{"RuleName": r, "TargetBackupVaultName": "drctl-vault",
                           "ScheduleExpression": "cron(0 5 ? * * *)"} for r in rules]}

    def test_extension_create_backup_plan_idempotent_by_creator_request_id(self):
        first = self.backup.create_backup_plan(BackupPlan=self.plan_doc("p", "daily"),
                                               CreatorRequestId="drctl-token-1")
        again = self.backup.create_backup_plan(BackupPlan=self.plan_doc("p", "daily"),
                                               CreatorRequestId="drctl-token-1")
        self.assertEqual(again["BackupPlanId"], first["BackupPlanId"])
        self.assertEqual(again["VersionId"], first["VersionId"])
        self.assertClientError("AlreadyExistsException", self.backup.create_backup_plan,
                               BackupPlan=self.plan_doc("p", "daily"),
                               CreatorRequestId="drctl-token-2")
        self.assertEqual(len(self.backup.list_backup_plans()["BackupPlansList"]), 1)

    def test_extension_deleted_plan_frees_name_and_token(self):
        first = self.backup.create_backup_plan(BackupPlan=self.plan_doc("p", "daily"),
                                               CreatorRequestId="drctl-token-1")
        self.backup.delete_backup_plan(BackupPlanId=first["BackupPlanId"])
        second = self.backup.create_backup_plan(BackupPlan=self.plan_doc("p", "daily"),
                                                CreatorRequestId="drctl-token-1")
        self.assertNotEqual(second["BackupPlanId"], first["BackupPlanId"])

    def test_extension_update_backup_plan(self):
        created = self.backup.create_backup_plan(BackupPlan=self.plan_doc("p", "daily"))
        plan_id = created["BackupPlanId"]
        before = self.backup.get_backup_plan(BackupPlanId=plan_id)
        daily_rule_id = before["BackupPlan"]["Rules"][0]["RuleId"]

        updated = self.backup.update_backup_plan(
            BackupPlanId=plan_id, BackupPlan=self.plan_doc("p", "daily", "weekly"))
        self.assertEqual(updated["BackupPlanId"], plan_id)
        self.assertEqual(updated["BackupPlanArn"], created["BackupPlanArn"])
        self.assertEqual(updated["CreationDate"], created["CreationDate"])
        self.assertNotEqual(updated["VersionId"], created["VersionId"])

        after = self.backup.get_backup_plan(BackupPlanId=plan_id)
        self.assertEqual(after["VersionId"], updated["VersionId"])
        rules = {r["RuleName"]: r for r in after["BackupPlan"]["Rules"]}
        self.assertEqual(sorted(rules), ["daily", "weekly"])
        self.assertEqual(rules["daily"]["RuleId"], daily_rule_id)
        self.assertNotEqual(rules["weekly"]["RuleId"], daily_rule_id)
        self.assertEqual(rules["weekly"]["StartWindowMinutes"], 480)  # defaults as on create
        listed = self.backup.list_backup_plans()["BackupPlansList"]
        self.assertEqual([p["VersionId"] for p in listed], [updated["VersionId"]])

        self.assertClientError("ResourceNotFoundException", self.backup.update_backup_plan,
                               BackupPlanId="no-such-plan", BackupPlan=self.plan_doc("p", "x"))

    def test_extension_list_backup_plans_include_deleted_and_pagination(self):
        ids = [self.backup.create_backup_plan(BackupPlan=self.plan_doc(f"p{i}", "r"))
               ["BackupPlanId"] for i in range(5)]
        self.backup.delete_backup_plan(BackupPlanId=ids[0])
        live = self.backup.list_backup_plans(IncludeDeleted=False)["BackupPlansList"]
        self.assertEqual([p["BackupPlanId"] for p in live], ids[1:])
        every = self.backup.list_backup_plans(IncludeDeleted=True)["BackupPlansList"]
        self.assertEqual([p["BackupPlanId"] for p in every], ids)
        self.assertIn("DeletionDate", every[0])

        pages = list(self.backup.get_paginator("list_backup_plans").paginate(
            PaginationConfig={"PageSize": 3}))
        self.assertEqual([len(p["BackupPlansList"]) for p in pages], [3, 1])
        self.assertIn("NextToken", pages[0])
        self.assertNotIn("NextToken", pages[1])
        self.assertEqual([p["BackupPlanId"] for pg in pages for p in pg["BackupPlansList"]],
                         ids[1:])


class BackupSelectionExtensionTest(ExtensionTestBase):
    def setUp(self):
        super().setUp()
        self.moto.reset()
        self.backup = self.checked_client("backup")
        self.backup.create_backup_vault(BackupVaultName="drctl-vault")
        self.plan_id = self.backup.create_backup_plan(BackupPlan={
            "BackupPlanName": "p",
            "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "drctl-vault"}],
        })["BackupPlanId"]

    def selection(self, name, **extra):
        return {"SelectionName": name, "IamRoleArn": ROLE_ARN, **extra}

    def test_extension_create_backup_selection_idempotent_by_creator_request_id(self):
        doc = self.selection("s", Resources=["arn:aws:dynamodb:us-east-1:123456789012:table/t"])
        first = self.backup.create_backup_selection(
            BackupPlanId=self.plan_id, BackupSelection=doc, CreatorRequestId="drctl-sel-1")
        again = self.backup.create_backup_selection(
            BackupPlanId=self.plan_id, BackupSelection=doc, CreatorRequestId="drctl-sel-1")
        other = self.backup.create_backup_selection(
            BackupPlanId=self.plan_id, BackupSelection=doc, CreatorRequestId="drctl-sel-2")
        self.assertEqual(again["SelectionId"], first["SelectionId"])
        self.assertEqual(again["CreationDate"], first["CreationDate"])
        self.assertEqual(first["BackupPlanId"], self.plan_id)
        self.assertNotEqual(other["SelectionId"], first["SelectionId"])
        listed = self.backup.list_backup_selections(BackupPlanId=self.plan_id)
        self.assertEqual(len(listed["BackupSelectionsList"]), 2)

    def test_extension_get_and_delete_backup_selection(self):
        tags = [{"ConditionType": "STRINGEQUALS", "ConditionKey": "dr", "ConditionValue": "yes"}]
        doc = self.selection("s", ListOfTags=tags,
                             Resources=["arn:aws:dynamodb:us-east-1:123456789012:table/t"])
        sel_id = self.backup.create_backup_selection(
            BackupPlanId=self.plan_id, BackupSelection=doc,
            CreatorRequestId="drctl-sel-1")["SelectionId"]

        got = self.backup.get_backup_selection(BackupPlanId=self.plan_id, SelectionId=sel_id)
        self.assertEqual(got["BackupSelection"], doc)
        self.assertEqual(got["SelectionId"], sel_id)
        self.assertEqual(got["BackupPlanId"], self.plan_id)
        self.assertEqual(got["CreatorRequestId"], "drctl-sel-1")
        self.assertIn("CreationDate", got)
        listed = self.backup.list_backup_selections(BackupPlanId=self.plan_id)
        self.assertEqual(listed["BackupSelectionsList"][0]["SelectionName"], "s")
        self.assertEqual(listed["BackupSelectionsList"][0]["IamRoleArn"], ROLE_ARN)

        # As on AWS, a plan with selections cannot be deleted.
        self.assertClientError("InvalidRequestException", self.backup.delete_backup_plan,
                               BackupPlanId=self.plan_id)
        self.backup.delete_backup_selection(BackupPlanId=self.plan_id, SelectionId=sel_id)
        self.assertClientError("ResourceNotFoundException", self.backup.get_backup_selection,
                               BackupPlanId=self.plan_id, SelectionId=sel_id)
        self.assertClientError("ResourceNotFoundException", self.backup.delete_backup_selection,
                               BackupPlanId=self.plan_id, SelectionId=sel_id)
        listed = self.backup.list_backup_selections(BackupPlanId=self.plan_id)
        self.assertEqual(listed["BackupSelectionsList"], [])
        self.backup.delete_backup_plan(BackupPlanId=self.plan_id)

    def test_extension_list_backup_selections_paginates(self):
        ids = [self.backup.create_backup_selection(
                   BackupPlanId=self.plan_id, BackupSelection=self.selection(f"s{i}"),
                   CreatorRequestId=f"drctl-sel-{i}")["SelectionId"] for i in range(5)]
        first = self.backup.list_backup_selections(BackupPlanId=self.plan_id, MaxResults=2)
        self.assertEqual(len(first["BackupSelectionsList"]), 2)
        self.assertIn("NextToken", first)
        pages = list(self.backup.get_paginator("list_backup_selections").paginate(
            BackupPlanId=self.plan_id, PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["BackupSelectionsList"]) for p in pages], [2, 2, 1])
        self.assertNotIn("NextToken", pages[-1])
        self.assertEqual([s["SelectionId"] for p in pages for s in p["BackupSelectionsList"]],
                         ids)
        self.assertClientError("InvalidParameterValueException",
                               self.backup.list_backup_selections,
                               BackupPlanId=self.plan_id, NextToken="bogus")

    def test_extension_backup_selection_of_unknown_plan_is_not_found(self):
        self.assertClientError("ResourceNotFoundException", self.backup.create_backup_selection,
                               BackupPlanId="no-such-plan", BackupSelection=self.selection("s"))
        self.assertClientError("ResourceNotFoundException", self.backup.list_backup_selections,
                               BackupPlanId="no-such-plan")


class S3ReplicationExtensionTest(ExtensionTestBase):
    def test_extension_get_bucket_replication_keeps_rule_fields(self):
        s3 = self.checked_client("s3")
        for bucket in ("drctl-src", "drctl-dst"):
            s3.create_bucket(Bucket=bucket)
            s3.put_bucket_versioning(Bucket=bucket,
                                     VersioningConfiguration={"Status": "Enabled"})
        destination = {"Bucket": "arn:aws:s3:::drctl-dst", "StorageClass": "STANDARD_IA",
                       "ReplicationTime": {"Status": "Enabled", "Time": {"Minutes": 15}},
                       "Metrics": {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}}
        rules = [
            {"ID": "all", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
             "DeleteMarkerReplication": {"Status": "Enabled"},
             "SourceSelectionCriteria": {"ReplicaModifications": {"Status": "Enabled"}},
             "Destination": destination},
            {"ID": "tagged", "Priority": 2, "Status": "Disabled",
             "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "a", "Value": "1"},
                                                            {"Key": "b", "Value": "2"}]}},
             "DeleteMarkerReplication": {"Status": "Disabled"},
             "Destination": {"Bucket": "arn:aws:s3:::drctl-dst"}},
        ]
        config = {"Role": "arn:aws:iam::123456789012:role/drctl-repl", "Rules": rules}
        s3.put_bucket_replication(Bucket="drctl-src", ReplicationConfiguration=config)
        got = s3.get_bucket_replication(Bucket="drctl-src")["ReplicationConfiguration"]
        self.assertEqual(got, config)


if __name__ == "__main__":
    unittest.main()
