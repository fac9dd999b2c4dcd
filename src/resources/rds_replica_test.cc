#include <gtest/gtest.h>

#include "resources/common.h"
#include "resources/rds_common.h"
#include "resources/test_support.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
using test::Harness;
using Calls = std::vector<std::string>;
using namespace std::chrono_literals;

const std::string kId = "drctl-shop-prod-orders";
const std::string kAddress = "rds.replica.orders";
const std::string kArn = "arn:aws:rds:us-west-2:111122223333:db:drctl-shop-prod-orders";
const std::string kSourceArn = "arn:aws:rds:us-east-1:111122223333:db:orders-primary";

json tags() { return {{"drctl:stack", "shop-prod"}, {"drctl:address", kAddress}}; }
json desired() {
  return {{"identifier", kId},          {"source", "orders-primary"},  {"source_region", "us-east-1"},
          {"instance_class", "db.r6g.large"}, {"multi_az", true},     {"backup_retention_days", 7},
          {"deletion_protection", true}, {"tags", tags()}};
}
Target want(json attrs = desired()) { return test::target(kAddress, "us-west-2", std::move(attrs)); }

// No sleeping in tests; the delays asked for are recorded.
struct Sleeps {
  std::vector<std::chrono::milliseconds> delays;
  rds::WaitPolicy policy(std::chrono::milliseconds timeout = std::chrono::minutes(40)) {
    rds::WaitPolicy p;
    p.timeout = timeout;
    p.sleep = [this](std::chrono::milliseconds d) { delays.push_back(d); };
    return p;
  }
};

struct Instance {
  std::string id = kId;
  std::string status = "available";
  std::string cls = "db.r6g.large";
  int retention = 7;
  bool multi_az = true;
  bool protection = true;
  std::string source = kSourceArn;
  std::string pending;  // inner XML of PendingModifiedValues
  std::string tag_xml = "<Tag><Key>drctl:stack</Key><Value>shop-prod</Value></Tag>"
                        "<Tag><Key>drctl:address</Key><Value>rds.replica.orders</Value></Tag>";
};

std::string instance_xml(const Instance& i) {
  auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  return "<DBInstance><DBInstanceIdentifier>" + i.id + "</DBInstanceIdentifier><DBInstanceClass>" + i.cls +
         "</DBInstanceClass><Engine>postgres</Engine><DBInstanceStatus>" + i.status +
         "</DBInstanceStatus><BackupRetentionPeriod>" + std::to_string(i.retention) +
         "</BackupRetentionPeriod><MultiAZ>" + b(i.multi_az) + "</MultiAZ><EngineVersion>16.3</EngineVersion>" +
         "<PendingModifiedValues>" + i.pending + "</PendingModifiedValues>" +
         (i.source.empty() ? "" : "<ReadReplicaSourceDBInstanceIdentifier>" + i.source + "</ReadReplicaSourceDBInstanceIdentifier>") +
         "<DBInstanceArn>" + kArn + "</DBInstanceArn><DeletionProtection>" + b(i.protection) +
         "</DeletionProtection><TagList>" + i.tag_xml + "</TagList></DBInstance>";
}
std::string describe(const Instance& i, const std::string& marker = "") {
  return "<DescribeDBInstancesResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBInstancesResult>" +
         (marker.empty() ? "" : "<Marker>" + marker + "</Marker>") + "<DBInstances>" + instance_xml(i) +
         "</DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>";
}
std::string reply(const std::string& action, const std::string& inner = "") {
  return "<" + action + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><" + action + "Result>" + inner +
         "</" + action + "Result></" + action + "Response>";
}
const std::string kCaller =
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
    "<Arn>arn:aws:iam::111122223333:user/drctl</Arn><UserId>AIDA</UserId><Account>111122223333</Account>"
    "</GetCallerIdentityResult></GetCallerIdentityResponse>";

void not_found(Harness& h) { h.reply(404, "rds/db_instance_not_found.xml"); }

TEST(RdsReplica, CreateSendsTheArnOfACrossRegionSourceWaitsThenSetsBackupRetention) {
  Harness h;
  Sleeps s;
  auto type = rds::make_replica_type(s.policy());
  Instance creating{.status = "creating", .retention = 0};
  Instance fresh{.retention = 0};  // a cross-region replica starts without automated backups
  h.reply(200, kCaller);
  h.reply(200, reply("CreateDBInstanceReadReplica", instance_xml(creating)));
  h.reply(200, describe(creating));
  h.reply(200, describe(fresh));
  h.reply(200, reply("ModifyDBInstance", instance_xml(fresh)));
  h.reply(200, describe(Instance{}));
  auto live = type->create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST sts:GetCallerIdentity", "POST rds:CreateDBInstanceReadReplica",
                              "POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances",
                              "POST rds:ModifyDBInstance", "POST rds:DescribeDBInstances"}));
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-west-2");
  EXPECT_EQ(h.form(1, "DBInstanceIdentifier"), kId);
  EXPECT_EQ(h.form(1, "SourceDBInstanceIdentifier"), kSourceArn);
  EXPECT_EQ(h.form(1, "DBInstanceClass"), "db.r6g.large");
  EXPECT_EQ(h.form(1, "MultiAZ"), "true");
  EXPECT_EQ(h.form(1, "DeletionProtection"), "true");
  // TagList members are named "Tag" in the model: Tags.Tag.N, keys in order.
  EXPECT_EQ(h.form(1, "Tags.Tag.1.Key"), "drctl:address");
  EXPECT_EQ(h.form(1, "Tags.Tag.1.Value"), kAddress);
  EXPECT_EQ(h.form(1, "Tags.Tag.2.Key"), "drctl:stack");
  EXPECT_EQ(h.form(1, "Tags.Tag.2.Value"), "shop-prod");
  EXPECT_EQ(h.form(1, "SourceRegion"), "");  // an SDK-only member: never on the wire
  EXPECT_EQ(h.form(1, "BackupRetentionPeriod"), "");
  EXPECT_EQ(h.form(2, "DBInstanceIdentifier"), kId);
  EXPECT_EQ(h.form(4, "BackupRetentionPeriod"), "7");
  EXPECT_EQ(h.form(4, "ApplyImmediately"), "true");
  EXPECT_EQ(h.form(4, "DBInstanceClass"), "");  // only what differs
  EXPECT_EQ(s.delays, (std::vector<std::chrono::milliseconds>{5s}));
  EXPECT_EQ(live->id, kId);
  EXPECT_EQ(live->attrs["source"], "orders-primary");
  EXPECT_EQ(live->attrs["backup_retention_days"], 7);
}

TEST(RdsReplica, CreateWithAnArnSourceNeedsNoAccountLookup) {
  Harness h;
  Sleeps sleeps;  // outlives the type: its policy records into it
  auto type = rds::make_replica_type(sleeps.policy());
  json d = desired();
  d["source"] = kSourceArn;
  d.erase("source_region");
  h.reply(200, reply("CreateDBInstanceReadReplica", instance_xml({})));
  h.reply(200, describe(Instance{}));
  auto live = type->create(h.ctx, want(d));
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST rds:CreateDBInstanceReadReplica", "POST rds:DescribeDBInstances"}));
  EXPECT_EQ(h.form(0, "SourceDBInstanceIdentifier"), kSourceArn);
  EXPECT_EQ(live->attrs["source"], kSourceArn);
  EXPECT_EQ(live->attrs["source_region"], "us-east-1");
}

TEST(RdsReplica, CreateAdoptsAReplicaOfTheSameSourceAndRefusesAnyOther) {
  Harness h;
  Sleeps sleeps;  // outlives the type: its policy records into it
  auto type = rds::make_replica_type(sleeps.policy());
  const std::string exists =
      "<ErrorResponse><Error><Type>Sender</Type><Code>DBInstanceAlreadyExists</Code>"
      "<Message>DB instance already exists</Message></Error><RequestId>r</RequestId></ErrorResponse>";
  h.reply(200, kCaller);
  h.reply(400, exists);
  h.reply(200, describe(Instance{}));
  h.reply(200, describe(Instance{}));
  ASSERT_TRUE(type->create(h.ctx, want()).ok());
  EXPECT_EQ(h.calls().size(), 4u);

  Harness other;
  other.reply(200, kCaller);
  other.reply(400, exists);
  other.reply(200, describe(Instance{.source = ""}));
  auto r = type->create(other.ctx, want());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "AlreadyExists");
}

TEST(RdsReplica, ReadMapsARealDescribeReplyToTheReadmeShape) {
  Harness h;
  h.reply(200, "rds/describe_db_instances.xml");
  const Target targets[] = {want(), test::target("rds.replica.gone", "us-west-2", {{"identifier", "gone"}})};
  auto out = rds_replica_type().read(h.ctx, "us-west-2", targets);
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBInstances"}));
  EXPECT_EQ(h.form(0, "DBInstanceIdentifier"), "");  // one listing, matched here
  EXPECT_EQ(out.at("rds.replica.gone").status, ReadStatus::absent);
  const auto& o = out.at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.id, kId);
  EXPECT_EQ(o.live.attrs,
            (json{{"identifier", kId},
                  {"source", "orders-primary"},
                  {"source_region", "us-east-1"},
                  {"instance_class", "db.r6g.large"},
                  {"multi_az", true},
                  {"backup_retention_days", 7},
                  {"deletion_protection", true},
                  {"kms_key_id", "arn:aws:kms:us-west-2:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
                  {"parameter_group", "orders-pg16"},
                  {"tags", tags()},
                  {"arn", kArn},
                  {"status", "available"},
                  {"engine", "postgres"},
                  {"engine_version", "16.3"},
                  {"endpoint", {{"address", "drctl-shop-prod-orders.c9akciq32.us-west-2.rds.amazonaws.com"}, {"port", 5432}}}}));
}

TEST(RdsReplica, ReadFollowsTheMarker) {
  Harness h;
  h.reply(200, describe(Instance{.id = "someone-else"}, "page-2"));
  h.reply(200, "rds/describe_db_instances.xml");
  const Target targets[] = {want()};
  EXPECT_EQ(rds_replica_type().read(h.ctx, "us-west-2", targets).at(kAddress).status, ReadStatus::found);
  EXPECT_EQ(h.calls().size(), 2u);
  EXPECT_EQ(h.form(1, "Marker"), "page-2");
}

TEST(RdsReplica, ReadReportsTheSourceInTheDesiredForm) {
  Harness h;
  h.reply(200, "rds/describe_db_instances.xml");
  h.reply(200, "rds/describe_db_instances.xml");
  json by_arn = desired();
  by_arn["source"] = kSourceArn;
  json elsewhere = desired();
  elsewhere["source_region"] = "eu-west-1";  // same name, other region: a real difference
  const Target a[] = {want(by_arn)};
  const Target b[] = {want(elsewhere)};
  EXPECT_EQ(rds_replica_type().read(h.ctx, "us-west-2", a).at(kAddress).live.attrs["source"], kSourceArn);
  EXPECT_EQ(rds_replica_type().read(h.ctx, "us-west-2", b).at(kAddress).live.attrs["source"], kSourceArn);
}

TEST(RdsReplica, ServerErrorIsFailedNotAbsent) {
  Harness h;
  h.reply(500, "rds/internal_failure.xml");
  const Target targets[] = {want()};
  const auto o = rds_replica_type().read(h.ctx, "us-west-2", targets).at(kAddress);
  EXPECT_EQ(o.status, ReadStatus::failed);
  EXPECT_EQ(o.error->code, "InternalFailure");
}

TEST(RdsReplica, UpdateModifiesInPlaceAppliesImmediatelyAndSyncsTags) {
  Harness h;
  Sleeps sleeps;  // outlives the type: its policy records into it
  auto type = rds::make_replica_type(sleeps.policy());
  Instance old{.cls = "db.r6g.medium",
               .tag_xml = "<Tag><Key>drctl:stack</Key><Value>shop-prod</Value></Tag><Tag><Key>old</Key><Value>x</Value></Tag>"};
  h.reply(200, describe(old));
  h.reply(200, reply("ModifyDBInstance", instance_xml(old)));
  h.reply(200, reply("AddTagsToResource"));
  h.reply(200, reply("RemoveTagsFromResource"));
  h.reply(200, describe(Instance{.status = "modifying"}));
  h.reply(200, describe(Instance{.pending = "<DBInstanceClass>db.r6g.large</DBInstanceClass>"}));
  h.reply(200, describe(Instance{}));
  auto live = type->update(h.ctx, want(), Live{kId, json::object()});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBInstances", "POST rds:ModifyDBInstance", "POST rds:AddTagsToResource",
                              "POST rds:RemoveTagsFromResource", "POST rds:DescribeDBInstances",
                              "POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances"}));
  EXPECT_EQ(h.form(1, "DBInstanceClass"), "db.r6g.large");
  EXPECT_EQ(h.form(1, "ApplyImmediately"), "true");
  EXPECT_EQ(h.form(1, "MultiAZ"), "");
  EXPECT_EQ(h.form(2, "ResourceName"), kArn);
  EXPECT_EQ(h.form(2, "Tags.Tag.1.Key"), "drctl:address");
  EXPECT_EQ(h.form(3, "TagKeys.member.1"), "old");
  EXPECT_EQ(live->attrs["instance_class"], "db.r6g.large");
}

TEST(RdsReplica, WaiterPollsWithBackoffUntilAvailableAndGivesUpAtItsBound) {
  Sleeps s;
  int polls = 0;
  auto st = rds::wait_for([&]() -> aws::Result<std::optional<std::string>> {
    return std::optional<std::string>(++polls < 4 ? "creating" : "available");
  }, "available", s.policy(), "x");
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(polls, 4);
  EXPECT_EQ(s.delays, (std::vector<std::chrono::milliseconds>{5s, 10s, 20s}));

  Harness h;
  h.fake->set_handler([](const aws::HttpRequest&) {
    return fakes::SendResult(aws::HttpResponse{200, {}, describe(Instance{.status = "creating"})});
  });
  Sleeps bounded;
  auto type = rds::make_replica_type(bounded.policy(12s));
  json d = desired();
  d["source"] = kSourceArn;
  auto r = type->update(h.ctx, want(d), Live{kId, json::object()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "WaitTimeout");
  EXPECT_NE(r.error().message.find("creating"), std::string::npos);
  EXPECT_EQ(bounded.delays, (std::vector<std::chrono::milliseconds>{5s, 7s}));  // 5 + 7 = the 12 s bound
  EXPECT_EQ(h.calls().size(), 3u);

  Harness broken;
  broken.reply(200, describe(Instance{.status = "incompatible-parameters"}));
  auto stuck = type->update(broken.ctx, want(d), Live{kId, json::object()});
  ASSERT_FALSE(stuck.ok());
  EXPECT_EQ(stuck.error().code, "WaitFailed");
}

TEST(RdsReplica, DestroyDeletesAReplicaWithoutAFinalSnapshotAndWaits) {
  Harness h;
  Sleeps sleeps;  // outlives the type: its policy records into it
  auto type = rds::make_replica_type(sleeps.policy());
  h.reply(200, describe(Instance{.protection = false}));
  h.reply(200, reply("DeleteDBInstance", instance_xml({})));
  h.reply(200, describe(Instance{.status = "deleting"}));
  not_found(h);
  ASSERT_TRUE(type->destroy(h.ctx, test::target(kAddress, "us-west-2", desired(), kId)).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBInstances", "POST rds:DeleteDBInstance",
                              "POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances"}));
  // RDS refuses FinalDBSnapshotIdentifier for a read replica: its data lives in the source.
  EXPECT_EQ(h.form(1, "SkipFinalSnapshot"), "true");
  EXPECT_EQ(h.form(1, "FinalDBSnapshotIdentifier"), "");
}

TEST(RdsReplica, DestroyOfAPromotedReplicaKeepsAFinalSnapshot) {
  Harness h;
  Sleeps sleeps;  // outlives the type: its policy records into it
  auto type = rds::make_replica_type(sleeps.policy());
  h.reply(200, describe(Instance{.protection = false, .source = ""}));
  h.reply(200, reply("DeleteDBInstance", instance_xml({})));
  not_found(h);
  ASSERT_TRUE(type->destroy(h.ctx, want()).ok());
  EXPECT_EQ(h.form(1, "SkipFinalSnapshot"), "false");
  EXPECT_EQ(h.form(1, "FinalDBSnapshotIdentifier").rfind(kId + "-final-", 0), 0u);
  EXPECT_EQ(rds::final_snapshot_id(kId, std::chrono::system_clock::time_point{}), kId + "-final-19700101000000");
}

TEST(RdsReplica, DestroyNamesDeletionProtectionAndTreatsNotFoundAsDone) {
  Harness h;
  h.reply(200, describe(Instance{}));
  auto r = rds_replica_type().destroy(h.ctx, want());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "DeletionProtectionEnabled");
  EXPECT_NE(r.error().message.find("deletion protection"), std::string::npos);
  EXPECT_EQ(h.calls().size(), 1u);  // nothing deleted

  Harness gone;
  not_found(gone);
  EXPECT_TRUE(rds_replica_type().destroy(gone.ctx, want()).ok());
  EXPECT_EQ(gone.calls(), (Calls{"POST rds:DescribeDBInstances"}));
  EXPECT_TRUE(rds_replica_type().schema().data_bearing);
}

TEST(RdsCommon, SourceIsReportedInTheFormDesiredUses) {
  EXPECT_EQ(rds::report_source(kSourceArn, "orders-primary", "us-east-1"), "orders-primary");
  EXPECT_EQ(rds::report_source(kSourceArn, "Orders-Primary", "us-east-1"), "Orders-Primary");
  EXPECT_EQ(rds::report_source(kSourceArn, "orders-primary", "eu-west-1"), kSourceArn);
  EXPECT_EQ(rds::report_source(kSourceArn, "billing", "us-east-1"), kSourceArn);
  EXPECT_EQ(rds::report_source("orders-primary", kSourceArn, "us-east-1"), kSourceArn);
  EXPECT_EQ(rds::report_source(kSourceArn, kSourceArn, ""), kSourceArn);
  EXPECT_EQ(rds::report_source("arn:aws:rds:us-east-1:444455556666:db:orders-primary", kSourceArn, ""),
            "arn:aws:rds:us-east-1:444455556666:db:orders-primary");
  EXPECT_EQ(rds::report_source("", "orders-primary", "us-east-1"), "");
  EXPECT_EQ(rds::make_arn({rds::partition_of("cn-north-1"), "cn-north-1", "1", "db", "x"}), "arn:aws-cn:rds:cn-north-1:1:db:x");
  EXPECT_EQ(rds::partition_of("us-gov-west-1"), "aws-us-gov");
  EXPECT_FALSE(rds::parse_arn("orders-primary"));
  EXPECT_EQ(rds::parse_arn(kSourceArn)->id, "orders-primary");
}

}  // namespace
}  // namespace resources
