"""`drctl readiness DIR` against moto with signatures checked, verified with boto3.

The estate (as in test_failover.py): a PostgreSQL primary in us-east-1, a DR Auto Scaling group
with a launch template in us-west-2, a hosted zone and an EBS volume. The stack is warm-standby
(rds replica + asg + dns-failover + notify) with hourly AWS Backup copied to DR; the volume is
an `ebs` workload, protected by backups alone, so its recovery points decide readiness.
Recovery points are created the way a real backup and copy job would, through boto3's
StartBackupJob / StartCopyJob, which moto lacks: tests/moto/ext_readiness.py adds them and
ListRecoveryPointsByBackupVault. Tests that rely on it say so in their names.
"""

import json
import textwrap
import unittest
from pathlib import Path

from harness.moto_env import MotoTestCase

try:
    import jsonschema
except ImportError:  # the key-structure check below still runs
    jsonschema = None

PRIMARY, DR = "us-east-1", "us-west-2"
STACK = "shop"
REPLICA_ID = f"drctl-{STACK}-orders"
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "readiness.schema.json").read_text())


class Readiness(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        self.create_estate()
        self.stack = self.work / "stack"
        self.stack.mkdir()
        self.write_stack()

    def write_stack(self, web_standby="{ min: 1, desired: 1 }"):
        (self.stack / "stack.dr.yaml").write_text(textwrap.dedent(f"""\
            version: 1
            stack: {STACK}
            regions: {{ primary: {PRIMARY}, dr: {DR} }}
            strategy: warm-standby
            objectives: {{ rto: 30m, rpo: 2h }}
            notify: {{ topic: dr-events, emails: [oncall@example.com] }}
            workloads:
              orders: {{ kind: rds, source: orders-primary, replica: {{ class: db.t3.small }}, protect: false }}
              web: {{ kind: asg, group: web, standby: {web_standby}, failover: {{ desired: 4 }} }}
              volumes: {{ kind: ebs, arns: ["{self.volume_arn}"] }}
              dns:
                kind: dns-failover
                zone: {self.zone}
                record: api.shop.example
                ttl: 60
                primary: {{ target: primary.shop.example.net }}
                secondary: {{ target: dr.shop.example.net }}
                health: {{ type: HTTPS, path: /health, port: 443, interval: 30s, threshold: 3 }}
            backups:
              schedule: cron(0 * ? * * *)
              retention: 35d
              copy_to_dr: true
              select: {{ tags: {{ dr: protected }} }}
            """))

    def drctl(self, *args, **kw):
        return self.run_drctl(*args, env=self.env, cwd=self.work, **kw)

    def create_estate(self):
        self.moto.client("rds", PRIMARY).create_db_instance(
            DBInstanceIdentifier="orders-primary", DBInstanceClass="db.t3.micro", Engine="postgres",
            EngineVersion="16.3", MasterUsername="orders", MasterUserPassword="not-a-secret-1",
            AllocatedStorage=20, BackupRetentionPeriod=7)
        image = self.moto.client("ec2", DR).describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        self.moto.client("ec2", DR).create_launch_template(
            LaunchTemplateName="web", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"})
        self.image = image
        self.moto.client("autoscaling", DR).create_auto_scaling_group(
            AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"},
            MinSize=0, DesiredCapacity=0, MaxSize=4, AvailabilityZones=[f"{DR}a"])
        zone = self.moto.client("route53").create_hosted_zone(Name="shop.example", CallerReference="shop-zone")
        self.zone = zone["HostedZone"]["Id"].split("/")[-1]
        volume = self.moto.client("ec2", PRIMARY).create_volume(AvailabilityZone=f"{PRIMARY}a", Size=8)
        account = self.moto.client("sts").get_caller_identity()["Account"]
        self.volume_arn = f"arn:aws:ec2:{PRIMARY}:{account}:volume/{volume['VolumeId']}"
        self.account = account

    def readiness(self, *extra):
        r = self.drctl("readiness", self.stack, "--format", "json", *extra)
        self.assertIn(r.exit_code, (0, 2), r.output())
        report = json.loads(r.stdout)
        return r, report

    def findings(self, report, workload=None, failed_only=True):
        return [f for w in report["workloads"] if workload in (None, w["name"]) for f in w["findings"]
                if not (failed_only and f["passed"])]

    def apply(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())

    def back_up_volume(self):
        """A backup job of the volume in the primary vault, then its copy job to the DR vault."""
        role = self.moto.client("iam").get_role(RoleName=f"drctl-{STACK}-backup")["Role"]["Arn"]
        backup = self.moto.client("backup", PRIMARY)
        job = backup.start_backup_job(BackupVaultName=f"drctl-{STACK}-primary", ResourceArn=self.volume_arn,
                                      IamRoleArn=role)
        dr_vault = self.moto.client("backup", DR).describe_backup_vault(BackupVaultName=f"drctl-{STACK}-dr")
        backup.start_copy_job(RecoveryPointArn=job["RecoveryPointArn"], SourceBackupVaultName=f"drctl-{STACK}-primary",
                              DestinationBackupVaultArn=dr_vault["BackupVaultArn"], IamRoleArn=role)
        return job["RecoveryPointArn"]

    def assert_valid(self, report):
        if jsonschema is not None:
            jsonschema.validate(report, SCHEMA)
        for key in SCHEMA["required"]:
            self.assertIn(key, report)
        for w in report["workloads"]:
            for f in w["findings"]:
                self.assertLessEqual(set(SCHEMA["definitions"]["finding"]["required"]), set(f))

    # ------------------------------------------------------------------ tests

    def test_nothing_applied_is_not_ready_and_names_what_is_missing(self):
        r, report = self.readiness()
        self.assertEqual(r.exit_code, 2, r.output())
        self.assertFalse(report["ready"])
        self.assert_valid(report)
        critical = {f["address"] for f in self.findings(report) if f["grade"] == "critical" and f["check"] == "exists"}
        for address in ("rds.replica.orders", "backup.vault.dr", "route53.failover_record.dns-primary",
                        "backup.plan.main", "backup.selection.volumes"):
            self.assertIn(address, critical)
        self.assertIn("rds.replica.orders does not exist in us-west-2", r.stdout)
        # Text for people: the verdict per workload and the evidence.
        r = self.drctl("readiness", self.stack)
        self.assertEqual(r.exit_code, 2, r.output())
        self.assertIn("orders (rds): NOT READY", r.stdout)
        self.assertIn("evidence: refresh (rds.replica read in us-west-2): not found", r.stdout)

    def test_ready_after_apply_and_backups_then_not_when_replica_deleted_via_extension(self):
        self.apply()
        # Applied, but the volume (protected by backups alone) has no recovery point yet.
        r, report = self.readiness()
        self.assertEqual(r.exit_code, 2, r.output())
        failed = [(f["check"], f["grade"]) for f in self.findings(report, "volumes")]
        self.assertIn(("backup.recovery_point", "critical"), failed)
        self.assertIn(("backup.dr_copy_age", "critical"), failed)

        point = self.back_up_volume()
        listed = self.moto.client("backup", DR).list_recovery_points_by_backup_vault(
            BackupVaultName=f"drctl-{STACK}-dr")["RecoveryPoints"]
        self.assertEqual([p["ResourceArn"] for p in listed], [self.volume_arn])
        r, report = self.readiness()
        self.assertEqual(r.exit_code, 0, r.output() + json.dumps(self.findings(report), indent=1))
        self.assertTrue(report["ready"])
        self.assert_valid(report)
        volumes = next(w for w in report["workloads"] if w["name"] == "volumes")
        rpo = {o["what"]: o for o in volumes["observed_rpo"]}
        self.assertTrue(rpo["newest recovery point (primary vault)"]["within"])
        self.assertLess(rpo["newest DR copy (DR vault)"]["age_seconds"], 300)
        self.assertEqual(rpo["newest DR copy (DR vault)"]["objective_seconds"], 7200)
        passed = {(f["check"], f["address"]) for f in self.findings(report, failed_only=False) if f["passed"]}
        for check in (("replica.status", "rds.replica.orders"), ("replica.source", "rds.replica.orders"),
                      ("pair.engine", "rds.replica.orders"), ("compute.launch_template", "autoscaling.capacity.web"),
                      ("compute.ami", "autoscaling.capacity.web"),
                      ("dns.health_check", "route53.failover_record.dns-primary"),
                      ("capacity.failover_max", "autoscaling.capacity.web")):
            self.assertIn(check, passed)
        self.assertTrue(any(c == "alarm.notifies" for c, _ in passed), passed)
        self.assertIn(point.split(":")[-1], json.dumps(report))  # the evidence names the recovery point

        # Markdown for pull requests and audit packs.
        r = self.drctl("readiness", self.stack, "--format", "markdown")
        self.assertEqual(r.exit_code, 0, r.output())
        self.assertIn("| what | age | objective | within | source |", r.stdout)

        # Out of band: the replica is deleted.
        self.moto.client("rds", DR).delete_db_instance(DBInstanceIdentifier=REPLICA_ID, SkipFinalSnapshot=True)
        self.assertEqual([d["DBInstanceIdentifier"] for d in
                          self.moto.client("rds", DR).describe_db_instances()["DBInstances"]], [])
        r, report = self.readiness()
        self.assertEqual(r.exit_code, 2, r.output())
        failed = [f for f in self.findings(report, "orders") if f["grade"] == "critical"]
        self.assertIn(("exists", "rds.replica.orders"), [(f["check"], f["address"]) for f in failed])
        orders = next(w for w in report["workloads"] if w["name"] == "orders")
        self.assertFalse(orders["ready"])
        volumes = next(w for w in report["workloads"] if w["name"] == "volumes")
        self.assertTrue(volumes["ready"])

    def test_pair_mismatch_and_short_asg_max_are_reported(self):
        self.write_stack(web_standby="{ min: 1, desired: 1, max: 2 }")
        self.apply()
        self.assertEqual(self.moto.client("autoscaling", DR).describe_auto_scaling_groups(
            AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["MaxSize"], 2)
        # The primary is upgraded; the replica is not.
        self.moto.client("rds", PRIMARY).modify_db_instance(
            DBInstanceIdentifier="orders-primary", EngineVersion="17.2", ApplyImmediately=True)
        replica = self.moto.client("rds", DR).describe_db_instances(DBInstanceIdentifier=REPLICA_ID)["DBInstances"][0]
        self.assertNotEqual(replica["EngineVersion"], "17.2")
        r, report = self.readiness()
        failed = {f["check"]: f for f in self.findings(report)}
        version = failed["pair.engine_version"]
        self.assertEqual(version["grade"], "critical")  # major versions differ
        self.assertIn("primary 17.2", version["summary"])
        self.assertIn("DescribeDBInstances us-east-1 orders-primary", version["evidence"])
        short = failed["capacity.failover_max"]
        self.assertEqual(short["grade"], "warning")
        self.assertIn("max 2 is below the failover desired 4", short["summary"])
        self.assertEqual(short["address"], "autoscaling.capacity.web")

    def test_disabled_replication_rule_is_critical(self):
        """S3 under the same stack: a rule disabled out of band is a critical finding."""
        s3 = self.moto.client("s3")
        s3.create_bucket(Bucket="shop-assets")
        with open(self.stack / "stack.dr.yaml", "a") as f:
            f.write("  # appended\n")
        text = (self.stack / "stack.dr.yaml").read_text().replace(
            "workloads:\n", "workloads:\n  assets: { kind: s3, source: shop-assets, rtc: true }\n", 1)
        (self.stack / "stack.dr.yaml").write_text(text)
        self.apply()
        self.back_up_volume()
        r, _ = self.readiness()
        self.assertEqual(r.exit_code, 0, r.output())
        config = s3.get_bucket_replication(Bucket="shop-assets")["ReplicationConfiguration"]
        for rule in config["Rules"]:
            rule["Status"] = "Disabled"
        s3.put_bucket_replication(Bucket="shop-assets", ReplicationConfiguration=config)
        r, report = self.readiness()
        self.assertEqual(r.exit_code, 2, r.output())
        failed = [f for f in self.findings(report, "assets") if f["check"] == "s3.rule_enabled"]
        self.assertEqual(len(failed), 1, self.findings(report, "assets"))
        self.assertEqual(failed[0]["grade"], "critical")
        self.assertIn("Disabled", failed[0]["summary"])


if __name__ == "__main__":
    unittest.main()
