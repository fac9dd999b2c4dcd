// The RTO half of assess(): detection, then the workload's failover steps in order.
#include <algorithm>

#include <fmt/format.h>

#include "dr/assess_internal.h"

namespace dr {

namespace {

using nlohmann::json;
using model::format_duration;

// Detection is the stack's: the slowest primary health check of its dns-failover workloads
// (interval x threshold), else the default for noticing without one.
Step detection(const model::Topology& t, const model::Graph& g, const TimingModel& timings,
               std::optional<model::SourceRange>& where, std::string& field) {
  std::optional<Step> slowest;
  for (const auto& w : t.workloads) {
    if (w.kind != "dns-failover") continue;
    long interval = timings.get("health_check_interval").value.count();
    long threshold = 3;  // the schema's default failure_threshold
    if (const json* a = detail::attrs_of(g, "route53.health_check." + w.name + "-primary")) {
      if (a->contains("request_interval") && (*a)["request_interval"].is_number_integer())
        interval = (*a)["request_interval"].get<long>();
      if (a->contains("failure_threshold") && (*a)["failure_threshold"].is_number_integer())
        threshold = (*a)["failure_threshold"].get<long>();
    } else if (w.spec.contains("health")) {
      const json& h = w.spec["health"];
      if (h.contains("interval"))
        if (auto d = model::parse_duration(h["interval"].get<std::string>())) interval = d->count();
      threshold = h.value("threshold", threshold);
    }
    Step s{fmt::format("detect the failure: {} health check {} x {}", w.name,
                       format_duration(model::Seconds{interval}), threshold),
           model::Seconds{interval * threshold}, "", "workloads." + w.name + ".health"};
    if (!slowest || s.duration > slowest->duration) {
      slowest = s;
      where = detail::workload_where(t, w, "health");
      field = s.source;
    }
  }
  if (slowest) return *slowest;
  return detail::timing_step(timings, "detection_without_health_check",
                             "detect the failure (no dns-failover health check)");
}

// Restoring from AWS Backup, possible only when recovery points reach the DR region.
bool restore(const model::Topology& t, const TimingModel& timings, const std::string& kind, Achievable& a) {
  if (!detail::backups_reach_dr(t)) {
    a.reasoning.push_back("not replicated and no backups copied to the DR region: nothing to recover from");
    a.cause = t.where(t.backups.is_object() ? "/backups/copy_to_dr" : "/backups");
    a.cause_field = t.backups.is_object() ? "backups.copy_to_dr" : "backups";
    return false;
  }
  a.steps.push_back(detail::timing_step(timings, kind + "_restore", "restore " + kind + " from the DR vault"));
  return true;
}

// Capacity in the DR region: a running standby scales out, zero scales from zero, full is ready.
void scale(const model::Topology& t, const model::Workload& w, const model::Graph& g,
           const TimingModel& timings, Achievable& a) {
  const bool asg = w.kind == "asg";
  const json* attrs = detail::attrs_of(g, (asg ? "autoscaling.capacity." : "ecs.capacity.") + w.name);
  if (!attrs) {
    a.reasoning.push_back("the strategy leaves " + w.kind + " capacity unmanaged in the DR region");
    a.steps.push_back(detail::timing_step(timings, "compute_rebuild", "rebuild the compute in the DR region"));
    a.cause = t.where("/strategy");
    a.cause_field = "strategy";
    return;
  }
  const long standby = attrs->value(asg ? "desired" : "desired_count", 0L);
  const long failover = asg ? w.spec["failover"].value("desired", 0L) : w.spec.value("failover", 0L);
  a.cause = detail::workload_where(t, w, "standby");
  a.cause_field = detail::workload_field(w, "standby");
  const std::string prefix = asg ? "asg" : "ecs";
  if (standby >= failover) {
    a.reasoning.push_back(fmt::format("already at failover capacity ({})", standby));
  } else if (standby == 0) {
    a.steps.push_back(detail::timing_step(timings, prefix + "_scale_from_zero",
                                          fmt::format("scale from zero to {}", failover)));
  } else {
    a.steps.push_back(detail::timing_step(timings, prefix + "_scale_out",
                                          fmt::format("scale out from {} to {}", standby, failover)));
  }
}

void dns_switch(const model::Topology& t, const model::Workload& w, const model::Graph& g,
                const TimingModel& timings, Achievable& a) {
  const json* rec = detail::attrs_of(g, "route53.failover_record." + w.name + "-primary");
  if (rec && rec->contains("ttl") && (*rec)["ttl"].is_number_integer()) {
    a.steps.push_back(Step{"resolvers follow the failover record after its TTL",
                           model::Seconds{(*rec)["ttl"].get<long>()}, "", detail::workload_field(w, "ttl")});
  } else {
    a.steps.push_back(detail::timing_step(timings, "dns_ttl", "resolvers follow the failover record after its TTL"));
  }
  a.cause = detail::workload_where(t, w, "ttl");
  a.cause_field = detail::workload_field(w, "ttl");
}

}  // namespace

Detection detection_of(const model::Topology& t, const model::Graph& g, const TimingModel& timings) {
  Detection d;
  d.step = detection(t, g, timings, d.where, d.field);
  return d;
}

Achievable achievable_rto(const model::Topology& t, const model::Workload& w, const model::Graph& g,
                          const TimingModel& timings, const Detection* detection) {
  std::optional<Detection> computed;
  if (!detection) detection = &computed.emplace(detection_of(t, g, timings));
  Achievable a;
  a.steps.push_back(detection->step);
  a.cause = detection->where;
  a.cause_field = detection->field;
  bool recoverable = true;
  const auto has = [&](const std::string& prefix) { return detail::attrs_of(g, prefix + w.name) != nullptr; };
  if (w.kind == "s3") {
    if (has("s3.replication.")) a.reasoning.push_back("the DR bucket already holds the data");
    else recoverable = restore(t, timings, "s3", a);
  } else if (w.kind == "rds") {
    if (has("rds.replica."))
      a.steps.push_back(detail::timing_step(timings, "rds_replica_promotion", "promote the read replica"));
    else recoverable = restore(t, timings, "rds", a);
  } else if (w.kind == "aurora") {
    if (const json* gc = detail::attrs_of(g, "rds.global_cluster." + w.name)) {
      if (!gc->contains("secondary_instance_class"))
        a.steps.push_back(detail::timing_step(timings, "aurora_add_instance",
                                              "add an instance to the headless DR cluster"));
      a.steps.push_back(detail::timing_step(timings, "aurora_global_failover", "fail over the global database"));
    } else {
      recoverable = restore(t, timings, "aurora", a);
    }
  } else if (w.kind == "dynamodb") {
    if (has("dynamodb.replica.")) a.reasoning.push_back("the global table replica is already writable");
    else recoverable = restore(t, timings, "dynamodb", a);
  } else if (w.kind == "efs") {
    if (has("efs.replication."))
      a.steps.push_back(detail::timing_step(timings, "efs_failover", "make the replica file system writable"));
    else recoverable = restore(t, timings, "efs", a);
  } else if (w.kind == "ebs" || w.kind == "ec2") {
    recoverable = restore(t, timings, w.kind, a);
  } else if (w.kind == "asg" || w.kind == "ecs") {
    scale(t, w, g, timings, a);
  } else if (w.kind == "dns-failover") {
    dns_switch(t, w, g, timings, a);
  }
  if (!recoverable) {
    a.bound = Bound::unbounded;
    return a;
  }
  a.bound = Bound::bounded;
  model::Seconds total{0};
  std::string sum;
  for (const auto& s : a.steps) {
    total += s.duration;
    sum += (sum.empty() ? "" : " + ") + format_duration(s.duration);
  }
  a.value = total;
  a.reasoning.push_back(fmt::format("critical path: {} = {}", sum, format_duration(total)));
  return a;
}

}  // namespace dr
