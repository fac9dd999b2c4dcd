"""Failover of an Aurora global database, and the replication-lag staleness check of saved
failover plans, against moto with signatures checked, verified with boto3.

Aurora: an Aurora PostgreSQL primary cluster in us-east-1 protected by a warm-standby stack
(aurora workload -> rds.global_cluster with a DR secondary cluster in us-west-2) applied first.
`drctl failover` plans op.aurora_failover (a switchover when planned, a failover allowing data
loss when unplanned) and `drctl apply PLANFILE` makes the DR cluster the global cluster's
writer. moto 5.2.1 lacks SwitchoverGlobalCluster and FailoverGlobalCluster: they come from the
extension tests/moto/ext_aurora.py (and the global-cluster fixes of ext_rds.py), so those tests
say "via_extension" in their names.

Lag: an RDS read replica stack (the estate of test_failover.py, reduced to the database).
ReplicaLag datapoints are put with boto3 in the DR region, where RDS publishes them; moto's
GetMetricStatistics answers them back. A plan saved at 10 s of lag is refused by `drctl apply`
once the lag is 15 minutes (RPO 5m), and runs with --accept-data-loss.
"""

import datetime
import json
import socket
import textwrap
import unittest

from harness.moto_env import MotoTestCase

PRIMARY, DR = "us-east-1", "us-west-2"
STACK = "shop"
GLOBAL_ID = f"drctl-{STACK}-catalog"
SECONDARY_ID = f"drctl-{STACK}-catalog-dr"
REPLICA_ID = f"drctl-{STACK}-orders"


def dead_port():
    """A loopback port nothing listens on: bound, then closed."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class FailoverTestCase(MotoTestCase):
    WORKLOAD = ""

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        self.create_estate()
        self.stack = self.work / "stack"
        self.stack.mkdir()
        (self.stack / "stack.dr.yaml").write_text(textwrap.dedent(f"""\
            version: 1
            stack: {STACK}
            regions: {{ primary: {PRIMARY}, dr: {DR} }}
            strategy: warm-standby
            objectives: {{ rto: 30m, rpo: 5m }}
            notify: {{ topic: dr-events, emails: [oncall@example.com] }}
            workloads:
            """) + f"  {self.WORKLOAD}\n")
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())

    def create_estate(self):
        raise NotImplementedError

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, **kw)

    def failover(self, *extra, env=None):
        plan = self.work / "f.plan"
        r = self.drctl("failover", self.stack, "--to", DR, "--out", plan, *extra, env=env)
        self.assertEqual(r.exit_code, 0, r.output())
        return r, plan


class AuroraFailover(FailoverTestCase):
    WORKLOAD = ('catalog: { kind: aurora, cluster: catalog-primary, protect: false, '
                'secondary: { instance_class: db.r6g.large } }')

    def create_estate(self):
        self.primary_arn = self.moto.client("rds", PRIMARY).create_db_cluster(
            DBClusterIdentifier="catalog-primary", Engine="aurora-postgresql", EngineVersion="15.4",
            MasterUsername="catalog", MasterUserPassword="not-a-secret-1")["DBCluster"]["DBClusterArn"]

    def writers(self):
        """{cluster ARN: IsWriter} as boto3 reads the global cluster from the DR region."""
        g = self.moto.client("rds", DR).describe_global_clusters(GlobalClusterIdentifier=GLOBAL_ID)
        return {m["DBClusterArn"]: m["IsWriter"] for m in g["GlobalClusters"][0]["GlobalClusterMembers"]}

    def secondary_arn(self):
        return self.moto.client("rds", DR).describe_db_clusters(
            DBClusterIdentifier=SECONDARY_ID)["DBClusters"][0]["DBClusterArn"]

    def test_planned_switchover_makes_the_dr_cluster_the_writer_via_extension(self):
        secondary = self.secondary_arn()
        self.assertEqual(self.writers(), {self.primary_arn: True, secondary: False})

        r, plan = self.failover()
        self.assertIn("op.aurora_failover.catalog", r.stdout)
        self.assertNotIn("do by hand", r.output())
        self.assertNotIn("allows data loss", r.output())
        saved = json.loads(plan.read_text())
        steps = {c["address"]: c for c in saved["changes"]}
        step = steps["op.aurora_failover.catalog"]
        self.assertEqual(step["action"], "create", step)
        self.assertIn("op.aurora_failover.catalog", steps["op.sns_notify.failover"]["depends_on"])
        self.assertEqual(saved["evidence"]["mode"], "planned")
        lag = {e["address"]: e for e in saved["evidence"]["replication_lag"]}
        self.assertIn("rds.global_cluster.catalog", lag)
        self.assertIn("AuroraGlobalDBReplicationLag", lag["rds.global_cluster.catalog"]["metric"])
        self.assertEqual(self.writers()[secondary], False)  # a plan changes nothing

        r = self.drctl("apply", plan)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertEqual(self.writers(), {self.primary_arn: False, secondary: True})

        # Done is done: a fresh failover plan has nothing left to do.
        r, _ = self.failover()
        self.assertIn("nothing left to do", r.stdout)

    def test_unplanned_failover_with_the_primary_region_unreachable_via_extension(self):
        secondary = self.secondary_arn()
        dead = dict(self.env, DRCTL_ENDPOINT_URL_US_EAST_1=f"http://127.0.0.1:{dead_port()}")
        r, plan = self.failover("--unplanned", env=dead)
        self.assertIn("op.aurora_failover.catalog", r.stdout)
        self.assertIn(f"unplanned failover of Aurora global database {GLOBAL_ID} allows data loss", r.output())
        saved = json.loads(plan.read_text())
        self.assertEqual(saved["evidence"]["mode"], "unplanned")
        r = self.drctl("apply", plan, env=dead)
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertEqual(self.writers(), {self.primary_arn: False, secondary: True})


class LagStaleness(FailoverTestCase):
    WORKLOAD = "orders: { kind: rds, source: orders-primary, replica: { class: db.t3.small }, protect: false }"

    def create_estate(self):
        self.moto.client("rds", PRIMARY).create_db_instance(
            DBInstanceIdentifier="orders-primary", DBInstanceClass="db.t3.micro", Engine="postgres",
            MasterUsername="orders", MasterUserPassword="not-a-secret-1", AllocatedStorage=20,
            BackupRetentionPeriod=7)

    def put_lag(self, seconds, minutes_ago=0):
        at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes_ago)
        self.moto.client("cloudwatch", DR).put_metric_data(Namespace="AWS/RDS", MetricData=[{
            "MetricName": "ReplicaLag", "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": REPLICA_ID}],
            "Timestamp": at, "Value": seconds, "Unit": "Seconds"}])

    def replica(self):
        return self.moto.client("rds", DR).describe_db_instances(DBInstanceIdentifier=REPLICA_ID)["DBInstances"][0]

    def test_a_plan_whose_lag_grew_past_the_rpo_is_refused_unless_data_loss_is_accepted_via_extension(self):
        self.put_lag(10, minutes_ago=3)
        r, plan = self.failover()
        self.assertRegex(r.stdout, r"orders\s+10s\s+5m\s+AWS/RDS ReplicaLag")
        lag = {e["address"]: e for e in json.loads(plan.read_text())["evidence"]["replication_lag"]}
        self.assertEqual(lag["rds.replica.orders"]["lag_seconds"], 10)
        self.assertEqual(lag["rds.replica.orders"]["rpo_seconds"], 300)

        self.put_lag(900)
        r = self.drctl("apply", plan)
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("replication lag of workload 'orders' is 15m, over its RPO of 5m", r.stderr)
        self.assertIn("it was 10s when the plan was made", r.stderr)
        self.assertIn("--accept-data-loss", r.stderr)
        self.assertIn("ReadReplicaSourceDBInstanceIdentifier", self.replica())  # nothing promoted

        r = self.drctl("apply", plan, "--accept-data-loss")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("data loss accepted", r.output())
        self.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", self.replica())  # promoted (ext_failover.py)

    def test_a_planned_switchover_already_past_the_rpo_is_warned_about(self):
        self.put_lag(600)
        r, _ = self.failover()
        self.assertIn("replication lag of workload 'orders' is 10m, over its RPO of 5m", r.output())
        self.assertIn("OVER RPO", r.stdout)


if __name__ == "__main__":
    unittest.main()
