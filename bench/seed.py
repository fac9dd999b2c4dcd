"""Creates the live AWS objects behind a `gen_stack.py --profile refresh` stack, in bulk.

Used by bench/run against moto directly (not through the latency proxy): seeding is setup,
not a measured figure. Names follow gen_stack.py: Auto Scaling group bench-asg-wNNNNN in the DR
region (us-west-2); record wNNNNN.bench.example in one hosted zone; health checks carrying the
CallerReference drctl derives for route53.health_check.wNNNNN-primary.
"""

import hashlib

STACK = "bench"
DR = "us-west-2"
GLOBAL = "us-east-1"


def caller_reference(address):
    return "drctl-" + hashlib.sha256(f"{STACK}/{address}".encode()).hexdigest()[:32]


def create_zone(client):
    zone = client("route53", GLOBAL).create_hosted_zone(Name="bench.example.",
                                                        CallerReference="bench-zone")
    return zone["HostedZone"]["Id"].split("/")[-1]


def seed_asgs(client, names):
    asg = client("autoscaling", DR)
    ec2 = client("ec2", DR)
    ec2.create_launch_template(LaunchTemplateName="bench-lt",
                               LaunchTemplateData={"ImageId": "ami-12c6146b",
                                                   "InstanceType": "t3.micro"})
    for name in names:
        asg.create_auto_scaling_group(AutoScalingGroupName=name, MinSize=0, MaxSize=2,
                                      DesiredCapacity=0, AvailabilityZones=[DR + "a"],
                                      LaunchTemplate={"LaunchTemplateName": "bench-lt"})


def seed_dns(client, zone_id, workloads):
    """One health check per workload (primary), the PRIMARY/SECONDARY record pair."""
    r53 = client("route53", GLOBAL)
    changes = []
    for w in workloads:
        hc = r53.create_health_check(
            CallerReference=caller_reference(f"route53.health_check.{w}-primary"),
            HealthCheckConfig={"Type": "HTTPS", "FullyQualifiedDomainName": f"{w}-primary.bench.example.net",
                               "Port": 443, "ResourcePath": "/health", "RequestInterval": 30,
                               "FailureThreshold": 3})["HealthCheck"]["Id"]
        for item, target in (("primary", f"{w}-primary.bench.example.net"),
                             ("secondary", f"{w}-dr.bench.example.net")):
            rrset = {"Name": f"{w}.bench.example.", "Type": "CNAME", "TTL": 60,
                     "SetIdentifier": f"drctl-{STACK}-{w}-{item}", "Failover": item.upper(),
                     "ResourceRecords": [{"Value": target}]}
            if item == "primary":
                rrset["HealthCheckId"] = hc
            changes.append({"Action": "UPSERT", "ResourceRecordSet": rrset})
    for i in range(0, len(changes), 500):
        r53.change_resource_record_sets(HostedZoneId=zone_id,
                                        ChangeBatch={"Changes": changes[i:i + 500]})
