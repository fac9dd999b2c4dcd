// Automatic failover: the reviewed failover runbook (dr/runbook.h) compiled into an AWS Step
// Functions state machine (Amazon States Language) that runs in the DR region, started by an
// EventBridge rule on alarm state changes. What runs unattended is exactly the runbook `drctl
// failover` plans and the pull request reviewed.
//
// The stack's `automation:` block (schemas/topology.schema.json):
//   failover: manual | automatic | approval   (manual: nothing is deployed)
//   trigger:  { alarms: [names], health_checks: true, for: 5m }
//   enabled:  true | false   (false = kill switch: the rules are DISABLED, the machine stays)
//   topic:    where failure reports and approval requests go (the task token). Absent or
//             notify.topic: sns.topic.notify. Another name: sns.topic.automation, a topic of
//             that name drctl keeps in the DR region without managing its subscriptions (the
//             team subscribes its pager). An ARN: a topic drctl does not manage; it must be in
//             the DR region, which is up when the primary is not.
//
// Shape of the compiled machine (compile_automation):
//   DryRunOrAct?  no  -> Readiness (Parallel of describe calls; a DR replica/cluster that is
//                        not available, or a group/service that does not exist, fails the
//                        branch: the machine refuses to act) -> [Stabilise: Wait `for`, then
//                        describeAlarms of the DR-region trigger alarms: none still in ALARM
//                        ends the run without acting, unless the starting event came from
//                        another region, whose alarms the machine cannot describe]
//                        -> [Approval: sns:publish.waitForTaskToken, approval mode]
//                        -> Stage1 .. StageN (one Parallel per runbook level, one branch per
//                        step; promotions poll describe calls until done) -> Notify -> Done
//                 yes -> Readiness -> DryRunReport (Pass: the steps it would run) -> Done
//   Every mutating Task retries throttling errors with exponential backoff; every stage
//   catches any error, publishes it to the topic and fails the execution.
//
// The runbook's own last step (op.sns_notify, "failed over") still goes to sns.topic.notify, as
// `drctl failover` would send it.
//
// add_automation() appends to an expanded stack graph, when failover != manual, in the DR
// region: stepfunctions.state_machine.failover, events.rule.failover,
// iam.role.failover-automation (policy derived from the runbook's actions: sns:Publish on the
// topics above only) and iam.role.failover-events (states:StartExecution on the machine only),
// [sns.topic.automation].
// Trigger alarms in another region: EventBridge delivers an alarm's state change only in the
// alarm's region, and Route 53 health-check metrics (so the <workload>-primary-health alarms)
// exist only in us-east-1. For each such region R: events.rule.failover-R in R, same pattern
// on R's alarms, targeting the DR region's default event bus, and one iam.role.failover-forward
// allowed events:PutEvents on that bus only (EventBridge's cross-region routing). A forwarded
// event keeps its source and detail, so the DR rule's pattern matches it. The region of an
// alarm drctl manages is known; a named alarm drctl does not manage is taken to be in the DR
// region. Caveat: when R is the primary region, the trigger depends on R's EventBridge
// working during the outage; a DR-region alarm (trigger.alarms) does not.
// Pure: no I/O. Thread-safe.
#pragma once

#include <map>
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
  std::string topic;                // automation.topic as written ("" when absent)
  std::map<std::string, std::string> alarm_region;  // alarm name -> region, for alarms drctl manages
};

// Reads topology.automation (null -> manual). Errors (a trigger naming no alarm) as diagnostics.
AutomationSettings automation_settings(const model::Topology& topology, const model::Graph& stack_graph,
                                       model::Diagnostics& diags);

struct CompileOptions {
  AutomationMode mode = AutomationMode::automatic;
  std::string topic_arn;            // failure reports, approval requests; may be a "@{..#arn}" reference
  std::string notify_topic_arn;     // the runbook's op.sns_notify step ("" -> topic_arn)
  std::vector<std::string> alarms;  // DR-region trigger alarms, re-checked after for_seconds
  std::vector<std::string> remote_regions;  // regions of trigger alarms forwarded from elsewhere
  std::string region;               // the machine's (DR) region
  int for_seconds = 0;
  std::string partition = "aws";
};

// The ASL definition (a JSON object) of `rb` (a planned-mode failover runbook).
nlohmann::json compile_automation(const Runbook& rb, const CompileOptions& options);

// The inline policy of the machine's role: exactly the actions the ASL calls, on the objects
// the runbook names where IAM allows resource scoping.
nlohmann::json automation_policy(const Runbook& rb, const CompileOptions& options, const std::string& dr_region);

// One runbook step as read back from the ASL (by the Comment "drctl-step <address>" on the
// first state of its branch, through plan/runbook_diff.h), with the steps it must follow.
struct AslStep {
  std::string address;
  std::vector<std::string> after;  // addresses of the previous stage
  std::vector<std::string> calls;  // aws-sdk/optimised integration resources, in the order run
};
// Steps in stage order; only the acting flow (not readiness or dry run).
std::vector<AslStep> steps_of(const nlohmann::json& asl);

// Appends the automation resources to `graph` (see above). Needs the timing model for the
// runbook; diagnostics of the runbook that are errors are reported, warnings are not repeated.
void add_automation(const model::Topology& topology, model::Graph& graph, const config::Paths& paths,
                    model::Diagnostics& diags);

const char* mode_name(AutomationMode m);

}  // namespace dr
