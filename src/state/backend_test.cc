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
  EXPECT_EQ(r.value(), "v2");
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

}  // namespace
