#!/usr/bin/env python3
"""The refresh a user writes without drctl: one describe call per resource, with boto3.

    describe_each.py INVENTORY.json [--threads 1]

INVENTORY is a JSON list of {"type", "region", "id"} (bench/run writes it for the same
resources the drctl stack manages). Each resource is read with the one call a runbook script,
or Terraform's per-resource refresh, makes for it:
  autoscaling.capacity    DescribeAutoScalingGroups(AutoScalingGroupNames=[id])
  route53.health_check    GetHealthCheck(id)
  route53.failover_record ListResourceRecordSets(zone, StartRecordName/Type/Identifier, MaxItems=2)
That is a lower bound for such a script: tags, policies and the like would each add calls.
--threads 1 is a runbook loop; 10 is Terraform's default parallelism.
Endpoint and credentials come from the usual AWS_* variables (AWS_ENDPOINT_URL included).
Prints {"resources": n, "found": n, "seconds": s} as JSON.
"""

import argparse
import concurrent.futures
import json
import time

import boto3
import botocore.config

_CONFIG = botocore.config.Config(retries={"total_max_attempts": 1}, max_pool_connections=32)


def reader(clients, item):
    kind, region, rid = item["type"], item["region"], item["id"]
    if kind == "autoscaling.capacity":
        groups = clients("autoscaling", region).describe_auto_scaling_groups(
            AutoScalingGroupNames=[rid])["AutoScalingGroups"]
        return bool(groups)
    if kind == "route53.health_check":
        return bool(clients("route53", region).get_health_check(HealthCheckId=rid)["HealthCheck"])
    if kind == "route53.failover_record":
        zone, name, rtype, ident = rid.split("/")
        sets = clients("route53", region).list_resource_record_sets(
            HostedZoneId=zone, StartRecordName=name, StartRecordType=rtype,
            StartRecordIdentifier=ident, MaxItems="2")["ResourceRecordSets"]
        # MaxItems 2 and a match here: moto ignores StartRecordIdentifier (AWS honours it).
        return any(s.get("SetIdentifier") == ident for s in sets)
    raise ValueError(f"no baseline read for {kind}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inventory")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    with open(a.inventory) as f:
        items = json.load(f)
    cache = {}

    def clients(service, region):
        key = (service, region)
        if key not in cache:
            cache[key] = boto3.client(service, region_name=region, config=_CONFIG)
        return cache[key]

    for item in items:  # client construction is setup, not reading
        clients({"autoscaling.capacity": "autoscaling"}.get(item["type"], "route53"), item["region"])
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(a.threads) as pool:
        found = sum(pool.map(lambda it: reader(clients, it), items))
    print(json.dumps({"resources": len(items), "found": found,
                      "seconds": round(time.monotonic() - start, 3)}))


if __name__ == "__main__":
    main()
