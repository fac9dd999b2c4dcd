// Assessment: for each workload of a stack, the RPO and RTO its configuration can achieve
// under the timing model, with the reasoning, next to the objectives it declares.
//
// RPO: the tightest of replication (the lag bound of what the strategy module produced: S3 RTC,
// RDS replica, Aurora global, DynamoDB global table, EFS replication) and backups (schedule
// interval + copy to the DR vault). No replication and no backups in the DR region: unbounded.
// S3 replication without RTC is replicated but has no published bound ("best effort").
// Compute and DNS workloads hold no data: RPO does not apply.
// RTO: detection (the stack's Route 53 health check interval x threshold, else a default) then
// the workload's failover steps in order (promotion, scale-out or scale from zero, restore).
// Replication and capacity are read from the expanded Graph, so user modules are assessed by
// what they produce. Plain data; no I/O; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dr/timing_model.h"
#include "model/diagnostic.h"
#include "model/resource.h"
#include "model/topology.h"

namespace dr {

struct Step {
  std::string what;          // "promote the read replica"
  model::Seconds duration{0};
  std::string timing;        // timings.yaml entry, or "" when the stack spells the value
  std::string source;        // the timing's source, or the stack field ("workloads.dns.health")
};

enum class Bound {
  bounded,      // value holds a guaranteed or modelled bound
  best_effort,  // replicated, but AWS publishes no bound (value: none)
  unbounded,    // nothing in the DR region to recover from
  not_applicable,  // holds no data (RPO of compute / DNS)
};

struct Achievable {
  Bound bound = Bound::unbounded;
  std::optional<model::Seconds> value;  // when bounded
  std::vector<std::string> reasoning;   // "backups every 1h (cron(0 * ? * * *)) + copy to DR 30m = 1h30m"
  std::vector<Step> steps;              // RTO: the critical path, in order (sums to value)
  // The configuration that decides the result (the cause a failed check points at).
  std::optional<model::SourceRange> cause;
  std::string cause_field;  // "backups.schedule", "workloads.images.rtc"
};

enum class Verdict { meets, misses, unverifiable, no_objective, not_applicable };
std::string verdict_name(Verdict v);  // "meets", "misses", "unverifiable", "no objective", "n/a"
std::string bound_text(const Achievable& a);  // "15m", "unbounded", "no bound", "n/a"

struct ObjectiveCheck {
  std::optional<model::Seconds> objective;
  Achievable achievable;
  Verdict verdict = Verdict::no_objective;
  std::optional<model::SourceRange> declared_at;  // the workload's objectives.<x>, else the stack's
  std::string declared_field;                     // "workloads.orders.objectives.rpo" / "objectives.rpo"
};

struct WorkloadAssessment {
  std::string name;
  std::string kind;
  std::string strategy;
  ObjectiveCheck rpo;
  ObjectiveCheck rto;
};

struct Assessment {
  std::string stack;
  std::string strategy;
  std::vector<WorkloadAssessment> workloads;  // in the topology's order
  // One per objective a workload misses (error) or cannot be shown to meet (warning), at the
  // objective's YAML position, detail naming the cause.
  model::Diagnostics diagnostics;
  bool meets_all() const { return !model::has_errors(diagnostics); }
};

Assessment assess(const model::Topology& topology, const model::Graph& graph, const TimingModel& timings);

// How long the stack takes to notice a failure: the slowest primary health check of its
// dns-failover workloads (interval x threshold), else the timing model's default. Stack-wide:
// the first step of every workload's RTO.
struct Detection {
  Step step;
  std::optional<model::SourceRange> where;  // the health check that decides it
  std::string field;                        // "workloads.dns.health"
};
Detection detection_of(const model::Topology& t, const model::Graph& g, const TimingModel& timings);

// Internal parts of assess(), exposed for tests. `detection` is computed when null (assess()
// computes it once for all workloads: per workload it made assessing N workloads quadratic).
Achievable achievable_rpo(const model::Topology& t, const model::Workload& w, const model::Graph& g,
                          const TimingModel& timings);
Achievable achievable_rto(const model::Topology& t, const model::Workload& w, const model::Graph& g,
                          const TimingModel& timings, const Detection* detection = nullptr);

}  // namespace dr
