#include "model/resource.h"

#include <gtest/gtest.h>

namespace model {
namespace {

TEST(Address, SplitsTypeFromName) {
  auto a = Address::parse("s3.bucket.assets.v2");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, "s3.bucket");
  EXPECT_EQ(a->name, "assets.v2");
  EXPECT_EQ(a->str(), "s3.bucket.assets.v2");
  EXPECT_FALSE(Address::parse("s3.bucket"));
  EXPECT_FALSE(Address::parse("s3..x"));
  EXPECT_FALSE(Address::parse(".bucket.x"));
}

TEST(References, FindsEveryReferenceInNestedValues) {
  auto v = nlohmann::json::parse(R"({"a":"@{backup.vault.dr#arn}","b":["x-@{iam.role.r#name}-y"]})");
  auto refs = find_references(v);
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].address, "backup.vault.dr");
  EXPECT_EQ(refs[0].attribute, "arn");
  EXPECT_EQ(refs[1].address, "iam.role.r");
}

TEST(References, WholeStringKeepsTypeEmbeddedIsSplicedUnknownIsReported) {
  auto v = nlohmann::json::parse(R"({"n":"@{a.b.c#count}","s":"pre-@{a.b.c#name}","u":"@{x.y.z#arn}"})");
  auto left = resolve_references(v, [](const Reference& r) -> std::optional<nlohmann::json> {
    if (r.address != "a.b.c") return std::nullopt;
    return r.attribute == "count" ? nlohmann::json(3) : nlohmann::json("nm");
  });
  EXPECT_EQ(v["n"], 3);
  EXPECT_EQ(v["s"], "pre-nm");
  EXPECT_EQ(v["u"], "@{x.y.z#arn}");
  EXPECT_EQ(left, std::vector<std::string>{"x.y.z"});
}

}  // namespace
}  // namespace model

namespace model {
namespace {

TEST(Graph, FindsByAddressWithAndWithoutTheIndex) {
  Graph g;
  for (const char* a : {"s3.bucket.a", "iam.role.b", "backup.vault.dr"}) {
    Resource r;
    r.address = *Address::parse(a);
    g.resources.push_back(r);
  }
  EXPECT_EQ(g.find("iam.role.b"), &g.resources[1]);  // scan
  g.reindex();
  EXPECT_EQ(g.find("backup.vault.dr"), &g.resources[2]);
  EXPECT_EQ(g.find("backup.vault.x"), nullptr);
  Resource extra;
  extra.address = *Address::parse("sns.topic.t");
  g.resources.push_back(extra);  // changed after indexing: still found
  EXPECT_EQ(g.find("sns.topic.t"), &g.resources[3]);
  Graph copy = g;
  copy.reindex();
  EXPECT_EQ(copy.find("s3.bucket.a"), &copy.resources[0]);
}

}  // namespace
}  // namespace model
