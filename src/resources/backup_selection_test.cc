#include <gtest/gtest.h>

#include "resources/common.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kAddress = "backup.selection.protected";
const std::string kPlan = "8a1f2b3c-0000-4000-8000-00000000abcd";
const std::string kId = "5e6f7a8b-0000-4000-8000-000000000001";
const std::string kSelections = "/backup/plans/" + kPlan + "/selections/";

json desired() {
  return {{"plan_id", kPlan},
          {"name", "drctl-shop-prod-protected"},
          {"iam_role_arn", "arn:aws:iam::111122223333:role/drctl-shop-prod-backup"},
          {"tags", {{"dr", "protected"}}},
          {"resources", {"arn:aws:dynamodb:us-east-1:111122223333:table/catalog"}}};
}

Target want(json attrs = desired(), std::string id = "") {
  return test::target(kAddress, "us-east-1", std::move(attrs), std::move(id));
}

TEST(BackupSelection, CreateSendsConditionsAsStringEqualsAndTheAddressToken) {
  Harness h;
  h.reply(200, "backup/create_backup_selection.json");
  auto live = backup_selection_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"PUT backup:" + kSelections}));
  EXPECT_EQ(h.json_body(0), json::parse(R"({
    "BackupSelection": {
      "SelectionName": "drctl-shop-prod-protected",
      "IamRoleArn": "arn:aws:iam::111122223333:role/drctl-shop-prod-backup",
      "Resources": ["arn:aws:dynamodb:us-east-1:111122223333:table/catalog"],
      "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "dr", "ConditionValue": "protected"}]},
    "CreatorRequestId": ")" + creator_request_id("shop-prod", kAddress) + R"("})"));
  EXPECT_EQ(live->id, kId);
  EXPECT_EQ(live->attrs["id"], kId);
}

TEST(BackupSelection, CreateRefusesAnUnresolvedPlan) {
  Harness h;
  json w = desired();
  w["plan_id"] = "@{backup.plan.hourly#id}";
  auto live = backup_selection_type().create(h.ctx, want(w));
  ASSERT_FALSE(live.ok());
  EXPECT_TRUE(h.calls().empty());
}

TEST(BackupSelection, ReadListsPerPlanAndGetsTheWantedSelection) {
  Harness h;
  h.reply(200, "backup/list_backup_selections.json");
  h.reply(200, "backup/get_backup_selection.json");
  json other = desired();
  other["name"] = "drctl-shop-prod-other";
  const Target targets[] = {want(), test::target("backup.selection.other", "us-east-1", other)};
  auto out = backup_selection_type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET backup:" + kSelections, "GET backup:" + kSelections + kId}));
  EXPECT_EQ(out.at("backup.selection.other").status, ReadStatus::absent);
  const auto& o = out.at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  json expected = desired();
  expected["id"] = kId;
  EXPECT_EQ(o.live.attrs, expected);
  EXPECT_EQ(o.live.id, kId);
}

TEST(BackupSelection, UnresolvedPlanOrMissingPlanIsAbsentErrorsAreFailed) {
  Harness h;
  json w = desired();
  w["plan_id"] = "@{backup.plan.hourly#id}";
  const Target unresolved[] = {want(w)};
  EXPECT_EQ(backup_selection_type().read(h.ctx, "us-east-1", unresolved).at(kAddress).status, ReadStatus::absent);
  EXPECT_TRUE(h.calls().empty());

  Harness gone;
  gone.backup_error(404, "ResourceNotFoundException", "backup/not_found.json");
  const Target targets[] = {want()};
  EXPECT_EQ(backup_selection_type().read(gone.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);

  Harness broken;  // moto without the extension answers 500 with an HTML page
  broken.reply(500, "<html><title>500 Internal Server Error</title></html>");
  EXPECT_EQ(backup_selection_type().read(broken.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);
}

TEST(BackupSelection, DestroyDeletesByPlanAndId) {
  Harness h;
  h.reply(200);
  json have = desired();
  have["id"] = kId;
  ASSERT_TRUE(backup_selection_type().destroy(h.ctx, want(have, kId)).ok());
  EXPECT_EQ(h.calls(), (Calls{"DELETE backup:" + kSelections + kId}));

  Harness gone;
  gone.backup_error(404, "ResourceNotFoundException", "backup/not_found.json");
  EXPECT_TRUE(backup_selection_type().destroy(gone.ctx, want(have, kId)).ok());
}

TEST(BackupSelection, EveryManagedAttributeIsReplace) {
  const auto& s = backup_selection_type().schema();
  for (const char* a : {"plan_id", "name", "iam_role_arn", "tags", "resources"})
    EXPECT_EQ(s.kind_of(a), AttrKind::replace) << a;
  EXPECT_EQ(s.kind_of("id"), AttrKind::computed);
}

TEST(Registry, FindsEveryTypeByName) {
  const char* names[] = {"s3.bucket", "s3.replication", "iam.role", "backup.vault", "backup.plan",
                         "backup.selection", "rds.replica", "rds.global_cluster", "dynamodb.replica",
                         "efs.replication", "autoscaling.capacity", "ecs.capacity",
                         "route53.health_check", "route53.failover_record", "sns.topic",
                         "cloudwatch.alarm", "op.rds_promote", "op.asg_scale", "op.ecs_scale",
                         "op.dns_switch", "op.sns_notify", "op.aurora_failover", "op.rds_retire",
                         "op.rds_reverse_replica", "stepfunctions.state_machine", "events.rule"};
  for (const char* n : names) {
    const auto* t = find_type(n);
    ASSERT_NE(t, nullptr) << n;
    EXPECT_EQ(t->name(), n);
  }
  EXPECT_EQ(find_type("rds.nothing"), nullptr);
  EXPECT_EQ(all_types().size(), std::size(names));
}

}  // namespace
}  // namespace resources
