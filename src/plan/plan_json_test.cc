#include "plan/plan_json.h"

#include <gtest/gtest.h>

namespace plan {
namespace {

TEST(PlanJson, RoundTripsEveryField) {
  Plan p;
  p.stack = "shop";
  p.config_dir = "/x";
  p.config_hash = "abc";
  p.lineage = "lin";
  p.serial = 7;
  Change c;
  c.address = "s3.replication.assets";
  c.type = "s3.replication";
  c.region = "us-east-1";
  c.action = Action::update;
  c.reason = "differs: rules[0].rtc";
  c.after = {{"rules", {{{"rtc", true}}}}};
  c.attrs.push_back({"rules[0].rtc", false, true, false, false});
  c.depends_on = {"iam.role.assets-replication"};
  c.where = model::SourceRange{"a.dr.yaml", 3, 5};
  p.changes.push_back(c);
  p.diagnostics.push_back({model::Severity::warning, "w", "d", model::SourceRange{"a", 1, 2}, "x", "f"});

  std::string error;
  auto back = from_json(to_json(p), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(to_json(*back), to_json(p));
  EXPECT_EQ(back->changes[0].attrs[0], c.attrs[0]);
}

TEST(PlanJson, RefusesOtherFormatsAndGarbage) {
  std::string error;
  EXPECT_FALSE(from_json(nlohmann::json::parse(R"({"format_version": 99})"), error));
  EXPECT_NE(error.find("not supported"), std::string::npos);
  EXPECT_FALSE(from_json(nlohmann::json::array(), error));
  EXPECT_FALSE(from_json(nlohmann::json::parse(R"({"format_version": 1})"), error));
}

}  // namespace
}  // namespace plan
