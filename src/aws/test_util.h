// Shared helpers for drctl_aws_test: a Client over a FakeTransport with fixed credentials.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "aws/client.h"
#include "aws/credentials.h"
#include "fakes/fake_transport.h"

namespace aws_test {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline const std::filesystem::path kAwsData = std::filesystem::path(DRCTL_SOURCE_DIR) / "tests/data/aws";

// A RestRequest without spelling out every member (-Wmissing-field-initializers).
inline aws::RestRequest rest_request(std::string operation, std::string method, std::string path,
                                     aws::Params query = {}, std::string body = "",
                                     std::string content_type = "") {
  aws::RestRequest r;
  r.operation = std::move(operation);
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

struct FakeClient {
  std::shared_ptr<fakes::FakeTransport> transport = std::make_shared<fakes::FakeTransport>();
  std::unique_ptr<aws::Client> client;

  // endpoint "" = real AWS endpoints; backoff 0 so retries don't sleep.
  explicit FakeClient(std::string endpoint = "http://127.0.0.1:4566", int max_attempts = 3,
                      std::string session_token = "") {
    aws::ClientConfig cfg;
    cfg.transport = transport;
    cfg.credentials = std::make_shared<aws::StaticCredentialsProvider>(
        aws::Credentials{"AKIDTEST", "secret-test-key", session_token});
    cfg.endpoint_url = endpoint;
    cfg.default_region = "us-east-1";
    cfg.max_attempts = max_attempts;
    cfg.backoff_base = std::chrono::milliseconds(0);
    client = std::make_unique<aws::Client>(cfg);
  }
  aws::Client* operator->() { return client.get(); }
};

}  // namespace aws_test
