// The S3 backend's lock and conditional-upload logic against canned S3 replies: which
// conditions it sends, and how it reads refusals.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "aws/test_util.h"
#include "state/backend.h"

namespace {

const char* kPreconditionFailed =
    "<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not "
    "hold</Message></Error>";

state::BackendConfig config(std::string kms = "") {
  auto c = state::parse_backend_url("s3://team-state/shop/state.db?region=us-west-2", "");
  EXPECT_TRUE(c.ok());
  auto v = c.value();
  v.kms_key_id = std::move(kms);
  return v;
}

state::LockInfo me() {
  state::LockInfo i;
  i.id = "ours";
  i.holder = "ci@runner-1";
  i.host = "runner-1";
  i.pid = 42;
  i.operation = "apply";
  i.since = "2024-05-01T12:00:00Z";
  return i;
}

std::string other_lock_json() {
  auto other = me();
  other.id = "theirs";
  other.holder = "alice@laptop";
  return state::lock_to_json(other).dump();
}

struct S3BackendTest : ::testing::Test {
  aws_test::FakeClient aws;
  std::unique_ptr<state::Backend> backend = state::make_s3_backend(*aws.client, config());
  const aws::HttpRequest& request(size_t i) {
    static std::vector<aws::HttpRequest> all;
    all = aws.transport->requests();
    return all.at(i);
  }
};

TEST(BackendUrl, ParsesBucketKeyRegionAndLockTable) {
  auto c = state::parse_backend_url("s3://b/a/b/state.db?region=eu-west-1&lock=dynamodb&lock_table=locks", "");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->bucket, "b");
  EXPECT_EQ(c->key, "a/b/state.db");
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_EQ(c->lock, state::LockMethod::dynamodb);
  EXPECT_EQ(c->lock_table, "locks");
  EXPECT_FALSE(state::parse_backend_url("s3://b/k", "").ok());  // no region
  EXPECT_FALSE(state::parse_backend_url("s3://b/k?region=x&lock=dynamodb", "").ok());  // no table
  EXPECT_EQ(state::parse_backend_url("local", "/x/state.db")->local_path, "/x/state.db");
}

TEST_F(S3BackendTest, LockIsCreatedOnlyIfAbsent) {
  aws.transport->push(200, "", {{"etag", "\"e1\""}});
  auto r = backend->try_lock(me());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r.value());
  const auto& put = request(0);
  EXPECT_EQ(put.method, "PUT");
  EXPECT_NE(put.url.find("/team-state/shop/state.db.lock"), std::string::npos);
  EXPECT_EQ(fakes::header(put, "If-None-Match"), "*");
  EXPECT_EQ(state::lock_from_json(put.body)->id, "ours");
}

TEST_F(S3BackendTest, RefusedLockNamesTheHolder) {
  aws.transport->push(412, kPreconditionFailed);
  aws.transport->push(200, other_lock_json(), {{"etag", "\"e2\""}, {"x-amz-version-id", "v2"}});
  auto r = backend->try_lock(me());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r.value());
  EXPECT_EQ(r.value()->holder.holder, "alice@laptop");
  EXPECT_EQ(r.value()->holder.id, "theirs");
  EXPECT_EQ(aws.transport->request_count(), 2u);
}

TEST_F(S3BackendTest, UnlockDeletesExactlyTheLockVersionItRead) {
  aws.transport->push(200, state::lock_to_json(me()).dump(), {{"x-amz-version-id", "v7"}});
  aws.transport->push(204, "");
  auto r = backend->unlock("ours");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& del = request(1);
  EXPECT_EQ(del.method, "DELETE");
  EXPECT_NE(del.url.find("versionId=v7"), std::string::npos) << del.url;
}

TEST_F(S3BackendTest, UnlockLeavesSomeoneElsesLockAlone) {
  aws.transport->push(200, other_lock_json(), {{"x-amz-version-id", "v8"}});
  auto r = backend->unlock("ours");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, state::BackendError::Kind::conflict);
  EXPECT_NE(r.error().message.find("alice@laptop"), std::string::npos);
  EXPECT_EQ(aws.transport->request_count(), 1u);  // no DELETE
}

struct Scratch {
  std::string path = (std::filesystem::temp_directory_path() / ("drctl-backend-test-" + std::to_string(::getpid()))).string();
  Scratch() { std::ofstream(path) << "sqlite bytes"; }
  ~Scratch() { std::filesystem::remove(path); }
};

TEST_F(S3BackendTest, UploadIsConditionalOnTheETagPulledAndEncrypted) {
  backend = state::make_s3_backend(*aws.client, config("arn:aws:kms:us-west-2:1:key/k"));
  Scratch f;
  aws.transport->push(200, "", {{"etag", "\"new\""}, {"x-amz-version-id", "v2"}});
  state::WorkingCopy base{f.path, true, "\"old\"", "v1", ""};
  auto r = backend->push(base, f.path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->version_id, "v2");
  EXPECT_EQ(r->etag, "\"new\"");  // the base of this writer's next upload
  EXPECT_EQ(r->sha256, state::file_sha256(f.path));
  const auto& put = request(0);
  EXPECT_EQ(fakes::header(put, "If-Match"), "\"old\"");
  EXPECT_EQ(fakes::header(put, "If-None-Match"), "");
  EXPECT_EQ(fakes::header(put, "x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(fakes::header(put, "x-amz-server-side-encryption-aws-kms-key-id"), "arn:aws:kms:us-west-2:1:key/k");
  EXPECT_EQ(put.body, "sqlite bytes");
}

TEST_F(S3BackendTest, UploadOverAConcurrentChangeIsRefusedAsAConflict) {
  Scratch f;
  aws.transport->push(412, kPreconditionFailed);
  auto r = backend->push(state::WorkingCopy{f.path, true, "\"old\"", "v1", ""}, f.path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, state::BackendError::Kind::conflict);
  EXPECT_NE(r.error().message.find("changed by someone else"), std::string::npos);
}

TEST_F(S3BackendTest, FirstUploadRequiresThatNoStateExists) {
  Scratch f;
  aws.transport->push(200, "", {{"etag", "\"e\""}});
  ASSERT_TRUE(backend->push(state::WorkingCopy{f.path, false, "", "", ""}, f.path).ok());
  EXPECT_EQ(fakes::header(request(0), "If-None-Match"), "*");
  EXPECT_EQ(fakes::header(request(0), "If-Match"), "");
}

TEST_F(S3BackendTest, UnversionedBucketIsRefused) {
  aws.transport->push(200, "<VersioningConfiguration/>");
  auto r = backend->check("us-east-1", "us-west-2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, state::BackendError::Kind::invalid);
  EXPECT_NE(r.error().message.find("versioning off"), std::string::npos);
}

TEST_F(S3BackendTest, BucketInThePrimaryRegionWithoutReplicationIsWarnedAbout) {
  aws.transport->push(200, "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  aws.transport->push(404, "<Error><Code>ReplicationConfigurationNotFoundError</Code></Error>");
  auto r = backend->check("us-west-2", "us-east-1");  // the bucket is in us-west-2
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("failover would need state from the region that failed"), std::string::npos);
}

TEST_F(S3BackendTest, BucketInTheDrRegionNeedsNoReplication) {
  aws.transport->push(200, "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>");
  auto r = backend->check("us-east-1", "us-west-2");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_EQ(aws.transport->request_count(), 1u);  // no GetBucketReplication
}

TEST_F(S3BackendTest, HistoryListsOnlyTheStateObjectNotItsLock) {
  aws.transport->push(200,
                      "<ListVersionsResult><IsTruncated>false</IsTruncated>"
                      "<Version><Key>shop/state.db</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest>"
                      "<LastModified>2024-05-01T12:01:00Z</LastModified><Size>8192</Size></Version>"
                      "<Version><Key>shop/state.db</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest>"
                      "<LastModified>2024-05-01T12:00:00Z</LastModified><Size>4096</Size></Version>"
                      "<Version><Key>shop/state.db.lock</Key><VersionId>l1</VersionId><IsLatest>true</IsLatest>"
                      "<LastModified>2024-05-01T12:02:00Z</LastModified><Size>100</Size></Version>"
                      "</ListVersionsResult>");
  auto r = backend->versions();
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(r->at(0).version_id, "v2");
  EXPECT_TRUE(r->at(0).is_latest);
  EXPECT_EQ(r->at(1).size, 4096);
  const auto& list = request(0);
  EXPECT_NE(list.url.find("versions"), std::string::npos) << list.url;
  EXPECT_NE(list.url.find("prefix=shop%2Fstate.db"), std::string::npos) << list.url;
}

struct DynamoDbLockBackendTest : S3BackendTest {
  DynamoDbLockBackendTest() {
    auto c = state::parse_backend_url("s3://team-state/shop/state.db?region=us-west-2&lock=dynamodb&lock_table=locks", "");
    EXPECT_TRUE(c.ok());
    backend = state::make_s3_backend(*aws.client, c.value());
  }
};

TEST_F(DynamoDbLockBackendTest, LockIsAConditionalPutOfTheItem) {
  aws.transport->push(200, "{}");
  auto r = backend->try_lock(me());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r.value());
  const auto& put = request(0);
  EXPECT_EQ(fakes::header(put, "X-Amz-Target"), "DynamoDB_20120810.PutItem");
  const auto body = nlohmann::json::parse(put.body);
  EXPECT_EQ(body["TableName"], "locks");
  EXPECT_EQ(body["ConditionExpression"], "attribute_not_exists(LockID)");
  EXPECT_EQ(body["Item"]["LockID"]["S"], "team-state/shop/state.db");
  EXPECT_EQ(state::lock_from_json(body["Item"]["Info"]["S"].get<std::string>())->id, "ours");
}

TEST_F(DynamoDbLockBackendTest, RefusedLockNamesTheHolder) {
  aws.transport->push(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
                           R"("message":"The conditional request failed"})");
  aws.transport->push(200, nlohmann::json{{"Item", {{"LockID", {{"S", "team-state/shop/state.db"}}},
                                                    {"Info", {{"S", other_lock_json()}}}}}}.dump());
  auto r = backend->try_lock(me());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r.value());
  EXPECT_EQ(r.value()->holder.holder, "alice@laptop");
  EXPECT_EQ(fakes::header(request(1), "X-Amz-Target"), "DynamoDB_20120810.GetItem");
}

TEST_F(DynamoDbLockBackendTest, UnlockDeletesTheItemOnlyIfItIsStillOurs) {
  const auto ours = state::lock_to_json(me()).dump();
  aws.transport->push(200, nlohmann::json{{"Item", {{"Info", {{"S", ours}}}}}}.dump());
  aws.transport->push(200, "{}");
  ASSERT_TRUE(backend->unlock("ours").ok());
  const auto del = nlohmann::json::parse(request(1).body);
  EXPECT_EQ(fakes::header(request(1), "X-Amz-Target"), "DynamoDB_20120810.DeleteItem");
  EXPECT_EQ(del["ConditionExpression"], "Info = :info");
  EXPECT_EQ(del["ExpressionAttributeValues"][":info"]["S"], ours);
}

TEST(LocalBackend, LookingAtTheLockOfAMissingStateCreatesNothing) {
  const auto path = (std::filesystem::temp_directory_path() / ("drctl-local-backend-" + std::to_string(::getpid())) /
                     "state.db").string();
  auto backend = state::make_local_backend(path, DRCTL_SOURCE_DIR "/state");
  auto info = backend->lock_info();
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_FALSE(info.value());
  EXPECT_FALSE(backend->unlock("x").ok());
  EXPECT_FALSE(std::filesystem::exists(path));
  auto pulled = backend->pull("");
  ASSERT_TRUE(pulled.ok());
  EXPECT_FALSE(pulled->existed);  // so `state migrate --to local` still finds the destination empty
}

}  // namespace
