// The automatic-failover state machine compiled from the warm-standby test stack: its stages
// match the runbook DAG, promotions poll until done, approval gates irreversible steps, the
// dry run only describes, and the graph gains the machine, the rule and the roles.
#include "dr/automation.h"

#include <set>

#include <gtest/gtest.h>

#include "dr/test_stack.h"
#include "plan/runbook_diff.h"

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

// The SNS publish Tasks of the failure report and the approval request, and the runbook's
// own notify step (Stage 3).
struct Publishes {
  json failure, approval, notify_step;
};
Publishes publishes(const json& asl) {
  Publishes p;
  p.failure = asl["States"]["Notify failure"]["Parameters"]["TopicArn"];
  if (asl["States"].contains("Approval")) p.approval = asl["States"]["Approval"]["Parameters"]["TopicArn"];
  for (const auto& b : asl["States"]["Stage 3"]["Branches"])
    for (const auto& [name, st] : b["States"].items())
      if (st.value("Resource", "") == "arn:aws:states:::sns:publish") p.notify_step = st["Parameters"]["TopicArn"];
  return p;
}

TEST(Automation, WithoutATopicFailuresGoToTheNotifyTopic) {
  for (const char* a : {kApproval, "automation: { failover: approval, topic: dr-events, trigger: { alarms: [x] } }\n"}) {
    const auto c = compile(a);
    ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
    const auto p = publishes(c.asl);
    EXPECT_EQ(p.failure, "@{sns.topic.notify#arn}") << a;
    EXPECT_EQ(p.approval, "@{sns.topic.notify#arn}") << a;
    EXPECT_FALSE(c.graph.find("sns.topic.automation")) << a;
  }
}

TEST(Automation, TheTopicReceivesFailureReportsAndApprovalRequests) {
  const auto c = compile("automation: { failover: approval, topic: oncall-pager, trigger: { alarms: [shop-api-5xx] } }\n");
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  const auto* topic = c.graph.find("sns.topic.automation");
  ASSERT_TRUE(topic);
  EXPECT_EQ(topic->region, "us-west-2");
  EXPECT_EQ(topic->attrs["name"], "oncall-pager");
  EXPECT_FALSE(topic->attrs.contains("subscriptions"));  // the team's pager subscriptions stay
  const auto p = publishes(c.asl);
  EXPECT_EQ(p.failure, "@{sns.topic.automation#arn}");
  EXPECT_EQ(p.approval, "@{sns.topic.automation#arn}");
  EXPECT_EQ(p.notify_step, "@{sns.topic.notify#arn}");  // the runbook's "failed over" message, as drctl failover sends it
  const auto& machine = *c.graph.find("stepfunctions.state_machine.failover");
  EXPECT_NE(std::find(machine.depends_on.begin(), machine.depends_on.end(), "sns.topic.automation"),
            machine.depends_on.end());
  // The machine's role may publish to exactly these two topics.
  json notify;
  for (const auto& st : c.graph.find("iam.role.failover-automation")->attrs["policies"]["drctl-failover"]["Statement"])
    if (st["Sid"] == "Notify") notify = st;
  EXPECT_EQ(notify["Action"], json::array({"sns:Publish"}));
  EXPECT_EQ(notify["Resource"], json::array({"@{sns.topic.automation#arn}", "@{sns.topic.notify#arn}"}));
}

TEST(Automation, ATopicArnIsUsedAsItIsAndMustBeInTheDrRegion) {
  const std::string arn = "arn:aws:sns:us-west-2:111122223333:pager";
  auto c = compile("automation: { failover: automatic, topic: '" + arn + "', trigger: { alarms: [x] } }\n");
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  EXPECT_EQ(publishes(c.asl).failure, arn);
  EXPECT_FALSE(c.graph.find("sns.topic.automation"));
  c = compile("automation: { failover: automatic, topic: 'arn:aws:sns:us-east-1:111122223333:pager', trigger: { alarms: [x] } }\n");
  ASSERT_TRUE(model::has_errors(c.diags));
  EXPECT_EQ(c.diags.back().field, "automation.topic");
  EXPECT_NE(c.diags.back().summary.find("not the DR region us-west-2"), std::string::npos) << dump(c.diags);
  EXPECT_FALSE(c.graph.find("stepfunctions.state_machine.failover"));
}

TEST(Automation, WithoutNotifyATopicIsNeeded) {
  auto without_notify = [](const std::string& automation) {
    std::string yaml = stack_yaml(automation);
    yaml.erase(yaml.find("notify:"), yaml.find('\n', yaml.find("notify:")) - yaml.find("notify:") + 1);
    Compiled c{load(yaml), {}, {}, {}, {}};
    c.graph = c.stack.graph;
    add_automation(c.stack.topology, c.graph, source_paths(), c.diags);
    return c;
  };
  auto c = without_notify("automation: { failover: automatic, trigger: { alarms: [x] } }\n");
  ASSERT_TRUE(model::has_errors(c.diags));
  EXPECT_EQ(c.diags.back().summary, "automation needs a notify: block or automation.topic");
  c = without_notify("automation: { failover: automatic, topic: oncall, trigger: { alarms: [x] } }\n");
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  EXPECT_EQ(c.graph.find("stepfunctions.state_machine.failover")->attrs["definition"]["States"]["Notify failure"]
                ["Parameters"]["TopicArn"],
            "@{sns.topic.automation#arn}");
}

// Route 53 health-check alarms live in us-east-1; the machine and its rule in us-west-2.
TEST(Automation, AlarmsInAnotherRegionAreForwardedToTheDrRegionsBus) {
  const auto c = compile("automation: { failover: automatic, trigger: { health_checks: true, alarms: [shop-api-5xx] } }\n");
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  for (const auto& d : c.diags) EXPECT_EQ(d.summary.find("lives in"), std::string::npos) << d.summary;
  const auto* health = c.graph.find("cloudwatch.alarm.dns-primary-health");
  ASSERT_TRUE(health);
  ASSERT_EQ(health->region, "us-east-1");
  const std::string alarm = health->attrs["name"];

  // The DR rule matches every trigger alarm: forwarded events keep their source and detail.
  EXPECT_EQ(c.graph.find("events.rule.failover")->attrs["event_pattern"]["detail"]["alarmName"],
            json::array({"shop-api-5xx", alarm}));
  const auto* fwd = c.graph.find("events.rule.failover-us-east-1");
  ASSERT_TRUE(fwd);
  EXPECT_EQ(fwd->region, "us-east-1");
  EXPECT_EQ(fwd->attrs["state"], "ENABLED");
  EXPECT_EQ(fwd->attrs["event_pattern"]["detail"]["alarmName"], json::array({alarm}));  // only its region's alarms
  const std::string bus = "arn:aws:events:us-west-2:@{events.rule.failover#account}:event-bus/default";
  EXPECT_EQ(fwd->attrs["targets"],
            (json::array({{{"id", "dr-bus"}, {"arn", bus}, {"role_arn", "@{iam.role.failover-forward#arn}"}}})));
  for (const char* dep : {"events.rule.failover", "iam.role.failover-forward"})
    EXPECT_NE(std::find(fwd->depends_on.begin(), fwd->depends_on.end(), dep), fwd->depends_on.end()) << dep;

  const auto* role = c.graph.find("iam.role.failover-forward");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->attrs["assume_role_policy"]["Statement"][0]["Principal"]["Service"], "events.amazonaws.com");
  const auto& st = role->attrs["policies"]["drctl-forward-alarms"]["Statement"];
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0]["Action"], json::array({"events:PutEvents"}));
  EXPECT_EQ(st[0]["Resource"], bus);  // that bus only

  // Only DR-region alarms: nothing to forward.
  const auto dr_only = compile(kAutomatic);
  EXPECT_FALSE(dr_only.graph.find("events.rule.failover-us-east-1"));
  EXPECT_FALSE(dr_only.graph.find("iam.role.failover-forward"));
}

// The machine can describe alarms of its own region only: the flapping guard re-checks those,
// and a run started by a forwarded alarm goes on after the wait instead of ending "Recovered"
// because us-west-2 does not know an us-east-1 alarm.
TEST(Automation, StabilisationRechecksOnlyTheDrRegionsAlarms) {
  auto c = compile("automation: { failover: automatic, trigger: { health_checks: true, alarms: [shop-api-5xx], for: 5m } }\n");
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  const auto& s = c.asl["States"];
  EXPECT_EQ(s["Still alarming"]["Parameters"]["AlarmNames"], json::array({"shop-api-5xx"}));
  const auto& choices = s["Still alarming?"]["Choices"];
  ASSERT_EQ(choices.size(), 2u);
  EXPECT_EQ(choices[1]["Next"], "Stage 1");
  EXPECT_EQ(choices[1]["And"][1]["Not"], (json{{"Variable", "$.region"}, {"StringEquals", "us-west-2"}}));
  EXPECT_EQ(s["Still alarming?"]["Default"], "Recovered");

  c = compile("automation: { failover: automatic, trigger: { health_checks: true, for: 5m } }\n");
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  EXPECT_EQ(c.asl["States"]["Stabilise"]["Next"], "Stage 1");  // nothing it could describe
  EXPECT_FALSE(c.asl["States"].contains("Still alarming"));
  EXPECT_EQ(c.graph.find("iam.role.failover-automation")->attrs.dump().find("cloudwatch:DescribeAlarms"), std::string::npos);
}

// The plan's runbook diff (plan/runbook_diff.h) reads what this compiler writes: a workload
// removed and another changed read as step lines, not as ASL paths.
TEST(Automation, PlanRunbookDiffReadsTheCompiledMachine) {
  auto machine_of = [](std::string yaml) {
    Compiled c{load(yaml), {}, {}, {}, {}};
    c.graph = c.stack.graph;
    add_automation(c.stack.topology, c.graph, source_paths(), c.diags);
    EXPECT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
    return c.graph.find("stepfunctions.state_machine.failover")->attrs;
  };
  const std::string yaml = stack_yaml(kAutomatic);
  std::string changed = yaml;
  changed.replace(changed.find("standby: 1, failover: 3"), 23, "standby: 1, failover: 5");
  changed.erase(changed.find("  web:"), changed.find('\n', changed.find("  web:")) - changed.find("  web:") + 1);
  const auto lines = plan::runbook_diff(machine_of(yaml), machine_of(changed));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "- step op.asg_scale.web (stage 1: autoscaling updateAutoScalingGroup)",
                       "~ step op.ecs_scale.api: DesiredCount 3 -> 5",
                       "- check op.asg_scale.web (readiness: autoscaling describeAutoScalingGroups)"}))
      << testing::PrintToString(lines);
}

TEST(Automation, KillSwitchDisablesTheForwardingRuleToo) {
  const auto c = compile("automation: { failover: automatic, enabled: false, trigger: { health_checks: true } }\n");
  ASSERT_FALSE(model::has_errors(c.diags)) << dump(c.diags);
  EXPECT_EQ(c.graph.find("events.rule.failover-us-east-1")->attrs["state"], "DISABLED");
}

}  // namespace
}  // namespace dr
