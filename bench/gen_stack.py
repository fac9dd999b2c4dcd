#!/usr/bin/env python3
"""Writes a synthetic drctl stack of about N resources into a folder (bench/run uses it).

    gen_stack.py --resources 1000 --profile plan    --out DIR
    gen_stack.py --resources 1000 --profile refresh --zone Z123 --out DIR

Profiles (primary us-east-1, DR us-west-2; "global" resources live in us-east-1):
  plan     every workload kind under warm-standby with notify and backups, so the plan
           exercises every resource type drctl has. For load/validate/expand/diff/render only;
           nothing here needs to exist in AWS.
  refresh  pilot-light Auto Scaling groups (autoscaling.capacity, DR region) and DNS failover
           pairs (route53.health_check + two route53.failover_record, us-east-1): the types
           whose refresh lists in pages, and that moto can host by the thousand.

The workload names are w00000, w00001, ...; names of AWS objects derive from them the same
way bench/seed.py creates them (group bench-asg-wNNNNN, record wNNNNN.bench.example).
Prints a JSON line {"resources": expected count, "workloads": {...}} on stdout.
"""

import argparse
import json
import pathlib

STACK = "bench"

# Resources each workload kind adds under warm-standby with notify: (kind, count, yaml).
PLAN_KINDS = [
    ("asg", 1, "{{ kind: asg, group: bench-asg-{w}, standby: {{ min: 1, desired: 1 }}, failover: {{ desired: 4, max: 8 }} }}"),
    ("ecs", 1, "{{ kind: ecs, cluster: bench, service: svc-{w}, standby: 1, failover: 3 }}"),
    ("rds", 2, "{{ kind: rds, source: db-{w}, replica: {{ class: db.r6g.large }} }}"),
    ("s3", 3, "{{ kind: s3, source: bench-data-{w}, rtc: true }}"),
    ("dynamodb", 2, "{{ kind: dynamodb, table: table-{w} }}"),
    ("dns-failover", 4, "{{ kind: dns-failover, zone: {zone}, record: {w}.bench.example, "
                        "primary: {{ target: {w}-primary.bench.example.net }}, "
                        "secondary: {{ target: {w}-dr.bench.example.net }}, "
                        "health: {{ type: HTTPS, path: /health, port: 443, interval: 30s, threshold: 3 }} }}"),
]
# The stack-level resources of warm-standby with notify + backups (copy_to_dr):
# vaults primary/dr, iam role, plan, selection, 2 backup alarms, topics notify, notify-primary.
PLAN_STACK_LEVEL = 9

REFRESH_KINDS = [
    ("asg", 1, PLAN_KINDS[0][2]),
    ("dns-failover", 3, PLAN_KINDS[5][2]),
]


def workload_name(i):
    return f"w{i:05d}"


def generate(resources, profile, zone):
    kinds = PLAN_KINDS if profile == "plan" else REFRESH_KINDS
    count = PLAN_STACK_LEVEL if profile == "plan" else 0
    lines, made, i = [], {}, 0
    while count < resources:
        kind, n, text = kinds[i % len(kinds)]
        if count + n > resources and n > 1:  # fill the last few with 1-resource kinds
            kind, n, text = kinds[0]
        w = workload_name(i)
        lines.append(f"  {w}: " + text.format(w=w, zone=zone))
        made[kind] = made.get(kind, 0) + 1
        count += n
        i += 1
    if profile == "plan":
        head = f"""version: 1
stack: {STACK}
regions: {{ primary: us-east-1, dr: us-west-2 }}
strategy: warm-standby
objectives: {{ rto: 4h, rpo: 2h }}
notify: {{ topic: bench-dr-events, emails: [oncall@example.com] }}
backups:
  schedule: cron(0 * ? * * *)
  retention: 35d
  copy_to_dr: true
  select: {{ tags: {{ backup: hourly }} }}
"""
    else:
        head = f"""version: 1
stack: {STACK}
regions: {{ primary: us-east-1, dr: us-west-2 }}
strategy: pilot-light
objectives: {{ rto: 4h, rpo: 1h }}
"""
    return head + "workloads:\n" + "\n".join(lines) + "\n", count, made


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resources", type=int, required=True)
    ap.add_argument("--profile", choices=["plan", "refresh"], default="plan")
    ap.add_argument("--zone", default="ZBENCHZONE00000", help="hosted zone id for dns-failover")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    text, count, made = generate(a.resources, a.profile, a.zone)
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "stack.dr.yaml").write_text(text)
    print(json.dumps({"resources": count, "workloads": made}))


if __name__ == "__main__":
    main()
