#include <gtest/gtest.h>

#include "resources/s3_xml.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kBucket = "drctl-shop-prod-assets-dr";

json desired() {
  return {{"bucket", kBucket},
          {"versioning", "Enabled"},
          {"encryption", {{"algorithm", "aws:kms"},
                          {"kms_key_id", "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}},
          {"tags", {{"drctl:stack", "shop-prod"}, {"drctl:address", "s3.bucket.assets-dr"}}}};
}

Target want(json attrs = desired()) { return test::target("s3.bucket.assets-dr", "us-west-2", std::move(attrs)); }

TEST(S3Bucket, CreateOutsideUsEast1SendsLocationThenEachSetting) {
  Harness h;
  for (int i = 0; i < 4; ++i) h.reply(200);
  auto live = s3_bucket_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"PUT s3:/" + kBucket, "PUT s3:/" + kBucket + "?versioning",
                              "PUT s3:/" + kBucket + "?encryption", "PUT s3:/" + kBucket + "?tagging"}));
  EXPECT_NE(h.body(0).find("<LocationConstraint>us-west-2</LocationConstraint>"), std::string::npos);
  EXPECT_NE(h.body(0).find("xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""), std::string::npos);
  EXPECT_EQ(h.body(1),
            "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status>"
            "</VersioningConfiguration>");
  EXPECT_EQ(fakes::header(h.request(1), "Content-MD5"), s3xml::content_md5(h.body(1)));
  EXPECT_NE(h.body(2).find("<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:"), std::string::npos);
  EXPECT_NE(h.body(3).find("<Tag><Key>drctl:address</Key><Value>s3.bucket.assets-dr</Value></Tag>"),
            std::string::npos);
  EXPECT_EQ(fakes::signing_region(h.request(0)), "us-west-2");
  EXPECT_EQ(live->id, kBucket);
  EXPECT_EQ(live->attrs["arn"], "arn:aws:s3:::" + kBucket);
}

TEST(S3Bucket, CreateInUsEast1HasNoLocationConstraint) {
  Harness h;
  h.reply(200);
  auto t = test::target("s3.bucket.a", "us-east-1", {{"bucket", "b1"}});
  ASSERT_TRUE(s3_bucket_type().create(h.ctx, t).ok());
  EXPECT_EQ(h.calls(), (Calls{"PUT s3:/b1"}));
  EXPECT_EQ(h.body(0), "");
}

TEST(S3Bucket, CreateAfterACrashAdoptsTheBucketWeOwn) {
  Harness h;
  h.reply(409, "s3/bucket_already_owned.xml");
  for (int i = 0; i < 3; ++i) h.reply(200);
  auto live = s3_bucket_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls().size(), 4u);
}

TEST(S3Bucket, CreateFailsOnSomeoneElsesBucket) {
  Harness h;
  h.reply(409, "<Error><Code>BucketAlreadyExists</Code><Message>taken</Message></Error>");
  auto live = s3_bucket_type().create(h.ctx, want());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().code, "BucketAlreadyExists");
  EXPECT_EQ(h.calls().size(), 1u);
}

TEST(S3Bucket, ReadMapsLiveConfigurationToTheReadmeShape) {
  Harness h;
  h.reply(200, "s3/get_bucket_location.xml");
  h.reply(200, "s3/get_bucket_versioning_enabled.xml");
  h.reply(200, "s3/get_bucket_encryption_kms.xml");
  h.reply(200, "s3/get_bucket_tagging.xml");
  h.reply(404, "s3/object_lock_not_found.xml");
  const Target targets[] = {want()};
  auto out = s3_bucket_type().read(h.ctx, "us-west-2", targets);
  EXPECT_EQ(h.calls(), (Calls{"GET s3:/" + kBucket + "?location", "GET s3:/" + kBucket + "?versioning",
                              "GET s3:/" + kBucket + "?encryption", "GET s3:/" + kBucket + "?tagging",
                              "GET s3:/" + kBucket + "?object-lock"}));
  const auto& o = out.at("s3.bucket.assets-dr");
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.id, kBucket);
  json expected = desired();
  expected["arn"] = "arn:aws:s3:::" + kBucket;
  EXPECT_EQ(o.live.attrs, expected);
}

TEST(S3Bucket, ReadWithoutEncryptionOrTagsOmitsEncryptionAndGivesEmptyTags) {
  Harness h;
  h.reply(200, "s3/get_bucket_location.xml");
  h.reply(200, "s3/get_bucket_versioning_never.xml");
  h.reply(404, "s3/sse_not_found.xml");
  h.reply(404, "s3/no_such_tag_set.xml");
  h.reply(404, "s3/object_lock_not_found.xml");
  const Target targets[] = {want()};
  const auto o = s3_bucket_type().read(h.ctx, "us-west-2", targets).at("s3.bucket.assets-dr");
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.attrs, (json{{"bucket", kBucket}, {"arn", "arn:aws:s3:::" + kBucket}, {"tags", json::object()}}));
}

TEST(S3Bucket, NoSuchBucketIsAbsent) {
  Harness h;
  h.reply(404, "s3/no_such_bucket.xml");
  const Target targets[] = {want()};
  const auto o = s3_bucket_type().read(h.ctx, "us-west-2", targets).at("s3.bucket.assets-dr");
  EXPECT_EQ(o.status, ReadStatus::absent);
  EXPECT_EQ(h.calls().size(), 1u);
}

TEST(S3Bucket, ServerErrorOrDenialIsFailedNeverAbsent) {
  for (auto [status, file] : {std::pair{500, "s3/internal_error.xml"}, std::pair{403, "s3/access_denied.xml"}}) {
    Harness h;
    h.reply(200, "s3/get_bucket_location.xml");
    h.reply(status, file);
    const Target targets[] = {want()};
    const auto o = s3_bucket_type().read(h.ctx, "us-west-2", targets).at("s3.bucket.assets-dr");
    EXPECT_EQ(o.status, ReadStatus::failed) << status;
    ASSERT_TRUE(o.error);
    EXPECT_EQ(o.error->http_status, status);
  }
  Harness h;
  h.fake->push_error({aws::TransportError::Kind::connect, "connection refused"});
  const Target targets[] = {want()};
  EXPECT_EQ(s3_bucket_type().read(h.ctx, "us-west-2", targets).at("s3.bucket.assets-dr").status, ReadStatus::failed);
}

TEST(S3Bucket, UpdateTouchesOnlyWhatDiffers) {
  Harness h;
  json have = desired();
  have["tags"] = {{"drctl:stack", "shop-prod"}};
  h.reply(200);
  auto live = s3_bucket_type().update(h.ctx, want(), Live{kBucket, have});
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(h.calls(), (Calls{"PUT s3:/" + kBucket + "?tagging"}));

  Harness same;
  ASSERT_TRUE(s3_bucket_type().update(same.ctx, want(), Live{kBucket, desired()}).ok());
  EXPECT_TRUE(same.calls().empty());
}

TEST(S3Bucket, UpdateToNoTagsDeletesTheTagSet) {
  Harness h;
  h.reply(204);
  json w = desired();
  w["tags"] = json::object();
  ASSERT_TRUE(s3_bucket_type().update(h.ctx, want(w), Live{kBucket, desired()}).ok());
  EXPECT_EQ(h.calls(), (Calls{"DELETE s3:/" + kBucket + "?tagging"}));
}

TEST(S3Bucket, DestroyDeletesAndTreatsMissingAsDoneButReportsNotEmpty) {
  Harness h;
  h.reply(204);
  ASSERT_TRUE(s3_bucket_type().destroy(h.ctx, test::target("s3.bucket.assets-dr", "us-west-2", {}, kBucket)).ok());
  EXPECT_EQ(h.calls(), (Calls{"DELETE s3:/" + kBucket}));

  Harness gone;
  gone.reply(404, "s3/no_such_bucket.xml");
  EXPECT_TRUE(s3_bucket_type().destroy(gone.ctx, want()).ok());

  Harness full;
  full.reply(409, "<Error><Code>BucketNotEmpty</Code><Message>The bucket you tried to delete is not empty</Message></Error>");
  auto r = s3_bucket_type().destroy(full.ctx, want());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "BucketNotEmpty");
}

json locked() {
  json attrs = desired();
  attrs["object_lock"] = {{"mode", "GOVERNANCE"}, {"days", 30}};
  return attrs;
}

const std::string kLockBody =
    "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ObjectLockEnabled>Enabled"
    "</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>30</Days></DefaultRetention>"
    "</Rule></ObjectLockConfiguration>";

TEST(S3Bucket, CreateWithObjectLockSendsTheHeaderThenTheDefaultRetention) {
  Harness h;
  for (int i = 0; i < 5; ++i) h.reply(200);
  auto live = s3_bucket_type().create(h.ctx, want(locked()));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"PUT s3:/" + kBucket, "PUT s3:/" + kBucket + "?versioning",
                              "PUT s3:/" + kBucket + "?encryption", "PUT s3:/" + kBucket + "?object-lock",
                              "PUT s3:/" + kBucket + "?tagging"}));
  EXPECT_EQ(fakes::header(h.request(0), "x-amz-bucket-object-lock-enabled"), "true");
  EXPECT_EQ(h.body(3), kLockBody);
  EXPECT_EQ(fakes::header(h.request(3), "Content-MD5"), s3xml::content_md5(kLockBody));
  EXPECT_EQ(live->attrs["object_lock"], (json{{"mode", "GOVERNANCE"}, {"days", 30}}));

  Harness plain;
  for (int i = 0; i < 4; ++i) plain.reply(200);
  ASSERT_TRUE(s3_bucket_type().create(plain.ctx, want()).ok());
  EXPECT_EQ(fakes::header(plain.request(0), "x-amz-bucket-object-lock-enabled"), "");
}

TEST(S3Bucket, CreateWithObjectLockButNoRetentionNeedsNoPut) {
  Harness h;
  for (int i = 0; i < 4; ++i) h.reply(200);
  json w = desired();
  w["object_lock"] = json::object();
  ASSERT_TRUE(s3_bucket_type().create(h.ctx, want(w)).ok());
  EXPECT_EQ(h.calls().size(), 4u);  // CreateBucket (with the header), versioning, encryption, tagging
  EXPECT_EQ(fakes::header(h.request(0), "x-amz-bucket-object-lock-enabled"), "true");
}

TEST(S3Bucket, ReadReportsObjectLockInTheDesiredShape) {
  for (auto [file, expected] : {std::pair{"s3/get_object_lock_configuration.xml",
                                          json{{"mode", "GOVERNANCE"}, {"days", 30}}},
                                std::pair{"s3/get_object_lock_configuration_no_rule.xml", json::object()},
                                // moto sends the unused unit as 0, which AWS never does
                                std::pair{"<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
                                          "<Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>0</Days>"
                                          "<Years>7</Years></DefaultRetention></Rule></ObjectLockConfiguration>",
                                          json{{"mode", "COMPLIANCE"}, {"years", 7}}}}) {
    Harness h;
    h.reply(200, "s3/get_bucket_location.xml");
    h.reply(200, "s3/get_bucket_versioning_enabled.xml");
    h.reply(200, "s3/get_bucket_encryption_kms.xml");
    h.reply(200, "s3/get_bucket_tagging.xml");
    h.reply(200, file);
    const Target targets[] = {want(locked())};
    const auto o = s3_bucket_type().read(h.ctx, "us-west-2", targets).at("s3.bucket.assets-dr");
    ASSERT_EQ(o.status, ReadStatus::found) << file;
    EXPECT_EQ(o.live.attrs["object_lock"], expected) << file;
  }
}

TEST(S3Bucket, ObjectLockReadFailureIsFailed) {
  Harness h;
  h.reply(200, "s3/get_bucket_location.xml");
  h.reply(200, "s3/get_bucket_versioning_enabled.xml");
  h.reply(200, "s3/get_bucket_encryption_kms.xml");
  h.reply(200, "s3/get_bucket_tagging.xml");
  h.reply(403, "s3/access_denied.xml");
  const Target targets[] = {want(locked())};
  EXPECT_EQ(s3_bucket_type().read(h.ctx, "us-west-2", targets).at("s3.bucket.assets-dr").status, ReadStatus::failed);
}

TEST(S3Bucket, UpdateEnablesOrChangesObjectLockInPlace) {
  // An existing bucket without Object Lock: enabled by the PUT itself, no replacement.
  Harness enable;
  enable.reply(200);
  ASSERT_TRUE(s3_bucket_type().update(enable.ctx, want(locked()), Live{kBucket, desired()}).ok());
  EXPECT_EQ(enable.calls(), (Calls{"PUT s3:/" + kBucket + "?object-lock"}));
  EXPECT_EQ(enable.body(0), kLockBody);

  Harness change;
  change.reply(200);
  json w = desired();
  w["object_lock"] = {{"mode", "COMPLIANCE"}, {"years", 1}};
  ASSERT_TRUE(s3_bucket_type().update(change.ctx, want(w), Live{kBucket, locked()}).ok());
  EXPECT_NE(change.body(0).find("<Mode>COMPLIANCE</Mode><Years>1</Years>"), std::string::npos);

  Harness same;
  ASSERT_TRUE(s3_bucket_type().update(same.ctx, want(locked()), Live{kBucket, locked()}).ok());
  EXPECT_TRUE(same.calls().empty());
  EXPECT_EQ(s3_bucket_type().schema().kind_of("object_lock"), AttrKind::in_place);

  Harness both;
  w["object_lock"] = {{"mode", "COMPLIANCE"}, {"years", 1}, {"days", 1}};
  auto r = s3_bucket_type().update(both.ctx, want(w), Live{kBucket, desired()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidDesired");
  EXPECT_TRUE(both.calls().empty());
}

TEST(S3Bucket, SchemaMarksBucketReplaceArnComputedAndDataBearing) {
  const auto& s = s3_bucket_type().schema();
  EXPECT_TRUE(s.data_bearing);
  EXPECT_EQ(s.kind_of("bucket"), AttrKind::replace);
  EXPECT_EQ(s.kind_of("arn"), AttrKind::computed);
  EXPECT_EQ(s.kind_of("versioning"), AttrKind::in_place);
}

}  // namespace
}  // namespace resources
