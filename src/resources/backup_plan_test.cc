#include <gtest/gtest.h>

#include "resources/backup_plan_map.h"
#include "resources/common.h"
#include "resources/tag_index_test_support.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kAddress = "backup.plan.hourly";
const std::string kId = "8a1f2b3c-0000-4000-8000-00000000abcd";
const std::string kArn = "arn:aws:backup:us-east-1:111122223333:backup-plan:8a1f2b3c-0000-4000-8000-00000000abcd";
const std::string kTagsPath =
    "/tags/arn%3Aaws%3Abackup%3Aus-east-1%3A111122223333%3Abackup-plan%3A8a1f2b3c-0000-4000-8000-00000000abcd";

json desired() {
  return {{"name", "drctl-shop-prod-hourly"},
          {"rules", json::array({{{"name", "hourly"},
                                  {"target_vault", "drctl-shop-prod-primary"},
                                  {"schedule", "cron(0 * ? * * *)"},
                                  {"lifecycle", {{"cold_after_days", 7}, {"delete_after_days", 35}}},
                                  {"copy_to", json::array({{{"vault_arn",
                                                             "arn:aws:backup:us-west-2:111122223333:backup-vault:drctl-shop-prod-dr"},
                                                            {"lifecycle", {{"delete_after_days", 35}}}}})}}})},
          {"tags", {{"drctl:stack", "shop-prod"}, {"drctl:address", kAddress}}}};
}

Target want(json attrs = desired(), std::string id = "") {
  return test::target(kAddress, "us-east-1", std::move(attrs), std::move(id));
}

json live_attrs() {
  json a = desired();
  a["id"] = kId;
  a["arn"] = kArn;
  a["version_id"] = "ZmMyNjM0YjAtNDc1MS00";
  return a;
}

TEST(BackupPlan, CreateSendsThePlanTagsAndAStableCreatorRequestId) {
  Harness h;
  h.reply(200, "backup/create_backup_plan.json");
  auto live = backup_plan_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"PUT backup:/backup/plans/"}));
  const json body = h.json_body(0);
  EXPECT_EQ(body["BackupPlan"], backup::plan_input(desired()));
  EXPECT_EQ(body["BackupPlanTags"], desired()["tags"]);
  EXPECT_EQ(body["CreatorRequestId"], creator_request_id("shop-prod", kAddress));
  EXPECT_EQ(live->id, kId);
  EXPECT_EQ(live->attrs["arn"], kArn);
  EXPECT_EQ(live->attrs["version_id"], "ZmMyNjM0YjAtNDc1MS00");

  Harness again;  // a second run sends the same token
  again.reply(200, "backup/create_backup_plan.json");
  ASSERT_TRUE(backup_plan_type().create(again.ctx, want()).ok());
  EXPECT_EQ(again.json_body(0)["CreatorRequestId"], body["CreatorRequestId"]);
}

TEST(BackupPlan, ReadByIdMapsToTheReadmeShape) {
  Harness h;
  h.reply(200, "backup/get_backup_plan.json");
  h.reply(200, "tagging/get_resources_plans.json");
  const Target targets[] = {want(desired(), kId)};
  const auto o = backup_plan_type().read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(h.calls(), (Calls{"GET backup:/backup/plans/" + kId + "/", test::kGetResources}));
  EXPECT_EQ(h.json_body(1), (json{{"ResourceTypeFilters", {"backup:backup-plan"}}, {"ResourcesPerPage", 100}}));
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.id, kId);
  EXPECT_EQ(o.live.attrs, live_attrs());
}

TEST(BackupPlan, ReadWithoutIdFindsTheLivePlanByNameSkippingDeletedOnes) {
  Harness h;
  h.reply(200, "backup/list_backup_plans.json");
  h.reply(200, "backup/get_backup_plan.json");
  h.reply(200, "tagging/get_resources_plans.json");
  const Target targets[] = {want(), test::target("backup.plan.none", "us-east-1", {{"name", "drctl-shop-prod-none"}})};
  auto out = backup_plan_type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET backup:/backup/plans/", "GET backup:/backup/plans/" + kId + "/", test::kGetResources}));
  EXPECT_EQ(out.at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(out.at(kAddress).live.id, kId);
  EXPECT_EQ(out.at("backup.plan.none").status, ReadStatus::absent);
}

// Tags of every plan come from one GetResources pass, not a ListTags per plan. A plan the
// tagging API does not list is untagged ({}); a failed tag read fails the plans that exist.
TEST(BackupPlan, TagsOfManyPlansComeFromOneTagIndex) {
  const std::string other = "1111bbbb-0000-4000-8000-000000000000";
  Harness h;
  h.reply(200, "backup/get_backup_plan.json");
  h.reply(200, R"({"BackupPlan": {"BackupPlanName": "drctl-shop-prod-daily", "Rules": []}, "BackupPlanId": ")" + other +
                   R"(", "BackupPlanArn": "arn:aws:backup:us-east-1:111122223333:backup-plan:)" + other + R"("})");
  h.reply(200, "tagging/get_resources_plans.json");  // lists the second with "Tags": []
  const Target targets[] = {want(desired(), kId), test::target("backup.plan.daily", "us-east-1", {{"name", "drctl-shop-prod-daily"}}, other)};
  auto out = backup_plan_type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET backup:/backup/plans/" + kId + "/", "GET backup:/backup/plans/" + other + "/",
                              test::kGetResources}));
  ASSERT_EQ(out.at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(out.at(kAddress).live.attrs["tags"], desired()["tags"]);
  ASSERT_EQ(out.at("backup.plan.daily").status, ReadStatus::found);
  EXPECT_EQ(out.at("backup.plan.daily").live.attrs["tags"], json::object());

  Harness untagged;
  untagged.reply(200, "backup/get_backup_plan.json");
  untagged.reply(200, test::get_resources_reply({}, {}));
  const Target one[] = {want(desired(), kId)};
  ASSERT_EQ(backup_plan_type().read(untagged.ctx, "us-east-1", one).at(kAddress).status, ReadStatus::found);

  Harness denied;
  denied.reply(200, "backup/get_backup_plan.json");
  denied.reply(400, "tagging/access_denied.json");
  const auto o = backup_plan_type().read(denied.ctx, "us-east-1", one).at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "AccessDeniedException");

  Harness gone;  // no plan exists: no tag read
  gone.backup_error(404, "ResourceNotFoundException", "backup/not_found.json");
  EXPECT_EQ(backup_plan_type().read(gone.ctx, "us-east-1", one).at(kAddress).status, ReadStatus::absent);
  EXPECT_EQ(gone.calls().size(), 1u);
}

TEST(BackupPlan, NotFoundIsAbsentServerErrorIsFailed) {
  Harness h;
  h.backup_error(404, "ResourceNotFoundException", "backup/not_found.json");
  const Target targets[] = {want(desired(), kId)};
  EXPECT_EQ(backup_plan_type().read(h.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);

  Harness e;
  e.reply(500, "<html><title>500 Internal Server Error</title></html>");
  const auto o = backup_plan_type().read(e.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->http_status, 500);

  Harness bare404;  // a 404 without ResourceNotFoundException (a missing route) is not "absent"
  bare404.reply(404, "<html><title>404 Not Found</title></html>");
  EXPECT_EQ(backup_plan_type().read(bare404.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);
}

TEST(BackupPlan, UpdatePostsThePlanOnlyWhenRulesChangeAndSyncsTags) {
  Harness same;
  ASSERT_TRUE(backup_plan_type().update(same.ctx, want(desired(), kId), Live{kId, live_attrs()}).ok());
  EXPECT_TRUE(same.calls().empty());

  Harness h;
  h.reply(200, "backup/update_backup_plan.json");
  h.reply(200);
  json w = desired();
  w["rules"][0]["schedule"] = "cron(30 * ? * * *)";
  w["tags"]["team"] = "shop";
  auto live = backup_plan_type().update(h.ctx, want(w, kId), Live{kId, live_attrs()});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST backup:/backup/plans/" + kId, "POST backup:" + kTagsPath}));
  EXPECT_EQ(h.json_body(0), (json{{"BackupPlan", backup::plan_input(w)}}));
  EXPECT_EQ(h.json_body(1), (json{{"Tags", {{"team", "shop"}}}}));
  EXPECT_EQ(live->attrs["version_id"], "djItbmV3ZXItdmVyc2lvbg");
}

TEST(BackupPlan, CreateThatAlreadyExistsFindsThePlanAndConverges) {
  Harness h;
  h.backup_error(400, "AlreadyExistsException", "backup/already_exists.json");
  h.reply(200, "backup/list_backup_plans.json");
  h.reply(200, "backup/get_backup_plan.json");
  h.reply(200, "backup/list_tags_plan.json");
  auto live = backup_plan_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls().size(), 4u);  // nothing to change afterwards
  EXPECT_EQ(live->id, kId);
}

TEST(BackupPlan, DestroyDeletesThePlanAndMissingIsDone) {
  Harness h;
  h.reply(200, "backup/delete_backup_plan.json");
  ASSERT_TRUE(backup_plan_type().destroy(h.ctx, want(live_attrs(), kId)).ok());
  EXPECT_EQ(h.calls(), (Calls{"DELETE backup:/backup/plans/" + kId}));
  Harness gone;
  gone.backup_error(404, "ResourceNotFoundException", "backup/not_found.json");
  EXPECT_TRUE(backup_plan_type().destroy(gone.ctx, want(live_attrs(), kId)).ok());
}

}  // namespace
}  // namespace resources
