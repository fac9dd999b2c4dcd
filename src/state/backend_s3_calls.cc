#include "state/backend_s3_calls.h"

namespace state::s3calls {
namespace {

std::string header(const aws::RestResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

}  // namespace

aws::Result<std::optional<Object>> get(aws::Client& c, const BackendConfig& b, const std::string& key,
                                       const std::string& version_id) {
  aws::RestRequest r;
  r.operation = "GetObject";
  r.path = "/" + b.bucket + "/" + key;
  if (!version_id.empty()) r.query = {{"versionId", version_id}};
  auto resp = c.rest(aws::services::s3, b.region, r);
  if (!resp.ok()) {
    if (resp.error().code == "NoSuchKey" || (resp.error().http_status == 404 && resp.error().code != "NoSuchBucket"))
      return std::optional<Object>{};
    return model::err(resp.error());
  }
  return std::optional<Object>{Object{resp->body, header(*resp, "etag"), header(*resp, "x-amz-version-id")}};
}

aws::Result<Object> put(aws::Client& c, const BackendConfig& b, const std::string& key, const std::string& body,
                        const PutCondition& when) {
  aws::RestRequest r;
  r.operation = "PutObject";
  r.method = "PUT";
  r.path = "/" + b.bucket + "/" + key;
  r.body = body;
  r.content_type = "application/octet-stream";
  if (!when.if_match.empty()) r.headers.emplace_back("If-Match", when.if_match);
  if (when.if_none_match) r.headers.emplace_back("If-None-Match", "*");
  if (!b.kms_key_id.empty()) {
    r.headers.emplace_back("x-amz-server-side-encryption", "aws:kms");
    r.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", b.kms_key_id);
  }
  auto resp = c.rest(aws::services::s3, b.region, r);
  if (!resp.ok()) return model::err(resp.error());
  return Object{"", header(*resp, "etag"), header(*resp, "x-amz-version-id")};
}

aws::Result<model::Unit> remove_version(aws::Client& c, const BackendConfig& b, const std::string& key,
                                        const std::string& version_id) {
  aws::RestRequest r;
  r.operation = "DeleteObject";
  r.method = "DELETE";
  r.path = "/" + b.bucket + "/" + key;
  if (!version_id.empty()) r.query = {{"versionId", version_id}};
  auto resp = c.rest(aws::services::s3, b.region, r);
  if (!resp.ok()) return model::err(resp.error());
  return model::ok();
}

bool lost_condition(const aws::AwsError& e) {
  return e.http_status == 412 || e.code == "PreconditionFailed" || e.code == "ConditionalRequestConflict" ||
         e.http_status == 409 || e.code == "NoSuchKey";
}

BackendError failed(const aws::AwsError& e) { return {BackendError::Kind::failed, e.describe()}; }

}  // namespace state::s3calls
