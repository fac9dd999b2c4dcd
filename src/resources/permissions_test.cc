// permissions_for / iam_policy: the IAM names of the calls each phase makes, scoped to the
// stack's ARNs, references resolved through the graph, and a deterministic policy document.
#include "resources/permissions.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace {

using nlohmann::json;
using resources::Permission;
using resources::Phase;

model::Resource res(const std::string& type, const std::string& name, const std::string& region, json attrs) {
  return model::Resource{{type, name}, region, std::move(attrs), {}, "", std::nullopt};
}

bool has(const std::vector<Permission>& ps, const std::string& action, const std::string& resource) {
  return std::find(ps.begin(), ps.end(), Permission{action, resource}) != ps.end();
}

bool has_action(const std::vector<Permission>& ps, const std::string& action) {
  return std::any_of(ps.begin(), ps.end(), [&](const Permission& p) { return p.action == action; });
}

struct StackGraph {
  model::Graph g;
  StackGraph() {
    g.stack = "shop";
    g.resources = {
        res("s3.bucket", "assets", "us-west-2", {{"bucket", "shop-assets-dr"}}),
        res("iam.role", "assets-replication", "us-east-1", {{"name", "drctl-shop-assets-replication"}}),
        res("s3.replication", "assets", "us-east-1",
            {{"bucket", "shop-assets"}, {"role", "@{iam.role.assets-replication#arn}"}}),
    };
    g.reindex();
  }
};

TEST(Permissions, PlanOnlyReadsWithIamActionNames) {
  StackGraph s;
  resources::PolicyContext ctx{"123456789012", "aws", &s.g};
  auto ps = resources::permissions_for(s.g.resources[2], Phase::plan, ctx);
  EXPECT_TRUE(has(ps, "s3:GetReplicationConfiguration", "arn:aws:s3:::shop-assets"));  // GetBucketReplication
  EXPECT_TRUE(has(ps, "s3:GetBucketVersioning", "arn:aws:s3:::shop-assets"));
  EXPECT_FALSE(has_action(ps, "s3:PutReplicationConfiguration"));
  EXPECT_FALSE(has_action(ps, "iam:PassRole"));
}

TEST(Permissions, ApplyPassesTheReferencedRoleByItsArn) {
  StackGraph s;
  resources::PolicyContext ctx{"123456789012", "aws", &s.g};
  auto ps = resources::permissions_for(s.g.resources[2], Phase::apply, ctx);
  EXPECT_TRUE(has(ps, "s3:PutReplicationConfiguration", "arn:aws:s3:::shop-assets"));
  EXPECT_TRUE(has(ps, "iam:PassRole", "arn:aws:iam::123456789012:role/drctl-shop-assets-replication"));
}

TEST(Permissions, ListCallsWithoutIdentifierAreOnStar) {
  StackGraph s;
  resources::PolicyContext ctx{"123456789012", "aws", &s.g};
  auto ps = resources::permissions_for(s.g.resources[1], Phase::apply, ctx);
  EXPECT_TRUE(has(ps, "iam:ListRoles", "*"));
  EXPECT_TRUE(has(ps, "iam:CreateRole", "arn:aws:iam::123456789012:role/drctl-shop-assets-replication"));
  EXPECT_TRUE(has(ps, "iam:DeleteRole", "arn:aws:iam::123456789012:role/drctl-shop-assets-replication"));
  EXPECT_FALSE(has(ps, "iam:CreateRole", "*"));
}

TEST(Permissions, UnresolvableNamesWidenToStar) {
  auto r = res("s3.replication", "x", "us-east-1", {{"bucket", "b"}, {"role", "@{iam.role.missing#arn}"}});
  auto ps = resources::permissions_for(r, Phase::apply, {});
  EXPECT_TRUE(has(ps, "iam:PassRole", "*"));
  EXPECT_TRUE(has(ps, "s3:PutReplicationConfiguration", "arn:aws:s3:::b"));
}

TEST(Permissions, FailoverStepsNeedTheirOperation) {
  auto promote = res("op.rds_promote", "orders", "us-west-2", {{"identifier", "orders-dr"}});
  auto ps = resources::permissions_for(promote, Phase::failover, {"1", "aws", nullptr});
  EXPECT_TRUE(has(ps, "rds:PromoteReadReplica", "arn:aws:rds:us-west-2:1:db:orders-dr"));
  EXPECT_TRUE(has(ps, "rds:DescribeDBInstances", "*"));
  auto notify = res("op.sns_notify", "failover", "us-west-2", {{"topic", "drctl-shop-notify"}});
  EXPECT_TRUE(has(resources::permissions_for(notify, Phase::failover, {"1", "aws", nullptr}), "sns:Publish",
                  "arn:aws:sns:us-west-2:1:drctl-shop-notify"));
}

TEST(Permissions, PolicyGroupsByServiceAndResourceWithUniqueSids) {
  StackGraph s;
  resources::PolicyContext ctx{"123456789012", "aws", &s.g};
  std::vector<const model::Resource*> rs;
  for (const auto& r : s.g.resources) rs.push_back(&r);
  json p = resources::iam_policy(rs, Phase::apply, ctx);
  EXPECT_EQ(p["Version"], "2012-10-17");
  std::set<std::string> sids;
  bool put_replication_on_source = false;
  for (const auto& st : p["Statement"]) {
    EXPECT_TRUE(sids.insert(st["Sid"].get<std::string>()).second) << st.dump();
    EXPECT_EQ(st["Effect"], "Allow");
    for (const auto& a : st["Action"])
      if (a == "s3:PutReplicationConfiguration") put_replication_on_source = st["Resource"] == "arn:aws:s3:::shop-assets";
  }
  EXPECT_TRUE(put_replication_on_source) << p.dump(2);
  EXPECT_EQ(p, resources::iam_policy(rs, Phase::apply, ctx));  // deterministic
  // The same action on "*" and on an ARN is granted once, on "*".
  const std::string text = p.dump();
  EXPECT_NE(text.find("\"sts:GetCallerIdentity\""), std::string::npos);
}

// sns.topic, cloudwatch.alarm and the backup types read tags from the region's tag index
// (GetResources) and SNS subscriptions with one ListSubscriptions, not per object.
TEST(Permissions, TagIndexReadsNeedTagGetResourcesNotPerObjectTagReads) {
  const resources::PolicyContext ctx{"1", "aws", nullptr};
  const auto topic = res("sns.topic", "notify", "us-west-2", {{"name", "drctl-shop-notify"}});
  const auto alarm = res("cloudwatch.alarm", "lag", "us-west-2", {{"name", "drctl-shop-lag"}});
  const auto vault = res("backup.vault", "dr", "us-west-2", {{"name", "drctl-shop-dr"}});
  const auto plan = res("backup.plan", "daily", "us-east-1", {{"name", "drctl-shop-daily"}});
  for (const auto* r : {&topic, &alarm, &vault, &plan}) {
    for (Phase phase : {Phase::plan, Phase::apply, Phase::drift}) {
      const auto ps = resources::permissions_for(*r, phase, ctx);
      EXPECT_TRUE(has(ps, "tag:GetResources", "*")) << r->address.type;
      EXPECT_FALSE(has_action(ps, "cloudwatch:ListTagsForResource")) << r->address.type;
    }
    EXPECT_FALSE(has_action(resources::permissions_for(*r, Phase::plan, ctx), "backup:ListTags"));
    EXPECT_FALSE(has_action(resources::permissions_for(*r, Phase::plan, ctx), "sns:ListTagsForResource"));
  }
  const auto topic_plan = resources::permissions_for(topic, Phase::plan, ctx);
  EXPECT_TRUE(has(topic_plan, "sns:ListSubscriptions", "*"));
  EXPECT_FALSE(has_action(topic_plan, "sns:ListSubscriptionsByTopic"));
  // Creates that adopt an object left by an interrupted run still read its tags directly.
  EXPECT_TRUE(has(resources::permissions_for(vault, Phase::apply, ctx), "backup:ListTags",
                  "arn:aws:backup:us-west-2:1:backup-vault:drctl-shop-dr"));
  EXPECT_TRUE(has(resources::permissions_for(plan, Phase::apply, ctx), "backup:ListTags",
                  "arn:aws:backup:us-east-1:1:backup-plan:*"));
  EXPECT_TRUE(has(resources::permissions_for(topic, Phase::apply, ctx), "sns:ListTagsForResource",
                  "arn:aws:sns:us-west-2:1:drctl-shop-notify"));

  // In the plan policy: granted once, on "*"; a stack without these types does not get it.
  std::vector<const model::Resource*> rs = {&topic, &alarm, &vault, &plan};
  const json policy = resources::iam_policy(rs, Phase::plan, ctx);
  int grants = 0;
  for (const auto& st : policy["Statement"])
    for (const auto& a : st["Action"])
      if (a == "tag:GetResources") {
        ++grants;
        EXPECT_EQ(st["Resource"], "*");
      }
  EXPECT_EQ(grants, 1) << policy.dump(2);
  StackGraph s3_only;
  std::vector<const model::Resource*> s3s;
  for (const auto& r : s3_only.g.resources) s3s.push_back(&r);
  EXPECT_EQ(resources::iam_policy(s3s, Phase::plan, ctx).dump().find("tag:GetResources"), std::string::npos);
}

TEST(Permissions, AutomationPassesTheRolesItsMachineAndRuleTargetsRunAs) {
  model::Graph g;
  g.stack = "shop";
  g.resources = {
      res("iam.role", "failover-machine", "us-east-1", {{"name", "drctl-shop-failover-machine"}}),
      res("iam.role", "failover-events", "us-east-1", {{"name", "drctl-shop-failover-events"}}),
      res("stepfunctions.state_machine", "failover", "us-west-2",
          {{"name", "drctl-shop-failover"}, {"role_arn", "@{iam.role.failover-machine#arn}"}}),
      res("events.rule", "failover", "us-west-2",
          {{"name", "drctl-shop-failover"},
           {"targets", json::array({{{"id", "machine"}, {"arn", "@{stepfunctions.state_machine.failover#arn}"},
                                     {"role_arn", "@{iam.role.failover-events#arn}"}}})}}),
  };
  g.reindex();
  resources::PolicyContext ctx{"123456789012", "aws", &g};
  const std::string machine = "arn:aws:states:us-west-2:123456789012:stateMachine:drctl-shop-failover";
  const std::string rule = "arn:aws:events:us-west-2:123456789012:rule/drctl-shop-failover";

  auto plan = resources::permissions_for(g.resources[2], Phase::plan, ctx);
  EXPECT_TRUE(has(plan, "states:ListStateMachines", "*"));
  EXPECT_TRUE(has(plan, "states:DescribeStateMachine", machine));
  EXPECT_FALSE(has_action(plan, "states:UpdateStateMachine"));
  auto apply = resources::permissions_for(g.resources[2], Phase::apply, ctx);
  EXPECT_TRUE(has(apply, "states:UpdateStateMachine", machine));
  EXPECT_TRUE(has(apply, "states:DeleteStateMachine", machine));
  EXPECT_TRUE(has(apply, "iam:PassRole", "arn:aws:iam::123456789012:role/drctl-shop-failover-machine"));

  auto rule_apply = resources::permissions_for(g.resources[3], Phase::apply, ctx);
  EXPECT_TRUE(has(rule_apply, "events:PutTargets", rule));
  EXPECT_TRUE(has(rule_apply, "events:DisableRule", rule));  // the kill switch
  EXPECT_TRUE(has(rule_apply, "iam:PassRole", "arn:aws:iam::123456789012:role/drctl-shop-failover-events"));
  EXPECT_FALSE(has_action(resources::permissions_for(g.resources[3], Phase::drift, ctx), "events:PutRule"));
}

TEST(Permissions, PhasesParseAndStackWidePermissions) {
  EXPECT_EQ(resources::parse_phase("failback"), Phase::failback);
  EXPECT_FALSE(resources::parse_phase("destroy"));
  auto r = resources::phase_permissions(Phase::readiness);
  EXPECT_TRUE(has(r, "cloudwatch:GetMetricStatistics", "*"));
  EXPECT_FALSE(has_action(resources::phase_permissions(Phase::apply), "cloudwatch:GetMetricStatistics"));
  EXPECT_TRUE(has(resources::phase_permissions(Phase::drift), "tag:GetResources", "*"));
}

}  // namespace
