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

TEST(Template, TextNumbersAndNamesHelpers) {
  const auto c = context();
  EXPECT_EQ(*render_string("${string(inputs.n)}", c), json("3"));
  EXPECT_TRUE(render_string("${string(spec.none)}", c)->is_null());
  EXPECT_EQ(*render_string("${concat('drctl-', stack, '/', inputs.n)}", c), json("drctl-shop/3"));
  EXPECT_EQ(*render_string("${truncate(sha256('shop/route53.health_check.api'), 8)}", c), json("e3d73896"));
  EXPECT_EQ(*render_string("${fqdn('API.Shop.Example')}", c), json("api.shop.example."));
  EXPECT_EQ(*render_string("${fqdn('api.shop.example.')}", c), json("api.shop.example."));
  EXPECT_EQ(*render_string("${ip_version('192.0.2.1')}", c), json(4));
  EXPECT_EQ(*render_string("${ip_version('2001:db8::1')}", c), json(6));
  EXPECT_EQ(*render_string("${ip_version('a.example.net')}", c), json(0));
  EXPECT_EQ(*render_string("${length(spec.source)}", c), json(11));
  EXPECT_EQ(*render_string("${max(1, spec.none, inputs.n)}", c), json(3));
  EXPECT_EQ(*render_string("${min(5, inputs.n)}", c), json(3));
  EXPECT_EQ(*render_string("${and(gt(inputs.n, 2), lt(inputs.n, 4))}", c), json(true));
  EXPECT_EQ(*render_string("${upper('primary')}", c), json("PRIMARY"));
  EXPECT_EQ(*render_string("${list('a', inputs.n)}", c), json({"a", 3}));
  EXPECT_EQ(*render_string("${get(spec, 'source')}", c), json("shop-assets"));
  EXPECT_EQ(*render_string("${get(backups, 'window').start}", c), json("90m"));
  EXPECT_EQ(*render_string("${get(inputs.list, 0)}", c), json("rds"));
  EXPECT_TRUE(render_string("${get(inputs.list, 5)}", c)->is_null());
  EXPECT_EQ(*render_string("${duration_milliseconds(backups.window.start)}", c), json(5400000));
  EXPECT_EQ(render_string("${max(1, 'x')}", c).error(), "max() takes numbers, got \"x\"");
}

TEST(Template, ForRepeatsAListItemPerElement) {
  auto c = context();
  c.values["notify"] = json::parse(R"({"emails": ["a@example.com", "b@example.com"]})");
  auto out = render(json::parse(R"({"subs": [
      {"protocol": "sqs", "endpoint": "q"},
      {"$for": "${notify.emails}", "protocol": "email", "endpoint": "${item}"},
      {"$for": "${notify.none}", "x": 1},
      {"$for": "${inputs.list}", "$when": "${eq(item, 'efs')}", "y": "${item}"}]})"), c);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, json::parse(R"({"subs": [{"protocol": "sqs", "endpoint": "q"},
      {"protocol": "email", "endpoint": "a@example.com"}, {"protocol": "email", "endpoint": "b@example.com"}]})"));
  auto bad = render(json::parse(R"({"l": [{"$for": "${stack}", "x": 1}]})"), c);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().pointer, "/l/0/$for");
  EXPECT_EQ(bad.error().message, "$for needs a list, got \"shop\"");
}

}  // namespace
}  // namespace config
