#include "apply/targets.h"

#include <gtest/gtest.h>

namespace apply {
namespace {

model::Resource resource(const std::string& address, const std::string& workload,
                         std::vector<std::string> depends_on = {}) {
  model::Resource r;
  r.address = *model::Address::parse(address);
  r.region = "us-east-1";
  r.attrs = nlohmann::json::object();
  r.workload = workload;
  r.depends_on = std::move(depends_on);
  return r;
}

// Two workloads: orders (bucket + replication that needs the role) and a DynamoDB table.
model::Graph stack() {
  model::Graph g;
  g.stack = "shop";
  g.resources = {resource("dynamodb.replica.carts", "carts"),
                 resource("iam.role.orders-replication", "orders"),
                 resource("s3.bucket.orders", "orders"),
                 resource("s3.replication.orders", "orders",
                          {"iam.role.orders-replication", "s3.bucket.orders"})};
  g.reindex();
  return g;
}

std::vector<std::string> addresses(const model::Graph& g) {
  std::vector<std::string> out;
  for (const auto& r : g.resources) out.push_back(r.address.str());
  return out;
}

TEST(Targets, AGlobSelectsItsResourcesAndTheirDependencies) {
  auto s = select_targets(stack(), {}, {"s3.replication.*"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(addresses(s.value().graph),
            (std::vector<std::string>{"iam.role.orders-replication", "s3.bucket.orders", "s3.replication.orders"}));
  EXPECT_NE(s.value().graph.find("s3.bucket.orders"), nullptr);
  EXPECT_EQ(s.value().graph.find("dynamodb.replica.carts"), nullptr);
}

TEST(Targets, AWorkloadNameSelectsTheWorkload) {
  auto s = select_targets(stack(), {}, {"carts"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(addresses(s.value().graph), (std::vector<std::string>{"dynamodb.replica.carts"}));
}

TEST(Targets, StateOnlyRecordsComeAlongWhenNamedAndOthersStayOut) {
  std::map<std::string, plan::Prior> prior;
  prior["s3.bucket.orders"] = {"s3.bucket.orders", "s3.bucket", "us-west-2", "orders", "orders-dr", {}, {}};
  prior["s3.bucket.legacy"] = {"s3.bucket.legacy", "s3.bucket", "us-west-2", "legacy", "legacy-dr", {}, {}};
  prior["dynamodb.replica.carts"] = {"dynamodb.replica.carts", "dynamodb.replica", "us-west-2", "carts", "carts", {}, {}};
  auto s = select_targets(stack(), prior, {"s3.bucket.*"});
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s.value().addresses, (std::set<std::string>{"s3.bucket.legacy", "s3.bucket.orders"}));
  EXPECT_EQ(s.value().prior.size(), 2u);
  EXPECT_FALSE(s.value().prior.count("dynamodb.replica.carts"));
}

TEST(Targets, APatternMatchingNothingIsAnErrorNamingIt) {
  auto s = select_targets(stack(), {}, {"carts", "s3.bukcet.*"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("--target s3.bukcet.* matches no resource"), std::string::npos) << s.error();
}

}  // namespace
}  // namespace apply
