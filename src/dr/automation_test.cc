// The automatic-failover state machine compiled from the warm-standby test stack: its stages
// match the runbook DAG, promotions poll until done, approval gates irreversible steps, the
// dry run only describes, and the graph gains the machine, the rule and the roles.
#include "dr/automation.h"

#include <set>

#include <gtest/gtest.h>

#include "dr/test_stack.h"

namespace dr {
namespace {

using nlohmann::json;
using testing_util::dump;
using testing_util::load;
using testing_util::source_paths;

std::string stack_yaml(const std::string& automation) {
  return R"(version: 1
stack: shop
regions: { primary: us-east-1, dr: us-west-2 }
strategy: warm-standby
objectives: { rto: 30m, rpo: 5m }
notify: { topic: dr-events, emails: [oncall@example.com] }
workloads:
  orders: { kind: rds, source: orders-primary, replica: { class: db.r6g.large } }
  web: { kind: asg, group: web, standby: { min: 1, desired: 1 }, failover: { desired: 6, max: 8 } }
  api: { kind: ecs, cluster: shop, service: api, standby: 1, failover: 3 }
  dns: { kind: dns-failover, zone: Z123, record: api.shop.example, ttl: 30,
         primary: { target: primary.example.net }, secondary: { target: dr.example.net },
         health: { path: /health, port: 443, interval: 30s, threshold: 3 } }
)" + automation;
}

struct Compiled {
  testing_util::LoadedStack stack;
  model::Graph graph;  // with automation added
  Runbook rb;
  json asl;
  model::Diagnostics diags;
};

Compiled compile(const std::string& automation) {
  Compiled c{load(stack_yaml(automation)), {}, {}, {}, {}};
  c.graph = c.stack.graph;
  add_automation(c.stack.topology, c.graph, source_paths(), c.diags);
  model::Diagnostics td;
  c.rb = failover_runbook(c.stack.topology, c.stack.graph, "us-west-2", FailoverMode::planned,
                          load_timings(source_paths(), c.stack.topology, td));
  if (const auto* m = c.graph.find("stepfunctions.state_machine.failover")) c.asl = m->attrs["definition"];
  return c;
}

const char* kAutomatic = "automation: { failover: automatic, trigger: { alarms: [shop-api-5xx] } }\n";
const char* kApproval = "automation: { failover: approval, trigger: { alarms: [shop-api-5xx], for: 5m } }\n";

// Every step with its predecessors, derived from the ASL, equals the runbook's DAG.
TEST(Automation, StepGraphReadBackFromTheAslEqualsTheRunbook) {
  const auto c = compile(kAutomatic);
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  ASSERT_TRUE(c.asl.is_object());
  std::map<std::string, std::set<std::string>> from_asl, from_runbook;
  for (const auto& s : steps_of(c.asl)) from_asl[s.address] = {s.after.begin(), s.after.end()};
  for (const auto& r : c.rb.graph.resources) from_runbook[r.address.str()] = {r.depends_on.begin(), r.depends_on.end()};
  EXPECT_EQ(from_asl, from_runbook);
  ASSERT_EQ(from_asl.size(), 5u);
}

TEST(Automation, IndependentStepsAreParallelBranchesOfOneStage) {
  const auto c = compile(kAutomatic);
  const auto& stage1 = c.asl["States"]["Stage 1"];
  EXPECT_EQ(stage1["Type"], "Parallel");
  EXPECT_EQ(stage1["Branches"].size(), 3u);  // promote, asg, ecs
  EXPECT_EQ(c.asl["States"]["Stage 2"]["Branches"].size(), 1u);  // dns
  EXPECT_EQ(c.asl["States"]["Stage 3"]["Branches"].size(), 1u);  // notify
  EXPECT_FALSE(c.asl["States"].contains("Stage 4"));
  EXPECT_EQ(stage1["Catch"][0]["Next"], "Notify failure");
  EXPECT_EQ(c.asl["States"]["Notify failure"]["Next"], "Failed");
}

TEST(Automation, PromotionPollsUntilAvailableAndRetriesThrottling) {
  const auto c = compile(kAutomatic);
  json promote;
  for (const auto& b : c.asl["States"]["Stage 1"]["Branches"])
    if (b["StartAt"] == "Do rds_promote orders") promote = b["States"];
  ASSERT_TRUE(promote.is_object());
  const auto& t = promote["Do rds_promote orders"];
  EXPECT_EQ(t["Resource"], "arn:aws:states:::aws-sdk:rds:promoteReadReplica");
  EXPECT_EQ(t["Parameters"], (json{{"DBInstanceIdentifier", "drctl-shop-orders"}}));
  EXPECT_EQ(t["Retry"][0]["BackoffRate"], 2.0);
  EXPECT_NE(t["Retry"][0]["ErrorEquals"].dump().find("Rds.ThrottlingException"), std::string::npos);
  EXPECT_EQ(promote["Check rds_promote orders"]["Next"], "Done? rds_promote orders");
  EXPECT_EQ(promote["Done? rds_promote orders"]["Default"], "Wait rds_promote orders");  // loops
}

TEST(Automation, ReadinessComesFirstAndRefusesWhenTheReplicaIsNotAvailable) {
  const auto c = compile(kAutomatic);
  EXPECT_EQ(c.asl["StartAt"], "Dry run?");
  EXPECT_EQ(c.asl["States"]["Dry run?"]["Default"], "Readiness");
  EXPECT_EQ(c.asl["States"]["Readiness"]["Next"], "Stage 1");
  bool rds_checked = false;
  for (const auto& b : c.asl["States"]["Readiness"]["Branches"]) {
    for (const auto& [name, s] : b["States"].items()) {
      if (s["Type"] == "Task") EXPECT_NE(s["Resource"].get<std::string>().find(":describe"), std::string::npos) << name;
      if (s["Type"] == "Fail") EXPECT_EQ(s["Error"], "DrNotReady");
    }
    rds_checked = rds_checked || b["StartAt"] == "Describe rds_promote orders";
  }
  EXPECT_TRUE(rds_checked);
}

TEST(Automation, DryRunOnlyDescribesThenReports) {
  const auto c = compile(kAutomatic);
  const auto& s = c.asl["States"];
  EXPECT_EQ(s["Dry run?"]["Choices"][0]["Next"], "Dry run readiness");
  EXPECT_EQ(s["Dry run readiness"]["Next"], "Dry run report");
  EXPECT_EQ(s["Dry run report"]["End"], true);
  EXPECT_EQ(s["Dry run report"]["Parameters"]["would_run"].size(), 5u);
}

TEST(Automation, ApprovalWaitsForATaskTokenBeforeIrreversibleSteps) {
  const auto c = compile(kApproval);
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  const auto& s = c.asl["States"];
  EXPECT_EQ(s["Readiness"]["Next"], "Stabilise");
  EXPECT_EQ(s["Stabilise"]["Seconds"], 300);
  EXPECT_EQ(s["Still alarming?"]["Choices"][0]["Next"], "Approval");
  EXPECT_EQ(s["Approval"]["Resource"], "arn:aws:states:::sns:publish.waitForTaskToken");
  EXPECT_NE(s["Approval"]["Parameters"]["Message.$"].get<std::string>().find("$$.Task.Token"), std::string::npos);
  EXPECT_EQ(s["Approval"]["Next"], "Stage 1");
  EXPECT_FALSE(compile(kAutomatic).asl["States"].contains("Approval"));
}

TEST(Automation, AddsMachineRuleAndRolesInTheDrRegion) {
  const auto c = compile(kAutomatic);
  const auto* m = c.graph.find("stepfunctions.state_machine.failover");
  const auto* rule = c.graph.find("events.rule.failover");
  ASSERT_TRUE(m && rule);
  EXPECT_EQ(m->region, "us-west-2");
  EXPECT_EQ(rule->region, "us-west-2");
  EXPECT_EQ(m->attrs["role_arn"], "@{iam.role.failover-automation#arn}");
  EXPECT_EQ(rule->attrs["state"], "ENABLED");
  EXPECT_EQ(rule->attrs["event_pattern"]["detail"]["alarmName"], json::array({"shop-api-5xx"}));
  EXPECT_EQ(rule->attrs["targets"][0]["arn"], "@{stepfunctions.state_machine.failover#arn}");
  const auto* role = c.graph.find("iam.role.failover-automation");
  ASSERT_TRUE(role);
  const auto policy = role->attrs["policies"]["drctl-failover"].dump();
  for (const char* action : {"rds:PromoteReadReplica", "autoscaling:UpdateAutoScalingGroup", "ecs:UpdateService",
                             "route53:ChangeResourceRecordSets", "sns:Publish"})
    EXPECT_NE(policy.find(action), std::string::npos) << action;
  EXPECT_EQ(policy.find("\"*\"]"), std::string::npos);  // no action list on every resource
  EXPECT_NE(policy.find("hostedzone/Z123"), std::string::npos);
}

TEST(Automation, KillSwitchDisablesTheRuleOnly) {
  const auto c = compile("automation: { failover: automatic, enabled: false, trigger: { alarms: [a] } }\n");
  EXPECT_EQ(c.graph.find("events.rule.failover")->attrs["state"], "DISABLED");
  EXPECT_TRUE(c.graph.find("stepfunctions.state_machine.failover"));
}

TEST(Automation, ManualOrAbsentAddsNothing) {
  for (const char* a : {"", "automation: { failover: manual }\n"}) {
    const auto c = compile(a);
    EXPECT_EQ(c.graph.resources.size(), c.stack.graph.resources.size()) << a;
  }
}

TEST(Automation, NoTriggerIsAnError) {
  const auto c = compile("automation: { failover: automatic }\n");
  EXPECT_TRUE(model::has_errors(c.diags));
  EXPECT_FALSE(c.graph.find("stepfunctions.state_machine.failover"));
}

}  // namespace
}  // namespace dr
