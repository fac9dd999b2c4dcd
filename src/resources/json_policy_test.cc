#include "resources/json_policy.h"

#include <gtest/gtest.h>

#include "resources/common.h"

namespace resources {
namespace {

using nlohmann::json;

TEST(JsonPolicy, ParsesUrlEncodedAndPlainDocuments) {
  auto a = parse_policy_document("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D");
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)["Version"], "2012-10-17");
  auto b = parse_policy_document(" {\"Version\": \"2012-10-17\"}");
  ASSERT_TRUE(b);
  EXPECT_FALSE(parse_policy_document("not json"));
  EXPECT_FALSE(parse_policy_document("%5B%5D"));  // an array is not a policy document
}

TEST(JsonPolicy, SameMeaningDifferentSpelling) {
  const auto desired = json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  const auto live = json::parse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
      "Principal":{"Service":["s3.amazonaws.com"]},"Action":["sts:AssumeRole"]}})");
  EXPECT_TRUE(same_policy(desired, live));
  EXPECT_EQ(report_policy(live, &desired), desired);

  const auto reordered = json::parse(R"({"Statement":[{"Effect":"Allow","Action":["s3:B","s3:A"],
      "Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}]})");
  const auto sorted = json::parse(R"({"Statement":[{"Effect":"Allow","Action":["s3:A","s3:B","s3:A"],
      "Resource":["*"],"Condition":{"StringEquals":{"aws:SourceAccount":["1"]}}}]})");
  EXPECT_TRUE(same_policy(reordered, sorted));
}

TEST(JsonPolicy, DifferentMeaningIsReportedAsLive) {
  const auto desired = json::parse(R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})");
  const auto live = json::parse(R"({"Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]})");
  EXPECT_FALSE(same_policy(desired, live));
  EXPECT_EQ(report_policy(live, &desired), live);
  EXPECT_EQ(report_policy(live, nullptr), live);
}

TEST(CreatorRequestId, DerivedFromStackAndAddressAndStable) {
  const auto id = creator_request_id("shop-prod", "backup.plan.hourly");
  EXPECT_EQ(id.size(), 6u + 32u);
  EXPECT_EQ(id.rfind("drctl-", 0), 0u);
  EXPECT_EQ(id, creator_request_id("shop-prod", "backup.plan.hourly"));
  EXPECT_NE(id, creator_request_id("shop-prod", "backup.plan.daily"));
  EXPECT_NE(id, creator_request_id("shop-test", "backup.plan.hourly"));
  // python3 -c "import hashlib;print(hashlib.sha256(b'a/b').hexdigest()[:32])"
  EXPECT_EQ(creator_request_id("a", "b"), "drctl-c14cddc033f64b9dea80ea675cf280a0");
}

}  // namespace
}  // namespace resources
