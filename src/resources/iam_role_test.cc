#include <gtest/gtest.h>

#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kName = "drctl-shop-prod-replication";
const std::string kAddress = "iam.role.replication";
const std::string kArn = "arn:aws:iam::111122223333:role/drctl-shop-prod-replication";

json desired() {
  return {{"name", kName},
          {"description", "S3 replication for shop-prod"},
          {"assume_role_policy", json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
              "Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]})")},
          {"policies", {{"replicate", json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
              "Action":["s3:GetObjectVersionForReplication","s3:ReplicateObject"],
              "Resource":"arn:aws:s3:::shop-assets/*"}]})")}}},
          {"tags", {{"drctl:stack", "shop-prod"}, {"drctl:address", kAddress}}}};
}

Target want(json attrs = desired()) { return test::target(kAddress, "us-east-1", std::move(attrs)); }

void queue_full_read(Harness& h) {
  h.reply(200, "iam/get_role.xml");
  h.reply(200, "iam/list_role_policies.xml");
  h.reply(200, "iam/get_role_policy.xml");
}

TEST(IamRole, CreateSendsTheRoleThenEachInlinePolicy) {
  Harness h;
  h.reply(200, "iam/create_role.xml");
  h.reply(200, "iam/empty_ok.xml");
  auto live = iam_role_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST iam:CreateRole", "POST iam:PutRolePolicy"}));
  EXPECT_EQ(h.form(0, "Path"), "/");
  EXPECT_EQ(h.form(0, "RoleName"), kName);
  EXPECT_EQ(h.form(0, "Version"), "2010-05-08");
  EXPECT_EQ(json::parse(h.form(0, "AssumeRolePolicyDocument")), desired()["assume_role_policy"]);
  EXPECT_EQ(h.form(0, "Description"), "S3 replication for shop-prod");
  EXPECT_EQ(h.form(0, "Tags.member.1.Key"), "drctl:address");
  EXPECT_EQ(h.form(0, "Tags.member.1.Value"), kAddress);
  EXPECT_EQ(h.form(0, "Tags.member.2.Key"), "drctl:stack");
  EXPECT_EQ(h.form(1, "PolicyName"), "replicate");
  EXPECT_EQ(json::parse(h.form(1, "PolicyDocument")), desired()["policies"]["replicate"]);
  EXPECT_EQ(fakes::signing_region(h.request(0)), "us-east-1");
  EXPECT_EQ(live->id, kName);
  EXPECT_EQ(live->attrs["arn"], kArn);
}

TEST(IamRole, CreateOfARoleThatExistsReadsItAndConverges) {
  Harness h;
  h.reply(409, "iam/entity_already_exists.xml");
  queue_full_read(h);
  json w = desired();
  w["description"] = "new text";
  h.reply(200, "iam/empty_ok.xml");
  auto live = iam_role_type().create(h.ctx, want(w));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST iam:CreateRole", "POST iam:GetRole", "POST iam:ListRolePolicies",
                              "POST iam:GetRolePolicy", "POST iam:UpdateRole"}));
  EXPECT_EQ(h.form(4, "Description"), "new text");
  EXPECT_EQ(live->attrs["arn"], kArn);
}

TEST(IamRole, ReadListsOnceThenReadsOnlyWantedRolesThatExist) {
  Harness h;
  h.reply(200, "iam/list_roles_page1.xml");
  h.reply(200, "iam/list_roles_page2.xml");
  queue_full_read(h);
  const Target targets[] = {want(), test::target("iam.role.backup", "us-east-1", {{"name", "drctl-shop-prod-backup"}})};
  auto out = iam_role_type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"POST iam:ListRoles", "POST iam:ListRoles", "POST iam:GetRole",
                              "POST iam:ListRolePolicies", "POST iam:GetRolePolicy"}));
  EXPECT_EQ(h.form(1, "Marker"), "AAEAAQ-page2");
  EXPECT_EQ(out.at("iam.role.backup").status, ReadStatus::absent);
  const auto& o = out.at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  json expected = desired();  // IAM's respelling of both documents means the same: no drift
  expected["arn"] = kArn;
  EXPECT_EQ(o.live.attrs, expected);
}

TEST(IamRole, ReadStopsListingOnceEveryWantedRoleIsSeen) {
  Harness h;
  h.reply(200, "iam/list_roles_page1.xml");  // truncated, but holds the only wanted role
  h.reply(200, "iam/get_role.xml");
  h.reply(200, "<ListRolePoliciesResponse><ListRolePoliciesResult><PolicyNames/><IsTruncated>false</IsTruncated>"
               "</ListRolePoliciesResult></ListRolePoliciesResponse>");
  const Target targets[] = {test::target("iam.role.other", "us-east-1", {{"name", "unrelated-role"}})};
  EXPECT_EQ(iam_role_type().read(h.ctx, "us-east-1", targets).at("iam.role.other").status, ReadStatus::found);
  EXPECT_EQ(h.calls(), (Calls{"POST iam:ListRoles", "POST iam:GetRole", "POST iam:ListRolePolicies"}));
}

TEST(IamRole, ReadReportsAChangedPolicyAsLive) {
  Harness h;
  h.reply(200, "iam/list_roles_page2.xml");
  queue_full_read(h);
  json w = desired();
  w["policies"]["replicate"]["Statement"][0]["Resource"] = "arn:aws:s3:::other/*";
  const Target targets[] = {want(w)};
  const auto o = iam_role_type().read(h.ctx, "us-east-1", targets).at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.attrs["policies"]["replicate"]["Statement"][0]["Resource"], "arn:aws:s3:::shop-assets/*");
  EXPECT_EQ(o.live.attrs["assume_role_policy"], desired()["assume_role_policy"]);
}

TEST(IamRole, FailedListingOrGetIsFailedNeverAbsent) {
  Harness h;
  h.reply(500, "iam/service_failure.xml");
  const Target targets[] = {want()};
  const auto o = iam_role_type().read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "ServiceFailure");

  Harness g;
  g.reply(200, "iam/list_roles_page2.xml");
  g.reply(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>");
  EXPECT_EQ(iam_role_type().read(g.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);

  Harness gone;  // listed, then deleted before GetRole
  gone.reply(200, "iam/list_roles_page2.xml");
  gone.reply(404, "iam/no_such_entity.xml");
  EXPECT_EQ(iam_role_type().read(gone.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);
}

TEST(IamRole, UpdateChangesOnlyWhatDiffers) {
  Harness same;
  json have = desired();
  have["arn"] = kArn;
  ASSERT_TRUE(iam_role_type().update(same.ctx, want(), Live{kName, have}).ok());
  EXPECT_TRUE(same.calls().empty());

  Harness h;
  for (int i = 0; i < 5; ++i) h.reply(200, "iam/empty_ok.xml");
  have["description"] = "old";
  have["assume_role_policy"]["Statement"][0]["Principal"]["Service"] = "backup.amazonaws.com";
  have["policies"]["stale"] = json::parse(R"({"Statement":[]})");
  have["tags"] = {{"drctl:stack", "shop-prod"}, {"owner", "someone"}};
  auto live = iam_role_type().update(h.ctx, want(), Live{kName, have});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST iam:UpdateRole", "POST iam:UpdateAssumeRolePolicy", "POST iam:DeleteRolePolicy",
                              "POST iam:TagRole", "POST iam:UntagRole"}));
  EXPECT_EQ(h.form(2, "PolicyName"), "stale");
  EXPECT_EQ(h.form(3, "Tags.member.1.Key"), "drctl:address");
  EXPECT_EQ(h.form(3, "Tags.member.2.Key"), "");
  EXPECT_EQ(h.form(4, "TagKeys.member.1"), "owner");
  EXPECT_EQ(live->attrs["arn"], kArn);
}

TEST(IamRole, DestroyDeletesInlinePoliciesThenTheRole) {
  Harness h;
  h.reply(200, "iam/list_role_policies_two.xml");
  for (int i = 0; i < 3; ++i) h.reply(200, "iam/empty_ok.xml");
  ASSERT_TRUE(iam_role_type().destroy(h.ctx, test::target(kAddress, "us-east-1", {}, kName)).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST iam:ListRolePolicies", "POST iam:DeleteRolePolicy", "POST iam:DeleteRolePolicy",
                              "POST iam:DeleteRole"}));
  EXPECT_EQ(h.form(1, "PolicyName"), "replicate");
  EXPECT_EQ(h.form(2, "PolicyName"), "stale");

  Harness gone;
  gone.reply(404, "iam/no_such_entity.xml");
  EXPECT_TRUE(iam_role_type().destroy(gone.ctx, want()).ok());
  EXPECT_EQ(gone.calls().size(), 1u);
}

}  // namespace
}  // namespace resources
