// Parsing where the state lives (a --backend URL or the stack's backend: block), and the lock
// record's JSON shape shared by the S3-object and DynamoDB locks.
#include <fstream>
#include <sstream>

#include "aws/encoding.h"
#include "state/backend.h"

namespace state {
namespace {

BackendResult<BackendConfig> invalid(const std::string& message) {
  return model::err(BackendError{BackendError::Kind::invalid, message});
}

BackendResult<BackendConfig> finish_s3(BackendConfig c, const std::string& lock) {
  if (c.bucket.empty()) return invalid("the s3 backend needs a bucket");
  if (c.key.empty()) return invalid("the s3 backend needs a key (the state object's name)");
  if (c.region.empty()) return invalid("the s3 backend needs the bucket's region (region=...)");
  if (lock.empty() || lock == "s3") {
    c.lock = LockMethod::s3_object;
  } else if (lock == "dynamodb") {
    c.lock = LockMethod::dynamodb;
    if (c.lock_table.empty()) return invalid("lock: dynamodb needs lock_table (the DynamoDB table holding locks)");
  } else {
    return invalid("lock must be s3 or dynamodb, not '" + lock + "'");
  }
  return c;
}

}  // namespace

std::string BackendConfig::describe() const {
  return kind == Kind::s3 ? "s3://" + bucket + "/" + key : local_path;
}

BackendResult<BackendConfig> parse_backend_url(const std::string& url, const std::string& local_default) {
  BackendConfig c;
  if (url == "local") {
    c.local_path = local_default;
    return c;
  }
  if (url.rfind("local:", 0) == 0) {
    c.local_path = url.substr(6);
    return c;
  }
  if (url.rfind("s3://", 0) != 0)
    return invalid("backend '" + url + "' is neither s3://bucket/key?region=REGION nor local");
  c.kind = BackendConfig::Kind::s3;
  std::string rest = url.substr(5), query;
  if (auto q = rest.find('?'); q != std::string::npos) query = rest.substr(q + 1), rest.resize(q);
  const auto slash = rest.find('/');
  c.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) c.key = rest.substr(slash + 1);
  std::string lock;
  std::stringstream qs(query);
  for (std::string kv; std::getline(qs, kv, '&');) {
    const auto eq = kv.find('=');
    const std::string k = aws::uri_decode(kv.substr(0, eq));
    const std::string v = eq == std::string::npos ? "" : aws::uri_decode(kv.substr(eq + 1));
    if (k == "region") c.region = v;
    else if (k == "kms_key_id") c.kms_key_id = v;
    else if (k == "lock") lock = v;
    else if (k == "lock_table") c.lock_table = v;
    else return invalid("unknown backend setting '" + k + "' (region, kms_key_id, lock, lock_table)");
  }
  return finish_s3(std::move(c), lock);
}

BackendResult<BackendConfig> parse_backend_block(const nlohmann::json& block) {
  if (!block.is_object() || !block.contains("s3") || !block["s3"].is_object())
    return invalid("backend: needs an s3: block (the schema checks its fields)");
  const auto& s = block["s3"];
  BackendConfig c;
  c.kind = BackendConfig::Kind::s3;
  c.bucket = s.value("bucket", "");
  c.key = s.value("key", "");
  c.region = s.value("region", "");
  c.kms_key_id = s.value("kms_key_id", "");
  c.lock_table = s.value("lock_table", "");
  return finish_s3(std::move(c), s.value("lock", ""));
}

nlohmann::json lock_to_json(const LockInfo& i) {
  return {{"id", i.id}, {"holder", i.holder}, {"host", i.host}, {"pid", i.pid},
          {"operation", i.operation}, {"since", i.since}};
}

std::optional<LockInfo> lock_from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) return std::nullopt;
  LockInfo i;
  i.id = j["id"].get<std::string>();
  i.holder = j.value("holder", "");
  i.host = j.value("host", "");
  i.pid = j.value("pid", 0LL);
  i.operation = j.value("operation", "");
  i.since = j.value("since", "");
  return i;
}

std::string file_sha256(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return "";
  std::stringstream bytes;
  bytes << f.rdbuf();
  return aws::sha256_hex(bytes.str());
}

}  // namespace state
