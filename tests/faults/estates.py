"""The two estates the fault and crash tests drive, and their independent (boto3) checks.

backup_restore: tests/integration/stacks.py's stack (two buckets replicated to us-west-2,
    backup vaults, plan and selection): 11 resources.
warm_standby: tests/harness/warm_standby.py's estate (an RDS primary, a DR Auto Scaling
    group and ECS service, a hosted zone; replica, capacity, failover records + health checks,
    notify topic), and its failover runbook.

Every check reads moto directly with boto3, never through drctl or the fault proxy, and
asserts "exactly one": a retried or re-run create that made a second object fails it.
"""

import sqlite3

from harness import warm_standby
from stacks import create_estate, write_stack

from harness.warm_standby import DR, PRIMARY, RECORD, REPLICA_ID, STACK  # noqa: F401


# ---------------------------------------------------------------- state file

def state_rows(state_db, sql, args=()):
    db = sqlite3.connect(str(state_db))
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def unsettled_intents(state_db):
    """Journal intents with no outcome row (no done/failed/... for the same run and seq)."""
    return state_rows(state_db,
                      "SELECT i.run_id, i.seq, i.address, i.action FROM journal i WHERE i.phase = 'intent'"
                      " AND NOT EXISTS (SELECT 1 FROM journal o WHERE o.run_id = i.run_id"
                      " AND o.seq = i.seq AND o.phase <> 'intent')")


def integrity(state_db):
    return state_rows(state_db, "PRAGMA integrity_check")[0][0]


def addresses(state_db):
    return {a for (a,) in state_rows(state_db, "SELECT address FROM resources")}


# ---------------------------------------------------------------- backup-restore

BACKUP_RESTORE_ADDRESSES = {
    "s3.bucket.assets", "s3.replication.assets", "iam.role.assets-replication",
    "s3.bucket.invoices", "s3.replication.invoices", "iam.role.invoices-replication",
    "backup.vault.primary", "backup.vault.dr", "iam.role.backup",
    "backup.plan.main", "backup.selection.main",
}


def setup_backup_restore(moto, folder):
    create_estate(moto)
    return write_stack(folder)


def check_backup_restore(test, moto):
    """Live equals desired, exactly one of each object (test: a unittest.TestCase)."""
    s3, s3_dr, iam = moto.client("s3"), moto.client("s3", DR), moto.client("iam")
    buckets = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])
    test.assertEqual(buckets, ["shop-assets", "shop-assets-dr", "shop-invoices", "shop-invoices-dr"])
    roles = sorted(r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("drctl-"))
    test.assertEqual(roles, ["drctl-shop-assets-replication", "drctl-shop-backup",
                             "drctl-shop-invoices-replication"])
    for workload in ("assets", "invoices"):
        dr_bucket = f"shop-{workload}-dr"
        test.assertEqual(s3_dr.get_bucket_location(Bucket=dr_bucket)["LocationConstraint"], DR)
        test.assertEqual(s3_dr.get_bucket_versioning(Bucket=dr_bucket)["Status"], "Enabled")
        test.assertEqual(s3.get_bucket_versioning(Bucket=f"shop-{workload}")["Status"], "Enabled")
        config = s3.get_bucket_replication(Bucket=f"shop-{workload}")["ReplicationConfiguration"]
        test.assertEqual(len(config["Rules"]), 1)
        test.assertEqual(config["Rules"][0]["Destination"]["Bucket"], f"arn:aws:s3:::{dr_bucket}")
        role = iam.get_role(RoleName=f"drctl-shop-{workload}-replication")["Role"]
        test.assertEqual(config["Role"], role["Arn"])
        test.assertEqual(len(iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]), 1)
    backup, backup_dr = moto.client("backup"), moto.client("backup", DR)
    test.assertEqual([v["BackupVaultName"] for v in backup.list_backup_vaults()["BackupVaultList"]],
                     ["drctl-shop-primary"])
    test.assertEqual([v["BackupVaultName"] for v in backup_dr.list_backup_vaults()["BackupVaultList"]],
                     ["drctl-shop-dr"])
    plans = backup.list_backup_plans()["BackupPlansList"]
    test.assertEqual([p["BackupPlanName"] for p in plans], ["drctl-shop"], plans)
    test.assertEqual(backup_dr.list_backup_plans()["BackupPlansList"], [])
    plan = backup.get_backup_plan(BackupPlanId=plans[0]["BackupPlanId"])["BackupPlan"]
    test.assertEqual(len(plan["Rules"]), 1)
    rule = plan["Rules"][0]
    test.assertEqual(rule["ScheduleExpression"], "cron(0 * ? * * *)")
    test.assertEqual(rule["Lifecycle"], {"MoveToColdStorageAfterDays": 14, "DeleteAfterDays": 120})
    selections = backup.list_backup_selections(BackupPlanId=plans[0]["BackupPlanId"])["BackupSelectionsList"]
    test.assertEqual(len(selections), 1, selections)


# ---------------------------------------------------------------- warm standby + failover

def setup_warm_standby(moto, folder):
    """The production side (boto3) and the stack folder; returns the folder and the zone id."""
    zone_id = warm_standby.create_estate(moto)
    return warm_standby.write_stack(folder, zone_id), zone_id


def _records(moto, zone_id):
    sets = moto.client("route53").list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return [r for r in sets if r["Name"] == RECORD]


def _check_no_duplicates(test, moto, zone_id, state_db):
    dr_dbs = [d["DBInstanceIdentifier"] for d in
              moto.client("rds", DR).describe_db_instances()["DBInstances"]]
    test.assertEqual(dr_dbs, [REPLICA_ID])
    checks = moto.client("route53").list_health_checks()["HealthChecks"]
    refs = [c["CallerReference"] for c in checks]
    test.assertEqual(len(refs), len(set(refs)), checks)
    in_state = [a for a in addresses(state_db) if a.startswith("route53.health_check.")]
    test.assertEqual(len(checks), len(in_state), (refs, in_state))
    records = _records(moto, zone_id)
    test.assertEqual(sorted(r["Failover"] for r in records), ["PRIMARY", "SECONDARY"], records)
    for region in (PRIMARY, DR):
        sns = moto.client("sns", region)
        names = [t["TopicArn"].split(":")[-1] for t in sns.list_topics()["Topics"]]
        test.assertEqual(len(names), len(set(names)), names)
    sns = moto.client("sns", DR)
    topic = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":dr-events")]
    test.assertEqual(len(topic), 1, topic)
    subs = sns.list_subscriptions_by_topic(TopicArn=topic[0])["Subscriptions"]
    test.assertEqual([s["Endpoint"] for s in subs], ["oncall@example.com"])


def check_standby(test, moto, zone_id, state_db):
    """The warm-standby stack applied: replica of orders-primary, standby capacity."""
    _check_no_duplicates(test, moto, zone_id, state_db)
    db = moto.client("rds", DR).describe_db_instances(DBInstanceIdentifier=REPLICA_ID)["DBInstances"][0]
    test.assertEqual(db["ReadReplicaSourceDBInstanceIdentifier"].split(":")[-1], "orders-primary")
    g = moto.client("autoscaling", DR).describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
    test.assertEqual((g["MinSize"], g["DesiredCapacity"]), (1, 1))
    svc = moto.client("ecs", DR).describe_services(cluster="shop", services=["api"])["services"][0]
    test.assertEqual(svc["desiredCount"], 1)
    values = {r["Failover"]: [v["Value"] for v in r.get("ResourceRecords", [])] for r in _records(moto, zone_id)}
    test.assertEqual(values, {"PRIMARY": ["primary.shop.example.net"], "SECONDARY": ["dr.shop.example.net"]})


def check_failed_over(test, moto, zone_id, state_db):
    """The failover runbook applied (promotion seen through tests/moto/ext_failover.py)."""
    _check_no_duplicates(test, moto, zone_id, state_db)
    db = moto.client("rds", DR).describe_db_instances(DBInstanceIdentifier=REPLICA_ID)["DBInstances"][0]
    test.assertNotIn("ReadReplicaSourceDBInstanceIdentifier", db)
    g = moto.client("autoscaling", DR).describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
    test.assertEqual((g["MinSize"], g["DesiredCapacity"], g["MaxSize"]), (4, 4, 4))
    svc = moto.client("ecs", DR).describe_services(cluster="shop", services=["api"])["services"][0]
    test.assertEqual(svc["desiredCount"], 3)
    values = {r["Failover"]: [v["Value"] for v in r.get("ResourceRecords", [])] for r in _records(moto, zone_id)}
    test.assertEqual(values, {"PRIMARY": ["dr.shop.example.net"], "SECONDARY": ["dr.shop.example.net"]})
    # A run killed after a step's call or outcome but before its state record finds the effect in
    # place on the re-run and adopts it ("import"): recorded, not performed again. So every step
    # is done, and performed (create/update) at most once across all runs.
    steps = state_rows(state_db, "SELECT address, SUM(action <> 'import'), COUNT(*) FROM journal"
                                 " WHERE address LIKE 'op.%' AND phase = 'done' GROUP BY address")
    test.assertEqual(len(steps), 5, steps)
    for address, performed, done in steps:
        test.assertLessEqual(performed, 1, steps)
        test.assertGreaterEqual(done, 1, steps)
