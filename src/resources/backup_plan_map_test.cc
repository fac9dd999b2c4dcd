#include "resources/backup_plan_map.h"

#include <gtest/gtest.h>

#include "resources/test_support.h"

namespace resources::backup {
namespace {

using nlohmann::json;

const std::string kDrVault = "arn:aws:backup:us-west-2:111122223333:backup-vault:drctl-shop-prod-dr";

json hourly_rule() {
  return {{"name", "hourly"},
          {"target_vault", "drctl-shop-prod-primary"},
          {"schedule", "cron(0 * ? * * *)"},
          {"lifecycle", {{"cold_after_days", 7}, {"delete_after_days", 35}}},
          {"copy_to", json::array({{{"vault_arn", kDrVault}, {"lifecycle", {{"delete_after_days", 35}}}}})}};
}

json desired() { return {{"name", "drctl-shop-prod-hourly"}, {"rules", json::array({hourly_rule()})}}; }

TEST(BackupPlanMap, InputUsesTheModelMemberNamesAndOmitsAbsentOptionals) {
  json attrs = desired();
  attrs["rules"][0]["start_window_minutes"] = 60;
  attrs["rules"].push_back({{"name", "weekly"}, {"target_vault", "v2"}, {"schedule", "cron(0 5 ? * 1 *)"},
                            {"lifecycle", json::object()}, {"copy_to", json::array()}});
  EXPECT_EQ(plan_input(attrs), json::parse(R"J({
    "BackupPlanName": "drctl-shop-prod-hourly",
    "Rules": [
      {"RuleName": "hourly", "TargetBackupVaultName": "drctl-shop-prod-primary",
       "ScheduleExpression": "cron(0 * ? * * *)", "StartWindowMinutes": 60,
       "Lifecycle": {"MoveToColdStorageAfterDays": 7, "DeleteAfterDays": 35},
       "CopyActions": [{"DestinationBackupVaultArn": ")J" + kDrVault + R"J(",
                        "Lifecycle": {"DeleteAfterDays": 35}}]},
      {"RuleName": "weekly", "TargetBackupVaultName": "v2", "ScheduleExpression": "cron(0 5 ? * 1 *)"}
    ]})J"));
}

TEST(BackupPlanMap, LiveMapsBackToTheDesiredShapeWithoutAwsDefaults) {
  const json live = json::parse(test::data("backup/get_backup_plan.json"))["BackupPlan"];
  const json d = desired();
  EXPECT_EQ(plan_attrs(live, &d), d);
}

TEST(BackupPlanMap, DefaultsTheUserAskedForOrThatDifferAreReported) {
  const json live = json::parse(test::data("backup/get_backup_plan.json"))["BackupPlan"];
  json d = desired();
  d["rules"][0]["start_window_minutes"] = 480;  // asked for explicitly: reported
  auto out = plan_attrs(live, &d);
  EXPECT_EQ(out["rules"][0]["start_window_minutes"], 480);
  EXPECT_FALSE(out["rules"][0].contains("completion_window_minutes"));

  json changed = live;
  changed["Rules"][0]["CompletionWindowMinutes"] = 120;  // not the default: drift stays visible
  out = plan_attrs(changed, &d);
  EXPECT_EQ(out["rules"][0]["completion_window_minutes"], 120);
}

TEST(BackupPlanMap, AbsentOptionalsStayAbsentAndEmptyOnesStayEmpty) {
  const json live = json::parse(R"J({"BackupPlanName": "p", "Rules": [
      {"RuleName": "a", "TargetBackupVaultName": "v", "ScheduleExpression": "rate(1 hour)"},
      {"RuleName": "b", "TargetBackupVaultName": "v"}]})J");
  const json d = json::parse(R"J({"name": "p", "rules": [
      {"name": "b", "target_vault": "v"},
      {"name": "a", "target_vault": "v", "schedule": "rate(1 hour)", "lifecycle": {}, "copy_to": []}]})J");
  EXPECT_EQ(plan_attrs(live, &d), d);  // also: live rules follow the desired order
  const json no_desired = plan_attrs(live, nullptr);
  EXPECT_EQ(no_desired["rules"][0], (json{{"name", "a"}, {"target_vault", "v"}, {"schedule", "rate(1 hour)"}}));
}

}  // namespace
}  // namespace resources::backup
