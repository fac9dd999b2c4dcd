// Error parsing against saved responses (tests/data/aws/errors/*.http, expectations in
// expected.json): every protocol's error shape, moto's HTML pages and empty bodies.
#include "aws/error_parse.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "aws/encoding.h"

namespace fs = std::filesystem;

namespace {

const fs::path kErrors = fs::path(DRCTL_SOURCE_DIR) / "tests/data/aws/errors";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "HTTP/1.1 404 Not Found\nName: value\n\nbody"
aws::HttpResponse parse_http(const std::string& text) {
  aws::HttpResponse r;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  r.status = std::stoi(line.substr(line.find(' ') + 1, 3));
  while (std::getline(in, line) && !line.empty()) {
    size_t colon = line.find(':');
    r.headers[aws::to_lower(line.substr(0, colon))] = std::string(aws::trim(line.substr(colon + 1)));
  }
  std::stringstream rest;
  rest << in.rdbuf();
  r.body = rest.str();
  return r;
}

const char* retry_name(aws::Retry r) {
  switch (r) {
    case aws::Retry::never: return "never";
    case aws::Retry::yes: return "yes";
    case aws::Retry::throttled: return "throttled";
  }
  return "?";
}

std::vector<std::string> samples() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kErrors))
    if (e.path().extension() == ".http") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

class ErrorSample : public ::testing::TestWithParam<std::string> {};

TEST_P(ErrorSample, ParsesCodeMessageRequestIdAndRetry) {
  auto expected = nlohmann::json::parse(read(kErrors / "expected.json"));
  ASSERT_TRUE(expected.contains(GetParam())) << "add " << GetParam() << " to expected.json";
  const auto& want = expected[GetParam()];
  aws::AwsError e = aws::parse_error(parse_http(read(kErrors / (GetParam() + ".http"))));
  EXPECT_EQ(e.code, want["code"].get<std::string>());
  EXPECT_EQ(e.message, want["message"].get<std::string>());
  EXPECT_EQ(e.request_id, want["request_id"].get<std::string>());
  EXPECT_EQ(e.http_status, want["status"].get<int>());
  EXPECT_STREQ(retry_name(e.retry), want["retry"].get<std::string>().c_str());
}

INSTANTIATE_TEST_SUITE_P(Saved, ErrorSample, ::testing::ValuesIn(samples()), [](const auto& info) {
  std::string n = info.param;
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
});

TEST(ErrorSample, EveryExpectationHasASample) {
  auto expected = nlohmann::json::parse(read(kErrors / "expected.json"));
  auto have = samples();
  for (const auto& [name, _] : expected.items())
    if (name[0] != '_') {
      EXPECT_NE(std::find(have.begin(), have.end(), name), have.end()) << name;
    }
  EXPECT_GE(have.size(), 20u);
}

TEST(ClassifyRetry, ThrottlingCodes) {
  for (const char* code : {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                           "TooManyRequestsException", "ProvisionedThroughputExceededException",
                           "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
                           "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
                           "EC2ThrottledException"})
    EXPECT_EQ(aws::classify_retry(code, 400), aws::Retry::throttled) << code;
}

TEST(ClassifyRetry, TransientAndPermanent) {
  EXPECT_EQ(aws::classify_retry("RequestTimeout", 400), aws::Retry::yes);
  EXPECT_EQ(aws::classify_retry("InternalError", 500), aws::Retry::yes);
  EXPECT_EQ(aws::classify_retry("HTTP504", 504), aws::Retry::yes);
  EXPECT_EQ(aws::classify_retry("Whatever", 502), aws::Retry::yes);
  EXPECT_EQ(aws::classify_retry("ValidationException", 400), aws::Retry::never);
  EXPECT_EQ(aws::classify_retry("AccessDenied", 403), aws::Retry::never);
  EXPECT_EQ(aws::classify_retry("HTTP404", 404), aws::Retry::never);
  EXPECT_EQ(aws::classify_retry("HTTP501", 501), aws::Retry::never);
}

// Found by tests/fuzz/aws_error_response_fuzz: an x-amzn-ErrorType that cleans to nothing
// (":http://..." or "#") gave an error with an empty code.
TEST(ErrorSample, ErrorTypeHeaderWithoutNameFallsBackToHttpStatus) {
  aws::AwsError header_only = aws::parse_error({400, {{"x-amzn-errortype", ":http://internal"}}, ""});
  EXPECT_EQ(header_only.code, "HTTP400");
  aws::AwsError json_array = aws::parse_error({503, {{"x-amzn-errortype", "#"}}, "[]"});
  EXPECT_EQ(json_array.code, "HTTP503");
  EXPECT_EQ(json_array.retry, aws::Retry::yes);
}

TEST(TransportErrors, KindsMapToCodes) {
  using K = aws::TransportError::Kind;
  EXPECT_EQ(aws::transport_error({K::timeout, "t"}).code, "Timeout");
  EXPECT_EQ(aws::transport_error({K::timeout, "t"}).retry, aws::Retry::yes);
  EXPECT_EQ(aws::transport_error({K::connect, "refused"}).code, "TransportError");
  EXPECT_EQ(aws::transport_error({K::connect, "refused"}).retry, aws::Retry::yes);
  EXPECT_EQ(aws::transport_error({K::insecure, "http"}).retry, aws::Retry::never);
}

TEST(AwsErrorDescribe, NamesServiceOperationRegionStatusAndRequestId) {
  aws::AwsError e;
  e.code = "NoSuchBucket";
  e.message = "The specified bucket does not exist";
  e.request_id = "RID";
  e.http_status = 404;
  e.service = "s3";
  e.operation = "GetBucketReplication";
  e.region = "us-east-1";
  EXPECT_EQ(e.describe(),
            "s3 GetBucketReplication in us-east-1: NoSuchBucket: The specified bucket does not exist "
            "(HTTP 404, request id RID)");
}

}  // namespace
