"""Automatic failover (automation:): the failover runbook compiled into a Step Functions state
machine in the DR region, an EventBridge rule on the trigger alarms, and the roles.

Offline checks walk `drctl automation show --format json`:
- every aws-sdk / optimised integration Task's Parameters against the operation's input shape in
  botocore's service-2.json (member names exist, required members present);
- the step graph read back from the ASL equals the `drctl failover` plan's steps and order;
- the ASL of every example stack in every mode passes asl-validator (tests/asl, npm) when node
  and the installed validator are present (skipped otherwise, saying why).
Against moto (Step Functions, EventBridge, IAM, SNS, signatures checked), verified with boto3:
apply creates machine, rule + target and roles; a re-plan is clean; changing a workload updates
the machine in place and the plan (text and markdown) lists the runbook steps added, removed and
changed; `enabled: false` disables the rule and keeps the machine; `automation.topic` receives
the failure report and the approval request; a health-check alarm in us-east-1 is forwarded by
a rule there to the DR region's default bus; a definition edited by hand is drift.
"""

import json
import os
import re
import shutil
import subprocess
import textwrap
import unittest
from pathlib import Path

import botocore
import jsonschema

from harness.moto_env import MotoTestCase, run_drctl

PRIMARY, DR = "us-east-1", "us-west-2"
STACK = "shop"
MACHINE = f"drctl-{STACK}-failover"
SOURCE = Path(__file__).resolve().parents[2]
MODELS = Path(botocore.__file__).parent / "data"
# Step Functions names a service by its SDK id; botocore by its model folder.
MODEL_FOLDER = {"rds": "rds", "autoscaling": "autoscaling", "ecs": "ecs", "route53": "route53", "sns": "sns",
                "cloudwatch": "cloudwatch"}


def stack_yaml(zone="Z123", automation="automation: { failover: automatic, trigger: { alarms: [shop-api-5xx] } }",
               failover=3, web=True):
    web_line = "web: { kind: asg, group: web, standby: { min: 1, desired: 1 }, failover: { desired: 4 } }" if web else ""
    return textwrap.dedent(f"""\
        version: 1
        stack: {STACK}
        regions: {{ primary: {PRIMARY}, dr: {DR} }}
        strategy: warm-standby
        objectives: {{ rto: 30m, rpo: 5m }}
        notify: {{ topic: dr-events, emails: [oncall@example.com] }}
        workloads:
          orders: {{ kind: rds, source: orders-primary, replica: {{ class: db.t3.small }}, protect: false }}
          {web_line}
          api: {{ kind: ecs, cluster: shop, service: api, standby: 1, failover: {failover} }}
          dns:
            kind: dns-failover
            zone: {zone}
            record: api.shop.example
            ttl: 60
            primary: {{ target: primary.shop.example.net }}
            secondary: {{ target: dr.shop.example.net }}
            health: {{ type: HTTPS, path: /health, port: 443, interval: 30s, threshold: 3 }}
        """) + automation + "\n"


def load_model(service):
    folder = MODELS / MODEL_FOLDER[service]
    version = sorted(p.name for p in folder.iterdir() if p.is_dir())[-1]
    path = folder / version / "service-2.json"
    if path.exists():
        return json.loads(path.read_text())
    import gzip  # newer botocore ships its models compressed
    return json.loads(gzip.decompress((folder / version / "service-2.json.gz").read_bytes()))


def operation_of(model, camel):
    for name in model["operations"]:
        if name[0].lower() + name[1:] == camel:
            return model["operations"][name]
    return None


def check_shape(model, shape_name, value, where, problems):
    """Member names exist and required members are present, recursively through structures/lists."""
    shape = model["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object for {shape_name}")
            return
        # Step Functions takes aws-sdk parameter names with the first letter in either case
        # (its docs write them PascalCase: ECS "Cluster" for the model's "cluster").
        members = {m[0].upper() + m[1:]: m for m in shape["members"]}
        given = {}
        for k, v in value.items():
            k = k[:-2] if k.endswith(".$") else k
            given[members.get(k[0].upper() + k[1:], k)] = v
        for req in shape.get("required", []):
            if req not in given:
                problems.append(f"{where}: required member {req} of {shape_name} missing")
        for k, v in given.items():
            if k not in shape["members"]:
                problems.append(f"{where}: {shape_name} has no member {k}")
            else:
                check_shape(model, shape["members"][k]["shape"], v, f"{where}.{k}", problems)
    elif kind == "list" and isinstance(value, list):
        for i, v in enumerate(value):
            check_shape(model, shape["member"]["shape"], v, f"{where}[{i}]", problems)


def tasks(states, path=""):
    for name, s in states.items():
        if s["Type"] == "Task":
            yield f"{path}{name}", s
        for b in s.get("Branches", []):
            yield from tasks(b["States"], f"{path}{name}/")


def validate_tasks(asl):
    problems, checked = [], 0
    for where, t in tasks(asl["States"]):
        m = re.match(r"arn:aws:states:::(aws-sdk:)?([a-z0-9]+):([A-Za-z]+)(\.waitForTaskToken)?$", t["Resource"])
        if not m:
            problems.append(f"{where}: unexpected resource {t['Resource']}")
            continue
        service, op = m.group(2), m.group(3)
        model = load_model(service)
        operation = operation_of(model, op)
        if operation is None:
            problems.append(f"{where}: {service} has no operation {op}")
            continue
        check_shape(model, operation["input"]["shape"], t.get("Parameters", {}), where, problems)
        checked += 1
    return problems, checked


class AutomationOffline(unittest.TestCase):
    """No AWS: compile, show and validate."""

    def setUp(self):
        self.dir = Path(self._tmp()) / "stack"
        self.dir.mkdir(parents=True)

    def _tmp(self):
        import tempfile
        d = tempfile.mkdtemp(prefix="drctl-automation-")
        self.addCleanup(shutil.rmtree, d, True)
        return d

    def show(self, yaml, fmt="json", expect=0):
        (self.dir / "stack.dr.yaml").write_text(yaml)
        r = run_drctl("automation", "show", self.dir, "--format", fmt, env=dict(os.environ))
        self.assertEqual(r.exit_code, expect, r.output())
        return json.loads(r.stdout) if fmt == "json" and expect == 0 else r

    def test_every_task_parameter_conforms_to_the_botocore_model(self):
        for mode in ("automatic", "approval"):
            out = self.show(stack_yaml(automation=f"automation: {{ failover: {mode}, trigger: "
                                                  "{ alarms: [shop-api-5xx], for: 5m } }"))
            problems, checked = validate_tasks(out["definition"])
            self.assertEqual(problems, [], mode)
            self.assertGreaterEqual(checked, 10, mode)

    def test_a_wrong_member_name_is_caught_by_the_model_check(self):
        out = self.show(stack_yaml())
        asl = out["definition"]
        for _, t in tasks(asl["States"]):
            if t["Resource"].endswith("promoteReadReplica"):
                t["Parameters"] = {"DbInstanceIdentifier": "x"}
        problems, _ = validate_tasks(asl)
        self.assertTrue(any("no member DbInstanceIdentifier" in p for p in problems), problems)
        self.assertTrue(any("required member DBInstanceIdentifier" in p for p in problems), problems)

    def test_text_and_mermaid_views(self):
        r = self.show(stack_yaml(automation="automation: { failover: approval, trigger: { alarms: [a] } }"), fmt="text")
        self.assertIn("WAIT FOR APPROVAL", r.stdout)
        self.assertIn("op.rds_promote.orders  [rds promoteReadReplica, rds describeDBInstances]", r.stdout)
        r = self.show(stack_yaml(), fmt="mermaid")
        self.assertTrue(r.stdout.startswith("flowchart TD"))
        self.assertIn("op_dns_switch_dns --> op_sns_notify_failover", r.stdout)

    def test_no_automation_is_a_clear_error(self):
        r = self.show(stack_yaml(automation=""), fmt="text", expect=1)
        self.assertIn("has no automatic failover", r.stderr)

    def test_asl_validator_accepts_every_example_and_mode(self):
        validator = SOURCE / "tests" / "asl" / "node_modules" / ".bin" / "asl-validator"
        if not shutil.which("node") or not validator.exists():
            self.skipTest("node or tests/asl/node_modules missing (scripts/bootstrap runs npm ci --prefix tests/asl)")
        examples = sorted((SOURCE / "examples").glob("*/stack.dr.yaml"))
        self.assertTrue(examples)
        validated = 0
        for example in examples:
            base = example.read_text()
            if not re.search(r"^notify:", base, re.M):  # automation reports on the notify: topic
                base += "\nnotify: { topic: dr-events }\n"
            for mode in ("automatic", "approval"):
                trigger = "{ alarms: [example-alarm], for: 2m }"
                (self.dir / "stack.dr.yaml").write_text(base + f"\nautomation: {{ failover: {mode}, trigger: {trigger} }}\n")
                r = run_drctl("automation", "show", self.dir, "--format", "json", env=dict(os.environ))
                self.assertEqual(r.exit_code, 0, f"{example}: {r.output()}")
                asl_file = Path(self._tmp()) / "asl.json"
                # References to other resources are resolved at apply; give the validator an ARN.
                asl_file.write_text(re.sub(r"@\{[^}]*\}", "arn:aws:sns:us-west-2:111122223333:t",
                                           json.dumps(json.loads(r.stdout)["definition"])))
                v = subprocess.run([str(validator), "--json-path", str(asl_file)],
                                   capture_output=True, text=True)
                self.assertEqual(v.returncode, 0, f"{example.parent.name}/{mode}: {v.stdout}{v.stderr}")
                validated += 1
        self.assertEqual(validated, 2 * len(examples))


class AutomationOnMoto(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.work = self.make_workdir()
        self.env = self.moto.env()
        self.create_estate()
        self.stack = self.work / "stack"
        self.stack.mkdir()

    def drctl(self, *args):
        return self.run_drctl(*args, env=self.env, cwd=self.work)

    def create_estate(self):
        self.moto.client("rds", PRIMARY).create_db_instance(
            DBInstanceIdentifier="orders-primary", DBInstanceClass="db.t3.micro", Engine="postgres",
            MasterUsername="orders", MasterUserPassword="not-a-secret-1", AllocatedStorage=20,
            BackupRetentionPeriod=7)
        self.moto.client("ec2", DR).create_launch_template(
            LaunchTemplateName="web", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
        self.moto.client("autoscaling", DR).create_auto_scaling_group(
            AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"},
            MinSize=0, DesiredCapacity=0, MaxSize=4, AvailabilityZones=[f"{DR}a"])
        ecs = self.moto.client("ecs", DR)
        ecs.create_cluster(clusterName="shop")
        ecs.register_task_definition(family="api", containerDefinitions=[{"name": "api", "image": "nginx", "memory": 128}])
        ecs.create_service(cluster="shop", serviceName="api", taskDefinition="api", desiredCount=0, launchType="EC2")
        zone = self.moto.client("route53").create_hosted_zone(Name="shop.example", CallerReference="shop-zone")
        self.zone = zone["HostedZone"]["Id"].split("/")[-1]

    def write(self, **kw):
        (self.stack / "stack.dr.yaml").write_text(stack_yaml(zone=self.zone, **kw))

    def apply(self):
        r = self.drctl("apply", self.stack, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        return r

    def machine(self):
        sfn = self.moto.client("stepfunctions", DR)
        arns = [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"] if m["name"] == MACHINE]
        self.assertEqual(len(arns), 1)
        return sfn.describe_state_machine(stateMachineArn=arns[0])

    def test_apply_creates_machine_rule_target_and_roles_then_replans_clean(self):
        self.write()
        self.apply()
        m = self.machine()
        asl = json.loads(m["definition"])
        self.assertEqual(asl["StartAt"], "Dry run?")
        topic_arn = f"arn:aws:sns:{DR}:"
        self.assertIn(topic_arn, json.dumps(asl))  # the topic reference was resolved
        self.assertNotIn("@{", json.dumps(asl))
        iam = self.moto.client("iam")
        role = iam.get_role(RoleName=f"{MACHINE}-automation")["Role"]
        self.assertEqual(m["roleArn"], role["Arn"])
        policy = json.dumps(iam.get_role_policy(RoleName=f"{MACHINE}-automation", PolicyName="drctl-failover")["PolicyDocument"])
        self.assertIn("rds:PromoteReadReplica", policy)
        events = self.moto.client("events", DR)
        rule = events.describe_rule(Name=MACHINE)
        self.assertEqual(rule["State"], "ENABLED")
        self.assertEqual(json.loads(rule["EventPattern"])["detail"]["alarmName"], ["shop-api-5xx"])
        targets = events.list_targets_by_rule(Rule=MACHINE)["Targets"]
        self.assertEqual([(t["Id"], t["Arn"]) for t in targets], [("failover", m["stateMachineArn"])])
        self.assertEqual(targets[0]["RoleArn"], iam.get_role(RoleName=f"{MACHINE}-events")["Role"]["Arn"])

        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_changing_a_workload_updates_the_machine_in_place(self):
        self.write()
        self.apply()
        before = self.machine()
        self.write(failover=5)
        r = self.drctl("plan", self.stack)
        self.assertIn("stepfunctions.state_machine.failover", r.stdout)
        self.assertNotIn("replace", [l for l in r.stdout.splitlines() if "state_machine" in l][0])
        # The runbook diff, readable: the step that changed and how, not the ASL path.
        runbook = r.stdout[r.stdout.index("stepfunctions.state_machine.failover"):]
        self.assertIn("      runbook:\n        ~ step op.ecs_scale.api: DesiredCount 3 -> 5\n", runbook)
        self.apply()
        after = self.machine()
        self.assertEqual(after["stateMachineArn"], before["stateMachineArn"])
        self.assertIn('"DesiredCount": 5', json.dumps(json.loads(after["definition"])).replace('"DesiredCount":5', '"DesiredCount": 5'))
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_plan_lists_the_runbook_steps_a_workload_change_adds_and_removes(self):
        self.write()
        self.apply()
        self.write(web=False, failover=5)
        r = self.drctl("plan", self.stack)
        self.assertEqual(r.exit_code, 0, r.output())
        lines = [l.strip() for l in r.stdout.splitlines()]
        machine = lines.index("~ stepfunctions.state_machine.failover update (us-west-2)")
        start = lines.index("runbook:", machine)
        steps = lines[start + 1:start + 4]
        self.assertEqual(steps, ["- step op.asg_scale.web (stage 1: autoscaling updateAutoScalingGroup)",
                                 "~ step op.ecs_scale.api: DesiredCount 3 -> 5",
                                 "- check op.asg_scale.web (readiness: autoscaling describeAutoScalingGroups)"],
                         r.stdout)
        # The pull-request comment shows the same lines, open (not folded in <details>).
        md = self.drctl("plan", self.stack, "--format", "markdown")
        self.assertEqual(md.exit_code, 0, md.output())
        self.assertIn("**Runbook changed by `stepfunctions.state_machine.failover`** (update):\n\n````diff\n"
                      "- step op.asg_scale.web (stage 1: autoscaling updateAutoScalingGroup)\n"
                      "~ step op.ecs_scale.api: DesiredCount 3 -> 5\n", md.stdout)
        # And the saved plan carries them for other tools.
        plan_file = self.work / "p.json"
        self.assertEqual(self.drctl("plan", self.stack, "--out", plan_file).exit_code, 0)
        saved = json.loads(plan_file.read_text())
        jsonschema.validate(saved, json.loads((SOURCE / "schemas" / "plan.schema.json").read_text()))
        change = next(c for c in saved["changes"] if c["address"] == "stepfunctions.state_machine.failover")
        self.assertEqual(change["runbook"], steps)
        # Adding it back reads as added steps.
        self.apply()
        self.write()
        r = self.drctl("plan", self.stack)
        self.assertIn("+ step op.asg_scale.web (stage 1: autoscaling updateAutoScalingGroup)", r.stdout)

    def test_automation_topic_receives_failure_reports_and_approval_requests(self):
        self.write(automation="automation: { failover: approval, topic: oncall-pager, trigger: { alarms: [shop-api-5xx] } }")
        self.apply()
        sns = self.moto.client("sns", DR)
        arns = {t["TopicArn"].split(":")[-1]: t["TopicArn"] for t in sns.list_topics()["Topics"]}
        self.assertIn("oncall-pager", arns)
        states = json.loads(self.machine()["definition"])["States"]
        self.assertEqual(states["Notify failure"]["Parameters"]["TopicArn"], arns["oncall-pager"])
        self.assertEqual(states["Approval"]["Parameters"]["TopicArn"], arns["oncall-pager"])
        self.assertEqual(states["Approval"]["Resource"], "arn:aws:states:::sns:publish.waitForTaskToken")
        policy = self.moto.client("iam").get_role_policy(RoleName=f"{MACHINE}-automation",
                                                         PolicyName="drctl-failover")["PolicyDocument"]
        notify = next(st for st in policy["Statement"] if st["Sid"] == "Notify")
        self.assertEqual(sorted(notify["Resource"]), sorted([arns["oncall-pager"], arns["dr-events"]]))
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_a_health_check_alarm_in_us_east_1_is_forwarded_to_the_dr_bus(self):
        self.write(automation="automation: { failover: automatic, trigger: { health_checks: true, for: 2m } }")
        r = self.apply()
        self.assertNotIn("lives in", r.output())  # the old warning is gone: the trigger works
        alarm = f"drctl-{STACK}-dns-primary-health"
        cw = self.moto.client("cloudwatch", PRIMARY)
        self.assertEqual([a["AlarmName"] for a in cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"]], [alarm])
        iam = self.moto.client("iam")
        account = iam.get_role(RoleName=f"{MACHINE}-automation")["Role"]["Arn"].split(":")[4]
        bus = f"arn:aws:events:{DR}:{account}:event-bus/default"

        forward = self.moto.client("events", PRIMARY)
        name = f"{MACHINE}-to-{DR}"
        rule = forward.describe_rule(Name=name)
        self.assertEqual(rule["State"], "ENABLED")
        pattern = json.loads(rule["EventPattern"])
        self.assertEqual(pattern["source"], ["aws.cloudwatch"])
        self.assertEqual(pattern["detail"]["alarmName"], [alarm])
        targets = forward.list_targets_by_rule(Rule=name)["Targets"]
        role = iam.get_role(RoleName=f"{MACHINE}-forward")["Role"]
        self.assertEqual([(t["Id"], t["Arn"], t["RoleArn"]) for t in targets], [("dr-bus", bus, role["Arn"])])
        self.assertEqual(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"], "events.amazonaws.com")
        policy = iam.get_role_policy(RoleName=f"{MACHINE}-forward", PolicyName="drctl-forward-alarms")["PolicyDocument"]
        self.assertEqual([(st["Action"], st["Resource"]) for st in policy["Statement"]], [(["events:PutEvents"], bus)])
        # The DR rule matches the forwarded event (same source and detail).
        dr_rule = self.moto.client("events", DR).describe_rule(Name=MACHINE)
        self.assertEqual(json.loads(dr_rule["EventPattern"])["detail"]["alarmName"], [alarm])
        # No rule in the DR region re-checks an alarm it cannot see: the wait goes straight on.
        states = json.loads(self.machine()["definition"])["States"]
        self.assertNotIn("Still alarming", states)
        self.assertEqual(states["Stabilise"]["Next"], "Stage 1")

        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())

    def test_a_definition_edited_by_hand_is_drift(self):
        self.write()
        self.apply()
        self.assertEqual(self.drctl("drift", self.stack).exit_code, 0)
        m = self.machine()
        asl = json.loads(m["definition"])
        for branch in asl["States"]["Stage 1"]["Branches"]:
            for state in branch["States"].values():
                if state.get("Resource", "").endswith(":ecs:updateService"):
                    state["Parameters"]["DesiredCount"] = 0  # someone "disarms" the scale-out
        self.moto.client("stepfunctions", DR).update_state_machine(stateMachineArn=m["stateMachineArn"],
                                                                   definition=json.dumps(asl))
        r = self.drctl("drift", self.stack)
        self.assertEqual(r.exit_code, 2, r.output())
        self.assertIn("stepfunctions.state_machine.failover", r.stdout)
        drifted = [l.strip() for l in r.stdout.splitlines() if l.strip().startswith("definition.")]
        self.assertTrue(drifted, r.stdout)
        # The attribute path names the machine's definition down to the edited parameter.
        self.assertEqual(len(drifted), 1, drifted)
        self.assertRegex(drifted[0], r"^definition\.States\.Stage 1\.Branches\[\d\]\.States\.Do ecs_scale api"
                                     r"\.Parameters\.DesiredCount +expected 3, found 0$")
        # The plan that restores it says so in runbook terms.
        r = self.drctl("plan", self.stack)
        self.assertIn("~ step op.ecs_scale.api: DesiredCount 0 -> 3", r.stdout)

    def test_step_graph_from_the_asl_equals_the_failover_plan(self):
        self.write()
        self.apply()
        r = self.drctl("automation", "show", self.stack, "--format", "json")
        self.assertEqual(r.exit_code, 0, r.output())
        from_asl = {s["address"]: sorted(s["after"]) for s in json.loads(r.stdout)["steps"]}
        plan_file = self.work / "f.plan"
        r = self.drctl("failover", self.stack, "--to", DR, "--out", plan_file)
        self.assertEqual(r.exit_code, 0, r.output())
        plan = json.loads(plan_file.read_text())
        from_plan = {c["address"]: sorted(c.get("depends_on", [])) for c in plan["changes"]
                     if c["address"].startswith("op.")}
        self.assertEqual(len(from_plan), 5)
        self.assertEqual(from_asl, from_plan)

    def test_kill_switch_disables_the_rule_and_keeps_the_machine(self):
        self.write()
        self.apply()
        arn = self.machine()["stateMachineArn"]
        self.write(automation="automation: { failover: automatic, enabled: false, trigger: { alarms: [shop-api-5xx] } }")
        self.apply()
        self.assertEqual(self.moto.client("events", DR).describe_rule(Name=MACHINE)["State"], "DISABLED")
        self.assertEqual(self.machine()["stateMachineArn"], arn)
        r = self.drctl("plan", self.stack, "--detailed-exitcode")
        self.assertEqual(r.exit_code, 0, r.output())


if __name__ == "__main__":
    unittest.main()
