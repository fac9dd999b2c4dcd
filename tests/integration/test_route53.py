"""Route 53 DNS failover: drctl creates a health check and a PRIMARY/SECONDARY failover record
pair in a hosted zone, through a user module, against moto over HTTP (signatures checked);
every result is verified with boto3.

The hosted zone is created with boto3 in setUp. moto's zone ids lack AWS's "Z" prefix, which
drctl's stack schema requires; tests/moto/ext_route53.py fixes that for every test here. The
test named *_via_extension also relies on the extension's HealthCheckInUse (moto deletes a
health check that a record still names)."""

import hashlib
import json
import textwrap
import unittest

from harness.moto_env import MotoTestCase

ZONE_NAME = "shop.example."
RECORD = "api.shop.example."
PRIMARY_ALB = "primary-alb-1234.us-east-1.elb.amazonaws.com"
DR_ALB = "dr-alb-5678.us-west-2.elb.amazonaws.com"
HC = "route53.health_check.api"
PRIMARY = "route53.failover_record.api-primary"
SECONDARY = "route53.failover_record.api-secondary"

# A user module: one health check and the two halves of the failover pair per dns-failover
# workload, in the attribute shapes of src/resources/README.md.
MODULE = """\
description: Route 53 failover pair with a health check on the primary (integration test).
kinds:
  dns-failover:
    resources:
      - address: "route53.health_check.${workload.name}"
        region: global
        attrs:
          type: "${default(spec.health.type, 'HTTPS')}"
          fqdn: "${default(spec.health.fqdn, spec.primary.target)}"
          port: "${default(spec.health.port, 443)}"
          path: "${default(spec.health.path, '/')}"
          request_interval: "${default(duration_seconds(spec.health.interval), 30)}"
          failure_threshold: "${default(spec.health.threshold, 3)}"
          tags: { "drctl:stack": "${stack}", "drctl:address": "${address}" }
      - address: "route53.failover_record.${workload.name}-primary"
        region: global
        attrs:
          zone_id: "${spec.zone}"
          name: "${spec.record}."
          type: "${default(spec.type, 'CNAME')}"
          set_identifier: "${workload.name}-primary"
          failover: PRIMARY
          ttl: "${default(spec.ttl, 60)}"
          records: ["${spec.primary.target}"]
          health_check_id: "@{route53.health_check.${workload.name}#id}"
      - address: "route53.failover_record.${workload.name}-secondary"
        region: global
        attrs:
          zone_id: "${spec.zone}"
          name: "${spec.record}."
          type: "${default(spec.type, 'CNAME')}"
          set_identifier: "${workload.name}-secondary"
          failover: SECONDARY
          ttl: "${default(spec.ttl, 60)}"
          records: ["${spec.secondary.target}"]
"""


def caller_reference(stack, address):
    """What drctl derives when the module leaves caller_reference out (src/resources/README.md)."""
    return "drctl-" + hashlib.sha256(f"{stack}/{address}".encode()).hexdigest()[:32]


class Route53Failover(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.r53 = self.moto.client("route53")
        zone = self.r53.create_hosted_zone(Name=ZONE_NAME, CallerReference="test-zone")["HostedZone"]
        self.zone_id = zone["Id"].split("/")[-1]
        self.work = self.make_workdir()
        self.stack_dir = self.work / "stack"
        (self.stack_dir / "dns-module").mkdir(parents=True)
        (self.stack_dir / "dns-module" / "module.yaml").write_text(MODULE)
        self.write_stack()

    def write_stack(self, threshold=3, record="api.shop.example", workloads=True):
        body = textwrap.dedent(f"""\
            version: 1
            stack: shop
            regions: {{ primary: us-east-1, dr: us-west-2 }}
            strategy: {{ module: ./dns-module }}
            objectives: {{ rto: 15m, rpo: 5m }}
            workloads:
            """)
        if workloads:
            body += textwrap.indent(textwrap.dedent(f"""\
                api:
                  kind: dns-failover
                  zone: {self.zone_id}
                  record: {record}
                  ttl: 60
                  primary: {{ target: {PRIMARY_ALB} }}
                  secondary: {{ target: {DR_ALB} }}
                  health: {{ type: HTTPS, path: /health, port: 443, interval: 30s, threshold: {threshold} }}
                """), "  ")
        else:
            body = body.replace("workloads:\n", "workloads: {}\n")
        (self.stack_dir / "stack.dr.yaml").write_text(body)

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work)

    def apply_ok(self):
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        return r

    # --- independent reads with boto3 -------------------------------------------------------

    def health_checks(self):
        return self.r53.list_health_checks()["HealthChecks"]

    def failover_records(self):
        records = self.r53.list_resource_record_sets(HostedZoneId=self.zone_id)["ResourceRecordSets"]
        return {r["SetIdentifier"]: r for r in records if r.get("SetIdentifier")}

    def assert_failover_in_place(self, threshold=3):
        checks = self.health_checks()
        self.assertEqual(len(checks), 1, checks)
        check = checks[0]
        self.assertEqual(check["CallerReference"], caller_reference("shop", HC))
        config = check["HealthCheckConfig"]
        self.assertEqual(config["Type"], "HTTPS")
        self.assertEqual(config["FullyQualifiedDomainName"], PRIMARY_ALB)
        self.assertEqual(config["Port"], 443)
        self.assertEqual(config["ResourcePath"], "/health")
        self.assertEqual(config["RequestInterval"], 30)
        self.assertEqual(config["FailureThreshold"], threshold)
        tags = self.r53.list_tags_for_resource(ResourceType="healthcheck", ResourceId=check["Id"])
        self.assertEqual({t["Key"]: t["Value"] for t in tags["ResourceTagSet"]["Tags"]},
                         {"drctl:stack": "shop", "drctl:address": HC})

        records = self.failover_records()
        self.assertEqual(set(records), {"api-primary", "api-secondary"}, records)
        primary, secondary = records["api-primary"], records["api-secondary"]
        for rec, failover, target in ((primary, "PRIMARY", PRIMARY_ALB), (secondary, "SECONDARY", DR_ALB)):
            self.assertEqual(rec["Name"], RECORD)
            self.assertEqual(rec["Type"], "CNAME")
            self.assertEqual(rec["Failover"], failover)
            self.assertEqual(rec["TTL"], 60)
            self.assertEqual(rec["ResourceRecords"], [{"Value": target}])
        self.assertEqual(primary["HealthCheckId"], check["Id"])
        self.assertNotIn("HealthCheckId", secondary)
        return check

    # --- tests ------------------------------------------------------------------------------

    def test_apply_creates_the_check_and_the_pair_and_a_replan_is_clean(self):
        r = self.drctl("plan", self.stack_dir, "--format", "json", "--detailed-exitcode")
        self.assertEqual(r.exit_code, 2, r.output())
        plan = {c["address"]: c["action"] for c in json.loads(r.stdout)["changes"]}
        self.assertEqual(plan, {HC: "create", PRIMARY: "create", SECONDARY: "create"})

        self.apply_ok()
        check = self.assert_failover_in_place()

        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())
        r = self.drctl("drift", self.stack_dir)
        self.assertEqual(r.exit_code, 0, r.output())

        # A second apply adopts nothing new: still one health check, the same one.
        self.apply_ok()
        self.assertEqual([c["Id"] for c in self.health_checks()], [check["Id"]])

    def test_apply_with_lost_state_adopts_the_health_check_by_caller_reference(self):
        self.apply_ok()
        check_id = self.health_checks()[0]["Id"]
        (self.stack_dir / ".drctl" / "state.db").unlink()
        self.apply_ok()
        # moto ignores CallerReference idempotency; drctl looks the check up before creating.
        self.assertEqual([c["Id"] for c in self.health_checks()], [check_id])
        self.assert_failover_in_place()

    def test_saved_plan_adopts_a_check_that_appeared_with_its_caller_reference(self):
        # As after a killed apply whose CreateHealthCheck went through: the saved plan says
        # create, but a check with drctl's CallerReference exists. moto (unlike AWS for an
        # identical config) would make a second one; drctl finds it first and converges it.
        plan_file = self.work / "dns.plan"
        r = self.drctl("plan", self.stack_dir, "--out", plan_file)
        self.assertEqual(r.exit_code, 0, r.output())
        early = self.r53.create_health_check(CallerReference=caller_reference("shop", HC), HealthCheckConfig={
            "Type": "HTTPS", "FullyQualifiedDomainName": PRIMARY_ALB, "Port": 443, "ResourcePath": "/health",
            "RequestInterval": 30, "FailureThreshold": 7})["HealthCheck"]
        r = self.drctl("apply", plan_file, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        check = self.assert_failover_in_place()  # one check, threshold converged to 3, tags set
        self.assertEqual(check["Id"], early["Id"])

    def test_changed_threshold_is_an_in_place_update(self):
        self.apply_ok()
        check_id = self.health_checks()[0]["Id"]
        self.write_stack(threshold=5)
        r = self.drctl("plan", self.stack_dir, "--format", "json", "--detailed-exitcode")
        self.assertEqual(r.exit_code, 2, r.output())
        changed = {c["address"]: c["action"] for c in json.loads(r.stdout)["changes"] if c["action"] != "no-op"}
        self.assertEqual(changed, {HC: "update"})

        self.apply_ok()
        check = self.assert_failover_in_place(threshold=5)
        self.assertEqual(check["Id"], check_id)  # updated, not replaced
        r = self.drctl("plan", self.stack_dir, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_record_deleted_out_of_band_is_drift_and_apply_restores_it(self):
        self.apply_ok()
        secondary = self.failover_records()["api-secondary"]
        self.r53.change_resource_record_sets(HostedZoneId=self.zone_id, ChangeBatch={
            "Changes": [{"Action": "DELETE", "ResourceRecordSet": secondary}]})
        self.assertNotIn("api-secondary", self.failover_records())

        r = self.drctl("drift", self.stack_dir, "--format", "json")
        self.assertEqual(r.exit_code, 2, r.output())
        entries = {e["address"]: e for e in json.loads(r.stdout)["entries"]}
        self.assertEqual(set(entries), {SECONDARY})
        self.assertEqual(entries[SECONDARY]["kind"], "deleted")

        self.apply_ok()
        self.assert_failover_in_place()
        r = self.drctl("drift", self.stack_dir)
        self.assertEqual(r.exit_code, 0, r.output())

    def test_changed_record_value_is_drift_with_its_attribute_path(self):
        self.apply_ok()
        primary = self.failover_records()["api-primary"]
        changed = dict(primary, TTL=300)
        self.r53.change_resource_record_sets(HostedZoneId=self.zone_id, ChangeBatch={
            "Changes": [{"Action": "UPSERT", "ResourceRecordSet": changed}]})
        r = self.drctl("drift", self.stack_dir, "--format", "json")
        self.assertEqual(r.exit_code, 2, r.output())
        entries = {e["address"]: e for e in json.loads(r.stdout)["entries"]}
        self.assertEqual(set(entries), {PRIMARY})
        paths = {a["path"]: a for a in entries[PRIMARY]["attributes"]}
        self.assertEqual(paths["ttl"]["actual"], 300)
        self.apply_ok()
        self.assert_failover_in_place()

    def test_removed_workload_deletes_records_before_the_health_check_via_extension(self):
        self.apply_ok()
        self.write_stack(workloads=False)
        r = self.drctl("plan", self.stack_dir, "--format", "json")
        plan = {c["address"]: c["action"] for c in json.loads(r.stdout)["changes"]}
        self.assertEqual(plan, {HC: "destroy", PRIMARY: "destroy", SECONDARY: "destroy"})
        self.apply_ok()  # HealthCheckInUse if the check went first
        self.assertEqual(self.failover_records(), {})
        self.assertEqual(self.health_checks(), [])

    def test_cname_at_the_zone_apex_is_refused_with_a_clear_error(self):
        self.write_stack(record="shop.example")
        r = self.drctl("apply", self.stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("zone apex", r.output())
        self.assertEqual(self.failover_records(), {})


class Route53MotoExtension(MotoTestCase):
    """tests/moto/ext_route53.py answers as AWS does where moto 5.2.1 does not."""

    def setUp(self):
        self.moto.reset()
        self.r53 = self.moto.client("route53")

    def test_hosted_zone_ids_have_the_aws_form_via_extension(self):
        zone = self.r53.create_hosted_zone(Name=ZONE_NAME, CallerReference="z")["HostedZone"]
        self.assertRegex(zone["Id"], r"^/hostedzone/Z[A-Z0-9]{1,32}$")

    def test_deleting_a_health_check_a_record_names_is_refused_via_extension(self):
        zone_id = self.r53.create_hosted_zone(Name=ZONE_NAME, CallerReference="z")["HostedZone"]["Id"]
        check_id = self.r53.create_health_check(CallerReference="c", HealthCheckConfig={
            "Type": "TCP", "IPAddress": "192.0.2.1", "Port": 80})["HealthCheck"]["Id"]
        record = {"Name": RECORD, "Type": "A", "SetIdentifier": "p", "Failover": "PRIMARY", "TTL": 60,
                  "ResourceRecords": [{"Value": "192.0.2.1"}], "HealthCheckId": check_id}
        self.r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={
            "Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]})
        with self.assertRaises(self.r53.exceptions.HealthCheckInUse):
            self.r53.delete_health_check(HealthCheckId=check_id)
        self.r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={
            "Changes": [{"Action": "DELETE", "ResourceRecordSet": record}]})
        self.r53.delete_health_check(HealthCheckId=check_id)
        self.assertEqual(self.r53.list_health_checks()["HealthChecks"], [])

if __name__ == "__main__":
    unittest.main()
