// stepfunctions.state_machine and events.rule over canned replies: reads compare definitions and
// patterns by meaning, absent is absent, updates send only what differs, the kill switch is
// DisableRule (not a delete).
#include <gtest/gtest.h>

#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kRegion = "us-west-2";
const std::string kSfn = "POST states:AWSStepFunctions.";
const std::string kEvents = "POST events:AWSEvents.";
const std::string kArn = "arn:aws:states:us-west-2:111122223333:stateMachine:drctl-shop-failover";
const std::string kRole = "arn:aws:iam::111122223333:role/drctl-shop-failover-automation";
const json kDefinition = {{"StartAt", "Done"}, {"States", {{"Done", {{"Type", "Succeed"}}}}}};

json machine() {
  return {{"name", "drctl-shop-failover"}, {"definition", kDefinition}, {"role_arn", kRole},
          {"tags", {{"drctl:stack", "shop"}}}};
}
Target want_machine(json attrs = machine()) { return test::target("stepfunctions.state_machine.failover", kRegion, attrs); }

void sfn_reply(Harness& h, const std::string& body, int status = 200) {
  h.reply(status, body, {{"Content-Type", "application/x-amz-json-1.0"}});
}
void described_machine(Harness& h, const std::string& definition_text) {
  sfn_reply(h, json{{"name", "drctl-shop-failover"}, {"stateMachineArn", kArn}, {"definition", definition_text},
                    {"roleArn", kRole}}.dump());
  sfn_reply(h, R"({"tags": [{"key": "drctl:stack", "value": "shop"}]})");
}
void found_machine(Harness& h, const std::string& definition_text) {
  sfn_reply(h, json{{"stateMachines", {{{"name", "drctl-shop-failover"}, {"stateMachineArn", kArn}}}}}.dump());
  described_machine(h, definition_text);
}

TEST(StateMachine, ReadComparesTheDefinitionByMeaning) {
  Harness h;
  // AWS returns the text with other spacing and key order: same meaning, same value.
  found_machine(h, R"({"States":{"Done":{"Type":"Succeed"}},   "StartAt":"Done"})");
  const Target t[] = {want_machine()};
  auto out = stepfunctions_state_machine_type().read(h.ctx, kRegion, t);
  ASSERT_EQ(h.calls(), (Calls{kSfn + "ListStateMachines", kSfn + "DescribeStateMachine", kSfn + "ListTagsForResource"}));
  const auto& o = out.at("stepfunctions.state_machine.failover");
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.id, kArn);
  EXPECT_EQ(o.live.attrs["definition"], kDefinition);
  EXPECT_EQ(o.live.attrs["role_arn"], kRole);
}

TEST(StateMachine, NotListedIsAbsentAndAFailedListIsFailed) {
  Harness h;
  sfn_reply(h, R"({"stateMachines": []})");
  const Target t[] = {want_machine()};
  EXPECT_EQ(stepfunctions_state_machine_type().read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::absent);
  sfn_reply(h, R"({"__type": "AccessDeniedException", "message": "no"})", 400);
  EXPECT_EQ(stepfunctions_state_machine_type().read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::failed);
}

TEST(StateMachine, UpdateSendsTheDefinitionOnlyWhenItsMeaningChanged) {
  Harness h;
  Live have{kArn, machine()};
  have.attrs["arn"] = kArn;
  described_machine(h, kDefinition.dump());
  ASSERT_TRUE(stepfunctions_state_machine_type().update(h.ctx, want_machine(), have));
  // Same meaning: no UpdateStateMachine, straight to the final describe.
  EXPECT_EQ(h.calls(), (Calls{kSfn + "DescribeStateMachine", kSfn + "ListTagsForResource"}));

  Harness h2;
  auto changed = machine();
  changed["definition"]["Comment"] = "new";
  sfn_reply(h2, "{}");
  described_machine(h2, changed["definition"].dump());
  ASSERT_TRUE(stepfunctions_state_machine_type().update(h2.ctx, want_machine(changed), have));
  EXPECT_EQ(h2.calls()[0], kSfn + "UpdateStateMachine");
  EXPECT_EQ(json::parse(h2.json_body(0)["definition"].get<std::string>()), changed["definition"]);
  EXPECT_EQ(h2.json_body(0)["stateMachineArn"], kArn);
}

json rule() {
  return {{"name", "drctl-shop-failover"},
          {"description", "d"},
          {"event_pattern", {{"source", {"aws.cloudwatch"}}}},
          {"state", "ENABLED"},
          {"targets", {{{"id", "failover"}, {"arn", kArn}, {"role_arn", kRole}}}},
          {"tags", {{"drctl:stack", "shop"}}}};
}
Target want_rule(json attrs = rule()) { return test::target("events.rule.failover", kRegion, attrs); }
void ev_reply(Harness& h, const std::string& body, int status = 200) {
  h.reply(status, body, {{"Content-Type", "application/x-amz-json-1.1"}});
}
void found_rule(Harness& h, const std::string& state) {
  ev_reply(h, json{{"Name", "drctl-shop-failover"}, {"Arn", "arn:aws:events:us-west-2:1:rule/x"}, {"Description", "d"},
                   {"EventPattern", R"({"source": ["aws.cloudwatch"]})"}, {"State", state}}.dump());
  ev_reply(h, json{{"Targets", {{{"Id", "failover"}, {"Arn", kArn}, {"RoleArn", kRole}}}}}.dump());
  ev_reply(h, R"({"Tags": [{"Key": "drctl:stack", "Value": "shop"}]})");
}

TEST(EventsRule, ReadReportsPatternTargetsAndState) {
  Harness h;
  found_rule(h, "ENABLED");
  const Target t[] = {want_rule()};
  auto out = events_rule_type().read(h.ctx, kRegion, t);
  ASSERT_EQ(h.calls(), (Calls{kEvents + "DescribeRule", kEvents + "ListTargetsByRule", kEvents + "ListTagsForResource"}));
  const auto& live = out.at("events.rule.failover").live.attrs;
  for (const char* k : {"event_pattern", "targets", "state", "tags", "description"}) EXPECT_EQ(live[k], rule()[k]) << k;
  // The account, for a forwarding rule in another region that names this region's bus.
  EXPECT_EQ(live["account"], "1");
}

TEST(EventsRule, MissingRuleIsAbsent) {
  Harness h;
  ev_reply(h, R"({"__type": "ResourceNotFoundException", "message": "Rule x does not exist."})", 400);
  const Target t[] = {want_rule()};
  EXPECT_EQ(events_rule_type().read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::absent);
}

TEST(EventsRule, KillSwitchIsDisableRuleOnly) {
  Harness h;
  Live have{"drctl-shop-failover", rule()};
  auto off = rule();
  off["state"] = "DISABLED";
  ev_reply(h, "{}");
  found_rule(h, "DISABLED");
  ASSERT_TRUE(events_rule_type().update(h.ctx, want_rule(off), have));
  EXPECT_EQ(h.calls(), (Calls{kEvents + "DisableRule", kEvents + "DescribeRule", kEvents + "ListTargetsByRule",
                              kEvents + "ListTagsForResource"}));
}

TEST(EventsRule, ExtraTargetsAreRemoved) {
  Harness h;
  Live have{"drctl-shop-failover", rule()};
  have.attrs["targets"].push_back({{"id", "stray"}, {"arn", "arn:aws:sns:us-west-2:1:t"}});
  ev_reply(h, R"({"FailedEntryCount": 0, "FailedEntries": []})");
  found_rule(h, "ENABLED");
  ASSERT_TRUE(events_rule_type().update(h.ctx, want_rule(), have));
  EXPECT_EQ(h.calls()[0], kEvents + "RemoveTargets");
  EXPECT_EQ(h.json_body(0)["Ids"], json::array({"stray"}));
}

// Both types converge tags through the shared JSON-protocol helper, each with its service's
// member names (Step Functions: resourceArn/tags/key; EventBridge: ResourceARN/Tags/Key).
TEST(JsonTagging, EachTypeSendsItsServicesMemberNames) {
  Harness h;
  Live have{kArn, machine()};
  have.attrs["arn"] = kArn;
  have.attrs["tags"] = {{"drctl:stack", "old"}, {"stray", "x"}};
  sfn_reply(h, "{}");
  sfn_reply(h, "{}");
  described_machine(h, kDefinition.dump());
  ASSERT_TRUE(stepfunctions_state_machine_type().update(h.ctx, want_machine(), have));
  ASSERT_EQ(h.calls()[0], kSfn + "TagResource");
  EXPECT_EQ(h.json_body(0), (json{{"resourceArn", kArn}, {"tags", {{{"key", "drctl:stack"}, {"value", "shop"}}}}}));
  ASSERT_EQ(h.calls()[1], kSfn + "UntagResource");
  EXPECT_EQ(h.json_body(1), (json{{"resourceArn", kArn}, {"tagKeys", {"stray"}}}));

  Harness e;
  Live rule_have{"drctl-shop-failover", rule()};
  rule_have.attrs["arn"] = "arn:aws:events:us-west-2:1:rule/x";
  rule_have.attrs["tags"] = {{"stray", "x"}};
  ev_reply(e, "{}");
  ev_reply(e, "{}");
  found_rule(e, "ENABLED");
  ASSERT_TRUE(events_rule_type().update(e.ctx, want_rule(), rule_have));
  ASSERT_EQ(e.calls()[0], kEvents + "TagResource");
  EXPECT_EQ(e.json_body(0), (json{{"ResourceARN", "arn:aws:events:us-west-2:1:rule/x"},
                                  {"Tags", {{{"Key", "drctl:stack"}, {"Value", "shop"}}}}}));
  ASSERT_EQ(e.calls()[1], kEvents + "UntagResource");
  EXPECT_EQ(e.json_body(1), (json{{"ResourceARN", "arn:aws:events:us-west-2:1:rule/x"}, {"TagKeys", {"stray"}}}));
}

}  // namespace
}  // namespace resources
