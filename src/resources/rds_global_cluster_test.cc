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

const std::string kId = "drctl-shop-prod-catalog";
const std::string kAddress = "rds.global_cluster.catalog";
const std::string kGlobalArn = "arn:aws:rds::111122223333:global-cluster:drctl-shop-prod-catalog";
const std::string kPrimaryArn = "arn:aws:rds:us-east-1:111122223333:cluster:catalog-primary";
const std::string kSecondary = "drctl-shop-prod-catalog-dr";
const std::string kSecondaryArn = "arn:aws:rds:us-west-2:111122223333:cluster:drctl-shop-prod-catalog-dr";

json tags() { return {{"drctl:stack", "shop-prod"}, {"drctl:address", kAddress}}; }
json desired() {
  return {{"global_cluster_id", kId},           {"source_cluster", "catalog-primary"},
          {"secondary_region", "us-west-2"},    {"secondary_cluster_id", kSecondary},
          {"secondary_instance_class", "db.r6g.large"}, {"deletion_protection", false},
          {"tags", tags()}};
}
Target want(json attrs = desired()) { return test::target(kAddress, "us-east-1", std::move(attrs)); }
rds::WaitPolicy no_sleep() {
  rds::WaitPolicy p;
  p.sleep = [](std::chrono::milliseconds) {};
  return p;
}

const std::string kNs = " xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"";
std::string wrap(const std::string& action, const std::string& inner) {
  return "<" + action + "Response" + kNs + "><" + action + "Result>" + inner + "</" + action + "Result></" + action +
         "Response>";
}
std::string global_xml(const std::string& status, bool with_secondary, bool protection = false) {
  std::string members = "<GlobalClusterMember><DBClusterArn>" + kPrimaryArn +
                        "</DBClusterArn><IsWriter>true</IsWriter></GlobalClusterMember>";
  if (with_secondary)
    members += "<GlobalClusterMember><DBClusterArn>" + kSecondaryArn + "</DBClusterArn><IsWriter>false</IsWriter></GlobalClusterMember>";
  return "<GlobalClusterMember><GlobalClusterIdentifier>" + kId + "</GlobalClusterIdentifier><GlobalClusterArn>" +
         kGlobalArn + "</GlobalClusterArn><Status>" + status +
         "</Status><Engine>aurora-postgresql</Engine><EngineVersion>15.4</EngineVersion><DeletionProtection>" +
         (protection ? "true" : "false") + "</DeletionProtection><GlobalClusterMembers>" + members +
         "</GlobalClusterMembers><TagList/></GlobalClusterMember>";
}
std::string describe_global(const std::string& status, bool with_secondary, bool protection = false) {
  return wrap("DescribeGlobalClusters", "<GlobalClusters>" + global_xml(status, with_secondary, protection) + "</GlobalClusters>");
}
std::string cluster_xml(const std::string& status, const std::string& members = "", bool protection = false) {
  return "<DBCluster><DBClusterIdentifier>" + kSecondary + "</DBClusterIdentifier><DBClusterArn>" + kSecondaryArn +
         "</DBClusterArn><Status>" + status +
         "</Status><Engine>aurora-postgresql</Engine><EngineVersion>15.4</EngineVersion><DeletionProtection>" +
         (protection ? "true" : "false") + "</DeletionProtection><GlobalClusterIdentifier>" + kId +
         "</GlobalClusterIdentifier><DBClusterMembers>" + members + "</DBClusterMembers></DBCluster>";
}
std::string describe_cluster(const std::string& status, const std::string& members = "", bool protection = false) {
  return wrap("DescribeDBClusters", "<DBClusters>" + cluster_xml(status, members, protection) + "</DBClusters>");
}
std::string instance_list(const std::string& status, const std::string& cls = "db.r6g.large") {
  return wrap("DescribeDBInstances",
              "<DBInstances><DBInstance><DBInstanceIdentifier>" + kSecondary + "-1</DBInstanceIdentifier><DBInstanceClass>" +
                  cls + "</DBInstanceClass><DBInstanceStatus>" + status + "</DBInstanceStatus><DBClusterIdentifier>" +
                  kSecondary + "</DBClusterIdentifier></DBInstance></DBInstances>");
}
const std::string kMember = "<DBClusterMember><DBInstanceIdentifier>" + kSecondary +
                            "-1</DBInstanceIdentifier><IsClusterWriter>false</IsClusterWriter></DBClusterMember>";
void error(Harness& h, int status, const std::string& code) {
  h.reply(status, "<ErrorResponse" + kNs + "><Error><Type>Sender</Type><Code>" + code +
                      "</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>");
}

TEST(RdsGlobalCluster, CreateBuildsTheGlobalDatabaseStepByStep) {
  Harness h;
  auto type = rds::make_global_cluster_type(no_sleep());
  h.reply(200, "rds/describe_db_clusters_primary.xml");
  h.reply(200, wrap("CreateGlobalCluster", global_xml("creating", false)));
  h.reply(200, describe_global("creating", false));
  h.reply(200, describe_global("available", false));
  h.reply(200, wrap("CreateDBCluster", cluster_xml("creating")));
  h.reply(200, describe_cluster("available"));
  h.reply(200, wrap("CreateDBInstance", ""));
  h.reply(200, instance_list("available"));
  h.reply(200, describe_global("available", true));  // the read that gives the result
  h.reply(200, describe_cluster("available", kMember));
  h.reply(200, instance_list("available"));
  auto live = type->create(h.ctx, want());
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeDBClusters", "POST rds:CreateGlobalCluster", "POST rds:DescribeGlobalClusters",
                              "POST rds:DescribeGlobalClusters", "POST rds:CreateDBCluster", "POST rds:DescribeDBClusters",
                              "POST rds:CreateDBInstance", "POST rds:DescribeDBInstances", "POST rds:DescribeGlobalClusters",
                              "POST rds:DescribeDBClusters", "POST rds:DescribeDBInstances"}));
  EXPECT_EQ(h.form(0, "DBClusterIdentifier"), "catalog-primary");
  EXPECT_EQ(h.form(1, "SourceDBClusterIdentifier"), kPrimaryArn);
  EXPECT_EQ(h.form(1, "GlobalClusterIdentifier"), kId);
  EXPECT_EQ(h.form(1, "DeletionProtection"), "false");
  EXPECT_EQ(h.form(1, "Engine"), "");  // inherited from the source; RDS refuses both
  EXPECT_EQ(h.form(1, "Tags.Tag.2.Key"), "drctl:stack");
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-east-1");
  EXPECT_EQ(fakes::signing_region(h.request(4)), "us-west-2");
  EXPECT_EQ(h.form(4, "DBClusterIdentifier"), kSecondary);
  EXPECT_EQ(h.form(4, "GlobalClusterIdentifier"), kId);
  EXPECT_EQ(h.form(4, "Engine"), "aurora-postgresql");
  EXPECT_EQ(h.form(4, "EngineVersion"), "15.4");
  EXPECT_EQ(h.form(6, "DBInstanceIdentifier"), kSecondary + "-1");
  EXPECT_EQ(h.form(6, "DBClusterIdentifier"), kSecondary);
  EXPECT_EQ(h.form(6, "DBInstanceClass"), "db.r6g.large");
  EXPECT_EQ(fakes::signing_region(h.request(9)), "us-west-2");
  EXPECT_EQ(live->attrs["source_cluster"], "catalog-primary");
}

TEST(RdsGlobalCluster, ReadMapsGlobalAndSecondaryToTheReadmeShape) {
  Harness h;
  h.reply(200, "rds/describe_global_clusters.xml");
  h.reply(200, "rds/describe_db_clusters_secondary.xml");
  h.reply(200, instance_list("available"));
  const Target targets[] = {want(), test::target("rds.global_cluster.gone", "us-east-1", {{"global_cluster_id", "gone"}})};
  auto out = rds_global_cluster_type().read(h.ctx, "us-east-1", targets);
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeGlobalClusters", "POST rds:DescribeDBClusters", "POST rds:DescribeDBInstances"}));
  EXPECT_EQ(fakes::signing_region(h.request(0)), "us-east-1");
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-west-2");
  EXPECT_EQ(out.at("rds.global_cluster.gone").status, ReadStatus::absent);
  const auto& o = out.at(kAddress);
  ASSERT_EQ(o.status, ReadStatus::found);
  EXPECT_EQ(o.live.attrs, (json{{"global_cluster_id", kId},
                                {"source_cluster", "catalog-primary"},
                                {"secondary_region", "us-west-2"},
                                {"secondary_cluster_id", kSecondary},
                                {"secondary_instance_class", "db.r6g.large"},
                                {"deletion_protection", false},
                                {"tags", tags()},
                                {"arn", kGlobalArn},
                                {"status", "available"},
                                {"members", {{{"cluster_arn", kPrimaryArn}, {"writer", true}},
                                             {{"cluster_arn", kSecondaryArn}, {"writer", false}}}},
                                {"engine", "aurora-postgresql"},
                                {"engine_version", "15.4"}}));
}

TEST(RdsGlobalCluster, ReadShowsAProtectionMismatchAndFailsOnAServerError) {
  Harness h;
  h.reply(200, "rds/describe_global_clusters.xml");  // global: unprotected
  h.reply(200, describe_cluster("available", kMember, true));
  json d = desired();
  d.erase("secondary_instance_class");
  d["deletion_protection"] = true;
  const Target targets[] = {want(d)};
  EXPECT_EQ(rds_global_cluster_type().read(h.ctx, "us-east-1", targets).at(kAddress).live.attrs["deletion_protection"], false);

  Harness bad;
  bad.reply(500, "rds/internal_failure.xml");
  EXPECT_EQ(rds_global_cluster_type().read(bad.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);
  Harness bad_secondary;
  bad_secondary.reply(200, "rds/describe_global_clusters.xml");
  bad_secondary.reply(500, "rds/internal_failure.xml");
  EXPECT_EQ(rds_global_cluster_type().read(bad_secondary.ctx, "us-east-1", targets).at(kAddress).status, ReadStatus::failed);
}

TEST(RdsGlobalCluster, UpdateChangesProtectionOnBothSidesTagsAndTheInstanceClass) {
  Harness h;
  auto type = rds::make_global_cluster_type(no_sleep());
  json d = desired();
  d["deletion_protection"] = true;
  json have = desired();
  have["arn"] = kGlobalArn;
  have["tags"] = {{"drctl:stack", "shop-prod"}};
  have["secondary_instance_class"] = "db.r6g.medium";
  h.reply(200, wrap("ModifyGlobalCluster", ""));
  h.reply(200, wrap("ModifyDBCluster", ""));
  h.reply(200, wrap("AddTagsToResource", ""));
  h.reply(200, wrap("ModifyDBInstance", ""));
  h.reply(200, instance_list("available"));
  h.reply(200, describe_global("available", true, true));
  h.reply(200, describe_cluster("available", kMember, true));
  h.reply(200, instance_list("available"));
  auto live = type->update(h.ctx, want(d), Live{kId, have});
  ASSERT_TRUE(live.ok()) << live.error().describe();
  EXPECT_EQ(h.calls(), (Calls{"POST rds:ModifyGlobalCluster", "POST rds:ModifyDBCluster", "POST rds:AddTagsToResource",
                              "POST rds:ModifyDBInstance", "POST rds:DescribeDBInstances", "POST rds:DescribeGlobalClusters",
                              "POST rds:DescribeDBClusters", "POST rds:DescribeDBInstances"}));
  EXPECT_EQ(h.form(0, "DeletionProtection"), "true");
  EXPECT_EQ(fakes::signing_region(h.request(1)), "us-west-2");
  EXPECT_EQ(h.form(1, "DBClusterIdentifier"), kSecondary);
  EXPECT_EQ(h.form(2, "ResourceName"), kGlobalArn);
  EXPECT_EQ(h.form(3, "DBInstanceClass"), "db.r6g.large");
  EXPECT_EQ(h.form(3, "ApplyImmediately"), "true");
  EXPECT_EQ(live->attrs["deletion_protection"], true);
}

TEST(RdsGlobalCluster, DestroyDetachesBothDeletesTheSecondaryWithASnapshotThenTheGlobal) {
  Harness h;
  auto type = rds::make_global_cluster_type(no_sleep());
  h.reply(200, describe_global("available", true));
  h.reply(200, describe_cluster("available", kMember));
  h.reply(200, wrap("RemoveFromGlobalCluster", ""));
  h.reply(200, describe_global("available", false));
  h.reply(200, wrap("DeleteDBInstance", ""));
  h.reply(200, wrap("DeleteDBCluster", ""));
  error(h, 404, "DBClusterNotFoundFault");
  h.reply(200, wrap("RemoveFromGlobalCluster", ""));
  h.reply(200, wrap("DescribeGlobalClusters", "<GlobalClusters/>"));
  h.reply(200, wrap("DeleteGlobalCluster", ""));
  ASSERT_TRUE(type->destroy(h.ctx, test::target(kAddress, "us-east-1", desired(), kId)).ok());
  EXPECT_EQ(h.calls(), (Calls{"POST rds:DescribeGlobalClusters", "POST rds:DescribeDBClusters",
                              "POST rds:RemoveFromGlobalCluster", "POST rds:DescribeGlobalClusters",
                              "POST rds:DeleteDBInstance", "POST rds:DeleteDBCluster", "POST rds:DescribeDBClusters",
                              "POST rds:RemoveFromGlobalCluster", "POST rds:DescribeGlobalClusters",
                              "POST rds:DeleteGlobalCluster"}));
  EXPECT_EQ(fakes::signing_region(h.request(2)), "us-west-2");
  EXPECT_EQ(h.form(2, "DbClusterIdentifier"), kSecondaryArn);
  EXPECT_EQ(h.form(4, "DBInstanceIdentifier"), kSecondary + "-1");
  EXPECT_EQ(h.form(5, "SkipFinalSnapshot"), "false");
  EXPECT_EQ(h.form(5, "FinalDBSnapshotIdentifier").rfind(kSecondary + "-final-", 0), 0u);
  EXPECT_EQ(fakes::signing_region(h.request(7)), "us-east-1");
  EXPECT_EQ(h.form(7, "DbClusterIdentifier"), kPrimaryArn);
  EXPECT_EQ(h.form(9, "GlobalClusterIdentifier"), kId);
}

TEST(RdsGlobalCluster, DestroyRefusesUnderDeletionProtectionAndIsDoneWhenGone) {
  Harness h;
  h.reply(200, describe_global("available", true, true));
  h.reply(200, describe_cluster("available", kMember));
  auto r = rds_global_cluster_type().destroy(h.ctx, want());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "DeletionProtectionEnabled");
  EXPECT_EQ(h.calls().size(), 2u);

  Harness gone;
  error(gone, 404, "GlobalClusterNotFoundFault");
  error(gone, 404, "DBClusterNotFoundFault");
  EXPECT_TRUE(rds_global_cluster_type().destroy(gone.ctx, want()).ok());
  EXPECT_EQ(gone.calls().size(), 2u);
  EXPECT_TRUE(rds_global_cluster_type().schema().data_bearing);
}

}  // namespace
}  // namespace resources
