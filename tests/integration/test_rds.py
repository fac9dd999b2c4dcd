"""RDS: drctl creates a cross-region read replica (rds.replica) and an Aurora global database
(rds.global_cluster) through a user module, against moto over HTTP (signatures checked); every
result is verified with boto3.

The primary instance and the primary Aurora cluster are created with boto3 in us-east-1 in each
test. Tests named *_via_extension rely on tests/moto/ext_rds.py: moto 5.2.1 lacks
ModifyGlobalCluster, drops CreateGlobalCluster's Tags, rejects tag calls on global-cluster ARNs,
ignores DescribeGlobalClusters' GlobalClusterIdentifier, finds RemoveFromGlobalCluster's global
cluster only in us-east-1, and answers HTTP 500 when a cross-region replica is deleted (drift
and destroy need that one)."""

import json
import textwrap
import unittest

from harness.moto_env import MotoTestCase

REPLICA = "rds.replica.orders"
GLOBAL = "rds.global_cluster.catalog"
REPLICA_ID = "drctl-shop-orders"
GLOBAL_ID = "drctl-shop-catalog"
SECONDARY_ID = "drctl-shop-catalog-dr"

# A user module producing exactly the RDS resources, in the shapes of src/resources/README.md.
# `ebs` workloads produce nothing: they keep the stack valid when the RDS workload is removed.
MODULE = """\
description: RDS read replica and Aurora global database in the DR region (integration test).
kinds:
  ebs:
    resources: []
  rds:
    resources:
      - address: "rds.replica.${workload.name}"
        region: dr
        attrs:
          identifier: "drctl-${stack}-${workload.name}"
          source: "${spec.source}"
          source_region: "${regions.primary}"
          instance_class: "${spec.replica.class}"
          multi_az: "${default(spec.replica.multi_az, false)}"
          backup_retention_days: "${default(duration_days(spec.replica.backup_retention), 7)}"
          deletion_protection: "${default(spec.replica.deletion_protection, false)}"
          tags: { "drctl:stack": "${stack}", "drctl:address": "${address}" }
  aurora:
    resources:
      - address: "rds.global_cluster.${workload.name}"
        region: primary
        attrs:
          global_cluster_id: "drctl-${stack}-${workload.name}"
          source_cluster: "${spec.cluster}"
          secondary_region: "${regions.dr}"
          secondary_cluster_id: "drctl-${stack}-${workload.name}-dr"
          secondary_instance_class: "${spec.secondary.instance_class}"
          deletion_protection: "${default(spec.protect, false)}"
          tags: { "drctl:stack": "${stack}", "drctl:address": "${address}" }
"""


class RdsTestCase(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.rds_east = self.moto.client("rds", "us-east-1")
        self.rds_west = self.moto.client("rds", "us-west-2")
        self.work = self.make_workdir()
        self.stack_dir = self.work / "stack"
        (self.stack_dir / "rds-module").mkdir(parents=True)
        (self.stack_dir / "rds-module" / "module.yaml").write_text(MODULE)

    def write_stack(self, workloads):
        lines = "".join(f"  {name}: {json.dumps(spec)}\n" for name, spec in workloads.items())
        (self.stack_dir / "stack.dr.yaml").write_text(textwrap.dedent("""\
            version: 1
            stack: shop
            regions: { primary: us-east-1, dr: us-west-2 }
            strategy: { module: ./rds-module }
            workloads:
              volumes: { kind: ebs, tags: { dr: protected } }
            """) + lines)

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work)

    def apply_ok(self, *extra):
        r = self.drctl("apply", self.stack_dir, "--auto-approve", *extra)
        self.assertEqual(r.exit_code, 0, r.output())
        return r

    def assert_no_changes(self):
        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def plan_json(self):
        r = self.drctl("plan", self.stack_dir, "--format", "json", "--detailed-exitcode")
        self.assertEqual(r.exit_code, 2, r.output())
        return {c["address"]: c for c in json.loads(r.stdout)["changes"]}


class ReadReplica(RdsTestCase):

    def setUp(self):
        super().setUp()
        self.primary_arn = self.rds_east.create_db_instance(
            DBInstanceIdentifier="orders-primary", DBInstanceClass="db.t3.micro", Engine="postgres",
            MasterUsername="orders", MasterUserPassword="not-a-secret-1", AllocatedStorage=20,
            BackupRetentionPeriod=7)["DBInstance"]["DBInstanceArn"]

    def orders(self, source="orders-primary", **replica):
        return {"orders": {"kind": "rds", "source": source,
                           "replica": {"class": "db.t3.small", "backup_retention": "3d", **replica}}}

    def replica(self):
        return self.rds_west.describe_db_instances(DBInstanceIdentifier=REPLICA_ID)["DBInstances"][0]

    def test_replica_is_created_replanned_clean_updated_in_place_and_deletion_is_drift_via_extension(self):
        self.write_stack(self.orders())
        changes = self.plan_json()
        self.assertEqual(changes[REPLICA]["action"], "create", changes)
        self.assertTrue(changes[REPLICA]["data_bearing"])
        self.apply_ok()

        db = self.replica()
        self.assertEqual(db["DBInstanceClass"], "db.t3.small")
        self.assertEqual(db["ReadReplicaSourceDBInstanceIdentifier"], self.primary_arn)
        self.assertEqual(db["BackupRetentionPeriod"], 3)  # set by ModifyDBInstance after the create
        self.assertFalse(db["DeletionProtection"])
        tags = {t["Key"]: t["Value"] for t in db["TagList"]}
        self.assertEqual(tags, {"drctl:stack": "shop", "drctl:address": REPLICA})
        primary = self.rds_east.describe_db_instances(DBInstanceIdentifier="orders-primary")["DBInstances"][0]
        self.assertEqual(primary["ReadReplicaDBInstanceIdentifiers"], [db["DBInstanceArn"]])
        self.assert_no_changes()

        self.write_stack(self.orders(**{"class": "db.t3.medium"}))
        changes = self.plan_json()
        self.assertEqual(list(changes), [REPLICA])
        self.assertEqual(changes[REPLICA]["action"], "update", changes)
        self.apply_ok()
        self.assertEqual(self.replica()["DBInstanceClass"], "db.t3.medium")
        self.assert_no_changes()

        # Deleted out of band (moto's 500 on deleting a cross-region replica is fixed by the extension).
        self.rds_west.delete_db_instance(DBInstanceIdentifier=REPLICA_ID, SkipFinalSnapshot=True)
        r = self.drctl("drift", self.stack_dir, "--format", "json")
        self.assertEqual(r.exit_code, 2, r.output())
        entries = {e["address"]: e for e in json.loads(r.stdout)["entries"]}
        self.assertEqual(entries[REPLICA]["kind"], "deleted", entries)

    def test_replica_given_as_an_arn_replans_clean(self):
        self.write_stack(self.orders(source=self.primary_arn))
        self.apply_ok()
        self.assertEqual(self.replica()["ReadReplicaSourceDBInstanceIdentifier"], self.primary_arn)
        self.assert_no_changes()

    def test_destroy_needs_allow_destroy_names_deletion_protection_and_takes_no_replica_snapshot_via_extension(self):
        self.write_stack(self.orders(deletion_protection=True))
        self.apply_ok()
        self.assertTrue(self.replica()["DeletionProtection"])

        self.write_stack({})
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 1, r.output())  # data-bearing: refused without the flag
        r = self.drctl("apply", self.stack_dir, "--auto-approve", "--allow-destroy", REPLICA)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("deletion protection", r.output())
        self.assertEqual(self.replica()["DBInstanceStatus"], "available")

        self.write_stack(self.orders(deletion_protection=False))
        self.apply_ok()
        self.write_stack({})
        self.apply_ok("--allow-destroy", REPLICA)
        self.assertEqual(self.rds_west.describe_db_instances()["DBInstances"], [])
        # RDS takes no final snapshot of a read replica: the data lives on in the source.
        self.assertEqual(self.rds_west.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"], [])
        self.assertEqual(self.rds_east.describe_db_instances()["DBInstances"][0]["DBInstanceStatus"], "available")
        self.assert_no_changes()


class GlobalCluster(RdsTestCase):

    def setUp(self):
        super().setUp()
        self.primary_arn = self.rds_east.create_db_cluster(
            DBClusterIdentifier="catalog-primary", Engine="aurora-postgresql", EngineVersion="15.4",
            MasterUsername="catalog", MasterUserPassword="not-a-secret-1")["DBCluster"]["DBClusterArn"]

    def catalog(self, protect=False):
        return {"catalog": {"kind": "aurora", "cluster": "catalog-primary", "protect": protect,
                            "secondary": {"instance_class": "db.r6g.large"}}}

    def global_cluster(self):
        return self.rds_east.describe_global_clusters(GlobalClusterIdentifier=GLOBAL_ID)["GlobalClusters"][0]

    def secondary(self):
        return self.rds_west.describe_db_clusters(DBClusterIdentifier=SECONDARY_ID)["DBClusters"][0]

    def test_global_database_is_created_replanned_clean_protected_and_destroyed_via_extension(self):
        self.write_stack(self.catalog())
        self.apply_ok()

        g = self.global_cluster()
        members = {m["DBClusterArn"]: m["IsWriter"] for m in g["GlobalClusterMembers"]}
        secondary = self.secondary()
        self.assertEqual(members, {self.primary_arn: True, secondary["DBClusterArn"]: False})
        self.assertEqual({t["Key"]: t["Value"] for t in g["TagList"]},
                         {"drctl:stack": "shop", "drctl:address": GLOBAL})
        self.assertEqual((secondary["Engine"], secondary["EngineVersion"]), ("aurora-postgresql", "15.4"))
        self.assertEqual(secondary["GlobalClusterIdentifier"], GLOBAL_ID)
        instance = self.rds_west.describe_db_instances(DBInstanceIdentifier=SECONDARY_ID + "-1")["DBInstances"][0]
        self.assertEqual((instance["DBInstanceClass"], instance["DBClusterIdentifier"]), ("db.r6g.large", SECONDARY_ID))
        self.assert_no_changes()

        self.write_stack(self.catalog(protect=True))
        self.assertEqual(self.plan_json()[GLOBAL]["action"], "update")
        self.apply_ok()
        self.assertTrue(self.global_cluster()["DeletionProtection"])
        self.assertTrue(self.secondary()["DeletionProtection"])
        self.assert_no_changes()

        self.write_stack(self.catalog(protect=False))
        self.apply_ok()
        self.write_stack({})
        self.apply_ok("--allow-destroy", GLOBAL)
        with self.assertRaises(self.rds_east.exceptions.GlobalClusterNotFoundFault):
            self.global_cluster()
        self.assertEqual(self.rds_west.describe_db_clusters()["DBClusters"], [])
        snapshots = [s["DBClusterSnapshotIdentifier"]
                     for s in self.rds_west.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]]
        self.assertEqual(len(snapshots), 1, snapshots)
        self.assertTrue(snapshots[0].startswith(SECONDARY_ID + "-final-"), snapshots)
        # The primary is the user's: detached, not deleted.
        self.assertEqual(self.rds_east.describe_db_clusters(DBClusterIdentifier="catalog-primary")["DBClusters"][0]["Status"],
                         "available")
        self.assert_no_changes()


if __name__ == "__main__":
    unittest.main()
