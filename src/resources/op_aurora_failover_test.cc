// op.aurora_failover: read reports found only when the DR cluster is the writer, create sends
// the switchover or the data-losing failover to the DR region and waits; exact calls in order.
#include <gtest/gtest.h>

#include "fakes/fake_transport.h"
#include "resources/op_common.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;

const std::string kDr = "us-west-2";
const std::string kId = "drctl-shop-catalog";
const std::string kPrimaryArn = "arn:aws:rds:us-east-1:111122223333:cluster:catalog-primary";
const std::string kTargetArn = "arn:aws:rds:us-west-2:111122223333:cluster:drctl-shop-catalog-dr";

std::string wrap(const std::string& action, const std::string& inner) {
  return "<" + action + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><" + action + "Result>" +
         inner + "</" + action + "Result></" + action + "Response>";
}
std::string member(const std::string& arn, bool writer) {
  return "<GlobalClusterMember><DBClusterArn>" + arn + "</DBClusterArn><IsWriter>" + (writer ? "true" : "false") +
         "</IsWriter></GlobalClusterMember>";
}
// The global cluster as DescribeGlobalClusters answers it; dr_writer flips the roles.
std::string global(const std::string& status, bool dr_writer, bool with_target = true) {
  return wrap("DescribeGlobalClusters",
              "<GlobalClusters><GlobalClusterMember><GlobalClusterIdentifier>" + kId +
                  "</GlobalClusterIdentifier><Status>" + status + "</Status><GlobalClusterMembers>" +
                  member(kPrimaryArn, !dr_writer) + (with_target ? member(kTargetArn, dr_writer) : "") +
                  "</GlobalClusterMembers></GlobalClusterMember></GlobalClusters>");
}
const std::string kNotFound =
    "<ErrorResponse><Error><Type>Sender</Type><Code>GlobalClusterNotFoundFault</Code>"
    "<Message>Global cluster drctl-shop-catalog not found.</Message></Error></ErrorResponse>";

Target step(const std::string& mode, json extra = json::object()) {
  json attrs = {{"global_cluster_id", kId}, {"target_cluster_id", "drctl-shop-catalog-dr"}, {"mode", mode}};
  attrs.update(extra);
  return test::target("op.aurora_failover.catalog", kDr, attrs);
}

std::unique_ptr<ResourceType> type() {
  rds::WaitPolicy p;
  p.timeout = std::chrono::seconds(60);
  p.sleep = [](std::chrono::milliseconds) {};
  return op::make_aurora_failover_type(p);
}

TEST(OpAuroraFailover, ReadIsAbsentWhileTheDrClusterReadsAndFoundOnceItWrites) {
  Harness h;
  h.reply(200, global("available", false));
  const Target t[] = {step("switchover")};
  EXPECT_EQ(type()->read(h.ctx, kDr, t).at(t[0].address).status, ReadStatus::absent);
  h.reply(200, global("available", true));
  auto out = type()->read(h.ctx, kDr, t).at(t[0].address);
  ASSERT_EQ(out.status, ReadStatus::found);
  EXPECT_EQ(out.live.attrs, t[0].attrs);  // the diff sees "done": no change
  EXPECT_EQ(h.form(0, "GlobalClusterIdentifier"), kId);
  EXPECT_EQ(fakes::signing_region(h.request(0)), kDr);  // never the primary region
}

TEST(OpAuroraFailover, AMissingGlobalClusterOrMemberIsAFailedReadNotWorkToDo) {
  Harness h;
  const Target t[] = {step("failover")};
  h.reply(404, kNotFound);
  auto gone = type()->read(h.ctx, kDr, t).at(t[0].address);
  ASSERT_EQ(gone.status, ReadStatus::failed);
  EXPECT_EQ(gone.error->code, "GlobalClusterNotFoundFault");

  h.reply(200, global("available", false, /*with_target=*/false));
  auto not_member = type()->read(h.ctx, kDr, t).at(t[0].address);
  ASSERT_EQ(not_member.status, ReadStatus::failed);
  EXPECT_EQ(not_member.error->code, "DBClusterNotFoundFault");
  EXPECT_NE(not_member.error->message.find("drctl-shop-catalog-dr"), std::string::npos);

  h.reply(500, "rds/internal_failure.xml");
  EXPECT_EQ(type()->read(h.ctx, kDr, t).at(t[0].address).status, ReadStatus::failed);
}

TEST(OpAuroraFailover, AGivenTargetArnMustMatchExactly) {
  Harness h;
  // Same cluster id in the DR region, but another account: not our target.
  const Target t[] = {step("switchover", {{"target_cluster_arn",
                                           "arn:aws:rds:us-west-2:999999999999:cluster:drctl-shop-catalog-dr"}})};
  h.reply(200, global("available", true));
  EXPECT_EQ(type()->read(h.ctx, kDr, t).at(t[0].address).status, ReadStatus::failed);
  const Target ok[] = {step("switchover", {{"target_cluster_arn", kTargetArn}})};
  h.reply(200, global("available", true));
  EXPECT_EQ(type()->read(h.ctx, kDr, ok).at(ok[0].address).status, ReadStatus::found);
}

TEST(OpAuroraFailover, PlannedSwitchoverSendsSwitchoverThenWaitsForWriterAndAvailable) {
  Harness h;
  h.reply(200, global("available", false));
  h.reply(200, wrap("SwitchoverGlobalCluster", "<GlobalCluster/>"));
  h.reply(200, global("switching-over", false));
  h.reply(200, global("switching-over", true));
  h.reply(200, global("available", true));
  auto live = type()->create(h.ctx, step("switchover"));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeGlobalClusters", "POST rds:SwitchoverGlobalCluster",
                              "POST rds:DescribeGlobalClusters", "POST rds:DescribeGlobalClusters",
                              "POST rds:DescribeGlobalClusters"}));
  EXPECT_EQ(h.form(1, "GlobalClusterIdentifier"), kId);
  EXPECT_EQ(h.form(1, "TargetDbClusterIdentifier"), kTargetArn);  // the ARN, as the model asks
  EXPECT_EQ(h.form(1, "AllowDataLoss"), "");
  for (size_t i = 0; i < h.calls().size(); ++i) EXPECT_EQ(fakes::signing_region(h.request(i)), kDr);
}

TEST(OpAuroraFailover, UnplannedFailoverAllowsDataLoss) {
  Harness h;
  h.reply(200, global("available", false));
  h.reply(200, wrap("FailoverGlobalCluster", "<GlobalCluster/>"));
  h.reply(200, global("available", true));
  ASSERT_TRUE(type()->create(h.ctx, step("failover")).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeGlobalClusters", "POST rds:FailoverGlobalCluster",
                              "POST rds:DescribeGlobalClusters"}));
  EXPECT_EQ(h.form(1, "AllowDataLoss"), "true");
  EXPECT_EQ(h.form(1, "Switchover"), "");  // the model forbids both together
  EXPECT_EQ(h.form(1, "TargetDbClusterIdentifier"), kTargetArn);
}

TEST(OpAuroraFailover, AnOperationAlreadyUnderWayIsWaitedOnAndOtherErrorsFail) {
  Harness h;
  h.reply(200, global("failing-over", false));
  h.reply(400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGlobalClusterStateFault</Code>"
               "<Message>failover in progress</Message></Error></ErrorResponse>");
  h.reply(200, global("available", true));
  ASSERT_TRUE(type()->create(h.ctx, step("failover")).ok());

  Harness bad;
  bad.reply(200, global("available", false));
  bad.reply(400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidDBClusterStateFault</Code>"
                 "<Message>the primary is unreachable</Message></Error></ErrorResponse>");
  auto r = type()->create(bad.ctx, step("switchover"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidDBClusterStateFault");
  EXPECT_EQ(bad.calls().size(), 2u);  // no waiting on a refused operation
}

TEST(OpAuroraFailover, CreateWhenAlreadyWriterCallsNothingMutating) {
  Harness h;
  h.reply(200, global("available", true));
  h.reply(200, global("available", true));
  ASSERT_TRUE(type()->create(h.ctx, step("failover")).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeGlobalClusters", "POST rds:DescribeGlobalClusters"}));
}

TEST(OpAuroraFailover, WaitFailsWhenTheTargetLeavesTheGlobalCluster) {
  Harness h;
  h.reply(200, global("available", false));
  h.reply(200, wrap("SwitchoverGlobalCluster", "<GlobalCluster/>"));
  h.reply(200, global("available", false, /*with_target=*/false));
  EXPECT_FALSE(type()->create(h.ctx, step("switchover")).ok());
}

}  // namespace
}  // namespace resources
