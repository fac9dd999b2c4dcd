// Standard retry mode: backoff formula, retry quota, and the client's retry loop over the fake.
#include "aws/retry.h"

#include <gtest/gtest.h>

#include "aws/test_util.h"

namespace {

using aws_test::FakeClient;
using std::chrono::milliseconds;

TEST(Backoff, IsJitterTimesCappedExponential) {
  EXPECT_EQ(aws::backoff_delay(0, milliseconds(100), milliseconds(20000), 1.0), milliseconds(100));
  EXPECT_EQ(aws::backoff_delay(1, milliseconds(100), milliseconds(20000), 1.0), milliseconds(200));
  EXPECT_EQ(aws::backoff_delay(3, milliseconds(100), milliseconds(20000), 0.5), milliseconds(400));
  EXPECT_EQ(aws::backoff_delay(10, milliseconds(100), milliseconds(20000), 1.0), milliseconds(20000));
  EXPECT_EQ(aws::backoff_delay(60, milliseconds(100), milliseconds(20000), 0.25), milliseconds(5000));
  EXPECT_EQ(aws::backoff_delay(2, milliseconds(100), milliseconds(20000), 0.0), milliseconds(0));
}

TEST(RetryQuota, CostsRefundsAndExhaustion) {
  aws::RetryQuota q(20);
  EXPECT_EQ(q.acquire(false), 5);
  EXPECT_EQ(q.acquire(true), 10);
  EXPECT_EQ(q.available(), 5);
  EXPECT_EQ(q.acquire(true), 0);  // not enough for a timeout retry
  EXPECT_EQ(q.available(), 5);
  EXPECT_EQ(q.acquire(false), 5);
  EXPECT_EQ(q.acquire(false), 0);
  q.on_success(5);  // success after a retry refunds its cost
  EXPECT_EQ(q.available(), 5);
  q.on_success(0);  // success at the first attempt adds one
  EXPECT_EQ(q.available(), 6);
  for (int i = 0; i < 100; ++i) q.on_success(10);
  EXPECT_EQ(q.available(), 20);  // never above capacity
}

const char* kThrottle =
    "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
    "<RequestId>r</RequestId></ErrorResponse>";

TEST(ClientRetry, ThrottlingIsRetriedThenSucceeds) {
  FakeClient c;
  c.transport->push(400, kThrottle);
  c.transport->push(400, kThrottle);
  c.transport->push(200, "<GetUserResponse/>");
  auto r = c->query(aws::services::iam, "", "GetUser", {});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(c.transport->request_count(), 3u);
  auto stats = c->stats();
  EXPECT_EQ(stats.requests, 3);
  EXPECT_EQ(stats.retries, 2);
  EXPECT_EQ(stats.by_operation["iam:GetUser"], 3);
  // Each attempt is signed afresh; the body is identical.
  auto reqs = c.transport->requests();
  EXPECT_EQ(reqs[0].body, reqs[2].body);
}

TEST(ClientRetry, BackoffReallyWaitsBetweenAttempts) {
  aws::ClientConfig cfg;
  auto transport = std::make_shared<fakes::FakeTransport>();
  cfg.transport = transport;
  cfg.credentials = std::make_shared<aws::StaticCredentialsProvider>(aws::Credentials{"A", "S", ""});
  cfg.endpoint_url = "http://127.0.0.1:1";
  cfg.default_region = "us-east-1";
  cfg.max_attempts = 5;
  // base == cap: every delay is uniform in [0, 40ms); four of them sum well above zero.
  cfg.backoff_base = milliseconds(40);
  cfg.backoff_cap = milliseconds(40);
  aws::Client client(cfg);
  std::vector<std::chrono::steady_clock::time_point> sent;
  transport->set_handler([&](const aws::HttpRequest&) -> fakes::SendResult {
    sent.push_back(std::chrono::steady_clock::now());
    aws::HttpResponse r;
    r.status = sent.size() < 5 ? 503 : 200;
    r.body = sent.size() < 5 ? "" : "<R/>";
    return r;
  });
  ASSERT_TRUE(client.query(aws::services::sts, "", "GetCallerIdentity", {}).ok());
  ASSERT_EQ(sent.size(), 5u);
  auto total = std::chrono::duration_cast<milliseconds>(sent.back() - sent.front());
  EXPECT_GT(total.count(), 5);    // P(sum of 4 uniform[0,40) < 5ms) is negligible
  EXPECT_LT(total.count(), 2000);
}

TEST(ClientRetry, ValidationErrorIsNotRetried) {
  FakeClient c;
  c.transport->push(400, R"({"__type":"ValidationException","message":"bad"})");
  auto r = c->json(aws::services::ecs, "us-east-1", "UpdateService", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ValidationException");
  EXPECT_EQ(r.error().retry, aws::Retry::never);
  EXPECT_EQ(c.transport->request_count(), 1u);
  EXPECT_EQ(c->stats().retries, 0);
}

TEST(ClientRetry, TransportErrorIsRetried) {
  FakeClient c;
  c.transport->push_error({aws::TransportError::Kind::connect, "Couldn't connect to server"});
  c.transport->push_error({aws::TransportError::Kind::timeout, "Timeout was reached"});
  c.transport->push(200, "{}");
  auto r = c->json(aws::services::dynamodb, "us-east-1", "ListTables", {});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(c.transport->request_count(), 3u);
}

TEST(ClientRetry, InsecureEndpointIsNotRetried) {
  FakeClient c;
  c.transport->push_error({aws::TransportError::Kind::insecure, "refusing plain http"});
  auto r = c->json(aws::services::dynamodb, "us-east-1", "ListTables", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InsecureEndpoint");
  EXPECT_EQ(c.transport->request_count(), 1u);
}

TEST(ClientRetry, AttemptsAreCapped) {
  FakeClient c("http://127.0.0.1:4566", /*max_attempts=*/4);
  c.transport->set_handler([](const aws::HttpRequest&) -> fakes::SendResult {
    aws::HttpResponse r;
    r.status = 500;
    r.body = "<!doctype html><title>500 Internal Server Error</title>";
    return r;
  });
  auto r = c->rest_json(aws::services::backup, "us-east-1", aws_test::rest_request("ListBackupSelections", "GET", "/backup/plans/p/selections/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "HTTP500");
  EXPECT_EQ(r.error().message, "500 Internal Server Error");
  EXPECT_EQ(r.error().operation, "ListBackupSelections");
  EXPECT_EQ(c.transport->request_count(), 4u);
  EXPECT_EQ(c->stats().retries, 3);
}

TEST(ClientRetry, ExhaustedQuotaStopsRetrying) {
  FakeClient c("http://127.0.0.1:4566", /*max_attempts=*/2);
  c.transport->set_handler([](const aws::HttpRequest&) -> fakes::SendResult {
    aws::HttpResponse r;
    r.status = 503;
    return r;
  });
  // 500 tokens / 5 per retry = 100 retries; each failing call below spends one.
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(c->json(aws::services::kms, "us-east-1", "ListKeys", {}).ok());
  EXPECT_EQ(c.transport->request_count(), 200u);
  ASSERT_FALSE(c->json(aws::services::kms, "us-east-1", "ListKeys", {}).ok());
  EXPECT_EQ(c.transport->request_count(), 201u);  // no retry left
  EXPECT_EQ(c->stats().retries, 100);
}

TEST(ClientRetry, SuccessRefillsTheQuota) {
  FakeClient c("http://127.0.0.1:4566", /*max_attempts=*/2);
  int n = 0;
  c.transport->set_handler([&](const aws::HttpRequest&) -> fakes::SendResult {
    aws::HttpResponse r;
    r.status = (n++ < 200) ? 503 : 200;
    r.body = "{}";
    return r;
  });
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(c->json(aws::services::kms, "us-east-1", "ListKeys", {}).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c->json(aws::services::kms, "us-east-1", "ListKeys", {}).ok());
  // 5 first-attempt successes give 5 tokens back: exactly one retry is allowed again.
  n = 0;
  ASSERT_FALSE(c->json(aws::services::kms, "us-east-1", "ListKeys", {}).ok());
  EXPECT_EQ(c->stats().retries, 101);
}

}  // namespace
