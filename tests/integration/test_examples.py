"""Issue: every workload kind under all four strategies, shown by the three example stacks.
For each example: its estate.sh builds the primary (and DR-side compute) estate with the aws
CLI against moto, then `drctl validate`, `drctl apply --auto-approve`, a few key objects checked
with boto3 (the independent client), and `drctl plan --detailed-exitcode` must report no changes.

Every example has a backups: block, whose selection goes through tests/moto's Backup extension
(moto lacks the BackupSelection operations): hence every test name says via_extension. Other
extensions used where moto lacks the operation: EFS replication, DynamoDB replicas."""

import json
import subprocess
import unittest

from harness.moto_env import MotoTestCase, REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"


class Examples(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.work = self.make_workdir()

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work, timeout_s=300)

    def deploy(self, example):
        """estate.sh, validate, apply, then a plan that must show nothing to do."""
        stack = self.work / example
        estate = subprocess.run([str(EXAMPLES / example / "estate.sh"), str(stack)], env=self.env,
                                cwd=self.work, capture_output=True, text=True, timeout=300)
        self.assertEqual(estate.returncode, 0, f"estate.sh failed:\n{estate.stdout}\n{estate.stderr}")
        self.assertNotIn("ZEXAMPLEZONEID", (stack / "stack.dr.yaml").read_text())
        r = self.drctl("validate", stack)
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("apply", stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("plan", stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, "a second plan must be a no-op\n" + r.output())
        return stack

    # --- independent reads with boto3 -------------------------------------------------------

    def zone_id(self, name):
        zones = self.moto.client("route53").list_hosted_zones_by_name(DNSName=name)["HostedZones"]
        return zones[0]["Id"].split("/")[-1]

    def failover_records(self, zone, name):
        sets = self.moto.client("route53").list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
        return {s["Failover"]: s for s in sets if s["Name"] == name and "Failover" in s}

    def health_check(self, check_id):
        return self.moto.client("route53").get_health_check(HealthCheckId=check_id)["HealthCheck"]

    def alarm_names(self, region):
        alarms = self.moto.client("cloudwatch", region=region).describe_alarms()["MetricAlarms"]
        return {a["AlarmName"]: a for a in alarms}

    def topic_arn(self, region, name):
        topics = self.moto.client("sns", region=region).list_topics()["Topics"]
        arns = [t["TopicArn"] for t in topics if t["TopicArn"].endswith(":" + name)]
        self.assertEqual(len(arns), 1, topics)
        return arns[0]

    def assert_tagged(self, tags, stack, address):
        self.assertEqual(tags.get("drctl:stack"), stack, tags)
        self.assertEqual(tags.get("drctl:address"), address, tags)

    def backup_plan(self, stack):
        backup = self.moto.client("backup")
        plans = [p for p in backup.list_backup_plans()["BackupPlansList"] if p["BackupPlanName"] == f"drctl-{stack}"]
        self.assertEqual(len(plans), 1, plans)
        return backup.get_backup_plan(BackupPlanId=plans[0]["BackupPlanId"])["BackupPlan"]

    # --- the examples -----------------------------------------------------------------------

    def test_ecommerce_warm_standby_via_extension(self):
        self.deploy("ecommerce-warm-standby")
        # RDS: a read replica of the PostgreSQL primary in us-west-2.
        rds_dr = self.moto.client("rds", region="us-west-2")
        replica = rds_dr.describe_db_instances(DBInstanceIdentifier="drctl-ecommerce-orders")["DBInstances"][0]
        self.assertIn("ecommerce-orders", replica["ReadReplicaSourceDBInstanceIdentifier"])
        self.assertEqual(replica["DBInstanceClass"], "db.r6g.large")
        self.assertTrue(replica["MultiAZ"])
        tags = {t["Key"]: t["Value"] for t in rds_dr.list_tags_for_resource(ResourceName=replica["DBInstanceArn"])["TagList"]}
        self.assert_tagged(tags, "ecommerce", "rds.replica.orders")
        # S3: product images replicated with RTC into a versioned DR bucket.
        rule = self.moto.client("s3").get_bucket_replication(Bucket="ecommerce-product-images")[
            "ReplicationConfiguration"]["Rules"][0]
        self.assertEqual(rule["Destination"]["Bucket"], "arn:aws:s3:::ecommerce-product-images-dr")
        self.assertEqual(rule["Destination"]["ReplicationTime"]["Status"], "Enabled")
        # ECS: the DR service runs its standby count, the failover count is in its tags.
        ecs_dr = self.moto.client("ecs", region="us-west-2")
        service = ecs_dr.describe_services(cluster="ecommerce", services=["api"], include=["TAGS"])["services"][0]
        self.assertEqual(service["desiredCount"], 1)
        tags = {t["key"]: t["value"] for t in service.get("tags", [])}
        self.assertEqual(tags.get("drctl:failover-count"), "3", tags)
        # Route 53: a PRIMARY/SECONDARY pair; the primary carries an HTTPS health check.
        records = self.failover_records(self.zone_id("ecommerce.example."), "api.ecommerce.example.")
        self.assertEqual(set(records), {"PRIMARY", "SECONDARY"})
        self.assertEqual(records["PRIMARY"]["ResourceRecords"], [{"Value": "api-primary.ecommerce.example.net"}])
        check = self.health_check(records["PRIMARY"]["HealthCheckId"])["HealthCheckConfig"]
        self.assertEqual((check["Type"], check["ResourcePath"], check["Port"], check["RequestInterval"],
                          check["FailureThreshold"]), ("HTTPS", "/health", 443, 30, 3))
        self.assertNotIn("HealthCheckId", records["SECONDARY"])
        # Alarms: replica lag in the DR region, health check and backup jobs in us-east-1,
        # each notifying the topic of its own region.
        dr_topic = self.topic_arn("us-west-2", "ecommerce-dr-events")
        primary_topic = self.topic_arn("us-east-1", "ecommerce-dr-events")
        lag = self.alarm_names("us-west-2")["drctl-ecommerce-orders-replica-lag"]
        self.assertEqual(lag["AlarmActions"], [dr_topic])
        self.assertEqual(lag["Threshold"], 300)
        primary_alarms = self.alarm_names("us-east-1")
        self.assertEqual(primary_alarms["drctl-ecommerce-dns-primary-health"]["AlarmActions"], [primary_topic])
        self.assertIn("drctl-ecommerce-backup-jobs-failed", primary_alarms)
        subs = self.moto.client("sns", region="us-west-2").list_subscriptions_by_topic(TopicArn=dr_topic)["Subscriptions"]
        self.assertEqual([(s["Protocol"], s["Endpoint"]) for s in subs], [("email", "oncall@example.com")])
        # Backups: hourly, 35 days, copied to the DR vault.
        rule = self.backup_plan("ecommerce")["Rules"][0]
        self.assertEqual(rule["ScheduleExpression"], "cron(0 * ? * * *)")
        self.assertEqual(rule["Lifecycle"]["DeleteAfterDays"], 35)
        self.assertIn(":backup-vault:drctl-ecommerce-dr", rule["CopyActions"][0]["DestinationBackupVaultArn"])

    def test_webapp_pilot_light_via_extension(self):
        self.deploy("webapp-pilot-light")
        # RDS: the MySQL read replica in us-east-1.
        replica = self.moto.client("rds", region="us-east-1").describe_db_instances(
            DBInstanceIdentifier="drctl-webapp-db")["DBInstances"][0]
        self.assertIn("webapp-db", replica["ReadReplicaSourceDBInstanceIdentifier"])
        # ASG: at zero in us-east-1, the failover capacity recorded in its tags.
        group = self.moto.client("autoscaling", region="us-east-1").describe_auto_scaling_groups(
            AutoScalingGroupNames=["webapp-web"])["AutoScalingGroups"][0]
        self.assertEqual((group["MinSize"], group["DesiredCapacity"]), (0, 0))
        tags = {t["Key"]: t["Value"] for t in group["Tags"]}
        self.assertEqual((tags.get("drctl:failover-desired"), tags.get("drctl:failover-max")), ("4", "8"), tags)
        self.assert_tagged(tags, "webapp", "autoscaling.capacity.web")
        # The primary's group is untouched.
        primary = self.moto.client("autoscaling", region="ap-south-1").describe_auto_scaling_groups(
            AutoScalingGroupNames=["webapp-web"])["AutoScalingGroups"][0]
        self.assertEqual(primary["DesiredCapacity"], 2)
        # Route 53: alias records to the two load balancers.
        albs = {}
        for region in ("ap-south-1", "us-east-1"):
            lb = self.moto.client("elbv2", region=region).describe_load_balancers()["LoadBalancers"][0]
            albs[region] = lb["DNSName"]
        records = self.failover_records(self.zone_id("webapp.example."), "www.webapp.example.")
        self.assertEqual(records["PRIMARY"]["AliasTarget"]["DNSName"].rstrip("."), albs["ap-south-1"])
        self.assertEqual(records["SECONDARY"]["AliasTarget"]["DNSName"].rstrip("."), albs["us-east-1"])
        check = self.health_check(records["PRIMARY"]["HealthCheckId"])["HealthCheckConfig"]
        self.assertEqual((check["Type"], check["ResourcePath"], check["Port"]), ("HTTP", "/healthz", 80))
        # Pilot light: no alarms; the notification topic lives in the DR region.
        self.assertEqual(self.alarm_names("us-east-1"), {})
        self.topic_arn("us-east-1", "webapp-dr")

    def test_securecart_active_active_via_extension(self):
        self.deploy("securecart-active-active")
        # ECS: full capacity in eu-central-1.
        service = self.moto.client("ecs", region="eu-central-1").describe_services(
            cluster="securecart", services=["storefront"])["services"][0]
        self.assertEqual(service["desiredCount"], 4)
        # Route 53: both endpoints health-checked every 10 s.
        records = self.failover_records(self.zone_id("securecart.example."), "shop.securecart.example.")
        for side in ("PRIMARY", "SECONDARY"):
            self.assertEqual(records[side]["TTL"], 30)
            check = self.health_check(records[side]["HealthCheckId"])["HealthCheckConfig"]
            self.assertEqual((check["RequestInterval"], check["FailureThreshold"]), (10, 2))
        # Backups: daily, cold after 7 days, copied to eu-central-1 and to us-west-2.
        rule = self.backup_plan("securecart")["Rules"][0]
        self.assertEqual(rule["Lifecycle"], {"MoveToColdStorageAfterDays": 7, "DeleteAfterDays": 365})
        targets = sorted(c["DestinationBackupVaultArn"].split(":")[3] for c in rule["CopyActions"])
        self.assertEqual(targets, ["eu-central-1", "us-west-2"])
        self.moto.client("backup", region="us-west-2").describe_backup_vault(
            BackupVaultName="drctl-securecart-copy-us-west-2")
        # S3: the Object Lock bucket replicates its receipts.
        rule = self.moto.client("s3").get_bucket_replication(Bucket="securecart-receipts")[
            "ReplicationConfiguration"]["Rules"][0]
        self.assertEqual(rule["Destination"]["Bucket"], "arn:aws:s3:::securecart-receipts-dr")
        # Alarms on both health checks, in us-east-1.
        alarms = self.alarm_names("us-east-1")
        for name in ("drctl-securecart-shop-primary-health", "drctl-securecart-shop-secondary-health",
                     "drctl-securecart-carts-replication-latency"):
            self.assertIn(name, alarms)

    def test_switching_strategy_plans_exactly_the_difference_via_extension(self):
        stack = self.deploy("ecommerce-warm-standby")
        path = stack / "stack.dr.yaml"
        path.write_text(path.read_text().replace("strategy: warm-standby", "strategy: pilot-light"))
        r = self.drctl("plan", stack, "--format", "json")
        self.assertEqual(r.exit_code, 0, r.output())
        changes = {c["address"]: c["action"] for c in json.loads(r.stdout)["changes"] if c["action"] != "no-op"}
        self.assertEqual(changes, {
            "cloudwatch.alarm.backup-copy-jobs-failed": "destroy", "cloudwatch.alarm.backup-jobs-failed": "destroy",
            "cloudwatch.alarm.dns-primary-health": "destroy", "cloudwatch.alarm.orders-replica-lag": "destroy",
            "sns.topic.notify-primary": "destroy", "ecs.capacity.api": "update"})
        r = self.drctl("apply", stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        service = self.moto.client("ecs", region="us-west-2").describe_services(
            cluster="ecommerce", services=["api"])["services"][0]
        self.assertEqual(service["desiredCount"], 0)
        self.assertNotIn("drctl-ecommerce-orders-replica-lag", self.alarm_names("us-west-2"))
        r = self.drctl("plan", stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())


if __name__ == "__main__":
    unittest.main()
