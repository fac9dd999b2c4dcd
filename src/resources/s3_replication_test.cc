#include <gtest/gtest.h>

#include "resources/s3_xml.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kSource = "shop-assets";
const std::string kAddress = "s3.replication.assets";

json rule(bool rtc, bool delete_markers) {
  return {{"id", "assets-to-dr"}, {"priority", 1}, {"status", "Enabled"}, {"prefix", ""},
          {"destination_bucket", "arn:aws:s3:::drctl-shop-prod-assets-dr"}, {"storage_class", "STANDARD_IA"},
          {"rtc", rtc}, {"delete_markers", delete_markers}};
}

json desired(bool rtc = true) {
  return {{"bucket", kSource},
          {"role", "arn:aws:iam::111122223333:role/drctl-shop-prod-replication"},
          {"source_versioning", "Enabled"},
          {"rules", json::array({rule(rtc, true)})}};
}

Target want(json attrs = desired()) { return test::target(kAddress, "us-east-1", std::move(attrs)); }

TEST(S3Replication, XmlCarriesReplicationTimeAndMetricsOnlyWithRtc) {
  const auto with = s3xml::replication_xml(desired(true));
  EXPECT_EQ(with,
            "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Role>arn:aws:iam::111122223333:role/drctl-shop-prod-replication</Role>"
            "<Rule><ID>assets-to-dr</ID><Priority>1</Priority><Filter><Prefix></Prefix></Filter>"
            "<Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::drctl-shop-prod-assets-dr</Bucket>"
            "<StorageClass>STANDARD_IA</StorageClass>"
            "<ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>"
            "<Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>"
            "</Destination><DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication></Rule>"
            "</ReplicationConfiguration>");
  const auto without = s3xml::replication_xml(desired(false));
  EXPECT_EQ(without.find("ReplicationTime"), std::string::npos);
  EXPECT_EQ(without.find("Metrics"), std::string::npos);
  json no_sc = desired(false);
  no_sc["rules"][0].erase("storage_class");
  no_sc["rules"][0]["delete_markers"] = false;
  const auto plain = s3xml::replication_xml(no_sc);
  EXPECT_EQ(plain.find("StorageClass"), std::string::npos);
  EXPECT_NE(plain.find("<DeleteMarkerReplication><Status>Disabled</Status>"), std::string::npos);
}

TEST(S3Replication, ContentMd5IsBase64OfTheBodyDigest) {
  // RFC 1321 test vector: md5("") = d41d8cd98f00b204e9800998ecf8427e.
  EXPECT_EQ(s3xml::content_md5(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(s3xml::content_md5("The quick brown fox jumps over the lazy dog"), "nhB9nTcrtoJr2B01QqQZ1g==");
}

TEST(S3Replication, CreateEnablesSourceVersioningWhenOffThenPutsTheConfiguration) {
  Harness h;
  h.reply(200, "s3/get_bucket_versioning_never.xml");
  h.reply(200);
  h.reply(200);
  auto live = s3_replication_type().create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"GET s3:/shop-assets?versioning", "PUT s3:/shop-assets?versioning",
                              "PUT s3:/shop-assets?replication"}));
  EXPECT_EQ(h.body(2), s3xml::replication_xml(desired()));
  EXPECT_EQ(fakes::header(h.request(2), "Content-MD5"), s3xml::content_md5(h.body(2)));
  EXPECT_EQ(live->id, kSource);
}

TEST(S3Replication, CreateSkipsVersioningWhenAlreadyEnabled) {
  Harness h;
  h.reply(200, "s3/get_bucket_versioning_enabled.xml");
  h.reply(200);
  ASSERT_TRUE(s3_replication_type().create(h.ctx, want()).ok());
  EXPECT_EQ(h.calls(), (Calls{"GET s3:/shop-assets?versioning", "PUT s3:/shop-assets?replication"}));
}

TEST(S3Replication, ReadMapsRulesIncludingAndFiltersAndDefaults) {
  Harness h;
  h.reply(200, "s3/get_bucket_replication.xml");
  h.reply(200, "s3/get_bucket_versioning_enabled.xml");
  const Target targets[] = {want()};
  const auto o = s3_replication_type().read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(h.calls(), (Calls{"GET s3:/shop-assets?replication", "GET s3:/shop-assets?versioning"}));
  ASSERT_EQ(o.status, ReadStatus::found);
  json expected = desired();
  expected["rules"].push_back({{"id", "logs"}, {"priority", 2}, {"status", "Disabled"}, {"prefix", "logs/"},
                               {"destination_bucket", "arn:aws:s3:::drctl-shop-prod-logs-dr"},
                               {"rtc", false}, {"delete_markers", false}});
  EXPECT_EQ(o.live.attrs, expected);
}

TEST(S3Replication, NoConfigurationOrNoBucketIsAbsentServerErrorIsFailed) {
  for (const char* file : {"s3/replication_not_found.xml", "s3/no_such_bucket.xml"}) {
    Harness h;
    h.reply(404, file);
    const Target targets[] = {want()};
    EXPECT_EQ(s3_replication_type().read(h.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::absent);
  }
  Harness h;
  h.reply(500, "s3/internal_error.xml");
  const Target targets[] = {want()};
  const auto o = s3_replication_type().read(h.ctx, "us-east-1", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "InternalError");
}

TEST(S3Replication, UpdateRewritesTheConfigurationOnlyWhenRulesOrRoleDiffer) {
  Harness same;
  ASSERT_TRUE(s3_replication_type().update(same.ctx, want(), Live{kSource, desired()}).ok());
  EXPECT_TRUE(same.calls().empty());

  Harness h;
  h.reply(200);
  ASSERT_TRUE(s3_replication_type().update(h.ctx, want(desired(false)), Live{kSource, desired(true)}).ok());
  EXPECT_EQ(h.calls(), (Calls{"PUT s3:/shop-assets?replication"}));
  EXPECT_EQ(h.body(0).find("ReplicationTime"), std::string::npos);

  Harness v;
  v.reply(200);
  json have = desired();
  have["source_versioning"] = "Suspended";
  ASSERT_TRUE(s3_replication_type().update(v.ctx, want(), Live{kSource, have}).ok());
  EXPECT_EQ(v.calls(), (Calls{"PUT s3:/shop-assets?versioning"}));
}

TEST(S3Replication, DestroyDeletesTheConfigurationOnly) {
  Harness h;
  h.reply(204);
  ASSERT_TRUE(s3_replication_type().destroy(h.ctx, want()).ok());
  EXPECT_EQ(h.calls(), (Calls{"DELETE s3:/shop-assets?replication"}));
}

}  // namespace
}  // namespace resources
