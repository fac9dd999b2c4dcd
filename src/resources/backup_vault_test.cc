#include <gtest/gtest.h>

#include "resources/common.h"
#include "resources/tag_index_test_support.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kName = "drctl-shop-prod-primary";
const std::string kAddress = "backup.vault.primary";
const std::string kArn = "arn:aws:backup:us-east-1:111122223333:backup-vault:drctl-shop-prod-primary";
const std::string kTagsPath = "/tags/arn%3Aaws%3Abackup%3Aus-east-1%3A111122223333%3Abackup-vault%3Adrctl-shop-prod-primary";

json desired() { return {{"name", kName}, {"tags", {{"drctl:stack", "shop-prod"}, {"drctl:address", kAddress}}}}; }
Target want(json attrs = desired()) { return test::target(kAddress, "us-east-1", std::move(attrs)); }

TEST(BackupVault, CreateSendsTagsAndTheAddressToken) {
  Harness h;
  h.reply(200, "backup/create_backup_vault.json");
  auto live = backup_vault_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"PUT backup:/backup-vaults/drctl-shop-prod-primary"}));
  EXPECT_EQ(h.json_body(0), (json{{"BackupVaultTags", desired()["tags"]},
                                  {"CreatorRequestId", creator_request_id("shop-prod", kAddress)}}));
  EXPECT_EQ(fakes::signing_service(h.request(0)), "backup");
  EXPECT_EQ(live->attrs["arn"], kArn);
}

TEST(BackupVault, CreateOfAnExistingVaultAdoptsItAndConvergesTags) {
  Harness h;
  h.backup_error(400, "AlreadyExistsException", "backup/already_exists.json");
  h.reply(200, "backup/describe_backup_vault.json");
  h.reply(200, R"({"Tags": {"drctl:stack": "shop-prod"}})");
  h.reply(200);
  auto live = backup_vault_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"PUT backup:/backup-vaults/drctl-shop-prod-primary",
                              "GET backup:/backup-vaults/drctl-shop-prod-primary", "GET backup:" + kTagsPath + "/",
                              "POST backup:" + kTagsPath}));
  EXPECT_EQ(h.json_body(3), (json{{"Tags", {{"drctl:address", kAddress}}}}));
}

TEST(BackupVault, ReadListsOnceAndTagsFromOneGetResourcesPass) {
  Harness h;
  h.reply(200, "backup/list_backup_vaults.json");
  h.reply(200, "tagging/get_resources_vaults.json");
  const Target targets[] = {want(), test::target("backup.vault.dr", "us-east-1", {{"name", "drctl-shop-prod-missing"}})};
  auto out = backup_vault_type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET backup:/backup-vaults/", test::kGetResources}));
  EXPECT_EQ(h.json_body(1), (json{{"ResourceTypeFilters", {"backup:backup-vault"}}, {"ResourcesPerPage", 100}}));
  EXPECT_EQ(out.at("backup.vault.dr").status, ReadStatus::absent);
  const auto& o = out.at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  json expected = desired();
  expected["arn"] = kArn;
  expected["encryption_key_arn"] = "arn:aws:kms:us-east-1:111122223333:key/bbbbbbbb-1111-2222-3333-444444444444";
  EXPECT_EQ(o.live.attrs, expected);
}

TEST(BackupVault, ReadFollowsNextToken) {
  Harness h;
  h.reply(200, R"({"BackupVaultList": [], "NextToken": "page-2"})");
  h.reply(200, "backup/list_backup_vaults.json");
  h.reply(200, "tagging/get_resources_vaults.json");
  const Target targets[] = {want()};
  EXPECT_EQ(backup_vault_type().read(h.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(h.calls()[1], "GET backup:/backup-vaults/?nextToken=page-2");
}

// Issue 6: 150 vaults in a region cost ceil(150 / page) ListBackupVaults and 2 GetResources
// pages, not 150 ListTags.
TEST(BackupVault, ReadOf150VaultsTagsThemWithTwoGetResourcesPages) {
  auto name = [](int i) { return "v" + std::to_string(i); };
  auto arn = [&](int i) { return "arn:aws:backup:us-east-1:111122223333:backup-vault:" + name(i); };
  Harness h;
  h.fake->set_handler([&](const aws::HttpRequest& r) {
    const bool get_resources = test::is_get_resources(r);
    const bool first = get_resources ? test::pagination_token(r).empty() : r.url.find("nextToken") == std::string::npos;
    json list = json::array();
    for (int i = first ? 0 : 100; i < (first ? 100 : 150); ++i)
      list.push_back(get_resources ? json{{"ResourceARN", arn(i)}, {"Tags", {{{"Key", "drctl:stack"}, {"Value", "shop-prod"}}}}}
                                   : json{{"BackupVaultName", name(i)}, {"BackupVaultArn", arn(i)}});
    const json body = get_resources ? json{{"ResourceTagMappingList", list}, {"PaginationToken", first ? "next" : ""}}
                                    : json{{"BackupVaultList", list}, {"NextToken", first ? json("next") : json()}};
    return fakes::SendResult(aws::HttpResponse{200, {}, body.dump()});
  });
  std::vector<Target> targets;
  for (int i = 0; i < 150; ++i) targets.push_back(test::target("backup.vault." + name(i), "us-east-1", {{"name", name(i)}}));
  auto out = backup_vault_type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET backup:/backup-vaults/", "GET backup:/backup-vaults/?nextToken=next",
                              test::kGetResources, test::kGetResources}));
  ASSERT_EQ(out.size(), 150u);
  for (int i = 0; i < 150; ++i) {
    ASSERT_EQ(out.at("backup.vault." + name(i)).status, ReadStatus::found) << i;
    EXPECT_EQ(out.at("backup.vault." + name(i)).live.attrs["tags"], (json{{"drctl:stack", "shop-prod"}})) << i;
  }
}

// The tagging API lists only tagged resources: a vault it does not list is found, with {}.
// A failed tag read fails the vaults that exist, never "no tags"; with none found, no tag read.
TEST(BackupVault, UntaggedIsFoundWithNoTagsAndAFailedTagReadIsFailed) {
  const Target targets[] = {want(), test::target("backup.vault.dr", "us-east-1", {{"name", "drctl-shop-prod-missing"}})};
  Harness untagged;
  untagged.reply(200, "backup/list_backup_vaults.json");
  untagged.reply(200, test::get_resources_reply({}, {}));
  auto out = backup_vault_type().read(untagged.ctx, "us-east-1", targets);
  ASSERT_EQ(out.at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(out.at(kAddress).live.attrs["tags"], json::object());

  Harness denied;
  denied.reply(200, "backup/list_backup_vaults.json");
  denied.reply(400, "tagging/access_denied.json");
  out = backup_vault_type().read(denied.ctx, "us-east-1", targets);
  ASSERT_EQ(out.at(kAddress).status, ReadStatus::failed);
  EXPECT_EQ(out.at(kAddress).error->code, "AccessDeniedException");
  EXPECT_EQ(out.at("backup.vault.dr").status, ReadStatus::absent);

  Harness none;
  none.reply(200, R"({"BackupVaultList": []})");
  EXPECT_EQ(backup_vault_type().read(none.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);
  EXPECT_EQ(none.calls(), (Calls{"GET backup:/backup-vaults/"}));
}

TEST(BackupVault, ServiceErrorIsFailed) {
  Harness h;
  h.backup_error(503, "ServiceUnavailableException", "backup/service_unavailable.json");
  const Target targets[] = {want()};
  const auto o = backup_vault_type().read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "ServiceUnavailableException");
}

TEST(BackupVault, UpdateSyncsTagsOnly) {
  Harness same;
  json have = desired();
  have["arn"] = kArn;
  ASSERT_TRUE(backup_vault_type().update(same.ctx, want(), Live{kName, have}).ok());
  EXPECT_TRUE(same.calls().empty());

  Harness h;
  h.reply(200);
  have["tags"]["old"] = "x";
  ASSERT_TRUE(backup_vault_type().update(h.ctx, want(), Live{kName, have}).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST backup:/untag/arn%3Aaws%3Abackup%3Aus-east-1%3A111122223333%3Abackup-vault%3Adrctl-shop-prod-primary"}));
  EXPECT_EQ(h.json_body(0), (json{{"TagKeyList", {"old"}}}));
}

json locked(json lock) {
  json attrs = desired();
  attrs["lock"] = std::move(lock);
  return attrs;
}

TEST(BackupVault, CreateWithALockPutsTheLockConfiguration) {
  Harness h;
  h.reply(200, "backup/create_backup_vault.json");
  h.reply(200);
  auto live = backup_vault_type().create(
      h.ctx, want(locked({{"min_retention_days", 30}, {"max_retention_days", 400}, {"changeable_for_days", 3}})));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"PUT backup:/backup-vaults/drctl-shop-prod-primary",
                              "PUT backup:/backup-vaults/drctl-shop-prod-primary/vault-lock"}));
  EXPECT_EQ(h.json_body(1), (json{{"MinRetentionDays", 30}, {"MaxRetentionDays", 400}, {"ChangeableForDays", 3}}));
  EXPECT_EQ(live->attrs["lock"]["min_retention_days"], 30);
}

TEST(BackupVault, ReadReportsTheLockFromTheListingWithoutExtraCalls) {
  Harness h;
  h.reply(200, "backup/list_backup_vaults_locked.json");
  h.reply(200, "tagging/get_resources_vaults.json");
  const Target targets[] = {
      want(locked({{"min_retention_days", 30}, {"max_retention_days", 400}, {"changeable_for_days", 3}}))};
  const auto o = backup_vault_type().read(h.ctx, "us-east-1", targets).at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(h.calls().size(), 2u);
  // ChangeableForDays is not readable: a lock date says one was given, so desired's value stands.
  EXPECT_EQ(o.live.attrs["lock"],
            (json{{"min_retention_days", 30}, {"max_retention_days", 400}, {"changeable_for_days", 3}}));
  EXPECT_EQ(o.live.attrs["lock_date"], 1707039000.0);
  EXPECT_EQ(backup_vault_type().schema().kind_of("lock"), AttrKind::in_place);
  EXPECT_EQ(backup_vault_type().schema().kind_of("lock_date"), AttrKind::computed);
}

TEST(BackupVault, ReadOfAnUnlockedVaultHasNoLockKeyUnlessOneIsManaged) {
  Harness plain;
  plain.reply(200, "backup/list_backup_vaults.json");
  plain.reply(200, "tagging/get_resources_vaults.json");
  const Target unmanaged[] = {want()};
  const auto o = backup_vault_type().read(plain.ctx, "us-east-1", unmanaged).at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_FALSE(o.live.attrs.contains("lock"));
  EXPECT_FALSE(o.live.attrs.contains("lock_date"));

  Harness managed;
  managed.reply(200, "backup/list_backup_vaults.json");
  managed.reply(200, "tagging/get_resources_vaults.json");
  const Target wanted[] = {want(locked({{"min_retention_days", 30}}))};
  EXPECT_EQ(backup_vault_type().read(managed.ctx, "us-east-1", wanted).at(kAddress).live.attrs["lock"],
            json::object());
}

TEST(BackupVault, UpdateChangesOrRemovesTheLockOnlyWhenItDiffers) {
  json have = locked({{"min_retention_days", 30}});
  have["arn"] = kArn;
  Harness same;
  ASSERT_TRUE(backup_vault_type().update(same.ctx, want(locked({{"min_retention_days", 30}})), Live{kName, have}).ok());
  EXPECT_TRUE(same.calls().empty());

  Harness change;
  change.reply(200);
  ASSERT_TRUE(backup_vault_type()
                  .update(change.ctx, want(locked({{"min_retention_days", 7}, {"max_retention_days", 90}})),
                          Live{kName, have})
                  .ok());
  EXPECT_EQ(change.calls(), (Calls{"PUT backup:/backup-vaults/drctl-shop-prod-primary/vault-lock"}));
  EXPECT_EQ(change.json_body(0), (json{{"MinRetentionDays", 7}, {"MaxRetentionDays", 90}}));

  Harness remove;
  remove.reply(200);
  ASSERT_TRUE(backup_vault_type().update(remove.ctx, want(locked(json::object())), Live{kName, have}).ok());
  EXPECT_EQ(remove.calls(), (Calls{"DELETE backup:/backup-vaults/drctl-shop-prod-primary/vault-lock"}));
}

TEST(BackupVault, RemovingAnImmutableLockReturnsAwsError) {
  json have = locked({{"min_retention_days", 30}, {"changeable_for_days", 3}});
  have["arn"] = kArn;
  Harness h;
  h.backup_error(400, "InvalidRequestException", "backup/invalid_request_lock.json");
  auto r = backup_vault_type().update(h.ctx, want(locked(json::object())), Live{kName, have});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidRequestException");
  EXPECT_NE(r.error().message.find("immutable"), std::string::npos);
}

TEST(BackupVault, DestroyDeletesAndMissingIsDone) {
  Harness h;
  h.reply(200);
  ASSERT_TRUE(backup_vault_type().destroy(h.ctx, test::target(kAddress, "us-east-1", {}, kName)).ok());
  EXPECT_EQ(h.calls(), (Calls{"DELETE backup:/backup-vaults/drctl-shop-prod-primary"}));
  Harness gone;
  gone.backup_error(404, "ResourceNotFoundException", "backup/not_found.json");
  EXPECT_TRUE(backup_vault_type().destroy(gone.ctx, want()).ok());
  EXPECT_TRUE(backup_vault_type().schema().data_bearing);
}

}  // namespace
}  // namespace resources
