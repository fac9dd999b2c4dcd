"""dynamodb.replica and efs.replication end to end: the drctl binary against moto over HTTP
(signatures checked), every result verified with boto3.

moto ignores UpdateTable's ReplicaUpdates and lacks the EFS replication operations;
tests/moto/ext_dynamodb.py and tests/moto/ext_efs.py add them, so every test here says
via_extension. The shipped strategy modules do not produce these types yet: the stack uses a
user module (written below) whose templates produce exactly `dynamodb.replica.catalog` and
`efs.replication.shared`."""

import json
import textwrap
import unittest

import jsonschema

from harness.moto_env import MotoTestCase, REPO_ROOT

DRIFT_SCHEMA = json.loads((REPO_ROOT / "schemas" / "drift.schema.json").read_text())

MODULE = """\
description: Test module producing only dynamodb.replica and efs.replication.
kinds:
  dynamodb:
    resources:
      - address: "dynamodb.replica.${workload.name}"
        region: primary
        attrs:
          table: "${spec.table}"
          replica_region: "${regions.dr}"
          pitr: "${spec.pitr}"
          kms_key_id: "${spec.kms_key}"
  efs:
    resources:
      - address: "efs.replication.${workload.name}"
        region: primary
        attrs:
          file_system_id: "${spec.file_system}"
          destination_region: "${regions.dr}"
          destination_kms_key_id: "${spec.kms_key}"
"""


class DynamodbEfs(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.work = self.make_workdir()
        self.ddb = self.moto.client("dynamodb")
        self.ddb_dr = self.moto.client("dynamodb", region="us-west-2")
        self.efs = self.moto.client("efs")
        # The "production" side: a table (streams off, so drctl must enable them first) and a
        # file system in us-east-1.
        self.ddb.create_table(TableName="catalog", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "sku", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "sku", "AttributeType": "S"}])
        self.fs_id = self.efs.create_file_system(CreationToken="shared", Encrypted=True)["FileSystemId"]
        self.stack_dir = self.write_stack(pitr=True)

    def write_stack(self, pitr):
        folder = self.work / "stack"
        (folder / "dr-module").mkdir(parents=True, exist_ok=True)
        (folder / "dr-module" / "module.yaml").write_text(MODULE)
        (folder / "stack.dr.yaml").write_text(textwrap.dedent(f"""\
            version: 1
            stack: shop
            regions: {{ primary: us-east-1, dr: us-west-2 }}
            strategy: {{ module: ./dr-module }}
            objectives: {{ rto: 1h, rpo: 15m }}
            workloads:
              catalog: {{ kind: dynamodb, table: catalog, pitr: {str(pitr).lower()} }}
              shared: {{ kind: efs, file_system: {self.fs_id} }}
            """))
        return folder

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work)

    def apply_ok(self):
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        return r

    # --- independent reads with boto3 -------------------------------------------------------

    def pitr(self, client):
        desc = client.describe_continuous_backups(TableName="catalog")["ContinuousBackupsDescription"]
        return desc["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]

    def replication(self):
        configs = self.efs.describe_replication_configurations(FileSystemId=self.fs_id)["Replications"]
        self.assertEqual(len(configs), 1)
        return configs[0]

    def assert_protected(self, pitr="ENABLED"):
        table = self.ddb.describe_table(TableName="catalog")["Table"]
        self.assertEqual([(r["RegionName"], r["ReplicaStatus"]) for r in table["Replicas"]],
                         [("us-west-2", "ACTIVE")])
        self.assertEqual(table["StreamSpecification"],
                         {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        replica = self.ddb_dr.describe_table(TableName="catalog")["Table"]
        self.assertEqual(replica["KeySchema"], [{"AttributeName": "sku", "KeyType": "HASH"}])
        self.assertEqual(self.pitr(self.ddb_dr), pitr)
        self.assertEqual(self.pitr(self.ddb), "ENABLED")  # pitr false turns off the replica side only
        config = self.replication()
        self.assertEqual(len(config["Destinations"]), 1)
        dest = config["Destinations"][0]
        self.assertEqual((dest["Region"], dest["Status"]), ("us-west-2", "ENABLED"))
        dr_fs = self.moto.client("efs", region="us-west-2").describe_file_systems(
            FileSystemId=dest["FileSystemId"])["FileSystems"]
        self.assertEqual(len(dr_fs), 1)
        return dest

    # --- tests -----------------------------------------------------------------------------

    def test_apply_creates_replica_and_replication_and_replans_clean_via_extension(self):
        r = self.drctl("plan", self.stack_dir, "--format", "json")
        self.assertEqual(r.exit_code, 0, r.output())
        creates = {c["address"] for c in json.loads(r.stdout)["changes"] if c["action"] == "create"}
        self.assertEqual(creates, {"dynamodb.replica.catalog", "efs.replication.shared"})

        self.apply_ok()
        dest = self.assert_protected()

        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())
        # State knows the live objects by their ids.
        shown = self.drctl("state", "show", "efs.replication.shared", self.stack_dir)
        self.assertEqual(shown.exit_code, 0, shown.output())
        self.assertIn(dest["FileSystemId"], shown.stdout)
        listed = self.drctl("state", "list", self.stack_dir)
        self.assertIn("catalog/us-west-2", listed.stdout)

    def test_turning_pitr_off_is_an_in_place_update_via_extension(self):
        self.apply_ok()
        self.write_stack(pitr=False)
        r = self.drctl("plan", self.stack_dir, "--format", "json")
        changed = {c["address"]: c["action"] for c in json.loads(r.stdout)["changes"] if c["action"] != "no-op"}
        self.assertEqual(changed, {"dynamodb.replica.catalog": "update"}, r.stdout)
        self.apply_ok()
        self.assert_protected(pitr="DISABLED")
        table = self.ddb.describe_table(TableName="catalog")["Table"]
        self.assertEqual(len(table["Replicas"]), 1)  # updated, not recreated
        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_deleted_replication_is_drift_and_apply_restores_it_via_extension(self):
        self.apply_ok()
        self.efs.delete_replication_configuration(SourceFileSystemId=self.fs_id)

        r = self.drctl("drift", self.stack_dir, "--format", "json")
        self.assertEqual(r.exit_code, 2, r.output())
        report = json.loads(r.stdout)
        jsonschema.validate(report, DRIFT_SCHEMA)
        entries = {e["address"]: e for e in report["entries"]}
        self.assertEqual(set(entries), {"efs.replication.shared"})
        self.assertEqual(entries["efs.replication.shared"]["kind"], "deleted")

        self.apply_ok()
        self.assert_protected()
        r = self.drctl("drift", self.stack_dir)
        self.assertEqual(r.exit_code, 0, r.output())


if __name__ == "__main__":
    unittest.main()
