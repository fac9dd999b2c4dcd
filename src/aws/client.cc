#include "aws/client.h"

#include <cstdlib>
#include <optional>
#include <random>
#include <thread>

#include "apply/crash_point.h"  // test-only kill point between request and response
#include "aws/credentials.h"
#include "aws/curl_transport.h"
#include "aws/encoding.h"
#include "aws/endpoint.h"
#include "aws/error_parse.h"
#include "aws/rate_limiter.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "aws/sts_credentials.h"
#include "aws/transport.h"

extern char** environ;

namespace aws {

namespace {

// One call as it will go on the wire, before endpoint and signing.
struct Wire {
  std::string operation;
  std::string method;
  std::string path;  // unencoded, '/'-separated
  Params query;
  Params headers;
  std::string body;
  std::string content_type;
};

std::string encode_query(const Params& q) {
  std::string out;
  for (const auto& [k, v] : q) {
    out += out.empty() ? "" : "&";
    // An empty value is sent as a bare key, as S3 sub-resources are ("?replication").
    out += uri_encode(k) + (v.empty() ? "" : "=" + uri_encode(v));
  }
  return out;
}

std::string form_body(const Params& p) {
  std::string out;
  for (const auto& [k, v] : p) out += (out.empty() ? "" : "&") + uri_encode(k) + "=" + uri_encode(v);
  return out;
}

AwsError simple_error(std::string code, std::string message) {
  AwsError e;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

}  // namespace

struct Client::Impl {
  RetryQuota quota;
  RateLimiter limiter;
  mutable std::mutex stats_mu;
  CallStats stats;
  std::mutex rng_mu;
  std::mt19937_64 rng{std::random_device{}()};
  std::mutex account_mu;
  std::optional<std::string> account;

  double random01() {
    std::lock_guard<std::mutex> g(rng_mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }
  void count(const std::string& key, bool retry) {
    std::lock_guard<std::mutex> g(stats_mu);
    ++stats.requests;
    ++stats.by_operation[key];
    if (retry) ++stats.retries;
  }

  Result<RestResponse> call(const ClientConfig& cfg, const Service& s, std::string region, const Wire& w);
};

Result<RestResponse> Client::Impl::call(const ClientConfig& cfg, const Service& s, std::string region,
                                        const Wire& w) {
  auto fail = [&](AwsError e) -> Result<RestResponse> {
    e.service = s.id;
    e.operation = w.operation;
    e.region = region;
    return model::err(std::move(e));
  };
  if (region.empty()) region = cfg.default_region;
  if (region.empty() && !s.global)
    return fail(simple_error("NoRegion", "no region given and none configured (set AWS_REGION)"));
  if (!cfg.transport) return fail(simple_error("NoTransport", "client has no HTTP transport"));
  if (!cfg.credentials && !cfg.anonymous)
    return fail(simple_error("NoCredentials", "client has no credentials provider"));

  // S3: the bucket is the first path segment; on real AWS it moves into the host.
  std::string path = w.path.empty() || w.path[0] != '/' ? "/" + w.path : w.path;
  std::string bucket;
  if (s.id == "s3") bucket = path.substr(1, path.find('/', 1) == std::string::npos ? std::string::npos : path.find('/', 1) - 1);
  Endpoint ep = resolve_endpoint(s, region, cfg.endpoint_url, cfg.service_endpoints, bucket);
  if (ep.virtual_host) {
    path = path.substr(1 + bucket.size());
    if (path.empty()) path = "/";
  }
  const std::string base_path = ep.base_url.substr(ep.base_url.find(ep.host) + ep.host.size());
  const std::string wire_path = base_path + uri_encode(path, /*keep_slash=*/true);
  std::string url = ep.base_url.substr(0, ep.base_url.size() - base_path.size()) + wire_path;
  if (!w.query.empty()) url += "?" + encode_query(w.query);

  sigv4::Request sreq;
  sreq.method = w.method;
  sreq.path = wire_path;
  sreq.query = w.query;
  if (s.id == "s3") sigv4::use_s3_paths(sreq);
  sreq.payload_hash = sha256_hex(w.body);
  sreq.headers.emplace_back("Host", ep.host);
  if (!w.content_type.empty()) sreq.headers.emplace_back("Content-Type", w.content_type);
  for (const auto& h : w.headers) sreq.headers.push_back(h);
  // Always sent and signed: S3 requires it, moto requires it on bodiless rest calls.
  sreq.headers.emplace_back("X-Amz-Content-SHA256", sreq.payload_hash);
  const std::string key = s.id + ":" + w.operation;

  int last_cost = 0;
  for (int attempt = 0;; ++attempt) {
    HttpRequest req{w.method, url, sreq.headers, w.body};
    if (!cfg.anonymous) {
      auto creds = cfg.credentials->get();
      if (!creds.ok()) {
        // An STS failure while getting credentials names its own call (AssumeRole...): keep
        // it rather than blaming the call that needed the credentials.
        if (!creds.error().operation.empty()) return model::err(creds.error());
        return fail(creds.error());
      }
      sigv4::Signed sig = sigv4::sign(sreq, *creds, {ep.signing_region, s.signing_name,
                                                     std::chrono::system_clock::now()});
      req.headers.insert(req.headers.end(), sig.added_headers.begin(), sig.added_headers.end());
    }

    if (cfg.rate_limit) limiter.acquire(region, s.id, w.operation);
    count(key, attempt > 0);
    auto sent = cfg.transport->send(req, cfg.timeout);
    apply::crash_point_in_call(w.operation);  // DRCTL_TEST_KILL_AT=in-call:N; inert otherwise
    AwsError err;
    if (!sent.ok()) {
      err = transport_error(sent.error());
    } else if (sent->status >= 200 && sent->status < 300) {
      quota.on_success(last_cost);
      if (cfg.rate_limit) limiter.on_success(region, s.id, w.operation);
      return RestResponse{sent->status, std::move(sent->headers), std::move(sent->body)};
    } else {
      err = parse_error(*sent);
    }
    if (cfg.rate_limit && err.retry == Retry::throttled) limiter.on_throttled(region, s.id, w.operation);
    if (err.retry == Retry::never || attempt + 1 >= cfg.max_attempts) return fail(std::move(err));
    int cost = quota.acquire(err.code == "Timeout");
    if (cost == 0) return fail(std::move(err));  // quota exhausted: fail fast during an outage
    last_cost = cost;
    std::this_thread::sleep_for(backoff_delay(attempt, cfg.backoff_base, cfg.backoff_cap, random01()));
  }
}

Client::Client(ClientConfig config) : config_(std::move(config)), impl_(std::make_unique<Impl>()) {
  if (config_.max_attempts < 1) config_.max_attempts = 1;
}

Client::~Client() = default;

ClientConfig Client::from_environment() {
  ClientConfig c;
  c.transport = std::make_shared<CurlTransport>();
  const char* rate_limit = std::getenv("DRCTL_RATE_LIMIT");
  c.rate_limit = !(rate_limit && std::string(rate_limit) == "off");
  if (const char* u = std::getenv("AWS_ENDPOINT_URL")) c.endpoint_url = u;
  const std::string prefix = "AWS_ENDPOINT_URL_";
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (kv.rfind(prefix, 0) == 0 && eq != std::string::npos && eq > prefix.size())
      c.service_endpoints[kv.substr(prefix.size(), eq - prefix.size())] = kv.substr(eq + 1);
  }
  if (const char* m = std::getenv("AWS_MAX_ATTEMPTS"); m && std::atoi(m) > 0) c.max_attempts = std::atoi(m);
  c.default_region = default_region_from_environment();
  c.credentials = default_credentials_chain(StsContext{c});  // STS through the same endpoints
  return c;
}

XmlDoc parse_xml(const std::string& body) {
  auto doc = std::make_shared<pugi::xml_document>();
  if (body.empty() || !doc->load_buffer(body.data(), body.size()) || !doc->document_element())
    return nullptr;
  return doc;
}

Result<XmlDoc> Client::query(const Service& s, const std::string& region, const std::string& action,
                             const Params& params) {
  Params form{{"Action", action}, {"Version", s.api_version}};
  form.insert(form.end(), params.begin(), params.end());
  Wire w{action, "POST", "/", {}, {}, form_body(form), "application/x-www-form-urlencoded; charset=utf-8"};
  auto r = impl_->call(config_, s, region, w);
  if (!r.ok()) return model::err(r.error());
  XmlDoc doc = parse_xml(r->body);
  if (!doc) {
    AwsError e = simple_error("MalformedResponse", "reply is not XML");
    e.service = s.id, e.operation = action, e.region = region, e.http_status = r->status;
    return model::err(e);
  }
  return doc;
}

Result<RestResponse> Client::rest(const Service& s, const std::string& region, const RestRequest& r) {
  return impl_->call(config_, s, region,
                     Wire{r.operation, r.method, r.path, r.query, r.headers, r.body, r.content_type});
}

namespace {
Result<nlohmann::json> parse_json_reply(const Service& s, const std::string& region, const std::string& op,
                                        const RestResponse& r) {
  if (trim(r.body).empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    AwsError e = simple_error("MalformedResponse", "reply is not JSON");
    e.service = s.id, e.operation = op, e.region = region, e.http_status = r.status;
    return model::err(e);
  }
  return j;
}
}  // namespace

Result<nlohmann::json> Client::rest_json(const Service& s, const std::string& region, const RestRequest& r) {
  auto resp = rest(s, region, r);
  if (!resp.ok()) return model::err(resp.error());
  return parse_json_reply(s, region, r.operation, *resp);
}

Result<nlohmann::json> Client::json(const Service& s, const std::string& region, const std::string& operation,
                                    const nlohmann::json& body) {
  Wire w{operation, "POST", "/", {}, {{"X-Amz-Target", s.target_prefix + "." + operation}},
         body.is_null() ? "{}" : body.dump(), "application/x-amz-json-" + s.json_version};
  auto resp = impl_->call(config_, s, region, w);
  if (!resp.ok()) return model::err(resp.error());
  return parse_json_reply(s, region, operation, *resp);
}

Result<std::string> Client::account_id() {
  std::lock_guard<std::mutex> g(impl_->account_mu);
  if (impl_->account) return *impl_->account;
  auto doc = query(services::sts, config_.default_region.empty() ? "us-east-1" : config_.default_region,
                   "GetCallerIdentity", {});
  if (!doc.ok()) return model::err(doc.error());
  std::string id = (*doc)->document_element().child("GetCallerIdentityResult").child("Account").text().as_string();
  if (id.empty()) {
    AwsError e = simple_error("MalformedResponse", "GetCallerIdentity reply has no Account");
    e.service = "sts", e.operation = "GetCallerIdentity";
    return model::err(e);
  }
  impl_->account = id;
  return id;
}

CallStats Client::stats() const {
  std::lock_guard<std::mutex> g(impl_->stats_mu);
  return impl_->stats;
}

}  // namespace aws
