// The failover operation types: read reports found only when the step's effect is in place,
// create performs it and waits; the exact AWS calls in order.
#include <gtest/gtest.h>

#include "resources/op_common.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kRegion = "us-west-2";

std::string db_instances(const std::string& status, const std::string& source) {
  return "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance>"
         "<DBInstanceIdentifier>orders-dr</DBInstanceIdentifier><DBInstanceStatus>" + status +
         "</DBInstanceStatus>" +
         (source.empty() ? "" : "<ReadReplicaSourceDBInstanceIdentifier>" + source +
                                    "</ReadReplicaSourceDBInstanceIdentifier>") +
         "</DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>";
}
const std::string kSource = "arn:aws:rds:us-east-1:111122223333:db:orders";

Target promote_target() {
  return test::target("op.rds_promote.orders", kRegion, {{"identifier", "orders-dr"}, {"source", "orders"}});
}

std::unique_ptr<ResourceType> promote_type() {
  rds::WaitPolicy p;
  p.timeout = std::chrono::seconds(60);
  p.sleep = [](std::chrono::milliseconds) {};
  return op::make_rds_promote_type(p);
}

TEST(OpRdsPromote, ReadIsAbsentWhileAReplicaAndFoundOnceStandalone) {
  Harness h;
  h.reply(200, db_instances("available", kSource));
  const Target t[] = {promote_target()};
  EXPECT_EQ(promote_type()->read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::absent);
  h.reply(200, db_instances("available", ""));
  auto out = promote_type()->read(h.ctx, kRegion, t).at(t[0].address);
  ASSERT_EQ(out.status, ReadStatus::found);
  EXPECT_EQ(out.live.attrs, t[0].attrs);  // the diff sees "done": no change
  EXPECT_EQ(h.form(0, "DBInstanceIdentifier"), "orders-dr");
}

TEST(OpRdsPromote, AMissingInstanceIsAFailedReadNotWorkToDo) {
  Harness h;
  h.reply(404, "rds/db_instance_not_found.xml");
  const Target t[] = {promote_target()};
  auto out = promote_type()->read(h.ctx, kRegion, t).at(t[0].address);
  ASSERT_EQ(out.status, ReadStatus::failed);
  EXPECT_EQ(out.error->code, "DBInstanceNotFound");
}

TEST(OpRdsPromote, CreatePromotesThenWaitsUntilAvailableAndStandalone) {
  Harness h;
  h.reply(200, db_instances("available", kSource));
  h.reply(200, "<PromoteReadReplicaResponse><PromoteReadReplicaResult/></PromoteReadReplicaResponse>");
  h.reply(200, db_instances("modifying", kSource));
  h.reply(200, db_instances("modifying", ""));
  h.reply(200, db_instances("available", ""));
  auto live = promote_type()->create(h.ctx, promote_target());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(live.value().id, "orders-dr");
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBInstances", "POST rds:PromoteReadReplica",
                              "POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances",
                              "POST rds:DescribeDBInstances"}));
  EXPECT_EQ(h.form(1, "DBInstanceIdentifier"), "orders-dr");
}

TEST(OpRdsPromote, CreateOfAnAlreadyPromotedInstanceCallsNothingMutating) {
  Harness h;
  h.reply(200, db_instances("available", ""));
  h.reply(200, db_instances("available", ""));
  ASSERT_TRUE(promote_type()->create(h.ctx, promote_target()).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances"}));
}

std::string asg(int min, int desired, int max) {
  return "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups><member>"
         "<AutoScalingGroupName>web</AutoScalingGroupName><MinSize>" + std::to_string(min) +
         "</MinSize><MaxSize>" + std::to_string(max) + "</MaxSize><DesiredCapacity>" +
         std::to_string(desired) + "</DesiredCapacity></member></AutoScalingGroups>"
         "</DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>";
}

TEST(OpAsgScale, FoundOnlyAtOrAboveTheFailoverCapacity) {
  Harness h;
  const Target t[] = {test::target("op.asg_scale.web", kRegion, {{"group", "web"}, {"min", 2}, {"desired", 6}, {"max", 6}})};
  h.reply(200, asg(1, 1, 6));
  EXPECT_EQ(op_asg_scale_type().read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::absent);
  h.reply(200, asg(2, 8, 10));  // scaled further by someone: not scaled down
  auto out = op_asg_scale_type().read(h.ctx, kRegion, t).at(t[0].address);
  ASSERT_EQ(out.status, ReadStatus::found);
  EXPECT_EQ(out.live.attrs, t[0].attrs);
}

TEST(OpAsgScale, CreateRaisesEachValueToTheFailoverOneAndNeverLowers) {
  Harness h;
  h.reply(200, asg(1, 1, 12));
  h.reply(200, "<UpdateAutoScalingGroupResponse/>");
  auto live = op_asg_scale_type().create(
      h.ctx, test::target("op.asg_scale.web", kRegion, {{"group", "web"}, {"min", 2}, {"desired", 6}, {"max", 6}}));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST autoscaling:DescribeAutoScalingGroups", "POST autoscaling:UpdateAutoScalingGroup"}));
  EXPECT_EQ(h.form(1, "MinSize"), "2");
  EXPECT_EQ(h.form(1, "DesiredCapacity"), "6");
  EXPECT_EQ(h.form(1, "MaxSize"), "12");
}

TEST(OpAsgScale, AMissingGroupFailsTheRead) {
  Harness h;
  h.reply(200, "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups/>"
               "</DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>");
  const Target t[] = {test::target("op.asg_scale.web", kRegion, {{"group", "web"}, {"desired", 6}})};
  EXPECT_EQ(op_asg_scale_type().read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::failed);
}

TEST(OpSnsNotify, DoneIsWhatStateRemembersAndReadCallsNothing) {
  Harness h;
  Target t[] = {test::target("op.sns_notify.failover", kRegion, {{"topic", "dr-events"}, {"message", "m"}})};
  EXPECT_EQ(op_sns_notify_type().read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::absent);
  t[0].id = "msg-1";
  EXPECT_EQ(op_sns_notify_type().read(h.ctx, kRegion, t).at(t[0].address).status, ReadStatus::found);
  EXPECT_TRUE(h.calls().empty());
}

TEST(OpTypes, OperationsNeverDestroyAnything) {
  Harness h;
  for (const auto* t : {&op_rds_promote_type(), &op_asg_scale_type(), &op_ecs_scale_type(), &op_dns_switch_type(),
                        &op_sns_notify_type()}) {
    EXPECT_TRUE(t->destroy(h.ctx, test::target(std::string(t->name()) + ".x", kRegion, json::object())).ok());
    EXPECT_FALSE(t->schema().data_bearing);
  }
  EXPECT_TRUE(h.calls().empty());
}

}  // namespace
}  // namespace resources
