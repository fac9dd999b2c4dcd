#include "plan/drift.h"

#include <gtest/gtest.h>

namespace plan {
namespace {

using nlohmann::json;

Prior prior(const std::string& address, const std::string& type, json applied) {
  return Prior{address, type, "us-east-1", "assets", "id-1", std::move(applied), {}};
}

TEST(Drift, ReportsChangedAttributesDeletionsAndUnreadable) {
  std::map<std::string, Prior> p;
  p["s3.replication.assets"] = prior("s3.replication.assets", "s3.replication",
                                     {{"bucket", "src"}, {"rules", json::array({{{"status", "Enabled"}}})}});
  p["s3.bucket.assets"] = prior("s3.bucket.assets", "s3.bucket", {{"bucket", "dr"}});
  p["iam.role.r"] = prior("iam.role.r", "iam.role", {{"name", "r"}});
  p["backup.vault.dr"] = prior("backup.vault.dr", "backup.vault", {{"name", "v"}, {"arn", "old"}});
  std::map<std::string, Observed> o;
  o["s3.replication.assets"] = {Observed::Status::found, "src",
                                {{"bucket", "src"}, {"rules", json::array({{{"status", "Disabled"}}})}}, ""};
  o["s3.bucket.assets"] = {Observed::Status::absent, "", json::object(), ""};
  o["iam.role.r"] = {Observed::Status::failed, "", json::object(), "AccessDenied"};
  // A computed attribute (arn) that differs is not drift.
  o["backup.vault.dr"] = {Observed::Status::found, "v", {{"name", "v"}, {"arn", "new"}}, ""};

  auto r = detect_drift("shop", p, o, {"s3.replication.assets", "s3.bucket.assets", "sns.topic.x"});
  ASSERT_EQ(r.entries.size(), 3u);
  EXPECT_TRUE(r.drifted());
  EXPECT_TRUE(r.unreadable());
  EXPECT_EQ(r.checked, 4);
  const auto& bucket = r.entries[1];
  EXPECT_EQ(bucket.address, "s3.bucket.assets");
  EXPECT_EQ(bucket.kind, DriftEntry::Kind::deleted);
  const auto& repl = r.entries[2];
  EXPECT_EQ(repl.kind, DriftEntry::Kind::changed);
  ASSERT_EQ(repl.attrs.size(), 1u);
  EXPECT_EQ(repl.attrs[0].path, "rules[0].status");
  EXPECT_EQ(repl.attrs[0].expected, "Enabled");
  EXPECT_EQ(repl.attrs[0].actual, "Disabled");
  EXPECT_EQ(r.not_applied, std::vector<std::string>{"sns.topic.x"});
  EXPECT_EQ(to_json(r)["entries"].size(), 3u);
}

TEST(Drift, NothingChangedIsNoDrift) {
  std::map<std::string, Prior> p;
  p["iam.role.r"] = prior("iam.role.r", "iam.role", {{"name", "r"}});
  std::map<std::string, Observed> o;
  o["iam.role.r"] = {Observed::Status::found, "r", {{"name", "r"}, {"arn", "a"}}, ""};
  auto r = detect_drift("shop", p, o, {"iam.role.r"});
  EXPECT_FALSE(r.drifted());
  EXPECT_TRUE(r.entries.empty());
}

}  // namespace
}  // namespace plan
