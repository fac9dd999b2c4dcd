"""Standby capacity and notifications end to end: autoscaling.capacity, ecs.capacity,
sns.topic and cloudwatch.alarm applied by the drctl binary against moto (signatures checked),
verified with boto3, through a user module (the shipped strategy modules do not produce these
kinds yet).

The Auto Scaling group and the ECS service belong to the user: the test creates them with
boto3 first, drctl only sets their standby capacity and drctl:* tags. No test here goes through
the moto extension: moto 5.2.1 implements every call these types make.

The refresh-cost test counts HTTP calls with a small forwarding proxy in front of moto
(drctl exposes no request counter): DescribeAlarms must not grow with the number of alarms, and
tags and subscriptions are read once per region (GetResources, ListSubscriptions), not per
object.
"""

import http.client
import http.server
import textwrap
import threading
import unittest
from collections import Counter
from urllib.parse import parse_qs, urlparse

import yaml

from harness.moto_env import MotoTestCase

DR = "us-west-2"
STACK = "shop"
TOPIC = f"drctl-{STACK}-notify"
ALARM = f"drctl-{STACK}-orders-lag"


def tags(address, **extra):
    t = {"drctl:stack": "${stack}", "drctl:address": address}
    t.update(extra)
    return t


def alarm_resource(key, name):
    address = f"cloudwatch.alarm.{key}"
    return {
        "address": address,
        "region": "dr",
        "attrs": {
            "name": name,
            "description": "Replica lag of orders above the RPO",
            "namespace": "AWS/RDS",
            "metric": "ReplicaLag",
            "dimensions": {"DBInstanceIdentifier": "orders-dr"},
            "statistic": "Maximum",
            "period": 60,
            "evaluation_periods": 5,
            "threshold": 300,
            "comparison": "GreaterThanThreshold",
            "treat_missing_data": "breaching",
            "alarm_actions": ["@{sns.topic.notify#arn}"],
            "ok_actions": ["@{sns.topic.notify#arn}"],
            "tags": tags(address),
        },
    }


def topic_resource():
    return {
        "address": "sns.topic.notify",
        "region": "dr",
        "attrs": {
            "name": "drctl-${stack}-notify",
            "subscriptions": [{"protocol": "email", "endpoint": "oncall@example.com"}],
            "tags": tags("sns.topic.notify"),
        },
    }


def capacity_resources():
    return [
        {"address": "autoscaling.capacity.web", "region": "dr",
         "attrs": {"group": "web", "min": 1, "desired": 1, "max": 6,
                   "tags": tags("autoscaling.capacity.web", **{"drctl:failover-desired": "6"})}},
        {"address": "ecs.capacity.api", "region": "dr",
         "attrs": {"cluster": "shop", "service": "api", "desired_count": 1,
                   "tags": tags("ecs.capacity.api", **{"drctl:failover-count": "3"})}},
    ]


def write_stack(folder, resources, stack=STACK):
    """A stack whose strategy is a user module producing exactly `resources`."""
    (folder / "capacity-module").mkdir(parents=True, exist_ok=True)
    module = {"description": "Test module: standby capacity and notifications.", "resources": resources}
    (folder / "capacity-module" / "module.yaml").write_text(yaml.safe_dump(module, sort_keys=False))
    (folder / "stack.dr.yaml").write_text(textwrap.dedent(f"""\
        version: 1
        stack: {stack}
        regions: {{ primary: us-east-1, dr: {DR} }}
        strategy: {{ module: ./capacity-module }}
        objectives: {{ rto: 15m, rpo: 5m }}
        """))
    return folder


class CountingProxy:
    """Forwards every request unchanged (Host included, so signatures still verify) to moto
    and counts them by operation: the query Action, else the X-Amz-Target suffix."""

    def __init__(self, upstream):
        self.counts = Counter()
        target = urlparse(upstream)
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                op = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
                if not op and body:
                    op = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
                proxy.counts[op or f"{self.command} {self.path}"] += 1
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("connection", "content-length", "transfer-encoding"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class CapacityNotify(MotoTestCase):

    def setUp(self):
        self.moto.reset()
        self.env = self.moto.env()
        self.work = self.make_workdir()

    def drctl(self, *args, env=None, **kw):
        return self.run_drctl(*args, env=env or self.env, cwd=self.work, **kw)

    def apply_ok(self, stack_dir):
        r = self.drctl("apply", stack_dir, "--auto-approve")
        self.assertEqual(r.exit_code, 0, r.output())
        return r

    def create_estate(self):
        """The user's DR compute: an Auto Scaling group (0/0/4, with a tag of the user's own)
        and an ECS service (desired 3), both in the DR region."""
        ec2 = self.moto.client("ec2", DR)
        ec2.create_launch_template(LaunchTemplateName="web",
                                   LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
        asg = self.moto.client("autoscaling", DR)
        asg.create_auto_scaling_group(
            AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"},
            MinSize=0, DesiredCapacity=0, MaxSize=4, AvailabilityZones=[f"{DR}a"],
            Tags=[{"Key": "team", "Value": "payments", "PropagateAtLaunch": True}])
        ecs = self.moto.client("ecs", DR)
        ecs.create_cluster(clusterName="shop")
        ecs.register_task_definition(family="api", containerDefinitions=[
            {"name": "api", "image": "nginx", "memory": 128}])
        # EC2 launch type: moto's CreateService with awsvpc would need securityGroups.
        ecs.create_service(cluster="shop", serviceName="api", taskDefinition="api", desiredCount=3,
                           launchType="EC2", tags=[{"key": "team", "value": "payments"}])

    def group(self):
        return self.moto.client("autoscaling", DR).describe_auto_scaling_groups(
            AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]

    def service(self):
        return self.moto.client("ecs", DR).describe_services(
            cluster="shop", services=["api"], include=["TAGS"])["services"][0]

    # ------------------------------------------------------------------------------------

    def test_apply_sets_standby_capacity_topic_and_alarm_then_drift_is_repaired(self):
        self.create_estate()
        stack = write_stack(self.work / "stack",
                            capacity_resources() + [topic_resource(), alarm_resource("orders-lag", ALARM)])
        self.apply_ok(stack)

        group = self.group()
        self.assertEqual((group["MinSize"], group["DesiredCapacity"], group["MaxSize"]), (1, 1, 6))
        group_tags = {t["Key"]: (t["Value"], t["PropagateAtLaunch"]) for t in group["Tags"]}
        self.assertEqual(group_tags["drctl:failover-desired"], ("6", False))
        self.assertEqual(group_tags["drctl:address"], ("autoscaling.capacity.web", False))
        self.assertEqual(group_tags["team"], ("payments", True))  # the user's tag is left alone

        service = self.service()
        self.assertEqual(service["desiredCount"], 1)
        service_tags = {t["key"]: t["value"] for t in service["tags"]}
        self.assertEqual(service_tags["drctl:failover-count"], "3")
        self.assertEqual(service_tags["team"], "payments")

        sns = self.moto.client("sns", DR)
        topic_arn = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":" + TOPIC))
        subs = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
        self.assertEqual([(s["Protocol"], s["Endpoint"]) for s in subs], [("email", "oncall@example.com")])
        topic_tags = {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=topic_arn)["Tags"]}
        self.assertEqual(topic_tags, {"drctl:stack": STACK, "drctl:address": "sns.topic.notify"})

        cw = self.moto.client("cloudwatch", DR)
        alarm = cw.describe_alarms(AlarmNames=[ALARM])["MetricAlarms"][0]
        self.assertEqual(alarm["AlarmActions"], [topic_arn])  # the reference was resolved
        self.assertEqual(alarm["OKActions"], [topic_arn])
        self.assertEqual(alarm["Threshold"], 300.0)
        self.assertEqual(alarm["Dimensions"], [{"Name": "DBInstanceIdentifier", "Value": "orders-dr"}])
        self.assertEqual(alarm["TreatMissingData"], "breaching")
        alarm_tags = {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]}
        self.assertEqual(alarm_tags["drctl:address"], "cloudwatch.alarm.orders-lag")

        replan = self.drctl("plan", stack, "--detailed-exitcode")
        self.assertEqual(replan.exit_code, 0, replan.output())

        # Someone scales the standby group by hand: drift names it, apply puts it back.
        self.moto.client("autoscaling", DR).update_auto_scaling_group(AutoScalingGroupName="web", DesiredCapacity=3)
        drift = self.drctl("drift", stack)
        self.assertEqual(drift.exit_code, 2, drift.output())
        self.assertIn("autoscaling.capacity.web", drift.stdout)
        self.assertIn("desired", drift.stdout)
        self.assertNotIn("team", drift.stdout)
        self.apply_ok(stack)
        self.assertEqual(self.group()["DesiredCapacity"], 1)
        self.assertEqual(self.drctl("drift", stack).exit_code, 0)

        # A second subscription is added, then the topic's set is reconciled back.
        sns.subscribe(TopicArn=topic_arn, Protocol="email", Endpoint="intruder@example.com")
        self.assertEqual(self.drctl("plan", stack, "--detailed-exitcode").exit_code, 2)
        self.apply_ok(stack)
        subs = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
        self.assertEqual([s["Endpoint"] for s in subs], ["oncall@example.com"])

    def test_a_missing_group_fails_clearly_and_destroy_only_forgets(self):
        stack = write_stack(self.work / "stack", capacity_resources()[:1])
        r = self.drctl("apply", stack, "--auto-approve")
        self.assertEqual(r.exit_code, 1, r.output())
        self.assertIn("Auto Scaling group web does not exist in us-west-2", r.stdout + r.stderr)

        self.create_estate()
        self.apply_ok(stack)
        write_stack(self.work / "stack", [])  # no longer managed: forgotten, not deleted
        self.apply_ok(stack)
        group = self.group()
        self.assertEqual(group["DesiredCapacity"], 1)
        self.assertEqual(self.service()["status"], "ACTIVE")
        listed = self.drctl("state", "list", stack)
        self.assertNotIn("autoscaling.capacity.web", listed.stdout)

    def test_refresh_reads_alarms_in_one_describe_call_whatever_their_number(self):
        described, tagged = {}, {}
        for n in (3, 30):
            self.moto.reset()
            self.env = self.moto.env()
            stack = write_stack(self.work / f"stack-{n}",
                                [topic_resource()] + [alarm_resource(f"a{i}", f"drctl-{STACK}-a{i}") for i in range(n)])
            self.apply_ok(stack)
            with CountingProxy(self.moto.endpoint) as proxy:
                r = self.drctl("plan", stack, "--detailed-exitcode", env=self.moto.env(AWS_ENDPOINT_URL=proxy.endpoint))
            self.assertEqual(r.exit_code, 0, r.output())
            described[n] = proxy.counts["DescribeAlarms"]
            self.assertEqual(proxy.counts["ListTopics"], 1, proxy.counts)
            # Tags come from the Resource Groups Tagging API, one paged pass per type and region
            # ("sns", "cloudwatch:alarm"), and subscriptions from one ListSubscriptions: nothing
            # per topic or alarm. (moto also ends a GetResources page at 100 tags, so far more
            # alarms than here would take more pages on moto than on AWS.)
            self.assertEqual(proxy.counts["ListTagsForResource"], 0, proxy.counts)
            self.assertEqual(proxy.counts["ListSubscriptionsByTopic"], 0, proxy.counts)
            self.assertEqual(proxy.counts["ListSubscriptions"], 1, proxy.counts)
            tagged[n] = proxy.counts["GetResources"]
        self.assertEqual(described[3], 1)
        self.assertEqual(described[30], described[3])
        self.assertEqual(tagged[3], 2)
        self.assertEqual(tagged[30], tagged[3])

    def test_tags_from_the_tagging_api_untagged_reads_empty_and_hand_edits_converge(self):
        untagged = alarm_resource("untagged", f"drctl-{STACK}-untagged")
        untagged["attrs"]["tags"] = {}
        stack = write_stack(self.work / "stack", [topic_resource(), alarm_resource("orders-lag", ALARM), untagged])
        self.apply_ok(stack)
        cw = self.moto.client("cloudwatch", DR)
        sns = self.moto.client("sns", DR)
        arns = {a["AlarmName"]: a["AlarmArn"] for a in cw.describe_alarms()["MetricAlarms"]}
        self.assertEqual(cw.list_tags_for_resource(ResourceARN=arns[f"drctl-{STACK}-untagged"])["Tags"], [])
        # The tagging API does not list the untagged alarm; drctl still finds it (no create).
        listed = self.moto.client("resourcegroupstaggingapi", DR).get_resources(ResourceTypeFilters=["cloudwatch:alarm"])
        self.assertNotIn(arns[f"drctl-{STACK}-untagged"], [m["ResourceARN"] for m in listed["ResourceTagMappingList"]])
        self.assertEqual(self.drctl("plan", stack, "--detailed-exitcode").exit_code, 0)

        # Tags edited by hand: drift names both objects, apply puts the tags back.
        topic_arn = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":" + TOPIC))
        cw.tag_resource(ResourceARN=arns[ALARM], Tags=[{"Key": "drctl:address", "Value": "someone-else"}])
        sns.untag_resource(ResourceArn=topic_arn, TagKeys=["drctl:stack"])
        drift = self.drctl("drift", stack)
        self.assertEqual(drift.exit_code, 2, drift.output())
        self.assertIn("cloudwatch.alarm.orders-lag", drift.stdout)
        self.assertIn("sns.topic.notify", drift.stdout)
        self.assertNotIn("cloudwatch.alarm.untagged", drift.stdout)
        self.apply_ok(stack)
        alarm_tags = {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=arns[ALARM])["Tags"]}
        self.assertEqual(alarm_tags, {"drctl:stack": STACK, "drctl:address": "cloudwatch.alarm.orders-lag"})
        topic_tags = {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=topic_arn)["Tags"]}
        self.assertEqual(topic_tags, {"drctl:stack": STACK, "drctl:address": "sns.topic.notify"})
        self.assertEqual(self.drctl("plan", stack, "--detailed-exitcode").exit_code, 0)


if __name__ == "__main__":
    unittest.main()
