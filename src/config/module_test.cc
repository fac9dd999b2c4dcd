// Module loading: includes of shipped and local fragments, merging, settings, locals, checks,
// for_each and region expressions; include errors point at the include entry.
#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace config {
namespace {

using namespace testing_util;
using nlohmann::json;

TEST(Module, IncludesMergeAndTheIncludingFileWins) {
  model::Diagnostics diags;
  auto topo = load_stack(data("module_include"), source_paths(), diags);
  ASSERT_TRUE(topo) << dump(diags);
  auto g = expand(*topo, source_paths(), diags);
  ASSERT_TRUE(g) << dump(diags);
  std::vector<std::string> got;
  for (const auto& r : g->resources) got.push_back(r.address.str());
  // S3 from the shipped fragment; the alarm once per for_each element, in that element's region.
  EXPECT_EQ(got, (std::vector<std::string>{"cloudwatch.alarm.orders-ap-south-1", "cloudwatch.alarm.orders-us-west-1",
                                           "iam.role.assets-replication", "s3.bucket.assets", "s3.replication.assets"}));
  const auto* west = g->find("cloudwatch.alarm.orders-us-west-1");
  EXPECT_EQ(west->region, "us-west-1");
  EXPECT_EQ(g->find("cloudwatch.alarm.orders-ap-south-1")->region, "ap-south-1");
  EXPECT_EQ(west->attrs, (json{{"name", "drctl-shop-orders"}, {"threshold", 5}, {"level", "high"},
                               {"kind_local", "shop-orders/blue"}}));
  EXPECT_EQ(g->find("s3.bucket.assets")->region, "eu-central-1");
  // The module's check is a warning at the nearest written ancestor of replica.multi_az.
  ASSERT_EQ(diags.size(), 1u) << dump(diags);
  EXPECT_EQ(diags[0].severity, model::Severity::warning);
  EXPECT_EQ(diags[0].summary, "level high: orders should be multi_az");
  EXPECT_EQ(diags[0].field, "workloads.orders.replica.multi_az");
  EXPECT_AT(&diags[0], "module_include/s.dr.yaml", 7, 45);
  EXPECT_NE(diags[0].detail.find("mod/module.yaml:10"), std::string::npos) << diags[0].detail;
}

TEST(Module, InputsDeclaredInFragmentsAreCheckedAtTheStack) {
  model::Diagnostics diags;
  auto topo = load_stack(data("module_include"), source_paths(), diags);
  ASSERT_TRUE(topo) << dump(diags);
  EXPECT_EQ(topo->strategy_inputs, (json{{"threshold", 5}}));
}

TEST(Module, IncludeCyclesAndMissingFilesAreErrorsAtTheIncludeEntry) {
  model::Diagnostics diags;
  EXPECT_FALSE(load_stack(data("module_cycle"), source_paths(), diags));
  ASSERT_EQ(diags.size(), 2u) << dump(diags);
  const model::Diagnostic* cycle = nullptr;
  const model::Diagnostic* missing = nullptr;
  for (const auto& d : diags) (d.summary.rfind("include cycle", 0) == 0 ? cycle : missing) = &d;
  ASSERT_TRUE(cycle && missing) << dump(diags);
  EXPECT_AT(cycle, "module_cycle/mod/a.yaml", 2, 11);
  EXPECT_EQ(cycle->field, "include[0]");
  EXPECT_NE(cycle->summary.find("module.yaml includes itself"), std::string::npos) << cycle->summary;
  EXPECT_AT(missing, "module_cycle/mod/module.yaml", 4, 5);
  EXPECT_NE(missing->summary.find("cannot find included module file"), std::string::npos) << missing->summary;
}

TEST(Module, ShippedModulesAreAllIncludesAndSettings) {
  // The four strategies differ only in settings and input defaults: nothing is copied.
  for (const char* s : {"backup-restore", "pilot-light", "warm-standby", "active-active"}) {
    model::Diagnostics diags;
    auto topo = load_stack(data("good"), source_paths(), diags);
    ASSERT_TRUE(topo) << dump(diags);
    topo->strategy = s;
    topo->document["strategy"] = s;
    auto g = expand(*topo, source_paths(), diags);
    ASSERT_TRUE(g) << s << "\n" << dump(diags);
  }
}

}  // namespace
}  // namespace config
