// runbook_diff: the change of an automatic-failover state machine (stepfunctions.state_machine,
// dr/automation.h) as reviewers read it: runbook steps added, removed and changed, instead of
// a diff of the Amazon States Language JSON.
//
// The ASL contract with dr/automation_asl.cc (which writes it; this is the one reader):
//   - steps: the branches of the top-level Parallel states "Stage 1", "Stage 2", ... whose
//     first state carries the Comment "drctl-step <address>" (stage = the N of "Stage N");
//   - readiness checks: the branches of the top-level "Readiness" Parallel whose first state
//     carries "drctl-readiness <address>";
//   - every other top-level state is control flow (approval, stabilisation, failure report),
//     compared by name; the "Dry run ..." states are derived from the steps and checks and
//     are not listed again.
// Pure: no I/O. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace plan {

struct RunbookStep {
  std::string address;             // "op.rds_promote.orders" (the state name when unmarked)
  int stage = 0;                   // 1-based for steps; 0 for readiness checks
  std::vector<std::string> calls;  // Task resources in the order the branch runs them
  nlohmann::json branch;           // the branch as written, to tell a change
};

struct RunbookSteps {
  std::vector<RunbookStep> steps;   // stage order, then branch order
  std::vector<RunbookStep> checks;  // readiness, branch order
};

// The steps and checks of a definition; empty for anything that is not drctl's ASL.
RunbookSteps runbook_steps(const nlohmann::json& asl);

// "rds promoteReadReplica" for "arn:aws:states:::aws-sdk:rds:promoteReadReplica",
// "sns publish.waitForTaskToken" for "arn:aws:states:::sns:publish.waitForTaskToken".
std::string call_name(const std::string& resource);

// The readable difference between the `definition` of two attribute sets (either may be null:
// a machine created or destroyed), one line each, sign first:
//   "+ step op.rds_promote.orders (stage 1: rds promoteReadReplica, rds describeDBInstances)"
//   "- check op.ecs_scale.api (readiness: ecs describeServices)"
//   "~ step op.ecs_scale.api: DesiredCount 3 -> 5"
//   "~ state Approval (Task: sns publish.waitForTaskToken)" with "+"/"-" when added/removed
// Steps first (by stage, then address), then checks, then control states and top-level fields
// (these two only when both sides have a definition). Empty when neither side holds drctl's
// ASL or nothing differs. References not yet known read "(known after apply)".
std::vector<std::string> runbook_diff(const nlohmann::json& before_attrs, const nlohmann::json& after_attrs);

}  // namespace plan
