"""The warm-standby estate most DR-operation tests fail over, in one place: the production side
created with boto3 (the independent client) and the stack folder that protects it.

The estate: a PostgreSQL primary `orders-primary` in us-east-1; in us-west-2 a launch template
and an Auto Scaling group `web` (max 4) and, unless ecs=False, an ECS cluster `shop` with the
service `api`; a hosted zone shop.example. The stack (`shop`, warm-standby, RTO 30m, RPO 5m)
replicates the database, keeps one web instance and one api task standing by, raises them to
4 and 3 on failover, and fails api.shop.example over with an HTTPS health check. Used by
tests/integration (failover, failback, drill), tests/faults and bench/failover_bench.py."""

import textwrap
from pathlib import Path

PRIMARY, DR = "us-east-1", "us-west-2"
STACK = "shop"
PRIMARY_ID = "orders-primary"
REPLICA_ID = f"drctl-{STACK}-orders"
RECORD = "api.shop.example."


def create_estate(moto, ecs=True, rds_tags=None, zone_reference="shop-zone"):
    """Creates the production side; returns the hosted zone's id."""
    extra = {"Tags": [{"Key": k, "Value": v} for k, v in rds_tags.items()]} if rds_tags else {}
    moto.client("rds", PRIMARY).create_db_instance(
        DBInstanceIdentifier=PRIMARY_ID, DBInstanceClass="db.t3.micro", Engine="postgres",
        MasterUsername="orders", MasterUserPassword="not-a-secret-1", AllocatedStorage=20,
        BackupRetentionPeriod=7, **extra)
    moto.client("ec2", DR).create_launch_template(
        LaunchTemplateName="web", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    moto.client("autoscaling", DR).create_auto_scaling_group(
        AutoScalingGroupName="web", LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"},
        MinSize=0, DesiredCapacity=0, MaxSize=4, AvailabilityZones=[f"{DR}a"])
    if ecs:
        client = moto.client("ecs", DR)
        client.create_cluster(clusterName="shop")
        client.register_task_definition(family="api", containerDefinitions=[{"name": "api", "image": "nginx", "memory": 128}])
        # EC2 launch type: moto's CreateService with awsvpc would need securityGroups.
        client.create_service(cluster="shop", serviceName="api", taskDefinition="api", desiredCount=0, launchType="EC2")
    zone = moto.client("route53").create_hosted_zone(Name="shop.example", CallerReference=zone_reference)
    return zone["HostedZone"]["Id"].split("/")[-1]


def stack_yaml(zone, ecs=True, api_failover=3, extra=""):
    api = f"\n  api: {{ kind: ecs, cluster: shop, service: api, standby: 1, failover: {api_failover} }}" if ecs else ""
    return textwrap.dedent(f"""\
        version: 1
        stack: {STACK}
        regions: {{ primary: {PRIMARY}, dr: {DR} }}
        strategy: warm-standby
        objectives: {{ rto: 30m, rpo: 5m }}
        notify: {{ topic: dr-events, emails: [oncall@example.com] }}
        workloads:
          orders: {{ kind: rds, source: {PRIMARY_ID}, replica: {{ class: db.t3.small }}, protect: false }}
          web: {{ kind: asg, group: web, standby: {{ min: 1, desired: 1 }}, failover: {{ desired: 4 }} }}@API@
          dns:
            kind: dns-failover
            zone: {zone}
            record: api.shop.example
            ttl: 60
            primary: {{ target: primary.shop.example.net }}
            secondary: {{ target: dr.shop.example.net }}
            health: {{ type: HTTPS, path: /health, port: 443, interval: 30s, threshold: 3 }}
        """).replace("@API@", api) + extra


def write_stack(folder, zone, **kw):
    """Writes FOLDER/stack.dr.yaml (stack_yaml's options); returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "stack.dr.yaml").write_text(stack_yaml(zone, **kw))
    return folder
