// The failback operation types (op_failback.h): when each reads "done", what it refuses, and
// the exact AWS calls of create in order.
#include <gtest/gtest.h>

#include "resources/op_failback.h"
#include "resources/test_support.h"

namespace resources {
namespace {

using test::Harness;
using Calls = std::vector<std::string>;

const std::string kEast = "us-east-1";
const std::string kDrArn = "arn:aws:rds:us-west-2:111122223333:db:drctl-shop-orders";

struct Db {
  std::string id, status = "available", source, cls = "db.t3.micro";
  std::string extra;  // more members, verbatim
};
std::string describe(const Db& d) {
  return "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance>"
         "<DBInstanceIdentifier>" + d.id + "</DBInstanceIdentifier>"
         "<DBInstanceArn>arn:aws:rds:us-east-1:111122223333:db:" + d.id + "</DBInstanceArn>"
         "<DBInstanceStatus>" + d.status + "</DBInstanceStatus><DBInstanceClass>" + d.cls + "</DBInstanceClass>" +
         (d.source.empty() ? "" : "<ReadReplicaSourceDBInstanceIdentifier>" + d.source +
                                      "</ReadReplicaSourceDBInstanceIdentifier>") +
         d.extra + "</DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>";
}
const char* kNotFound = "rds/db_instance_not_found.xml";
const char* kOk = "<Response><Result/></Response>";

rds::WaitPolicy no_wait() {
  rds::WaitPolicy p;
  p.timeout = std::chrono::seconds(60);
  p.sleep = [](std::chrono::milliseconds) {};
  return p;
}

Target retire_target() {
  return test::target("op.rds_retire.orders-old-primary", kEast,
                      {{"identifier", "orders-primary"},
                       {"retired_identifier", "orders-primary-pre-failback-202405011230"},
                       {"reason", "stale"},
                       {"successor_source", "drctl-shop-orders"},
                       {"successor_source_region", "us-west-2"}});
}

Target reverse_target() {
  return test::target("op.rds_reverse_replica.orders", kEast,
                      {{"identifier", "orders-primary"},
                       {"source", "drctl-shop-orders"},
                       {"source_region", "us-west-2"},
                       {"like", "orders-primary-pre-failback-202405011230"}});
}

bool signed_for(const aws::HttpRequest& r, const std::string& region) {
  for (const auto& [k, v] : r.headers)
    if (k == "Authorization" || k == "authorization") return v.find("/" + region + "/rds/") != std::string::npos;
  return false;
}

ReadStatus read_one(ResourceType& type, Harness& h, const Target& t) {
  const Target ts[] = {t};
  return type.read(h.ctx, kEast, ts).at(t.address).status;
}

// ---------------------------------------------------------------- op.rds_retire

TEST(OpRdsRetire, ReadIsAbsentWhileTheOldPrimaryHoldsTheName) {
  Harness h;
  auto type = op::make_rds_retire_type(no_wait());
  h.reply(200, describe({"orders-primary"}));
  h.reply(404, kNotFound);
  EXPECT_EQ(read_one(*type, h, retire_target()), ReadStatus::absent);
  EXPECT_EQ(h.form(1, "DBInstanceIdentifier"), "orders-primary-pre-failback-202405011230");
}

TEST(OpRdsRetire, ReadIsFoundOnceRenamedAndWhenTheSuccessorReplicaHoldsTheName) {
  Harness h;
  auto type = op::make_rds_retire_type(no_wait());
  h.reply(404, kNotFound);
  h.reply(200, describe({"orders-primary-pre-failback-202405011230"}));
  EXPECT_EQ(read_one(*type, h, retire_target()), ReadStatus::found);
  h.reply(200, describe({"orders-primary", "available", kDrArn}));  // the reverse replica
  h.reply(200, describe({"orders-primary-pre-failback-202405011230"}));
  EXPECT_EQ(read_one(*type, h, retire_target()), ReadStatus::found);
}

TEST(OpRdsRetire, BothNamesTakenIsAFailedReadNeverARename) {
  Harness h;
  auto type = op::make_rds_retire_type(no_wait());
  h.reply(200, describe({"orders-primary"}));
  h.reply(200, describe({"orders-primary-pre-failback-202405011230"}));
  const Target ts[] = {retire_target()};
  auto out = type->read(h.ctx, kEast, ts).at(ts[0].address);
  ASSERT_EQ(out.status, ReadStatus::failed);
  EXPECT_NE(out.error->message.find("both orders-primary and orders-primary-pre-failback-202405011230 exist"),
            std::string::npos);
  h.reply(200, describe({"orders-primary"}));
  h.reply(200, describe({"orders-primary-pre-failback-202405011230"}));
  EXPECT_FALSE(type->create(h.ctx, retire_target()).ok());
  for (const auto& c : h.calls()) EXPECT_EQ(c, "POST rds:DescribeDBInstances");
}

TEST(OpRdsRetire, CreateRenamesWaitsThroughRenamingThenTags) {
  Harness h;
  auto type = op::make_rds_retire_type(no_wait());
  h.reply(200, describe({"orders-primary"}));
  h.reply(404, kNotFound);
  h.reply(200, "<ModifyDBInstanceResponse><ModifyDBInstanceResult/></ModifyDBInstanceResponse>");
  h.reply(404, kNotFound);                                 // the new name does not answer yet
  h.reply(200, describe({"orders-primary", "renaming"}));  // still under the old one
  h.reply(200, describe({"orders-primary-pre-failback-202405011230"}));
  h.reply(200, describe({"orders-primary-pre-failback-202405011230",
                         "available", "", "db.t3.micro", "<TagList><Tag><Key>team</Key><Value>orders</Value></Tag></TagList>"}));
  h.reply(200, kOk);
  auto live = type->create(h.ctx, retire_target());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances", "POST rds:ModifyDBInstance",
                              "POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances",
                              "POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances",
                              "POST rds:AddTagsToResource"}));
  EXPECT_EQ(h.form(2, "DBInstanceIdentifier"), "orders-primary");
  EXPECT_EQ(h.form(2, "NewDBInstanceIdentifier"), "orders-primary-pre-failback-202405011230");
  EXPECT_EQ(h.form(2, "ApplyImmediately"), "true");
  EXPECT_EQ(h.form(7, "ResourceName"), "arn:aws:rds:us-east-1:111122223333:db:orders-primary-pre-failback-202405011230");
  EXPECT_EQ(h.form(7, "Tags.Tag.1.Key"), "drctl:retired-by");
  EXPECT_EQ(h.form(7, "Tags.Tag.1.Value"), "failback");
  EXPECT_EQ(h.form(7, "Tags.Tag.2.Key"), "drctl:retired-from");
  EXPECT_EQ(h.form(7, "Tags.Tag.2.Value"), "orders-primary");
  EXPECT_EQ(h.form(7, "Tags.Tag.3.Key"), "");  // the user's own tags are left as they are
  for (const auto& c : h.calls()) EXPECT_EQ(c.find("Delete"), std::string::npos);
}

// ---------------------------------------------------------------- op.rds_reverse_replica

TEST(OpRdsReverseReplica, ReadIsFoundOnlyForAnAvailableReplicaOfTheDrWriter) {
  Harness h;
  auto type = op::make_rds_reverse_replica_type(no_wait());
  h.reply(200, describe({"orders-primary"}));  // the stale old primary, not retired yet
  EXPECT_EQ(read_one(*type, h, reverse_target()), ReadStatus::absent);
  h.reply(200, describe({"orders-primary", "creating", kDrArn}));
  EXPECT_EQ(read_one(*type, h, reverse_target()), ReadStatus::absent);
  h.reply(200, describe({"orders-primary", "available", "arn:aws:rds:us-west-2:111122223333:db:someone-else"}));
  EXPECT_EQ(read_one(*type, h, reverse_target()), ReadStatus::absent);
  h.reply(200, describe({"orders-primary", "available", kDrArn}));
  EXPECT_EQ(read_one(*type, h, reverse_target()), ReadStatus::found);
  h.reply(500, "rds/internal_failure.xml");
  EXPECT_EQ(read_one(*type, h, reverse_target()), ReadStatus::failed);
}

TEST(OpRdsReverseReplica, CreateReplicatesTheDrWriterByArnPlacedLikeTheRetiredPrimary) {
  Harness h;
  auto type = op::make_rds_reverse_replica_type(no_wait());
  h.reply(404, kNotFound);  // the name is free
  h.reply(200, "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance>"
               "<DBInstanceIdentifier>drctl-shop-orders</DBInstanceIdentifier><DBInstanceArn>" + kDrArn +
               "</DBInstanceArn><DBInstanceStatus>available</DBInstanceStatus></DBInstance></DBInstances>"
               "</DescribeDBInstancesResult></DescribeDBInstancesResponse>");
  h.reply(200, describe({"orders-primary-pre-failback-202405011230", "available", "", "db.r6g.large",
                         "<MultiAZ>true</MultiAZ><StorageEncrypted>true</StorageEncrypted>"
                         "<KmsKeyId>arn:aws:kms:us-east-1:111122223333:key/k1</KmsKeyId>"
                         "<DBSubnetGroup><DBSubnetGroupName>private</DBSubnetGroupName></DBSubnetGroup>"
                         "<VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-1</VpcSecurityGroupId>"
                         "</VpcSecurityGroupMembership></VpcSecurityGroups>"
                         "<TagList><Tag><Key>team</Key><Value>orders</Value></Tag>"
                         "<Tag><Key>drctl:retired-by</Key><Value>failback</Value></Tag></TagList>"}));
  h.reply(200, "<CreateDBInstanceReadReplicaResponse><CreateDBInstanceReadReplicaResult/></CreateDBInstanceReadReplicaResponse>");
  h.reply(200, describe({"orders-primary", "creating", kDrArn}));
  h.reply(200, describe({"orders-primary", "available", kDrArn}));
  auto live = type->create(h.ctx, reverse_target());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances", "POST rds:DescribeDBInstances",
                              "POST rds:CreateDBInstanceReadReplica", "POST rds:DescribeDBInstances",
                              "POST rds:DescribeDBInstances"}));
  EXPECT_TRUE(signed_for(h.request(1), "us-west-2"));  // the source is described where it lives
  EXPECT_TRUE(signed_for(h.request(3), "us-east-1"));
  EXPECT_EQ(h.form(3, "DBInstanceIdentifier"), "orders-primary");
  EXPECT_EQ(h.form(3, "SourceDBInstanceIdentifier"), kDrArn);
  EXPECT_EQ(h.form(3, "DBInstanceClass"), "db.r6g.large");
  EXPECT_EQ(h.form(3, "MultiAZ"), "true");
  EXPECT_EQ(h.form(3, "DBSubnetGroupName"), "private");
  EXPECT_EQ(h.form(3, "VpcSecurityGroupIds.VpcSecurityGroupId.1"), "sg-1");
  EXPECT_EQ(h.form(3, "KmsKeyId"), "arn:aws:kms:us-east-1:111122223333:key/k1");
  EXPECT_EQ(h.form(3, "Tags.Tag.1.Key"), "team");
  EXPECT_EQ(h.form(3, "Tags.Tag.2.Key"), "");  // drctl's retirement tags stay on the retired one
}

TEST(OpRdsReverseReplica, CreateRefusesWhileTheOldPrimaryHoldsTheName) {
  Harness h;
  auto type = op::make_rds_reverse_replica_type(no_wait());
  h.reply(200, describe({"orders-primary"}));
  auto live = type->create(h.ctx, reverse_target());
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.error().message.find("must be retired"), std::string::npos) << live.error().message;
  EXPECT_EQ(h.calls(), Calls{"POST rds:DescribeDBInstances"});
}

TEST(OpRdsReverseReplica, CreateRefusesASourceThatWasNeverPromoted) {
  Harness h;
  auto type = op::make_rds_reverse_replica_type(no_wait());
  h.reply(404, kNotFound);
  h.reply(200, describe({"drctl-shop-orders", "available", "arn:aws:rds:us-east-1:111122223333:db:orders-primary"}));
  auto live = type->create(h.ctx, reverse_target());
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.error().message.find("never promoted"), std::string::npos) << live.error().message;
  EXPECT_EQ(h.calls().size(), 2u);
}

}  // namespace
}  // namespace resources
