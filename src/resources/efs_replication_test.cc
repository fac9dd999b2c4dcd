#include <gtest/gtest.h>

#include "resources/common.h"
#include "resources/efs_replication.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kFs = "fs-0123456789abcdef0";
const std::string kAddress = "efs.replication.shared";
const std::string kCreate = "POST elasticfilesystem:/2015-02-01/file-systems/fs-0123456789abcdef0/replication-configuration";
const std::string kDelete = "DELETE elasticfilesystem:/2015-02-01/file-systems/fs-0123456789abcdef0/replication-configuration";
const std::string kList = "GET elasticfilesystem:/2015-02-01/file-systems/replication-configurations";
const std::string kDescribeOne = kList + "?FileSystemId=fs-0123456789abcdef0";
const std::string kKeyId = "9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0";

json desired() { return {{"file_system_id", kFs}, {"destination_region", "us-west-2"}}; }
Target want(json attrs = desired()) { return test::target(kAddress, "us-east-1", std::move(attrs)); }

std::unique_ptr<ResourceType> type() { return make_efs_replication_type({3, std::chrono::milliseconds(0)}); }

// EFS errors as AWS sends them: the code in x-amzn-ErrorType, the body {"ErrorCode", "Message"}.
void efs_error(Harness& h, int status, const std::string& code, const std::string& file) {
  h.reply(status, "efs/" + file, {{"x-amzn-ErrorType", code + ":"}, {"Content-Type", "application/json"}});
}

json live_attrs(const std::string& status) {
  return {{"file_system_id", kFs}, {"destination_region", "us-west-2"},
          {"destination_file_system_id", "fs-0fedcba9876543210"}, {"destination_status", status}};
}

TEST(EfsReplication, CreatePostsTheDestinationAndWaitsForEnabled) {
  Harness h;
  h.reply(200, "efs/create_replication_configuration.json");
  h.reply(200, "efs/describe_replication_enabling.json");
  h.reply(200, "efs/describe_replication_enabled.json");
  json attrs = desired();
  attrs["destination_kms_key_id"] = kKeyId;
  auto live = type()->create(h.ctx, want(attrs));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kCreate, kDescribeOne, kDescribeOne}));
  EXPECT_EQ(h.json_body(0), (json{{"Destinations", {{{"Region", "us-west-2"}, {"KmsKeyId", kKeyId}}}}}));
  EXPECT_EQ(fakes::signing_service(h.request(0)), "elasticfilesystem");
  EXPECT_EQ(fakes::signing_region(h.request(0)), "us-east-1");
  EXPECT_EQ(live->id, kFs);
  json expected = live_attrs("ENABLED");
  expected["destination_kms_key_id"] = kKeyId;
  EXPECT_EQ(live->attrs, expected);
}

TEST(EfsReplication, CreateToAnExistingDestinationFileSystemSendsItsId) {
  Harness h;
  h.reply(200, "efs/create_replication_configuration.json");
  h.reply(200, "efs/describe_replication_enabled.json");
  json attrs = desired();
  attrs["destination_file_system_id"] = "fs-0fedcba9876543210";
  ASSERT_TRUE(type()->create(h.ctx, want(attrs)).ok());
  EXPECT_EQ(h.json_body(0), (json{{"Destinations", {{{"Region", "us-west-2"}, {"FileSystemId", "fs-0fedcba9876543210"}}}}}));
}

TEST(EfsReplication, CreateAdoptsAConfigurationLeftByAnEarlierRun) {
  Harness h;
  efs_error(h, 409, "ConflictException", "conflict.json");
  h.reply(200, "efs/describe_replication_enabled.json");  // same destination region: ours
  h.reply(200, "efs/describe_replication_enabled.json");  // waiter
  ASSERT_TRUE(type()->create(h.ctx, want()).ok());
  EXPECT_EQ(h.calls(), (Calls{kCreate, kDescribeOne, kDescribeOne}));

  Harness other;
  efs_error(other, 409, "ConflictException", "conflict.json");
  other.reply(200, "efs/describe_replication_enabled.json");
  json attrs = desired();
  attrs["destination_region"] = "eu-west-1";  // a replication elsewhere is not ours
  auto refused = type()->create(other.ctx, want(attrs));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "ConflictException");
}

TEST(EfsReplication, CreateWaiterGivesUpAfterItsBoundAndStopsOnError) {
  Harness h;
  h.reply(200, "efs/create_replication_configuration.json");
  for (int i = 0; i < 3; ++i) h.reply(200, "efs/describe_replication_enabling.json");
  auto live = type()->create(h.ctx, want());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().code, "WaitTimeout");
  EXPECT_EQ(h.calls().size(), 4u);
  EXPECT_EQ(h.pending(), 0u);

  Harness bad;
  bad.reply(200, "efs/create_replication_configuration.json");
  bad.reply(200, "efs/describe_replication_error.json");
  auto failed_live = type()->create(bad.ctx, want());
  ASSERT_FALSE(failed_live.ok());
  EXPECT_EQ(failed_live.error().code, "ReplicationFailed");
  EXPECT_NE(failed_live.error().message.find("KMS key is disabled"), std::string::npos);
}

TEST(EfsReplication, ReadListsTheRegionOnceFollowingNextToken) {
  Harness h;
  h.reply(200, "efs/list_replications_page1.json");
  h.reply(200, "efs/list_replications_page2.json");
  const Target targets[] = {want(), test::target("efs.replication.gone", "us-east-1",
                                                 {{"file_system_id", "fs-0eeeeeeeeeeeeeee9"}, {"destination_region", "us-west-2"}})};
  auto out = type()->read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kList, kList + "?NextToken=eyJwYWdlIjoyfQ%3D%3D"}));
  EXPECT_EQ(out.at("efs.replication.gone").status, ReadStatus::absent);
  const auto& o = out.at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.id, kFs);
  EXPECT_EQ(o.live.attrs, live_attrs("ENABLED"));
}

TEST(EfsReplication, ReadStopsListingOnceEveryTargetIsSeen) {
  Harness h;
  h.reply(200, R"({"Replications": [{"SourceFileSystemId": "fs-0123456789abcdef0", "Destinations": [{"Status": "ENABLED", "FileSystemId": "fs-0fedcba9876543210", "Region": "us-west-2"}]}], "NextToken": "more"})");
  const Target targets[] = {want()};
  EXPECT_EQ(type()->read(h.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(h.calls().size(), 1u);
}

TEST(EfsReplication, ReadReportsTheDestinationKeyOnlyWhenDesired) {
  Harness h;
  h.reply(200, "efs/describe_replication_enabled.json");
  h.reply(200, "efs/describe_file_systems_destination.json");
  json attrs = desired();
  attrs["destination_kms_key_id"] = kKeyId;
  const Target targets[] = {want(attrs)};
  auto out = type()->read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kList, "GET elasticfilesystem:/2015-02-01/file-systems?FileSystemId=fs-0fedcba9876543210"}));
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-west-2");
  EXPECT_EQ(out.at(kAddress).live.attrs["destination_kms_key_id"], kKeyId);  // the same key, as desired spells it

  Harness other;
  other.reply(200, "efs/describe_replication_enabled.json");
  other.reply(200, "efs/describe_file_systems_destination.json");
  attrs["destination_kms_key_id"] = "0000aaaa-1111-2222-3333-444455556666";
  const Target changed[] = {want(attrs)};
  EXPECT_EQ(type()->read(other.ctx, "us-east-1", changed).at(kAddress).live.attrs["destination_kms_key_id"],
            "arn:aws:kms:us-west-2:111122223333:key/" + kKeyId);
}

TEST(EfsReplication, NotFoundCodesAreAbsentAndServerErrorsFailed) {
  Harness none;
  efs_error(none, 404, "ReplicationNotFound", "replication_not_found.json");
  const Target targets[] = {want()};
  EXPECT_EQ(type()->read(none.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);

  Harness h;
  efs_error(h, 500, "InternalServerError", "internal_server_error.json");
  auto o = type()->read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "InternalServerError");

  Harness html;  // a 404 page from a missing route is not "absent"
  html.reply(404, "<html><title>404 Not Found</title></html>", {{"Content-Type", "text/html"}});
  EXPECT_EQ(type()->read(html.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);
}

TEST(EfsReplication, DestroyDeletesAndWaitsUntilGone) {
  Harness h;
  h.reply(204);
  h.reply(200, "efs/describe_replication_deleting.json");
  efs_error(h, 404, "ReplicationNotFound", "replication_not_found.json");
  ASSERT_TRUE(type()->destroy(h.ctx, test::target(kAddress, "us-east-1", desired(), kFs)).ok());
  EXPECT_EQ(h.calls(), (Calls{kDelete, kDescribeOne, kDescribeOne}));

  for (auto [code, file] : {std::pair{"ReplicationNotFound", "replication_not_found.json"},
                            std::pair{"FileSystemNotFound", "file_system_not_found.json"}}) {
    Harness gone;
    efs_error(gone, 404, code, file);
    EXPECT_TRUE(type()->destroy(gone.ctx, want()).ok()) << code;
  }
}

TEST(EfsReplication, EverythingIsReplaceAndDataBearing) {
  const auto& s = efs_replication_type().schema();
  EXPECT_TRUE(s.data_bearing);
  for (const char* k : {"file_system_id", "destination_region", "destination_kms_key_id", "destination_file_system_id"})
    EXPECT_EQ(s.kind_of(k), AttrKind::replace) << k;
  EXPECT_EQ(s.kind_of("destination_status"), AttrKind::computed);
  Harness h;
  ASSERT_TRUE(type()->update(h.ctx, want(), Live{kFs, live_attrs("ENABLED")}).ok());
  EXPECT_TRUE(h.calls().empty());
}

}  // namespace
}  // namespace resources
