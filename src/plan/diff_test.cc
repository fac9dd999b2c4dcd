#include "plan/diff.h"

#include <gtest/gtest.h>

namespace plan {
namespace {

using nlohmann::json;

model::Resource resource(const std::string& address, json attrs, std::vector<std::string> deps = {}) {
  model::Resource r;
  r.address = *model::Address::parse(address);
  r.region = "us-west-2";
  r.attrs = std::move(attrs);
  r.depends_on = std::move(deps);
  return r;
}

Observed found(json attrs, std::string id = "") {
  return {Observed::Status::found, std::move(id), std::move(attrs), ""};
}

struct Fixture {
  model::Graph graph;
  DiffInput in;
  Plan run() {
    in.desired = &graph;
    return diff(in);
  }
};

TEST(Diff, MissingResourceIsCreatedWithItsReason) {
  Fixture f;
  f.graph.resources.push_back(resource("s3.bucket.assets", {{"bucket", "a-dr"}, {"versioning", "Enabled"}}));
  auto p = f.run();
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].action, Action::create);
  EXPECT_EQ(p.changes[0].reason, "does not exist yet");
  EXPECT_TRUE(p.changes[0].data_bearing);
  EXPECT_EQ(p.summary().create, 1);
}

TEST(Diff, EqualLiveIsNoOpAndComputedExtrasAreIgnored) {
  Fixture f;
  f.graph.resources.push_back(resource("s3.bucket.assets", {{"bucket", "a-dr"}, {"versioning", "Enabled"}}));
  f.in.observed["s3.bucket.assets"] = found({{"bucket", "a-dr"}, {"versioning", "Enabled"}, {"arn", "arn:aws:s3:::a-dr"}}, "a-dr");
  f.in.prior["s3.bucket.assets"] = Prior{"s3.bucket.assets", "s3.bucket", "us-west-2", "", "a-dr", {}, {}};
  auto p = f.run();
  EXPECT_EQ(p.changes[0].action, Action::noop);
  EXPECT_FALSE(p.has_changes());
}

TEST(Diff, InPlaceChangeListsNestedAttributePaths) {
  Fixture f;
  json want = {{"bucket", "src"}, {"rules", json::array({{{"id", "r"}, {"rtc", true}}})}};
  json have = {{"bucket", "src"}, {"rules", json::array({{{"id", "r"}, {"rtc", false}}})}};
  f.graph.resources.push_back(resource("s3.replication.assets", want));
  f.in.observed["s3.replication.assets"] = found(have, "src");
  f.in.prior["s3.replication.assets"] = Prior{"s3.replication.assets", "s3.replication", "us-east-1", "", "src", want, {}};
  auto p = f.run();
  ASSERT_EQ(p.changes[0].action, Action::update);
  ASSERT_EQ(p.changes[0].attrs.size(), 1u);
  EXPECT_EQ(p.changes[0].attrs[0].path, "rules[0].rtc");
  EXPECT_EQ(p.changes[0].attrs[0].before, false);
  EXPECT_EQ(p.changes[0].attrs[0].after, true);
}

TEST(Diff, ReplaceOfDataBearingResourceNeedsAllowDestroy) {
  Fixture f;
  f.graph.resources.push_back(resource("s3.bucket.assets", {{"bucket", "new-name"}}));
  f.in.observed["s3.bucket.assets"] = found({{"bucket", "old-name"}}, "old-name");
  auto p = f.run();
  EXPECT_EQ(p.changes[0].action, Action::replace);
  EXPECT_TRUE(p.changes[0].attrs[0].forces_replace);
  EXPECT_TRUE(model::has_errors(p.diagnostics));

  f.in.allow_destroy.insert("s3.bucket.assets");
  EXPECT_FALSE(model::has_errors(f.run().diagnostics));
}

TEST(Diff, FailedReadIsNeverPlannedAsCreate) {
  Fixture f;
  f.graph.resources.push_back(resource("s3.bucket.assets", {{"bucket", "a-dr"}}));
  f.in.observed["s3.bucket.assets"] = {Observed::Status::failed, "", {}, "AccessDenied"};
  auto p = f.run();
  EXPECT_EQ(p.changes[0].action, Action::noop);
  EXPECT_TRUE(model::has_errors(p.diagnostics));
}

TEST(Diff, ReferencesResolveFromObservedOrStayUnknown) {
  Fixture f;
  f.graph.resources.push_back(resource("backup.selection.main",
      {{"plan_id", "@{backup.plan.main#id}"}, {"name", "sel"}}, {"backup.plan.main"}));
  auto p = f.run();
  EXPECT_EQ(p.changes[0].after["plan_id"], "@{backup.plan.main#id}");

  f.in.observed["backup.plan.main"] = found({{"name", "plan"}}, "plan-123");
  f.in.observed["backup.selection.main"] = found({{"plan_id", "plan-123"}, {"name", "sel"}}, "sel-1");
  f.in.prior["backup.selection.main"] = Prior{"backup.selection.main", "backup.selection", "us-east-1", "", "sel-1", {}, {}};
  p = f.run();
  EXPECT_EQ(p.changes[0].after["plan_id"], "plan-123");
  EXPECT_EQ(p.changes[0].action, Action::noop);
}

TEST(Diff, ForgottenResourceIsDestroyedUnlessItHoldsData) {
  Fixture f;
  f.in.prior["iam.role.old"] = Prior{"iam.role.old", "iam.role", "us-east-1", "", "drctl-x-old", {}, {}};
  f.in.observed["iam.role.old"] = found({{"name", "drctl-x-old"}}, "drctl-x-old");
  f.in.prior["backup.vault.dr"] = Prior{"backup.vault.dr", "backup.vault", "us-west-2", "", "v", {}, {}};
  f.in.observed["backup.vault.dr"] = found({{"name", "v"}}, "v");
  auto p = f.run();
  ASSERT_EQ(p.changes.size(), 2u);
  EXPECT_EQ(p.find("iam.role.old")->action, Action::destroy);
  EXPECT_EQ(p.find("backup.vault.dr")->action, Action::destroy);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].address, "backup.vault.dr");
}

}  // namespace
}  // namespace plan

namespace plan {
namespace {

TEST(Diff, ObjectFoundButUnknownToStateIsImportedNotCreated) {
  model::Graph g;
  model::Resource r;
  r.address = *model::Address::parse("iam.role.backup");
  r.region = "us-east-1";
  r.attrs = {{"name", "drctl-shop-backup"}, {"description", "new"}};
  g.resources.push_back(r);
  DiffInput in;
  in.desired = &g;
  in.observed["iam.role.backup"] = {Observed::Status::found, "drctl-shop-backup",
                                    {{"name", "drctl-shop-backup"}, {"description", "new"}}, ""};
  auto p = diff(in);
  EXPECT_EQ(p.changes[0].action, Action::import_);
  EXPECT_EQ(p.summary().import, 1);
  EXPECT_TRUE(p.has_changes());

  in.observed["iam.role.backup"].attrs["description"] = "old";
  p = diff(in);
  EXPECT_EQ(p.changes[0].action, Action::import_);
  ASSERT_EQ(p.changes[0].attrs.size(), 1u);
  EXPECT_NE(p.changes[0].reason.find("imported and updated"), std::string::npos);
}

}  // namespace
}  // namespace plan
