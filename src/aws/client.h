// Client: signed, retried calls to AWS over its five wire protocols. One Client is shared by
// all worker threads of a run; every method is thread-safe.
//
// Each call: resolves the endpoint (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, else the
// real regional endpoint), signs with SigV4 (x-amz-content-sha256 always signed), sends over
// the HttpTransport, parses errors of that protocol (or an HTML/empty body) into AwsError, and
// retries throttling, 5xx and transport errors in the standard retry mode: at most
// max_attempts, jittered exponential backoff (base 100 ms, cap 20 s), a shared retry quota
// (500 tokens, 5 per retry, 10 per timeout, 1 back per success).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "aws/error.h"
#include "aws/service.h"
#include "model/result.h"

namespace aws {

class HttpTransport;
class CredentialsProvider;

template <typename T>
using Result = model::Result<T, AwsError>;

using Params = std::vector<std::pair<std::string, std::string>>;  // ordered, repeatable
using XmlDoc = std::shared_ptr<pugi::xml_document>;

// A REST call (rest-xml, rest-json). The path is given unencoded segments joined by '/'
// ("/my-bucket" or "/backup/plans/abc/"); the client percent-encodes it. Query parameters are
// encoded by the client too.
struct RestRequest {
  std::string operation;  // for errors, logs and call counting
  std::string method = "GET";
  std::string path = "/";
  Params query;
  Params headers;         // extra headers (content-md5, x-amz-*)
  std::string body;
  std::string content_type;  // set when body is non-empty
};

struct RestResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct ClientConfig {
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<CredentialsProvider> credentials;
  // Send requests unsigned, without credentials: only for the few calls AWS authorises by
  // their own content (STS AssumeRoleWithWebIdentity, which carries the OIDC token).
  bool anonymous = false;
  int max_attempts = 3;
  // Client-side token buckets per region, service and API family (rate_limiter.h). Off by
  // default (tests with fake transports); from_environment() turns it on unless
  // DRCTL_RATE_LIMIT=off.
  bool rate_limit = false;
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds backoff_base{100};
  std::chrono::milliseconds backoff_cap{20000};
  // Endpoint overrides, normally read from the environment by from_environment().
  std::string endpoint_url;                        // AWS_ENDPOINT_URL
  std::map<std::string, std::string> service_endpoints;  // env_suffix -> url
  std::string default_region;                      // AWS_REGION / AWS_DEFAULT_REGION / profile
};

// Counts of HTTP requests sent (retries included), for tests and benchmarks.
struct CallStats {
  long long requests = 0;
  long long retries = 0;
  std::map<std::string, long long> by_operation;  // "s3:GetBucketReplication" -> n
};

class Client {
 public:
  explicit Client(ClientConfig config);
  ~Client();

  // Builds the config from the environment and shared files: transport = curl,
  // credentials = the default chain (sts_credentials.h: environment keys, role profiles,
  // web identity, shared-file keys), whose STS calls use this same transport and endpoints.
  static ClientConfig from_environment();

  // query / ec2: POST form "Action=&Version=&params", XML reply (root element is
  // <ActionResponse>). Errors: <ErrorResponse><Error><Code>.
  Result<XmlDoc> query(const Service& s, const std::string& region, const std::string& action,
                       const Params& params);

  // rest-xml (S3, Route 53): returns the raw response for 2xx; errors parsed from <Error>.
  // S3 uses path-style addressing against custom endpoints, virtual-host on real AWS.
  Result<RestResponse> rest(const Service& s, const std::string& region, const RestRequest& r);

  // rest-json: as rest(), with the body parsed as JSON ({} when empty).
  Result<nlohmann::json> rest_json(const Service& s, const std::string& region,
                                   const RestRequest& r);

  // json 1.0/1.1: POST "/", X-Amz-Target: <target_prefix>.<operation>.
  Result<nlohmann::json> json(const Service& s, const std::string& region,
                              const std::string& operation, const nlohmann::json& body);

  // The caller's account id (STS GetCallerIdentity), fetched once and cached.
  Result<std::string> account_id();

  CallStats stats() const;
  const ClientConfig& config() const { return config_; }

 private:
  struct Impl;
  ClientConfig config_;
  std::unique_ptr<Impl> impl_;
};

// Parses an XML body; nullptr when it is not XML.
XmlDoc parse_xml(const std::string& body);

}  // namespace aws
