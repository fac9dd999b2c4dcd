#include <gtest/gtest.h>

#include "resources/common.h"
#include "resources/dynamodb_replica.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kAddress = "dynamodb.replica.catalog";
const std::string kDescribe = "POST dynamodb:DynamoDB_20120810.DescribeTable";
const std::string kUpdate = "POST dynamodb:DynamoDB_20120810.UpdateTable";
const std::string kDescribeCb = "POST dynamodb:DynamoDB_20120810.DescribeContinuousBackups";
const std::string kUpdateCb = "POST dynamodb:DynamoDB_20120810.UpdateContinuousBackups";
const std::string kKms = "arn:aws:kms:us-west-2:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";

json desired(bool pitr = true) {
  return {{"table", "catalog"}, {"replica_region", "us-west-2"}, {"pitr", pitr}, {"kms_key_id", kKms}};
}
Target want(json attrs = desired()) { return test::target(kAddress, "us-east-1", std::move(attrs)); }

// Three polls, no sleeping: the give-up path stays fast.
std::unique_ptr<ResourceType> type() { return make_dynamodb_replica_type({3, std::chrono::milliseconds(0)}); }

void ddb_error(Harness& h, int status, const std::string& file) {
  h.reply(status, "dynamodb/" + file, {{"Content-Type", "application/x-amz-json-1.0"}});
}

TEST(DynamodbReplica, CreateEnablesStreamsFirstThenAddsTheReplicaWaitsAndSetsPitrOnBothSides) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_streams_off.json");
  h.reply(200, "dynamodb/update_table_streams.json");
  h.reply(200, "dynamodb/describe_table_updating.json");     // streams being enabled: wait
  h.reply(200, "dynamodb/describe_table_streams_on.json");
  h.reply(200, "dynamodb/update_table_replica_create.json");
  h.reply(200, "dynamodb/describe_table_replica_creating.json");  // waiter: not yet
  h.reply(200, "dynamodb/describe_table_replica_active.json");
  h.reply(200, "dynamodb/update_continuous_backups_enabled.json");
  h.reply(200, "dynamodb/update_continuous_backups_enabled.json");
  auto t = type();
  auto live = t->create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kUpdate, kDescribe, kDescribe, kUpdate, kDescribe, kDescribe, kUpdateCb,
                              kUpdateCb}));
  EXPECT_EQ(h.json_body(0), (json{{"TableName", "catalog"}}));
  EXPECT_EQ(h.json_body(1), (json{{"TableName", "catalog"},
                                  {"StreamSpecification", {{"StreamEnabled", true}, {"StreamViewType", "NEW_AND_OLD_IMAGES"}}}}));
  EXPECT_EQ(h.json_body(4), (json{{"TableName", "catalog"},
                                  {"ReplicaUpdates", {{{"Create", {{"RegionName", "us-west-2"}, {"KMSMasterKeyId", kKms}}}}}}}));
  const json pitr_on = {{"TableName", "catalog"}, {"PointInTimeRecoverySpecification", {{"PointInTimeRecoveryEnabled", true}}}};
  EXPECT_EQ(h.json_body(7), pitr_on);
  EXPECT_EQ(h.json_body(8), pitr_on);
  EXPECT_EQ(fakes::signing_region(h.request(7)), "us-east-1");  // the table
  EXPECT_EQ(fakes::signing_region(h.request(8)), "us-west-2");  // the replica table
  EXPECT_EQ(fakes::signing_service(h.request(0)), "dynamodb");
  EXPECT_EQ(fakes::header(h.request(0), "X-Amz-Target"), "DynamoDB_20120810.DescribeTable");
  EXPECT_EQ(live->id, "catalog/us-west-2");
  EXPECT_EQ(live->attrs, (json{{"table", "catalog"}, {"replica_region", "us-west-2"}, {"pitr", true},
                               {"kms_key_id", kKms}, {"replica_status", "ACTIVE"},
                               {"table_arn", "arn:aws:dynamodb:us-east-1:111122223333:table/catalog"}}));
}

TEST(DynamodbReplica, CreateWithStreamsOnAndNoPitrMakesNoStreamOrBackupCalls) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_streams_on.json");
  h.reply(200, "dynamodb/update_table_replica_create.json");
  h.reply(200, "dynamodb/describe_table_replica_active.json");
  json attrs = desired(false);
  attrs.erase("kms_key_id");
  auto live = type()->create(h.ctx, want(attrs));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kUpdate, kDescribe}));
  EXPECT_EQ(h.json_body(1)["ReplicaUpdates"], (json{{{"Create", {{"RegionName", "us-west-2"}}}}}));
  EXPECT_EQ(live->attrs["pitr"], false);
}

TEST(DynamodbReplica, CreateAdoptsAReplicaLeftByAnEarlierRun) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_replica_creating.json");
  h.reply(200, "dynamodb/describe_table_replica_active.json");
  h.reply(200, "dynamodb/update_continuous_backups_enabled.json");
  h.reply(200, "dynamodb/update_continuous_backups_enabled.json");
  ASSERT_TRUE(type()->create(h.ctx, want()).ok());
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kDescribe, kUpdateCb, kUpdateCb}));  // no UpdateTable
}

TEST(DynamodbReplica, CreateWaitsWhileTheTableIsBusyWithAnotherReplica) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_streams_on.json");
  ddb_error(h, 400, "resource_in_use.json");
  h.reply(200, "dynamodb/describe_table_streams_on.json");
  h.reply(200, "dynamodb/update_table_replica_create.json");
  h.reply(200, "dynamodb/describe_table_replica_active.json");
  ASSERT_TRUE(type()->create(h.ctx, want(desired(false))).ok());
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kUpdate, kDescribe, kUpdate, kDescribe}));
}

TEST(DynamodbReplica, CreateWaiterGivesUpAfterItsBound) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_streams_on.json");
  h.reply(200, "dynamodb/update_table_replica_create.json");
  for (int i = 0; i < 3; ++i) h.reply(200, "dynamodb/describe_table_replica_creating.json");
  auto live = type()->create(h.ctx, want());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().code, "WaitTimeout");
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kUpdate, kDescribe, kDescribe, kDescribe}));  // 3 polls, then stop
  EXPECT_EQ(h.pending(), 0u);
}

TEST(DynamodbReplica, CreateFailsAtOnceOnAFailedReplicaAndRefusesOtherStreamViews) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_streams_on.json");
  h.reply(200, "dynamodb/update_table_replica_create.json");
  h.reply(200, "dynamodb/describe_table_replica_failed.json");
  auto live = type()->create(h.ctx, want());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().code, "ReplicaFailed");
  EXPECT_NE(live.error().message.find("KMS key is not accessible"), std::string::npos);

  Harness keys;
  keys.reply(200, "dynamodb/describe_table_streams_keys_only.json");
  auto refused = type()->create(keys.ctx, want());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "InvalidDesired");
  EXPECT_EQ(keys.calls(), (Calls{kDescribe}));  // the stream is left alone
}

TEST(DynamodbReplica, CreateOfAMissingTableFails) {
  Harness h;
  ddb_error(h, 400, "resource_not_found.json");
  auto live = type()->create(h.ctx, want());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().code, "ResourceNotFoundException");
}

TEST(DynamodbReplica, OneDescribeTableServesTwoReplicasOfATable) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_two_replicas.json");
  h.reply(200, "dynamodb/describe_continuous_backups_enabled.json");   // primary, once
  h.reply(200, "dynamodb/describe_continuous_backups_enabled.json");   // us-west-2
  h.reply(200, "dynamodb/describe_continuous_backups_disabled.json");  // eu-west-1
  const Target targets[] = {want(), test::target("dynamodb.replica.catalog_eu", "us-east-1",
                                                 {{"table", "catalog"}, {"replica_region", "eu-west-1"}, {"pitr", true}})};
  auto out = type()->read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kDescribeCb, kDescribeCb, kDescribeCb}));
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-east-1");
  EXPECT_EQ(fakes::signing_region(h.request(2)), "us-west-2");
  EXPECT_EQ(fakes::signing_region(h.request(3)), "eu-west-1");
  const auto& west = out.at(kAddress);
  ASSERT_EQ(west.status, ReadStatus::found);
  EXPECT_EQ(west.live.id, "catalog/us-west-2");
  EXPECT_EQ(west.live.attrs, (json{{"table", "catalog"}, {"replica_region", "us-west-2"}, {"pitr", true},
                                   {"kms_key_id", kKms}, {"replica_status", "ACTIVE"},
                                   {"table_arn", "arn:aws:dynamodb:us-east-1:111122223333:table/catalog"}}));
  const auto& eu = out.at("dynamodb.replica.catalog_eu");
  ASSERT_EQ(eu.status, ReadStatus::found);
  EXPECT_EQ(eu.live.attrs["pitr"], false);  // both sides needed
  EXPECT_FALSE(eu.live.attrs.contains("kms_key_id"));
}

TEST(DynamodbReplica, ReadSkipsTheReplicaSideWhenThePrimaryHasNoPitr) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_replica_active.json");
  h.reply(200, "dynamodb/describe_continuous_backups_disabled.json");
  const Target targets[] = {want()};
  auto out = type()->read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kDescribeCb}));
  EXPECT_EQ(out.at(kAddress).live.attrs["pitr"], false);
}

TEST(DynamodbReplica, ReadAbsentWhenTheTableOrTheReplicaIsMissing) {
  Harness gone;
  ddb_error(gone, 400, "resource_not_found.json");
  const Target targets[] = {want()};
  EXPECT_EQ(type()->read(gone.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);

  Harness no_replica;
  no_replica.reply(200, "dynamodb/describe_table_streams_on.json");
  EXPECT_EQ(type()->read(no_replica.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);
  EXPECT_EQ(no_replica.calls(), (Calls{kDescribe}));  // no backups call for an absent replica
}

TEST(DynamodbReplica, ReadUsesTheStateIdFirst) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_two_replicas.json");
  h.reply(200, "dynamodb/describe_continuous_backups_disabled.json");
  const Target targets[] = {test::target(kAddress, "us-east-1", desired(), "catalog/eu-west-1")};
  auto out = type()->read(h.ctx, "us-east-1", targets);
  ASSERT_EQ(out.at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(out.at(kAddress).live.attrs["replica_region"], "eu-west-1");  // diff shows the replace
}

TEST(DynamodbReplica, ServerErrorsAreFailedNotAbsent) {
  Harness h;
  ddb_error(h, 500, "internal_server_error.json");
  const Target targets[] = {want()};
  auto o = type()->read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "InternalServerError");

  Harness cb;
  cb.reply(200, "dynamodb/describe_table_replica_active.json");
  cb.reply(500, "<html><head><title>500 Internal Server Error</title></head></html>", {{"Content-Type", "text/html"}});
  EXPECT_EQ(type()->read(cb.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);
}

TEST(DynamodbReplica, UpdatePitrOffDisablesTheReplicaTableOnly) {
  Harness h;
  h.reply(200, "dynamodb/describe_continuous_backups_disabled.json");
  json have = desired(true);
  have["replica_status"] = "ACTIVE";
  auto live = type()->update(h.ctx, want(desired(false)), Live{"catalog/us-west-2", have});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kUpdateCb}));
  EXPECT_EQ(fakes::signing_region(h.request(0)), "us-west-2");
  EXPECT_EQ(h.json_body(0), (json{{"TableName", "catalog"},
                                  {"PointInTimeRecoverySpecification", {{"PointInTimeRecoveryEnabled", false}}}}));
  EXPECT_EQ(live->attrs["pitr"], false);

  Harness on;
  on.reply(200, "dynamodb/update_continuous_backups_enabled.json");
  on.reply(200, "dynamodb/update_continuous_backups_enabled.json");
  ASSERT_TRUE(type()->update(on.ctx, want(), Live{"catalog/us-west-2", desired(false)}).ok());
  EXPECT_EQ(on.calls(), (Calls{kUpdateCb, kUpdateCb}));
  EXPECT_EQ(fakes::signing_region(on.request(0)), "us-east-1");
  EXPECT_EQ(fakes::signing_region(on.request(1)), "us-west-2");
}

TEST(DynamodbReplica, UpdateKmsKeyUsesAReplicaUpdateAndWaits) {
  Harness h;
  h.reply(200, "dynamodb/update_table_replica_create.json");
  h.reply(200, "dynamodb/describe_table_replica_active.json");
  json have = desired(true);
  have["kms_key_id"] = "arn:aws:kms:us-west-2:111122223333:key/old";
  ASSERT_TRUE(type()->update(h.ctx, want(), Live{"catalog/us-west-2", have}).ok());
  EXPECT_EQ(h.calls(), (Calls{kUpdate, kDescribe}));
  EXPECT_EQ(h.json_body(0)["ReplicaUpdates"], (json{{{"Update", {{"RegionName", "us-west-2"}, {"KMSMasterKeyId", kKms}}}}}));
}

TEST(DynamodbReplica, DestroyDeletesTheReplicaAndWaitsUntilItIsGone) {
  Harness h;
  h.reply(200, "dynamodb/describe_table_replica_active.json");
  h.reply(200, "dynamodb/update_table_replica_delete.json");
  h.reply(200, "dynamodb/describe_table_replica_deleting.json");
  h.reply(200, "dynamodb/describe_table_streams_on.json");
  ASSERT_TRUE(type()->destroy(h.ctx, test::target(kAddress, "us-east-1", desired(), "catalog/us-west-2")).ok());
  EXPECT_EQ(h.calls(), (Calls{kDescribe, kUpdate, kDescribe, kDescribe}));
  EXPECT_EQ(h.json_body(1), (json{{"TableName", "catalog"}, {"ReplicaUpdates", {{{"Delete", {{"RegionName", "us-west-2"}}}}}}}));

  Harness gone;
  ddb_error(gone, 400, "resource_not_found.json");
  EXPECT_TRUE(type()->destroy(gone.ctx, want()).ok());
  Harness no_replica;
  no_replica.reply(200, "dynamodb/describe_table_streams_on.json");
  EXPECT_TRUE(type()->destroy(no_replica.ctx, want()).ok());
  EXPECT_EQ(no_replica.calls(), (Calls{kDescribe}));
}

TEST(DynamodbReplica, SchemaIsDataBearingWithReplaceKeys) {
  const auto& s = dynamodb_replica_type().schema();
  EXPECT_TRUE(s.data_bearing);
  EXPECT_EQ(s.kind_of("table"), AttrKind::replace);
  EXPECT_EQ(s.kind_of("replica_region"), AttrKind::replace);
  EXPECT_EQ(s.kind_of("pitr"), AttrKind::in_place);
  EXPECT_EQ(s.kind_of("replica_status"), AttrKind::computed);
  EXPECT_EQ(dynamodb_replica_type().name(), "dynamodb.replica");
}

}  // namespace
}  // namespace resources
