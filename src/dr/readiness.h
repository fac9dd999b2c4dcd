// Readiness: can this stack fail over right now? Read from live AWS, per workload, with the
// evidence for every finding.
//
// Checks (each a Finding; `passed` or not, graded by what a failure does to recovery):
//   existence/config  every resource the stack expands to exists in AWS and matches its
//                     configuration (through apply::refresh + plan::diff: missing -> critical
//                     for data and failover paths, differing attributes graded by attribute)
//   replicas          replica exists, is available, replicates from the right source
//   replication       S3 rules enabled, RTC where the workload asks for it
//   recovery points   newest recovery point in the primary vault and its copy in the DR vault
//                     younger than the RPO allows; vaults exist in both regions
//   capacity          standby capacity at least what the strategy requires; ASG max at least
//                     the failover desired count
//   dns               health checks exist and are attached to the PRIMARY failover records
//   alarms            alarms exist and notify the stack's topic
//   pairs             the two sides of each pair compared: engine and version, instance class
//                     against the strategy's ratio, KMS key usable in the DR region, launch
//                     template / AMI present in the DR region, parameter groups
// Observed RPO: per workload the newest recovery point age (primary and DR copy) and the
// replication lag (dr/lag.h) where AWS reports it, each against the declared RPO.
// Grades: critical (recovery fails or loses more than the RPO: replica missing, replication
// disabled, retention cut, no DR vault), warning (recovery slower or degraded: capacity below
// the ratio, engine minor version differs), info (cosmetic: tags).
// A workload is ready when none of its critical findings failed. Reads only; no writes.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dr/timing_model.h"
#include "model/diagnostic.h"
#include "model/duration.h"
#include "model/resource.h"
#include "model/topology.h"
#include "plan/diff.h"
#include "resources/resource_type.h"

namespace dr {

enum class Grade { critical, warning, info };
std::string grade_name(Grade g);  // "critical", "warning", "info"

struct Finding {
  std::string check;     // stable id: "replica.source", "s3.rtc", "backup.dr_copy_age", "pair.engine_version"
  Grade grade = Grade::critical;
  bool passed = false;
  std::string summary;   // one line: "replica drctl-shop-orders is available and replicates orders-primary"
  std::string evidence;  // what was read: "DescribeDBInstances us-west-2: status=available source=arn:..."
  std::string address;   // the resource concerned, if any
  std::optional<model::SourceRange> where;  // the config node it comes from
};

struct RpoObservation {
  std::string what;                       // "newest recovery point (primary vault)", "DR copy", "replica lag"
  std::optional<model::Seconds> age;      // nullopt: none found / unknown
  std::optional<model::Seconds> objective;
  std::string source;                     // "ListRecoveryPointsByBackupVault us-west-2 vault drctl-shop-dr"
  bool within() const { return age && (!objective || *age <= *objective); }
};

struct WorkloadReadiness {
  std::string name;
  std::string kind;
  std::vector<Finding> findings;
  std::vector<RpoObservation> observed_rpo;
  bool ready() const {
    for (const auto& f : findings)
      if (!f.passed && f.grade == Grade::critical) return false;
    return true;
  }
};

struct Readiness {
  std::string stack;
  std::string checked_at;  // ISO-8601 UTC
  std::vector<WorkloadReadiness> workloads;  // in the topology's order; stack-level ("stack") last
  model::Diagnostics diagnostics;            // reads that failed outright (the command exits 1)
  bool ready() const {
    for (const auto& w : workloads)
      if (!w.ready()) return false;
    return true;
  }
};

struct ReadinessOptions {
  int parallelism = 10;
  // What state remembers (ids of objects found before), when the command has a state; only
  // addresses of the graph are used. Empty: objects are found by their deterministic names.
  std::map<std::string, plan::Prior> prior;
  // The time ages are measured against; nullopt: the system clock (tests fix it).
  std::optional<std::chrono::system_clock::time_point> now;
};

Readiness check_readiness(resources::Context& ctx, const model::Topology& topology, const model::Graph& graph,
                          const TimingModel& timings, const ReadinessOptions& options);

}  // namespace dr
