// Automatic failover: the reviewed failover runbook (dr/runbook.h) compiled into an AWS Step
// Functions state machine (Amazon States Language) that runs in the DR region, started by an
// EventBridge rule on alarm state changes. What runs unattended is exactly the runbook `drctl
// failover` plans and the pull request reviewed.
//
// The stack's `automation:` block (schemas/topology.schema.json):
//   failover: manual | automatic | approval   (manual: nothing is deployed)
//   trigger:  { alarms: [names], health_checks: true, for: 5m }
//   enabled:  true | false   (false = kill switch: the rule is DISABLED, the machine stays)
//   topic:    SNS topic name for failure/approval messages (default: notify.topic)
//
// Shape of the compiled machine (compile_automation):
//   DryRunOrAct?  no  -> Readiness (Parallel of describe calls; a DR replica/cluster that is
//                        not available, or a group/service that does not exist, fails the
//                        branch: the machine refuses to act) -> [Stabilise: Wait `for`, then
//                        describeAlarms: an alarm no longer in ALARM ends the run without
//                        acting] -> [Approval: sns:publish.waitForTaskToken, approval mode]
//                        -> Stage1 .. StageN (one Parallel per runbook level, one branch per
//                        step; promotions poll describe calls until done) -> Notify -> Done
//                 yes -> Readiness -> DryRunReport (Pass: the steps it would run) -> Done
//   Every mutating Task retries throttling errors with exponential backoff; every stage
//   catches any error, publishes it to the topic and fails the execution.
//
// add_automation() appends to an expanded stack graph, when failover != manual, in the DR
// region: stepfunctions.state_machine.failover, events.rule.failover,
// iam.role.failover-automation (policy derived from the runbook's actions) and
// iam.role.failover-events (states:StartExecution on the machine only).
// Pure: no I/O. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "dr/runbook.h"
#include "model/diagnostic.h"
#include "model/resource.h"
#include "model/topology.h"

namespace dr {

enum class AutomationMode { manual, automatic, approval };

struct AutomationSettings {
  AutomationMode mode = AutomationMode::manual;
  std::vector<std::string> alarms;  // alarm names that trigger (health-check alarms added)
  bool health_checks = false;
  int for_seconds = 0;              // stabilisation wait before acting
  bool enabled = true;
  std::string topic;                // SNS topic name ("" -> notify.topic)
};

// Reads topology.automation (null -> manual). Errors (a trigger naming no alarm) as diagnostics.
AutomationSettings automation_settings(const model::Topology& topology, const model::Graph& stack_graph,
                                       model::Diagnostics& diags);

struct CompileOptions {
  AutomationMode mode = AutomationMode::automatic;
  std::string topic_arn;            // may be a "@{sns.topic.notify#arn}" reference
  std::vector<std::string> alarms;  // for the stabilisation re-check
  int for_seconds = 0;
  std::string partition = "aws";
};

// The ASL definition (a JSON object) of `rb` (a planned-mode failover runbook).
nlohmann::json compile_automation(const Runbook& rb, const CompileOptions& options);

// The inline policy of the machine's role: exactly the actions the ASL calls, on the objects
// the runbook names where IAM allows resource scoping.
nlohmann::json automation_policy(const Runbook& rb, const CompileOptions& options, const std::string& dr_region);

// One runbook step as read back from the ASL (by the Comment "drctl-step <address>" on the
// first state of its branch), with the steps it must follow.
struct AslStep {
  std::string address;
  std::vector<std::string> after;  // addresses of the previous stage
  std::vector<std::string> calls;  // aws-sdk/optimised integration resources, in order
};
// Steps in stage order; only the acting flow (not readiness or dry run).
std::vector<AslStep> steps_of(const nlohmann::json& asl);

// Appends the automation resources to `graph` (see above). Needs the timing model for the
// runbook; diagnostics of the runbook that are errors are reported, warnings are not repeated.
void add_automation(const model::Topology& topology, model::Graph& graph, const config::Paths& paths,
                    model::Diagnostics& diags);

const char* mode_name(AutomationMode m);

}  // namespace dr
