#include "config/template.h"

#include <gtest/gtest.h>

namespace config {
namespace {

using nlohmann::json;

TemplateContext context() {
  TemplateContext c;
  c.values = json::parse(R"({
    "stack": "shop", "regions": {"primary": "us-east-1", "dr": "us-west-2"},
    "workload": {"name": "assets"}, "spec": {"source": "shop-assets", "rtc": true, "tags": {"a": "b"}},
    "backups": {"retention": "35d", "window": {"start": "90m"}}, "inputs": {"n": 3, "list": ["rds"]}})");
  c.kinds = {"s3"};
  return c;
}

TEST(Template, WholeExpressionKeepsItsJsonType) {
  const auto c = context();
  EXPECT_EQ(*render_string("${spec.rtc}", c), json(true));
  EXPECT_EQ(*render_string("${inputs.n}", c), json(3));
  EXPECT_EQ(*render_string("${spec.tags}", c), json({{"a", "b"}}));
  EXPECT_EQ(*render_string("${inputs.list}", c), json({"rds"}));
  EXPECT_TRUE(render_string("${spec.missing}", c)->is_null());
}

TEST(Template, EmbeddedExpressionsSpliceTextAndReferencesPassThrough) {
  const auto c = context();
  EXPECT_EQ(*render_string("drctl-${stack}-${workload.name}-replication", c), json("drctl-shop-assets-replication"));
  EXPECT_EQ(*render_string("@{iam.role.${workload.name}-replication#arn}", c), json("@{iam.role.assets-replication#arn}"));
  EXPECT_EQ(*render_string("n=${inputs.n} $${literal}", c), json("n=3 ${literal}"));
  EXPECT_EQ(render_string("x-${spec.missing}", c).error(), "'spec.missing' is not set, so it cannot be spliced into text");
}

TEST(Template, HelpersComputeDurationsAndConditions) {
  const auto c = context();
  EXPECT_EQ(*render_string("${duration_days(backups.retention)}", c), json(35));
  EXPECT_EQ(*render_string("${duration_minutes(backups.window.start)}", c), json(90));
  EXPECT_EQ(*render_string("${duration_minutes(default(backups.window.complete, '7d'))}", c), json(10080));
  EXPECT_TRUE(render_string("${duration_days(backups.cold_after)}", c)->is_null());
  EXPECT_EQ(render_string("${duration_days(backups.window.start)}", c).error(),
            "duration '90m' is not a whole number of days");
  EXPECT_EQ(*render_string("${if(spec.kms_key, 'aws:kms', 'AES256')}", c), json("AES256"));
  EXPECT_EQ(*render_string("${and(has_kind('s3'), not(has_kind('rds')), contains(inputs.list, 'rds'))}", c), json(true));
  EXPECT_EQ(*render_string("${default(spec.none, map())}", c), json::object());
  EXPECT_EQ(render_string("${nope.x}", c).error(),
            "unknown name 'nope' (known: backups, inputs, regions, spec, stack, workload)");
  EXPECT_EQ(render_string("${frobnicate(1)}", c).error(), "unknown function 'frobnicate'");
}

TEST(Template, WhenDropsObjectsAndNullMembersDisappear) {
  const auto c = context();
  auto out = render(json::parse(R"({
    "kms": "${spec.kms_key}", "keep": "${spec.source}",
    "list": [{"$when": "${spec.rtc}", "x": 1}, {"$when": "${spec.kms_key}", "y": 2}],
    "obj": {"$when": false, "z": 3}})"), c);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, json::parse(R"({"keep": "shop-assets", "list": [{"x": 1}]})"));
  auto bad = render(json::parse(R"({"a": {"b": ["ok", "${bogus}"]}})"), c);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().pointer, "/a/b/1");
}

}  // namespace
}  // namespace config
