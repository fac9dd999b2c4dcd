// Views of a drift report for CI and people: JSON (schemas/drift.schema.json), Markdown (an
// issue or PR comment) and a self-contained HTML page (inline CSS and an inline SVG topology
// picture; no scripts, no external assets, every value HTML-escaped).
// Decide nothing: the impact grade and "what it does to recovery" come from
// plan::rank_drift (src/plan/drift_impact.h); these functions only lay them out.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/drift.h"
#include "plan/drift_impact.h"

namespace report {

struct DriftView {
  std::string stack;
  std::string primary_region;
  std::string dr_region;
  int checked = 0;
  bool drifted = false;
  bool unreadable = false;
  std::vector<plan::RankedDrift> entries;  // worst first
  std::vector<std::string> not_applied;
  int critical = 0, warning = 0, info = 0;  // entries per grade
};

// Regions come from the topology; the report alone does not know which side is which.
DriftView make_drift_view(const plan::DriftReport& report, const std::string& primary_region,
                          const std::string& dr_region);

nlohmann::json drift_json(const DriftView& view);  // entries worst first, each with its impact
std::string drift_markdown(const DriftView& view);
std::string drift_html(const DriftView& view);

// Where the topology picture draws an entry: "primary", "dr" or "global" (IAM, Route 53 and
// any region that is neither side).
std::string drift_side(const plan::DriftEntry& entry, const DriftView& view);

}  // namespace report
