// drift_impact: what a drifted resource does to recovery. Pure classification of a
// plan::DriftEntry (its type, kind, attribute paths and values, workload) into a grade and one
// line a DR owner understands ("replication rule disabled: RPO unbounded for workload
// 'assets'"). Renderers show it; they never decide it. No I/O, thread-safe (no state).
//
// Grades:
//   critical  recovery is broken or unbounded: a replica or DR bucket gone, replication or
//             backups stopped, DNS failover unable to switch.
//   warning   recovery still works but worse: RTO longer (standby capacity lowered, slower
//             detection), weaker protection (no PITR, no vault lock), nobody alerted.
//   info      cosmetic or cost only (tags, descriptions, more capacity than configured).
// An unknown type or attribute is a warning: we cannot tell, so a person should look.
#pragma once

#include <string>
#include <vector>

#include "plan/drift.h"

namespace plan {

enum class DriftGrade { critical = 0, warning = 1, info = 2 };  // lower is worse
const char* drift_grade_name(DriftGrade g);                       // "critical", "warning", "info"

struct DriftImpact {
  DriftGrade grade = DriftGrade::warning;
  std::string effect;  // one line: how this weakens recovery
};

// One attribute of a changed resource of `type` belonging to `workload` ("" = stack-wide).
DriftImpact classify_drift_attr(const std::string& type, const std::string& workload, const DriftAttr& attr);

// A whole entry: deleted and unreadable by type; changed = its worst attribute (ties: the first).
DriftImpact classify_drift(const DriftEntry& entry);

struct RankedDrift {
  DriftEntry entry;
  DriftImpact impact;
  std::vector<DriftImpact> attr_impacts;  // parallel to entry.attrs
};

// Every entry of the report with its impact, worst first; equal grades keep the report's
// (address) order.
std::vector<RankedDrift> rank_drift(const DriftReport& report);

}  // namespace plan
