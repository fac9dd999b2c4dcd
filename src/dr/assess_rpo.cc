// The RPO half of assess(): replication bound vs backup interval, whichever is tighter.
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "config/schedule.h"
#include "dr/assess_internal.h"

namespace dr {

namespace {

// config::interval_of walks the schedule's runs over a long span; a stack has one backup
// schedule but asks for it once per workload, which dominated plans of thousands of workloads.
std::optional<model::Seconds> interval_of_schedule(const std::string& schedule) {
  static std::mutex mu;
  static std::map<std::string, std::optional<model::Seconds>> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(schedule); it != cache.end()) return it->second;
  return cache[schedule] = config::interval_of(schedule);
}


using nlohmann::json;
using model::format_duration;

Achievable bounded(model::Seconds v, std::string why) {
  Achievable a;
  a.bound = Bound::bounded;
  a.value = v;
  a.reasoning.push_back(std::move(why));
  return a;
}

// What replication the strategy module produced for the workload, if any.
std::optional<Achievable> replication_rpo(const model::Topology& t, const model::Workload& w,
                                          const model::Graph& g, const TimingModel& timings) {
  auto lag = [&](const char* timing, const char* what) {
    const Timing x = timings.get(timing);
    return bounded(x.value, fmt::format("{}: {} bound (timings.{}{})", what, format_duration(x.value), timing,
                                        x.overridden ? ", stack override" : ""));
  };
  if (w.kind == "s3") {
    const json* a = detail::attrs_of(g, "s3.replication." + w.name);
    if (!a) return std::nullopt;
    bool rtc = true;
    if (a->contains("rules") && (*a)["rules"].is_array() && !(*a)["rules"].empty())
      for (const auto& r : (*a)["rules"]) rtc = rtc && r.value("rtc", false);
    else
      rtc = false;
    Achievable out;
    if (rtc) {
      out = lag("s3_rtc", "S3 RTC");
    } else {
      out.bound = Bound::best_effort;
      out.reasoning.push_back(
          "S3 replication without RTC: no published bound (most objects within minutes, some hours); "
          "rtc: true bounds it at " + format_duration(timings.get("s3_rtc").value));
    }
    out.cause = detail::workload_where(t, w, "rtc");
    out.cause_field = detail::workload_field(w, "rtc");
    return out;
  }
  struct Kind { const char* kind; const char* prefix; const char* timing; const char* what; };
  static const Kind kinds[] = {
      {"rds", "rds.replica.", "rds_replica_lag", "RDS cross-region replica lag"},
      {"aurora", "rds.global_cluster.", "aurora_global_lag", "Aurora global database lag"},
      {"dynamodb", "dynamodb.replica.", "dynamodb_global_lag", "DynamoDB global table propagation"},
      {"efs", "efs.replication.", "efs_replication_rpo", "EFS replication"},
  };
  for (const auto& k : kinds) {
    if (w.kind != k.kind || !detail::attrs_of(g, k.prefix + w.name)) continue;
    Achievable out = lag(k.timing, k.what);
    out.cause = t.where(w.pointer);
    out.cause_field = "workloads." + w.name;
    return out;
  }
  return std::nullopt;
}

// Recovery points in the DR region: one per schedule interval, usable once copied.
Achievable backup_rpo(const model::Topology& t, const TimingModel& timings) {
  Achievable out;
  if (!t.backups.is_object()) {
    out.reasoning.push_back("no backups: block");
    out.cause = t.where("/backups");
    out.cause_field = "backups";
    return out;
  }
  const std::string schedule = t.backups.value("schedule", "");
  out.cause = t.where("/backups/schedule");
  out.cause_field = "backups.schedule";
  if (!detail::backups_reach_dr(t)) {
    out.reasoning.push_back("backups are not copied to the DR region (backups.copy_to_dr: false)");
    out.cause = t.where("/backups/copy_to_dr");
    out.cause_field = "backups.copy_to_dr";
    return out;
  }
  const auto interval = interval_of_schedule(schedule);
  if (!interval) {
    out.reasoning.push_back("backups run fewer than twice (" + schedule + "): no recurring recovery point");
    return out;
  }
  const Timing copy = timings.get("backup_copy");
  out.bound = Bound::bounded;
  out.value = *interval + copy.value;
  out.reasoning.push_back(fmt::format("backups every {} ({}) + copy to DR {} = {}", format_duration(*interval),
                                      schedule, format_duration(copy.value), format_duration(*out.value)));
  return out;
}

bool holds_data(const std::string& kind) {
  return kind != "asg" && kind != "ecs" && kind != "dns-failover";
}

}  // namespace

Achievable achievable_rpo(const model::Topology& t, const model::Workload& w, const model::Graph& g,
                          const TimingModel& timings) {
  if (!holds_data(w.kind)) {
    Achievable a;
    a.bound = Bound::not_applicable;
    a.reasoning.push_back(w.kind + " holds no data");
    return a;
  }
  auto replicated = replication_rpo(t, w, g, timings);
  Achievable backups = backup_rpo(t, timings);
  if (!replicated) {
    backups.reasoning.insert(backups.reasoning.begin(), "not replicated to the DR region");
    return backups;
  }
  // Both sources recover data; the tighter bound decides, and the reasoning shows both.
  // Best-effort replication stays best effort (typically far better than backups), with the
  // backups' bound kept as the guaranteed worst case.
  if (replicated->bound == Bound::best_effort) {
    Achievable out = *replicated;
    if (backups.bound == Bound::bounded) out.value = backups.value;
    for (const auto& r : backups.reasoning) out.reasoning.push_back("worst case, backups: " + r);
    return out;
  }
  const bool backups_win = backups.bound == Bound::bounded &&
                           (replicated->bound != Bound::bounded || *backups.value < *replicated->value);
  Achievable out = backups_win ? backups : *replicated;
  const Achievable& other = backups_win ? *replicated : backups;
  for (const auto& r : other.reasoning) out.reasoning.push_back("also: " + r);
  return out;
}

}  // namespace dr
