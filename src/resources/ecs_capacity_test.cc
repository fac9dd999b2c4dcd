#include <gtest/gtest.h>

#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kRegion = "us-west-2";
const std::string kPrefix = "POST ecs:AmazonEC2ContainerServiceV20141113.";
const std::string kArn = "arn:aws:ecs:us-west-2:111122223333:service/shop/api";

json desired() {
  return {{"cluster", "shop"}, {"service", "api"}, {"desired_count", 1},
          {"tags", {{"drctl:failover-count", "3"}, {"drctl:stack", "shop-prod"}}}};
}
Target want(json attrs = desired()) { return test::target("ecs.capacity.api", kRegion, std::move(attrs)); }
Target other(const std::string& cluster, const std::string& service) {
  return test::target("ecs.capacity." + service, kRegion, {{"cluster", cluster}, {"service", service}});
}
const ResourceType& type() { return ecs_capacity_type(); }

void json_error(Harness& h, int status, const std::string& file) {
  h.reply(status, file, {{"Content-Type", "application/x-amz-json-1.1"}});
}

TEST(EcsCapacity, ReadMapsServicesMissingAndInactive) {
  Harness h;
  h.reply(200, "ecs/describe_services.json");
  const Target targets[] = {want(), other("shop", "missing"), other("shop", "old-worker")};
  auto out = type().read(h.ctx, kRegion, targets);
  ASSERT_EQ(h.calls(), (Calls{kPrefix + "DescribeServices"}));
  EXPECT_EQ(h.json_body(0), (json{{"cluster", "shop"}, {"services", {"api", "missing", "old-worker"}}, {"include", {"TAGS"}}}));
  const auto& api = out.at("ecs.capacity.api");
  ASSERT_EQ(api.status, ReadStatus::found);
  EXPECT_EQ(api.live.id, "shop/api");
  EXPECT_EQ(api.live.attrs, (json{{"cluster", "shop"}, {"service", "api"}, {"arn", kArn}, {"desired_count", 1},
                                  {"running_count", 1},
                                  {"task_definition", "arn:aws:ecs:us-west-2:111122223333:task-definition/api:17"},
                                  {"tags", {{"drctl:failover-count", "3"}, {"drctl:stack", "shop-prod"}}}}));
  EXPECT_EQ(out.at("ecs.capacity.missing").status, ReadStatus::absent);
  EXPECT_EQ(out.at("ecs.capacity.old-worker").status, ReadStatus::absent);  // INACTIVE = deleted
}

TEST(EcsCapacity, ReadChunksTenServicesPerCallPerCluster) {
  Harness h;
  h.fake->set_handler([](const aws::HttpRequest&) {
    return fakes::SendResult(aws::HttpResponse{200, {}, R"({"services": [], "failures": []})"});
  });
  std::vector<Target> targets;
  for (int i = 0; i < 23; ++i) targets.push_back(other("shop", "s" + std::to_string(100 + i)));
  targets.push_back(other("batch", "worker"));
  auto out = type().read(h.ctx, kRegion, targets);
  ASSERT_EQ(h.calls().size(), 4u);  // batch: 1; shop: 10 + 10 + 3
  EXPECT_EQ(h.json_body(0)["cluster"], "batch");
  EXPECT_EQ(h.json_body(1)["services"].size(), 10u);
  EXPECT_EQ(h.json_body(2)["services"].size(), 10u);
  EXPECT_EQ(h.json_body(3)["services"].size(), 3u);
  EXPECT_EQ(h.json_body(3)["cluster"], "shop");
  EXPECT_EQ(out.size(), 24u);
  EXPECT_EQ(out.at("ecs.capacity.s105").status, ReadStatus::absent);
}

TEST(EcsCapacity, AMissingClusterIsAbsentOtherErrorsAreFailed) {
  Harness h;
  json_error(h, 400, "ecs/cluster_not_found.json");
  const Target targets[] = {want()};
  EXPECT_EQ(type().read(h.ctx, kRegion, targets).at("ecs.capacity.api").status, ReadStatus::absent);

  Harness denied;
  denied.reply(400, R"({"__type": "AccessDeniedException", "message": "not allowed"})",
               {{"Content-Type", "application/x-amz-json-1.1"}});
  const auto o = type().read(denied.ctx, kRegion, targets).at("ecs.capacity.api");
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "AccessDeniedException");
}

TEST(EcsCapacity, AFailureOtherThanMissingIsFailed) {
  Harness h;
  h.reply(200, R"({"services": [], "failures": [{"arn": "arn:aws:ecs:us-west-2:111122223333:service/shop/api", "reason": "INTERNAL_ERROR"}]})");
  const Target targets[] = {want()};
  const auto o = type().read(h.ctx, kRegion, targets).at("ecs.capacity.api");
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "INTERNAL_ERROR");
}

TEST(EcsCapacity, CreateSetsDesiredCountAndManagedTagsOnly) {
  Harness h;
  h.reply(200, "ecs/describe_services.json");
  h.reply(200, "ecs/update_service.json");
  h.reply(200, "{}");
  h.reply(200, "{}");
  json attrs = desired();
  attrs["desired_count"] = 2;
  attrs["tags"] = {{"drctl:failover-count", "4"}};
  auto live = type().create(h.ctx, want(attrs));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kPrefix + "DescribeServices", kPrefix + "UpdateService", kPrefix + "TagResource",
                              kPrefix + "UntagResource"}));
  EXPECT_EQ(h.json_body(1), (json{{"cluster", "shop"}, {"service", "api"}, {"desiredCount", 2}}));
  EXPECT_EQ(h.json_body(2), (json{{"resourceArn", kArn}, {"tags", {{{"key", "drctl:failover-count"}, {"value", "4"}}}}}));
  EXPECT_EQ(h.json_body(3), (json{{"resourceArn", kArn}, {"tagKeys", {"drctl:stack"}}}));  // never "team"
  EXPECT_EQ(live->id, "shop/api");
  EXPECT_EQ(live->attrs["desired_count"], 2);
  EXPECT_EQ(live->attrs["arn"], kArn);
}

TEST(EcsCapacity, CreateOfAMissingServiceFailsClearly) {
  Harness h;
  h.reply(200, R"({"services": [], "failures": [{"arn": "arn:aws:ecs:us-west-2:111122223333:service/shop/api", "reason": "MISSING"}]})");
  auto live = type().create(h.ctx, want());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().message,
            "ECS service api does not exist in cluster shop in us-west-2: drctl manages its desired count, not the service");
}

TEST(EcsCapacity, UpdateChangesOnlyWhatDiffers) {
  Harness h;
  h.reply(200, "ecs/update_service.json");
  json have = desired();
  have["arn"] = kArn;
  have["desired_count"] = 3;
  auto live = type().update(h.ctx, want(), Live{"shop/api", have});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{kPrefix + "UpdateService"}));
  EXPECT_EQ(h.json_body(0)["desiredCount"], 1);
}

TEST(EcsCapacity, DestroyOnlyForgets) {
  Harness h;
  EXPECT_TRUE(type().destroy(h.ctx, test::target("ecs.capacity.api", kRegion, desired(), "shop/api")).ok());
  EXPECT_TRUE(h.calls().empty());
}

}  // namespace
}  // namespace resources
