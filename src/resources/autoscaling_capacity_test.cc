#include <gtest/gtest.h>

#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kRegion = "us-west-2";
const std::string kAsgArn =
    "arn:aws:autoscaling:us-west-2:111122223333:autoScalingGroup:6b5a3b1c-3f0e-4a3f-9a53-0d5e2d7d1e11:"
    "autoScalingGroupName/web";

json desired() {
  return {{"group", "web"}, {"min", 1}, {"desired", 1}, {"max", 6},
          {"tags", {{"drctl:failover-desired", "6"}, {"drctl:stack", "shop-prod"}}}};
}
Target want(json attrs = desired()) { return test::target("autoscaling.capacity.web", kRegion, std::move(attrs)); }

const ResourceType& type() { return autoscaling_capacity_type(); }

TEST(AutoscalingCapacity, ReadMapsTheGroupAndHidesTheUsersTags) {
  Harness h;
  h.reply(200, "autoscaling/describe_auto_scaling_groups.xml");
  const Target targets[] = {want(), test::target("autoscaling.capacity.batch", kRegion, {{"group", "batch"}}),
                            test::target("autoscaling.capacity.gone", kRegion, {{"group", "gone"}})};
  auto out = type().read(h.ctx, kRegion, targets);
  ASSERT_EQ(h.calls(), (Calls{"POST autoscaling:DescribeAutoScalingGroups"}));
  EXPECT_EQ(h.form(0, "AutoScalingGroupNames.member.1"), "batch");  // sorted, deduplicated
  EXPECT_EQ(h.form(0, "AutoScalingGroupNames.member.2"), "gone");
  EXPECT_EQ(h.form(0, "AutoScalingGroupNames.member.3"), "web");
  EXPECT_EQ(h.form(0, "MaxRecords"), "100");
  EXPECT_EQ(fakes::signing_region(h.request(0)), kRegion);

  const auto& web = out.at("autoscaling.capacity.web");
  ASSERT_EQ(web.status, ReadStatus::found);
  EXPECT_EQ(web.live.id, "web");
  EXPECT_EQ(web.live.attrs,
            (json{{"group", "web"}, {"arn", kAsgArn}, {"min", 1}, {"desired", 1}, {"max", 6}, {"instances", 1},
                  {"launch_template", {{"id", "lt-0a1b2c3d4e5f67890"}, {"name", "web"}, {"version", "$Latest"}}},
                  // team and cost-center are the user's: not drctl:*, not desired
                  {"tags", {{"drctl:failover-desired", "6"}, {"drctl:stack", "shop-prod"}}}}));
  const auto& batch = out.at("autoscaling.capacity.batch");
  ASSERT_EQ(batch.status, ReadStatus::found);
  EXPECT_EQ(batch.live.attrs["launch_configuration"], "batch-lc-v2");
  EXPECT_EQ(batch.live.attrs["tags"], json::object());
  EXPECT_EQ(batch.live.attrs["instances"], 0);
  EXPECT_EQ(out.at("autoscaling.capacity.gone").status, ReadStatus::absent);
}

TEST(AutoscalingCapacity, ReadReportsAUserTagThatDesiredNames) {
  Harness h;
  h.reply(200, "autoscaling/describe_auto_scaling_groups.xml");
  json attrs = desired();
  attrs["tags"]["team"] = "platform";
  const Target targets[] = {want(attrs)};
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(out.at("autoscaling.capacity.web").live.attrs["tags"]["team"], "payments");
}

TEST(AutoscalingCapacity, ManyGroupsAreOneCallPerHundredNames) {
  Harness h;
  h.fake->set_handler([](const aws::HttpRequest&) {
    return fakes::SendResult(aws::HttpResponse{200, {}, test::data("autoscaling/describe_auto_scaling_groups.xml")});
  });
  std::vector<Target> targets;
  for (int i = 0; i < 150; ++i)
    targets.push_back(test::target("autoscaling.capacity.g" + std::to_string(i), kRegion,
                                   {{"group", "g" + std::to_string(i)}}));
  auto out = type().read(h.ctx, kRegion, targets);
  EXPECT_EQ(h.calls().size(), 2u);
  EXPECT_FALSE(h.form(0, "AutoScalingGroupNames.member.100").empty());
  EXPECT_TRUE(h.form(0, "AutoScalingGroupNames.member.101").empty());
  EXPECT_FALSE(h.form(1, "AutoScalingGroupNames.member.50").empty());
  EXPECT_EQ(out.size(), 150u);
  EXPECT_EQ(out.at("autoscaling.capacity.g7").status, ReadStatus::absent);
}

TEST(AutoscalingCapacity, ReadFollowsNextToken) {
  Harness h;
  h.reply(200, R"(<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups/>
      <NextToken>tok-2</NextToken></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>)");
  h.reply(200, "autoscaling/describe_auto_scaling_groups.xml");
  const Target targets[] = {want()};
  auto out = type().read(h.ctx, kRegion, targets);
  ASSERT_EQ(h.calls().size(), 2u);
  EXPECT_EQ(h.form(1, "NextToken"), "tok-2");
  EXPECT_EQ(h.form(1, "AutoScalingGroupNames.member.1"), "web");
  EXPECT_EQ(out.at("autoscaling.capacity.web").status, ReadStatus::found);
}

TEST(AutoscalingCapacity, AFailedDescribeIsFailedNotAbsent) {
  Harness h;
  h.reply(503, "<html><body>Service Unavailable</body></html>");
  const Target targets[] = {want()};
  const auto o = type().read(h.ctx, kRegion, targets).at("autoscaling.capacity.web");
  EXPECT_EQ(o.status, ReadStatus::failed);
}

TEST(AutoscalingCapacity, CreateUpdatesCapacityAndTagsOfTheExistingGroup) {
  Harness h;
  h.reply(200, "autoscaling/describe_auto_scaling_groups.xml");
  h.reply(200, "autoscaling/empty_result.xml");
  h.reply(200, "autoscaling/empty_result.xml");
  h.reply(200, "autoscaling/empty_result.xml");
  json attrs = desired();
  attrs["desired"] = 2;
  attrs["tags"] = {{"drctl:failover-desired", "8"}};  // drctl:stack is no longer wanted
  auto live = type().create(h.ctx, want(attrs));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST autoscaling:DescribeAutoScalingGroups", "POST autoscaling:UpdateAutoScalingGroup",
                              "POST autoscaling:CreateOrUpdateTags", "POST autoscaling:DeleteTags"}));
  EXPECT_EQ(h.form(1, "AutoScalingGroupName"), "web");
  EXPECT_EQ(h.form(1, "MinSize"), "1");
  EXPECT_EQ(h.form(1, "MaxSize"), "6");
  EXPECT_EQ(h.form(1, "DesiredCapacity"), "2");
  EXPECT_EQ(h.form(2, "Tags.member.1.ResourceId"), "web");
  EXPECT_EQ(h.form(2, "Tags.member.1.ResourceType"), "auto-scaling-group");
  EXPECT_EQ(h.form(2, "Tags.member.1.Key"), "drctl:failover-desired");
  EXPECT_EQ(h.form(2, "Tags.member.1.Value"), "8");
  EXPECT_EQ(h.form(2, "Tags.member.1.PropagateAtLaunch"), "false");
  EXPECT_EQ(h.form(3, "Tags.member.1.Key"), "drctl:stack");  // never the user's team / cost-center
  EXPECT_TRUE(h.form(3, "Tags.member.2.Key").empty());
  EXPECT_EQ(live->id, "web");
  EXPECT_EQ(live->attrs["desired"], 2);
  EXPECT_EQ(live->attrs["arn"], kAsgArn);
}

TEST(AutoscalingCapacity, CreateOfAMissingGroupFailsClearly) {
  Harness h;
  h.reply(200, R"(<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups/>
      </DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>)");
  auto live = type().create(h.ctx, want());
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().message,
            "Auto Scaling group web does not exist in us-west-2: drctl manages its capacity, not the group");
  EXPECT_EQ(h.calls().size(), 1u);
}

TEST(AutoscalingCapacity, UpdateOfAGroupDeletedMeanwhileFailsClearly) {
  Harness h;
  h.reply(400, "autoscaling/validation_error.xml");
  json have = desired();
  have["min"] = 0;
  auto live = type().update(h.ctx, want(), Live{"web", have});
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.error().message.find("does not exist in us-west-2"), std::string::npos);
}

TEST(AutoscalingCapacity, UpdateWithNothingToChangeCallsNothing) {
  Harness h;
  json have = desired();
  have["arn"] = kAsgArn;
  auto live = type().update(h.ctx, want(), Live{"web", have});
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(h.calls().empty());
}

TEST(AutoscalingCapacity, DestroyOnlyForgets) {
  Harness h;
  EXPECT_TRUE(type().destroy(h.ctx, test::target("autoscaling.capacity.web", kRegion, desired(), "web")).ok());
  EXPECT_TRUE(h.calls().empty());
  EXPECT_FALSE(type().schema().data_bearing);
  EXPECT_EQ(type().schema().kind_of("group"), AttrKind::replace);
}

}  // namespace
}  // namespace resources
