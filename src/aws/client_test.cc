// Client request shapes per protocol and success-body handling, through the fake transport.
#include "aws/client.h"

#include <gtest/gtest.h>

#include "aws/encoding.h"
#include "aws/test_util.h"

namespace {

using aws_test::FakeClient;
using fakes::header;

TEST(ClientQuery, PostsFormWithActionVersionAndSignsForTheService) {
  FakeClient c;
  c.transport->push(200, "<GetRoleResponse><GetRoleResult><Role><RoleName>r</RoleName></Role></GetRoleResult></GetRoleResponse>");
  auto doc = c->query(aws::services::iam, "", "GetRole", {{"RoleName", "dr role/x"}});
  ASSERT_TRUE(doc.ok()) << doc.error().describe();
  EXPECT_STREQ((*doc)->document_element().child("GetRoleResult").child("Role").child("RoleName").text().as_string(), "r");
  auto req = c.transport->requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "http://127.0.0.1:4566/");
  EXPECT_EQ(req.body, "Action=GetRole&Version=2010-05-08&RoleName=dr%20role%2Fx");
  EXPECT_EQ(header(req, "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(header(req, "Host"), "127.0.0.1:4566");
  EXPECT_EQ(header(req, "X-Amz-Content-SHA256"), aws::sha256_hex(req.body));
  EXPECT_EQ(fakes::signing_service(req), "iam");
  EXPECT_EQ(fakes::signing_region(req), "us-east-1");  // global service
  EXPECT_NE(header(req, "Authorization").find("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,"),
            std::string::npos);
}

TEST(ClientQuery, CloudWatchSignsAsMonitoring) {
  FakeClient c;
  c.transport->push(200, "<DescribeAlarmsResponse/>");
  ASSERT_TRUE(c->query(aws::services::cloudwatch, "eu-west-1", "DescribeAlarms", {}).ok());
  auto req = c.transport->requests().at(0);
  EXPECT_EQ(fakes::signing_service(req), "monitoring");
  EXPECT_EQ(fakes::signing_region(req), "eu-west-1");
  EXPECT_EQ(fakes::form_value(req, "Version"), "2010-08-01");
}

TEST(ClientQuery, NonXmlSuccessIsAnError) {
  FakeClient c;
  c.transport->push(200, "not xml");
  auto doc = c->query(aws::services::sts, "us-east-1", "GetCallerIdentity", {});
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, "MalformedResponse");
}

TEST(ClientJson, PostsTargetAndJsonContentType) {
  FakeClient c;
  c.transport->push(200, R"({"Table":{"TableName":"catalog"}})");
  auto r = c->json(aws::services::dynamodb, "us-west-2", "DescribeTable", {{"TableName", "catalog"}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ((*r)["Table"]["TableName"], "catalog");
  auto req = c.transport->requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(header(req, "X-Amz-Target"), "DynamoDB_20120810.DescribeTable");
  EXPECT_EQ(header(req, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(req.body, R"({"TableName":"catalog"})");

  c.transport->push(200, "");
  ASSERT_TRUE(c->json(aws::services::ecs, "us-west-2", "ListClusters", nlohmann::json::object()).ok());
  req = c.transport->requests().at(1);
  EXPECT_EQ(header(req, "X-Amz-Target"), "AmazonEC2ContainerServiceV20141113.ListClusters");
  EXPECT_EQ(header(req, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(req.body, "{}");
}

TEST(ClientJson, ErrorCarriesServiceOperationAndRegion) {
  FakeClient c;
  c.transport->push(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"nope"})",
                    {{"x-amzn-RequestId", "RID1"}});
  auto r = c->json(aws::services::dynamodb, "us-west-2", "DescribeTable", {{"TableName", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ResourceNotFoundException");
  EXPECT_EQ(r.error().describe(),
            "dynamodb DescribeTable in us-west-2: ResourceNotFoundException: nope (HTTP 400, request id RID1)");
}

TEST(ClientRestJson, EncodesPathSegmentsAndQuery) {
  FakeClient c;
  c.transport->push(200, aws_test::read_file(aws_test::kAwsData / "success/backup-get-backup-plan.json"));
  aws::RestRequest r;
  r.operation = "GetBackupPlan";
  r.path = "/backup/plans/8f2c 6a1e:x/";
  r.query = {{"versionId", "a+b/c"}};
  auto j = c->rest_json(aws::services::backup, "us-east-1", r);
  ASSERT_TRUE(j.ok()) << j.error().describe();
  EXPECT_EQ((*j)["BackupPlan"]["Rules"][0]["CopyActions"][0]["DestinationBackupVaultArn"],
            "arn:aws:backup:us-west-2:123456789012:backup-vault:shop-prod-dr");
  auto req = c.transport->requests().at(0);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.url, "http://127.0.0.1:4566/backup/plans/8f2c%206a1e%3Ax/?versionId=a%2Bb%2Fc");
  EXPECT_EQ(header(req, "X-Amz-Content-SHA256"), std::string(aws::kEmptySha256));
  EXPECT_EQ(fakes::signing_service(req), "backup");
}

TEST(ClientRestJson, EfsUsesElasticfilesystemSigningName) {
  FakeClient c;
  c.transport->push(200, "{}");
  aws::RestRequest r = aws_test::rest_request("DescribeFileSystems", "GET", "/2015-02-01/file-systems");
  ASSERT_TRUE(c->rest_json(aws::services::efs, "us-east-1", r).ok());
  EXPECT_EQ(fakes::signing_service(c.transport->requests().at(0)), "elasticfilesystem");
}

TEST(ClientRestXml, S3PathStyleOnCustomEndpointKeepsSlashesInKeys) {
  FakeClient c;
  c.transport->push(200, aws_test::read_file(aws_test::kAwsData / "success/s3-get-bucket-replication.xml"));
  aws::RestRequest r = aws_test::rest_request("GetBucketReplication", "GET", "/shop-assets", {{"replication", ""}});
  auto resp = c->rest(aws::services::s3, "us-east-1", r);
  ASSERT_TRUE(resp.ok()) << resp.error().describe();
  auto doc = aws::parse_xml(resp->body);
  ASSERT_TRUE(doc);
  EXPECT_STREQ(doc->document_element().child("Rule").child("Destination").child("Bucket").text().as_string(),
               "arn:aws:s3:::shop-assets-dr");
  EXPECT_EQ(c.transport->requests().at(0).url, "http://127.0.0.1:4566/shop-assets?replication");

  c.transport->push(200, "");
  aws::RestRequest put = aws_test::rest_request("PutObject", "PUT", "/shop-assets/dir/a b.txt", {}, "hello", "text/plain");
  ASSERT_TRUE(c->rest(aws::services::s3, "us-east-1", put).ok());
  auto req = c.transport->requests().at(1);
  EXPECT_EQ(req.url, "http://127.0.0.1:4566/shop-assets/dir/a%20b.txt");
  EXPECT_EQ(req.body, "hello");
  EXPECT_EQ(header(req, "X-Amz-Content-SHA256"), aws::sha256_hex("hello"));
  EXPECT_EQ(header(req, "Content-Type"), "text/plain");
}

TEST(ClientRestXml, S3VirtualHostOnRealAws) {
  FakeClient c("");
  c.transport->push(200, "");
  aws::RestRequest r = aws_test::rest_request("GetBucketVersioning", "GET", "/shop-assets", {{"versioning", ""}});
  ASSERT_TRUE(c->rest(aws::services::s3, "eu-west-1", r).ok());
  auto req = c.transport->requests().at(0);
  EXPECT_EQ(req.url, "https://shop-assets.s3.eu-west-1.amazonaws.com/?versioning");
  EXPECT_EQ(header(req, "Host"), "shop-assets.s3.eu-west-1.amazonaws.com");

  c.transport->push(200, "");
  r.path = "/dotted.bucket.name";  // no virtual host under TLS with dots: path-style
  ASSERT_TRUE(c->rest(aws::services::s3, "eu-west-1", r).ok());
  EXPECT_EQ(c.transport->requests().at(1).url, "https://s3.eu-west-1.amazonaws.com/dotted.bucket.name?versioning");
}

TEST(ClientRestXml, Route53IsGlobalAndSignedInUsEast1) {
  FakeClient c("");
  c.transport->push(200, "<ListHealthChecksResponse/>");
  aws::RestRequest r = aws_test::rest_request("ListHealthChecks", "GET", "/2013-04-01/healthcheck", {{"maxitems", "100"}});
  ASSERT_TRUE(c->rest(aws::services::route53, "eu-central-1", r).ok());
  auto req = c.transport->requests().at(0);
  EXPECT_EQ(req.url, "https://route53.amazonaws.com/2013-04-01/healthcheck?maxitems=100");
  EXPECT_EQ(fakes::signing_region(req), "us-east-1");
}

TEST(ClientRestXml, S3ErrorIsParsed) {
  FakeClient c;
  c.transport->push(404, "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>",
                    {{"x-amz-request-id", "R1"}});
  auto r = c->rest(aws::services::s3, "us-east-1", aws_test::rest_request("GetBucketReplication", "GET", "/nope", {{"replication", ""}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NoSuchBucket");
  EXPECT_EQ(r.error().request_id, "R1");
  EXPECT_EQ(r.error().retry, aws::Retry::never);
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(Client, SessionTokenIsSentAndSigned) {
  FakeClient c("http://127.0.0.1:4566", 3, "TOKEN123");
  c.transport->push(200, "<R/>");
  ASSERT_TRUE(c->query(aws::services::sts, "us-east-1", "GetCallerIdentity", {}).ok());
  auto req = c.transport->requests().at(0);
  EXPECT_EQ(header(req, "X-Amz-Security-Token"), "TOKEN123");
  EXPECT_NE(header(req, "Authorization").find("x-amz-security-token"), std::string::npos);
}

TEST(Client, NoRegionAnywhereIsAnErrorWithoutSending) {
  aws::ClientConfig cfg;
  auto transport = std::make_shared<fakes::FakeTransport>();
  cfg.transport = transport;
  cfg.credentials = std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"A", "S", ""});
  aws::Client client(cfg);
  auto r = client.json(aws::services::dynamodb, "", "ListTables", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NoRegion");
  EXPECT_EQ(transport->request_count(), 0u);
}

TEST(Client, AccountIdIsFetchedOnceAndCached) {
  FakeClient c;
  c.transport->push(200,
                    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                    "<Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>AID</UserId><Account>123456789012</Account>"
                    "</GetCallerIdentityResult></GetCallerIdentityResponse>");
  auto a = c->account_id();
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(*a, "123456789012");
  auto b = c->account_id();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, "123456789012");
  EXPECT_EQ(c.transport->calls(), std::vector<std::string>{"POST sts:GetCallerIdentity"});
}

TEST(Client, StatsCountRequestsPerServiceOperation) {
  FakeClient c;
  c.transport->push(200, "<R/>");
  c.transport->push(200, "<R/>");
  c.transport->push(200, "{}");
  ASSERT_TRUE(c->query(aws::services::iam, "", "GetRole", {}).ok());
  ASSERT_TRUE(c->query(aws::services::iam, "", "GetRole", {}).ok());
  ASSERT_TRUE(c->json(aws::services::kms, "us-east-1", "ListKeys", {}).ok());
  auto s = c->stats();
  EXPECT_EQ(s.requests, 3);
  EXPECT_EQ(s.retries, 0);
  EXPECT_EQ(s.by_operation, (std::map<std::string, long long>{{"iam:GetRole", 2}, {"kms:ListKeys", 1}}));
}

}  // namespace
