// runbook_diff over small hand-written machines in the shape dr/automation_asl.cc writes (its
// own test diffs real compiled machines): steps added, removed and changed read as lines, in
// stage order; control states and top-level fields only when both sides exist; anything that
// is not drctl's ASL gives nothing.
#include "plan/runbook_diff.h"

#include <gtest/gtest.h>

#include "plan/diff.h"
#include "plan/plan_json.h"

namespace plan {
namespace {

using nlohmann::json;
using Lines = std::vector<std::string>;

json promote(const std::string& id) {
  return {{"StartAt", "Do rds_promote " + id},
          {"States",
           {{"Do rds_promote " + id,
             {{"Type", "Task"}, {"Resource", "arn:aws:states:::aws-sdk:rds:promoteReadReplica"},
              {"Parameters", {{"DBInstanceIdentifier", "drctl-shop-" + id}}}, {"Next", "Wait " + id},
              {"Comment", "drctl-step op.rds_promote." + id}}},
            {"Wait " + id, {{"Type", "Wait"}, {"Seconds", 30}, {"Next", "Check " + id}}},
            {"Check " + id,
             {{"Type", "Task"}, {"Resource", "arn:aws:states:::aws-sdk:rds:describeDBInstances"},
              {"Parameters", {{"DBInstanceIdentifier", "drctl-shop-" + id}}}, {"End", true}}}}}};
}

json scale(int desired) {
  return {{"StartAt", "Do ecs_scale api"},
          {"States",
           {{"Do ecs_scale api",
             {{"Type", "Task"}, {"Resource", "arn:aws:states:::aws-sdk:ecs:updateService"},
              {"Parameters", {{"Cluster", "shop"}, {"Service", "api"}, {"DesiredCount", desired}}}, {"End", true},
              {"Comment", "drctl-step op.ecs_scale.api"}}}}}};
}

json check(const std::string& address) {
  return {{"StartAt", "Describe " + address},
          {"States",
           {{"Describe " + address,
             {{"Type", "Task"}, {"Resource", "arn:aws:states:::aws-sdk:ecs:describeServices"},
              {"Parameters", {{"Cluster", "shop"}, {"Services", {"api"}}}}, {"End", true},
              {"Comment", "drctl-readiness " + address}}}}}};
}

json dns() {
  return {{"StartAt", "Do dns_switch dns"},
          {"States",
           {{"Do dns_switch dns",
             {{"Type", "Task"}, {"Resource", "arn:aws:states:::aws-sdk:route53:changeResourceRecordSets"},
              {"Parameters", {{"HostedZoneId", "Z1"}}}, {"End", true}, {"Comment", "drctl-step op.dns_switch.dns"}}}}}};
}

// A machine: stage 1 runs `first`, stage 2 the DNS switch.
json machine(json first, json checks, bool approval = false) {
  json states = {{"Readiness", {{"Type", "Parallel"}, {"Branches", checks}, {"Next", "Stage 1"}}},
                 {"Stage 1", {{"Type", "Parallel"}, {"Branches", first}, {"Next", "Stage 2"}}},
                 {"Stage 2", {{"Type", "Parallel"}, {"Branches", json::array({dns()})}, {"Next", "Done"}}},
                 {"Dry run report", {{"Type", "Pass"}, {"Parameters", {{"would_run", first.size() + 1}}}, {"End", true}}},
                 {"Notify failure",
                  {{"Type", "Task"}, {"Resource", "arn:aws:states:::sns:publish"},
                   {"Parameters", {{"TopicArn", "arn:aws:sns:us-west-2:1:dr-events"}}}, {"End", true}}},
                 {"Done", {{"Type", "Succeed"}}}};
  if (approval)
    states["Approval"] = {{"Type", "Task"}, {"Resource", "arn:aws:states:::sns:publish.waitForTaskToken"},
                          {"Parameters", {{"TopicArn", "arn:aws:sns:us-west-2:1:dr-events"}}}, {"Next", "Stage 1"}};
  return {{"Comment", approval ? "mode approval" : "mode automatic"}, {"StartAt", "Readiness"}, {"States", states}};
}

json attrs(const json& definition) { return {{"name", "drctl-shop-failover"}, {"definition", definition}}; }

TEST(RunbookDiff, StepsReadBackInStageOrderWithCallsInRunOrder) {
  const auto s = runbook_steps(machine(json::array({promote("orders"), scale(3)}), json::array({check("op.ecs_scale.api")})));
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[0].address, "op.rds_promote.orders");
  EXPECT_EQ(s.steps[0].stage, 1);
  // Promote first, then poll; not the alphabetical order of the state names (Check < Do).
  EXPECT_EQ(s.steps[0].calls, (Lines{"arn:aws:states:::aws-sdk:rds:promoteReadReplica",
                                     "arn:aws:states:::aws-sdk:rds:describeDBInstances"}));
  EXPECT_EQ(s.steps[2].address, "op.dns_switch.dns");
  EXPECT_EQ(s.steps[2].stage, 2);
  ASSERT_EQ(s.checks.size(), 1u);
  EXPECT_EQ(s.checks[0].address, "op.ecs_scale.api");
  EXPECT_EQ(call_name("arn:aws:states:::sns:publish.waitForTaskToken"), "sns publish.waitForTaskToken");
}

TEST(RunbookDiff, AWorkloadAddedRemovedOrChangedReadsAsStepLines) {
  const auto before = machine(json::array({promote("orders"), scale(3)}), json::array({check("op.ecs_scale.api")}));
  const auto after = machine(json::array({promote("billing"), scale(5)}),
                             json::array({check("op.ecs_scale.api"), check("op.rds_promote.billing")}));
  EXPECT_EQ(runbook_diff(attrs(before), attrs(after)),
            (Lines{"~ step op.ecs_scale.api: DesiredCount 3 -> 5",
                   "+ step op.rds_promote.billing (stage 1: rds promoteReadReplica, rds describeDBInstances)",
                   "- step op.rds_promote.orders (stage 1: rds promoteReadReplica, rds describeDBInstances)",
                   "+ check op.rds_promote.billing (readiness: ecs describeServices)"}));
}

TEST(RunbookDiff, ControlStatesAndTopLevelFieldsWhenBothSidesExist) {
  auto before = machine(json::array({scale(3)}), json::array());
  auto after = machine(json::array({scale(3)}), json::array(), true);
  after["States"]["Notify failure"]["Parameters"]["TopicArn"] = "@{sns.topic.automation#arn}";
  EXPECT_EQ(runbook_diff(attrs(before), attrs(after)),
            (Lines{"+ state Approval (Task: sns publish.waitForTaskToken)",
                   "~ state Notify failure: Parameters.TopicArn \"arn:aws:sns:us-west-2:1:dr-events\" -> (known after apply)",
                   "~ machine Comment \"mode automatic\" -> \"mode approval\""}));
  EXPECT_EQ(runbook_diff(attrs(after), attrs(before))[0], "- state Approval (Task: sns publish.waitForTaskToken)");
}

TEST(RunbookDiff, ACreatedOrDestroyedMachineListsItsStepsOnly) {
  const auto m = machine(json::array({scale(3)}), json::array());
  EXPECT_EQ(runbook_diff(nullptr, attrs(m)),
            (Lines{"+ step op.ecs_scale.api (stage 1: ecs updateService)",
                   "+ step op.dns_switch.dns (stage 2: route53 changeResourceRecordSets)"}));
  EXPECT_EQ(runbook_diff(attrs(m), nullptr).size(), 2u);
  EXPECT_EQ(runbook_diff(attrs(m), nullptr)[0], "- step op.ecs_scale.api (stage 1: ecs updateService)");
}

TEST(RunbookDiff, AStepMovedToAnotherStageSaysSo) {
  json before = machine(json::array({scale(3)}), json::array());
  json after = before;
  after["States"]["Stage 2"]["Branches"].push_back(after["States"]["Stage 1"]["Branches"][0]);
  after["States"]["Stage 1"]["Branches"] = json::array({promote("orders")});
  const auto lines = runbook_diff(attrs(before), attrs(after));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "+ step op.rds_promote.orders (stage 1: rds promoteReadReplica, rds describeDBInstances)");
  EXPECT_EQ(lines[1], "~ step op.ecs_scale.api: stage 1 -> 2");
}

TEST(RunbookDiff, NothingForUnchangedOrForeignDefinitions) {
  const auto m = machine(json::array({scale(3)}), json::array());
  EXPECT_TRUE(runbook_diff(attrs(m), attrs(m)).empty());
  const json foreign = {{"StartAt", "A"}, {"States", {{"A", {{"Type", "Pass"}, {"End", true}}}}}};
  EXPECT_TRUE(runbook_diff(attrs(foreign), attrs(json{{"StartAt", "B"}, {"States", json::object()}})).empty());
  EXPECT_TRUE(runbook_diff(json{{"name", "x"}}, json{{"name", "y"}}).empty());
}

// plan::diff attaches the lines to the state machine's change, not to others.
TEST(RunbookDiff, DiffAttachesTheLinesToTheChange) {
  model::Graph g;
  g.stack = "shop";
  model::Resource r;
  r.address = model::Address{"stepfunctions.state_machine", "failover"};
  r.region = "us-west-2";
  r.attrs = attrs(machine(json::array({scale(5)}), json::array()));
  g.resources.push_back(r);
  g.reindex();
  DiffInput in;
  in.desired = &g;
  in.observed["stepfunctions.state_machine.failover"] = {
      Observed::Status::found, "arn:sm", attrs(machine(json::array({scale(3)}), json::array())), ""};
  in.prior["stepfunctions.state_machine.failover"] = {"stepfunctions.state_machine.failover", "stepfunctions.state_machine",
                                                      "us-west-2", "", "arn:sm", r.attrs, {}};
  const auto p = diff(in);
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].action, Action::update);
  EXPECT_EQ(p.changes[0].runbook, (Lines{"~ step op.ecs_scale.api: DesiredCount 3 -> 5"}));

  // Saved plans keep the lines; changes without a runbook carry no key at all.
  const auto j = to_json(p);
  EXPECT_EQ(j["changes"][0]["runbook"], json::array({"~ step op.ecs_scale.api: DesiredCount 3 -> 5"}));
  std::string error;
  const auto back = from_json(j, error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->changes[0].runbook, p.changes[0].runbook);
  Plan plain = p;
  plain.changes[0].runbook.clear();
  EXPECT_FALSE(to_json(plain)["changes"][0].contains("runbook"));
}

}  // namespace
}  // namespace plan
