"""Failover orchestration overhead: how much time drctl adds around the work of a failover.

A warm-standby stack (RDS replica, DR Auto Scaling group, ECS service, Route 53 failover pair,
SNS) is applied to moto; then `drctl failover --out PLAN` and `drctl apply PLAN` run through
bench/latency_proxy.py, which gives every AWS call the benchmark's latency and the failover's
own calls AWS-like durations (PromoteReadReplica 2 s, UpdateAutoScalingGroup and UpdateService
1 s). The run history records each step's measured duration (apply::StepClock); the ideal is the
critical path through the runbook's DAG with those durations, i.e. the time a perfect
orchestrator would need for the same calls. Overhead = measured run time / critical path
(target <= 1.10); the process wall time (start-up, state, the lag re-check) is shown too.
"""

import json
import sqlite3
import subprocess
import time

from harness.warm_standby import DR, create_estate, write_stack

OP_LATENCY = {"PromoteReadReplica": 2000, "UpdateAutoScalingGroup": 1000, "UpdateService": 1000}


def critical_path(steps, deps):
    """Longest path through `deps` (address -> [address]) weighted by steps' seconds."""
    memo = {}

    def finish(a):
        if a not in memo:
            memo[a] = steps.get(a, 0.0) + max((finish(d) for d in deps.get(a, []) if d in steps), default=0.0)
        return memo[a]

    return max((finish(a) for a in steps), default=0.0)


def run(drctl, moto, proxy_factory, tmp, env_for):
    """One measured failover; returns the row for the table."""
    moto.reset()
    zone = create_estate(moto, zone_reference="bench-zone")
    stack = tmp / "failover-bench"
    write_stack(stack, zone)
    direct = env_for(moto.endpoint)
    r = subprocess.run([str(drctl), "apply", str(stack), "--auto-approve"], env=direct,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"failover bench: setting up the stack failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    proxy = proxy_factory(OP_LATENCY)
    try:
        via = env_for(proxy.endpoint)
        plan = tmp / "failover.plan"
        r = subprocess.run([str(drctl), "failover", str(stack), "--to", DR, "--out", str(plan)], env=via,
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"failover bench: planning failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
        start = time.monotonic()
        r = subprocess.run([str(drctl), "apply", str(plan)], env=via, capture_output=True, text=True)
        wall = time.monotonic() - start
        if r.returncode != 0:
            raise SystemExit(f"failover bench: the failover failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
        calls = proxy.stats()["calls"]
    finally:
        proxy.stop()
    db = sqlite3.connect(stack / ".drctl" / "state.db")
    try:
        detail = json.loads(db.execute("SELECT detail FROM runs WHERE kind = 'failover' ORDER BY id DESC LIMIT 1")
                            .fetchone()[0])
    finally:
        db.close()
    deps = {c["address"]: c["depends_on"] for c in json.loads(plan.read_text())["changes"]}
    steps = {s["address"]: s["seconds"] for s in detail["steps"]}
    ideal = critical_path(steps, deps)
    return {"steps": len(steps), "calls": calls, "run_s": round(detail["seconds"], 3),
            "critical_path_s": round(ideal, 3), "wall_s": round(wall, 3),
            "overhead": round(detail["seconds"] / ideal, 3) if ideal else None,
            "wall_ratio": round(wall / ideal, 3) if ideal else None}
