// The Markdown view of a plan for pull-request comments (`drctl plan --format markdown`).
//
// Sections, in order: a hidden marker "<!-- drctl-plan stack=NAME -->" (CI finds and updates its
// own comment by it); the summary line ("N to add, N to change, N to replace, N to destroy,
// N to import"); data-loss cautions; one table per workload with changes (stack-level resources
// under "(stack)"), each followed by the runbook steps a failover state machine's change adds,
// removes or changes (plan::Change::runbook, shown open) and the per-resource attribute diffs
// in collapsible <details>;
// the DR impact (achievable RPO/RTO per workload before -> after, strategy changes, the checks
// that fail or warn); a Mermaid diagram of the topology (graph_view.h).
//
// "after" is the assessment of the configuration being planned (dr::check_objectives); "before"
// is report::assess_json() as the last successful apply recorded it in the state's history,
// or none for a stack never applied ("first apply").
//
// Size: the whole comment stays within `max_chars` bytes (GitHub's limit is 65,536 characters;
// bytes are never fewer). When the full form is longer, it degrades step by step and says so
// at the top: first the per-resource details go, then the workload tables (and the runbook
// steps with them) become one summary table, then the diagram becomes one node per workload,
// then the diagram goes and the list of checks is cut. The diagram is per workload from the
// start for graphs of more than 50 nodes.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "dr/assess.h"
#include "model/diagnostic.h"
#include "plan/plan.h"
#include "report/graph_view.h"

namespace report {

inline constexpr size_t kGithubCommentLimit = 65536;

struct PlanMarkdownInput {
  const plan::Plan* plan = nullptr;
  const dr::Assessment* after = nullptr;  // required
  model::Diagnostics objective_checks;    // check_objectives' diagnostics (warnings when plan runs)
  std::optional<nlohmann::json> before;   // assess_json of the last successful apply; nullopt: none
  std::string before_at;                  // when that apply finished ("" when unknown)
  const GraphView* graph = nullptr;       // the full resource-level view; null: no diagram
  size_t max_chars = kGithubCommentLimit;
};

std::string plan_markdown(const PlanMarkdownInput& in);

// The comment when no plan could be made because the configuration fails its checks (schema,
// semantic or objective errors): the same marker and heading, and the checks at their lines.
std::string plan_blocked_markdown(const std::string& stack, const model::Diagnostics& checks);

}  // namespace report
