// Pagination helpers over the fake transport: token threading, stop conditions, loops.
#include "aws/pagination.h"

#include <gtest/gtest.h>

#include "aws/test_util.h"

namespace {

using aws_test::FakeClient;

TEST(PaginateJson, FollowsNextTokenUntilAbsent) {
  FakeClient c;
  c.transport->push(200, R"({"clusterArns":["a","b"],"nextToken":"t1"})");
  c.transport->push(200, R"({"clusterArns":["c"],"nextToken":null})");
  std::vector<std::string> arns;
  auto st = aws::paginate_json(
      *c.client, aws::services::ecs, "us-east-1", "ListClusters", {{"maxResults", 2}},
      [&](const nlohmann::json& page) {
        for (const auto& a : page["clusterArns"]) arns.push_back(a);
        return true;
      },
      {"nextToken", "nextToken"});
  ASSERT_TRUE(st.ok()) << st.error().describe();
  EXPECT_EQ(arns, (std::vector<std::string>{"a", "b", "c"}));
  auto reqs = c.transport->requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].body, R"({"maxResults":2})");
  EXPECT_EQ(reqs[1].body, R"({"maxResults":2,"nextToken":"t1"})");
}

TEST(PaginateJson, ObjectTokensLikeDynamoDbKeys) {
  FakeClient c;
  c.transport->push(200, R"({"Items":[1],"LastEvaluatedKey":{"pk":{"S":"x"}}})");
  c.transport->push(200, R"({"Items":[2]})");
  int pages = 0;
  auto st = aws::paginate_json(
      *c.client, aws::services::dynamodb, "us-east-1", "Scan", {{"TableName", "t"}},
      [&](const nlohmann::json&) { return ++pages > 0; }, {"ExclusiveStartKey", "LastEvaluatedKey"});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(c.transport->requests()[1].body, R"({"ExclusiveStartKey":{"pk":{"S":"x"}},"TableName":"t"})");
}

TEST(PaginateJson, StopsWhenCallbackSaysSoAndOnErrors) {
  FakeClient c;
  c.transport->push(200, R"({"NextToken":"t1"})");
  auto st = aws::paginate_json(*c.client, aws::services::kms, "us-east-1", "ListKeys", {},
                               [](const nlohmann::json&) { return false; });
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(c.transport->request_count(), 1u);

  c.transport->push(200, R"({"NextToken":"t1"})");
  c.transport->push(400, R"({"__type":"AccessDeniedException","message":"no"})");
  st = aws::paginate_json(*c.client, aws::services::kms, "us-east-1", "ListKeys", {},
                          [](const nlohmann::json&) { return true; });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "AccessDeniedException");
}

TEST(PaginateJson, RepeatedTokenIsAnError) {
  FakeClient c;
  c.transport->set_handler([](const aws::HttpRequest&) -> fakes::SendResult {
    aws::HttpResponse r;
    r.status = 200;
    r.body = R"({"NextToken":"same"})";
    return r;
  });
  auto st = aws::paginate_json(*c.client, aws::services::kms, "us-east-1", "ListKeys", {},
                               [](const nlohmann::json&) { return true; });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "PaginationLoop");
  EXPECT_EQ(c.transport->request_count(), 2u);
}

TEST(PaginateRestJson, TokenGoesInTheQuery) {
  FakeClient c;
  c.transport->push(200, R"({"BackupPlansList":[{"BackupPlanId":"p1"}],"NextToken":"n/1"})");
  c.transport->push(200, R"({"BackupPlansList":[{"BackupPlanId":"p2"}]})");
  std::vector<std::string> ids;
  auto st = aws::paginate_rest_json(*c.client, aws::services::backup, "us-east-1",
                                    aws_test::rest_request("ListBackupPlans", "GET", "/backup/plans/", {{"maxResults", "1"}}),
                                    [&](const nlohmann::json& page) {
                                      for (const auto& p : page["BackupPlansList"]) ids.push_back(p["BackupPlanId"]);
                                      return true;
                                    });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(c.transport->requests()[1].url, "http://127.0.0.1:4566/backup/plans/?maxResults=1&nextToken=n%2F1");
}

TEST(PaginateQuery, MarkerInResultNode) {
  FakeClient c;
  c.transport->push(200,
                    "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance>"
                    "<DBInstanceIdentifier>a</DBInstanceIdentifier></DBInstance></DBInstances><Marker>m1</Marker>"
                    "</DescribeDBInstancesResult></DescribeDBInstancesResponse>");
  c.transport->push(200,
                    "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance>"
                    "<DBInstanceIdentifier>b</DBInstanceIdentifier></DBInstance></DBInstances>"
                    "</DescribeDBInstancesResult></DescribeDBInstancesResponse>");
  std::vector<std::string> ids;
  auto st = aws::paginate_query(*c.client, aws::services::rds, "us-east-1", "DescribeDBInstances", {},
                                [&](const pugi::xml_node& result) {
                                  for (auto db : result.child("DBInstances").children("DBInstance"))
                                    ids.push_back(db.child("DBInstanceIdentifier").text().as_string());
                                  return true;
                                });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(fakes::form_value(c.transport->requests()[1], "Marker"), "m1");
}

TEST(PaginateQuery, IamIsTruncatedFalseEndsEvenWithMarker) {
  FakeClient c;
  c.transport->push(200,
                    "<ListRolesResponse><ListRolesResult><IsTruncated>false</IsTruncated><Marker>x</Marker>"
                    "<Roles/></ListRolesResult></ListRolesResponse>");
  auto st = aws::paginate_query(*c.client, aws::services::iam, "", "ListRoles", {},
                                [](const pugi::xml_node&) { return true; });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(PaginateQuery, Ec2NextTokenUnderRoot) {
  FakeClient c;
  c.transport->push(200, "<DescribeSnapshotsResponse><snapshotSet/><nextToken>n1</nextToken></DescribeSnapshotsResponse>");
  c.transport->push(200, "<DescribeSnapshotsResponse><snapshotSet/></DescribeSnapshotsResponse>");
  auto st = aws::paginate_query(*c.client, aws::services::ec2, "us-east-1", "DescribeSnapshots", {},
                                [](const pugi::xml_node&) { return true; }, {"NextToken", "nextToken"});
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(fakes::form_value(c.transport->requests()[1], "NextToken"), "n1");
}

}  // namespace
