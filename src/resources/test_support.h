// Test support for drctl_resources_test: an aws::Client over fakes::FakeTransport with
// canned replies read from tests/data/resources/. Header-only; tests only.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "aws/credentials.h"
#include "fakes/fake_transport.h"
#include "resources/resource_type.h"

namespace resources::test {

inline std::string data(const std::string& rel) {
  const std::string path = std::string(DRCTL_SOURCE_DIR) + "/tests/data/resources/" + rel;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test data " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline aws::ClientConfig fake_config(std::shared_ptr<fakes::FakeTransport> fake) {
  aws::ClientConfig c;
  c.transport = std::move(fake);
  c.credentials = std::make_shared<aws::StaticCredentialsProvider>(
      aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""});
  c.endpoint_url = "http://127.0.0.1:4566";  // path-style S3, one endpoint for all services
  c.default_region = "us-east-1";
  c.max_attempts = 1;  // a canned 500 is answered once, not retried
  return c;
}

struct Harness {
  std::shared_ptr<fakes::FakeTransport> fake = std::make_shared<fakes::FakeTransport>();
  aws::Client client{fake_config(fake)};
  Context ctx{client, "shop-prod"};

  // Queues a reply: body from a data file when `file` names one (contains '.'), else literal.
  void reply(int status, const std::string& file_or_body = "",
             std::map<std::string, std::string> headers = {}) {
    const bool is_file = file_or_body.find('/') != std::string::npos &&
                         file_or_body.find('.') != std::string::npos && file_or_body[0] != '{' &&
                         file_or_body[0] != '<';
    fake->push(status, is_file ? data(file_or_body) : file_or_body, std::move(headers));
  }
  // A rest-json error as Backup answers it.
  void backup_error(int status, const std::string& code, const std::string& file) {
    reply(status, file, {{"x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazonaws.backup/"},
                         {"Content-Type", "application/json"}});
  }

  std::vector<std::string> calls() const { return fake->calls(); }
  aws::HttpRequest request(size_t i) const { return fake->requests().at(i); }
  std::string body(size_t i) const { return request(i).body; }
  nlohmann::json json_body(size_t i) const { return nlohmann::json::parse(body(i)); }
  std::string form(size_t i, const std::string& key) const { return fakes::form_value(request(i), key); }
  size_t pending() const { return fake->pending(); }
};

inline Target target(std::string address, std::string region, nlohmann::json attrs, std::string id = "") {
  return Target{std::move(address), std::move(region), std::move(attrs), std::move(id)};
}

}  // namespace resources::test
