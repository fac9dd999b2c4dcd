// expand: the sample stack becomes exactly the resources of src/resources/README.md.
#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace config {
namespace {

using namespace testing_util;
using nlohmann::json;

std::optional<model::Graph> expand_fixture(const std::string& fixture, model::Diagnostics& diags,
                                           std::optional<model::Topology>* topo_out = nullptr) {
  auto topo = load_stack(data(fixture), source_paths(), diags);
  if (!topo) return std::nullopt;
  auto g = expand(*topo, source_paths(), diags);
  if (topo_out) *topo_out = topo;
  return g;
}

json tags(const std::string& address) { return {{"drctl:stack", "shop"}, {"drctl:address", address}}; }

std::vector<std::string> addresses(const model::Graph& g) {
  std::vector<std::string> out;
  for (const auto& r : g.resources) out.push_back(r.address.str());
  return out;
}

class ExpandGood : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = expand_fixture("good", diags_);
    ASSERT_TRUE(graph_) << dump(diags_);
    ASSERT_TRUE(diags_.empty()) << dump(diags_);
  }
  const model::Resource& get(const std::string& address) {
    const auto* r = graph_->find(address);
    EXPECT_NE(r, nullptr) << address;
    static const model::Resource kNone;
    return r ? *r : kNone;
  }
  model::Diagnostics diags_;
  std::optional<model::Graph> graph_;
};

TEST_F(ExpandGood, ProducesExactlyTheseAddressesInOrder) {
  EXPECT_EQ(graph_->stack, "shop");
  EXPECT_EQ(addresses(*graph_),
            (std::vector<std::string>{"backup.plan.main", "backup.selection.main", "backup.vault.dr",
                                      "backup.vault.primary", "iam.role.assets-replication", "iam.role.backup",
                                      "s3.bucket.assets", "s3.replication.assets", "sns.topic.notify"}));
}

TEST_F(ExpandGood, DrBucket) {
  const auto& r = get("s3.bucket.assets");
  EXPECT_EQ(r.region, "us-west-2");
  EXPECT_EQ(r.workload, "assets");
  EXPECT_EQ(r.attrs, (json{{"bucket", "shop-assets-dr"}, {"versioning", "Enabled"},
                           {"encryption", {{"algorithm", "AES256"}}}, {"tags", tags("s3.bucket.assets")}}));
  EXPECT_TRUE(r.depends_on.empty());
  ASSERT_TRUE(r.where);
  EXPECT_EQ(r.where->line, 9);  // the workload's key
}

TEST_F(ExpandGood, ReplicationRoleIsLeastPrivilege) {
  const auto& r = get("iam.role.assets-replication");
  EXPECT_EQ(r.region, "us-east-1");
  const json want = json::parse(R"J({
    "name": "drctl-shop-assets-replication",
    "description": "drctl: S3 replication of shop-assets to shop-assets-dr",
    "assume_role_policy": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
    "policies": {"drctl-replication": {"Version": "2012-10-17", "Statement": [
      {"Sid": "ReadSourceConfiguration", "Effect": "Allow",
       "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": "arn:aws:s3:::shop-assets"},
      {"Sid": "ReadSourceObjects", "Effect": "Allow",
       "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
       "Resource": "arn:aws:s3:::shop-assets/*"},
      {"Sid": "WriteReplicas", "Effect": "Allow",
       "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
       "Resource": "arn:aws:s3:::shop-assets-dr/*"}]}},
    "tags": {"drctl:stack": "shop", "drctl:address": "iam.role.assets-replication"}})J");
  EXPECT_EQ(r.attrs, want) << r.attrs.dump(2);
}

TEST_F(ExpandGood, ReplicationRuleOnTheSourceBucket) {
  const auto& r = get("s3.replication.assets");
  EXPECT_EQ(r.region, "us-east-1");
  const json want = json::parse(R"J({
    "bucket": "shop-assets", "role": "@{iam.role.assets-replication#arn}", "source_versioning": "Enabled",
    "rules": [{"id": "drctl-assets", "priority": 1, "status": "Enabled", "prefix": "",
               "destination_bucket": "arn:aws:s3:::shop-assets-dr", "rtc": true, "delete_markers": true}]})J");
  EXPECT_EQ(r.attrs, want) << r.attrs.dump(2);
  EXPECT_EQ(r.depends_on, (std::vector<std::string>{"iam.role.assets-replication", "s3.bucket.assets"}));
}

TEST_F(ExpandGood, VaultsInBothRegions) {
  const auto& p = get("backup.vault.primary");
  EXPECT_EQ(p.region, "us-east-1");
  EXPECT_EQ(p.attrs, (json{{"name", "drctl-shop-primary"}, {"tags", tags("backup.vault.primary")}}));
  const auto& d = get("backup.vault.dr");
  EXPECT_EQ(d.region, "us-west-2");
  EXPECT_EQ(d.attrs, (json{{"name", "drctl-shop-dr"}, {"tags", tags("backup.vault.dr")}}));
  EXPECT_EQ(d.workload, "");
  ASSERT_TRUE(d.where);
  EXPECT_EQ(d.where->line, 14);  // backups:
}

TEST_F(ExpandGood, BackupRoleCoversOnlyWhatTheStackSelects) {
  const auto& r = get("iam.role.backup");
  EXPECT_EQ(r.region, "us-east-1");
  EXPECT_EQ(r.attrs["name"], "drctl-shop-backup");
  EXPECT_EQ(r.attrs["assume_role_policy"]["Statement"][0]["Principal"], (json{{"Service", "backup.amazonaws.com"}}));
  const json& statements = r.attrs["policies"]["drctl-backup"]["Statement"];
  ASSERT_EQ(statements.size(), 2u) << statements.dump(2);  // only s3 workloads: no service grants
  EXPECT_EQ(statements[0]["Resource"], "arn:aws:backup:*:*:backup-vault:drctl-shop-*");
  EXPECT_EQ(statements[1]["Action"], json({"tag:GetResources"}));
  EXPECT_EQ(r.attrs["tags"], tags("iam.role.backup"));
}

TEST_F(ExpandGood, BackupPlanWithCopyToDr) {
  const auto& r = get("backup.plan.main");
  EXPECT_EQ(r.region, "us-east-1");
  const json want = json::parse(R"J({
    "name": "drctl-shop",
    "rules": [{"name": "drctl-rule", "target_vault": "@{backup.vault.primary#name}",
               "schedule": "cron(0 * ? * * *)", "start_window_minutes": 60, "completion_window_minutes": 480,
               "lifecycle": {"cold_after_days": 7, "delete_after_days": 120},
               "copy_to": [{"vault_arn": "@{backup.vault.dr#arn}",
                            "lifecycle": {"cold_after_days": 7, "delete_after_days": 120}}]}],
    "tags": {"drctl:stack": "shop", "drctl:address": "backup.plan.main"}})J");
  EXPECT_EQ(r.attrs, want) << r.attrs.dump(2);
  EXPECT_EQ(r.depends_on, (std::vector<std::string>{"backup.vault.dr", "backup.vault.primary"}));
}

TEST_F(ExpandGood, SelectionReferencesPlanAndRole) {
  const auto& r = get("backup.selection.main");
  EXPECT_EQ(r.region, "us-east-1");
  const json want = json::parse(R"J({
    "plan_id": "@{backup.plan.main#id}", "name": "drctl-shop", "iam_role_arn": "@{iam.role.backup#arn}",
    "tags": {"dr": "protected"}, "resources": []})J");
  EXPECT_EQ(r.attrs, want) << r.attrs.dump(2);
  EXPECT_EQ(r.depends_on, (std::vector<std::string>{"backup.plan.main", "iam.role.backup"}));
}

TEST(Expand, WithoutCopyToDrThereIsNoDrVaultAndGovCloudArns) {
  model::Diagnostics diags;
  auto g = expand_fixture("no_copy", diags);
  ASSERT_TRUE(g) << dump(diags);
  EXPECT_EQ(addresses(*g), (std::vector<std::string>{"backup.plan.main", "backup.selection.main",
                                                     "backup.vault.primary", "iam.role.backup"}));
  const auto* plan = g->find("backup.plan.main");
  EXPECT_EQ(plan->attrs["rules"][0]["copy_to"], json::array());
  EXPECT_EQ(plan->attrs["rules"][0]["lifecycle"], (json{{"delete_after_days", 30}}));
  EXPECT_EQ(plan->attrs["rules"][0]["start_window_minutes"], 480);  // AWS default window
  EXPECT_EQ(plan->depends_on, std::vector<std::string>{"backup.vault.primary"});
  const auto* role = g->find("iam.role.backup");
  EXPECT_EQ(role->region, "us-gov-west-1");  // IAM's home in the GovCloud partition
  EXPECT_EQ(role->attrs["policies"]["drctl-backup"]["Statement"][0]["Resource"],
            "arn:aws-us-gov:backup:*:*:backup-vault:drctl-shop-*");
  EXPECT_EQ(role->attrs["policies"]["drctl-backup"]["Statement"].size(), 1u);  // no tag lookups
  EXPECT_EQ(g->find("backup.selection.main")->attrs["resources"],
            json({"arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/orders"}));
}

TEST(Expand, S3AndBackupsAreTheSameUnderEveryStrategy) {
  model::Diagnostics diags;
  std::optional<model::Topology> topo;
  auto base = expand_fixture("good", diags, &topo);
  ASSERT_TRUE(base) << dump(diags);
  for (const char* s : {"pilot-light", "warm-standby", "active-active"}) {
    model::Topology t = *topo;
    t.strategy = s;
    t.document["strategy"] = s;
    auto g = expand(t, source_paths(), diags);
    ASSERT_TRUE(g) << s << "\n" << dump(diags);
    for (const auto& r : base->resources) {
      const auto* same = g->find(r.address.str());
      ASSERT_NE(same, nullptr) << s << ": " << r.address.str();
      EXPECT_EQ(same->attrs, r.attrs) << s << ": " << r.address.str();
      EXPECT_EQ(same->region, r.region) << s << ": " << r.address.str();
    }
  }
}

TEST(Expand, AKindTheModuleDoesNotHandleIsAnErrorAtTheKind) {
  model::Diagnostics diags;
  auto g = expand_fixture("unhandled_kind", diags);
  EXPECT_FALSE(g);
  auto d = only_error(diags, "workloads.orders.kind");
  EXPECT_AT(d, "unhandled_kind/s.dr.yaml", 7, 5);
  EXPECT_EQ(d->summary, "strategy './mod' does not handle workload kind 'rds'");
}

TEST(Expand, UserModuleFromAPathWithInputsAndDefaults) {
  model::Diagnostics diags;
  auto g = expand_fixture("user_module", diags);
  ASSERT_TRUE(g) << dump(diags);
  ASSERT_EQ(addresses(*g), std::vector<std::string>{"cloudwatch.alarm.assets-lag"});
  const auto& r = g->resources[0];
  EXPECT_EQ(r.region, "eu-central-1");
  EXPECT_EQ(r.attrs, (json{{"name", "drctl-shop-assets-lag"}, {"threshold", 5}, {"topic", "dr-alerts"},
                           {"bucket", "shop-assets-copy"}, {"region", "eu-central-1"}, {"global", "us-east-1"}}));
}

TEST(Expand, UnknownInputIsReportedAtItsPositionAtExpandTimeToo) {
  model::Diagnostics diags;
  auto topo = load_stack(data("good"), source_paths(), diags);
  ASSERT_TRUE(topo) << dump(diags);
  topo->document["strategy"] = json{{"module", "backup-restore"}, {"inputs", {{"colour", "blue"}}}};
  topo->positions["/strategy/inputs/colour"] = {"edited.dr.yaml", 7, 5};
  EXPECT_FALSE(expand(*topo, source_paths(), diags));
  auto d = only_error(diags, "strategy.inputs.colour");
  EXPECT_AT(d, "edited.dr.yaml", 7, 5);
  EXPECT_EQ(d->summary, "unknown input 'colour' for module 'backup-restore'");
}

}  // namespace
}  // namespace config

namespace config {
namespace {

TEST(Expand, TemplateErrorsPointIntoTheModuleFile) {
  model::Diagnostics diags;
  auto g = expand_fixture("bad_module", diags);
  EXPECT_FALSE(g);
  auto d = only_error(diags, "kinds.s3.resources[0].attrs.bucket");
  EXPECT_AT(d, "bad_module/mod/module.yaml", 8, 19);
  EXPECT_EQ(d->summary, "'spec.bukcet' is not set, so it cannot be spliced into text");
  EXPECT_EQ(d->detail, "while expanding workload 'assets'");
  EXPECT_EQ(d->address, "s3.bucket.assets");
}

}  // namespace
}  // namespace config
