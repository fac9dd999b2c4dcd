// The S3 backend: the state object, its versions, and the bucket checks. Locks are in
// backend_s3_lock.cc.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <pugixml.hpp>

#include "aws/encoding.h"
#include "state/backend_s3_calls.h"
#include "state/backend_s3_lock.h"

namespace state {
namespace {

using s3calls::failed;

BackendError conflict(const std::string& m) { return {BackendError::Kind::conflict, m}; }

std::string child(pugi::xml_node n, const char* name) { return n.child(name).text().as_string(); }

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class S3Backend : public Backend {
 public:
  S3Backend(aws::Client& client, BackendConfig config)
      : client_(client), config_(std::move(config)), lock_(make_remote_lock(client, config_)) {}

  std::string describe() const override { return config_.describe(); }
  bool remote() const override { return true; }

  BackendResult<BackendCheck> check(const std::string& primary_region, const std::string& dr_region) override {
    aws::RestRequest r{"GetBucketVersioning", "GET", "/" + config_.bucket, {{"versioning", ""}}, {}, "", ""};
    auto resp = client_.rest(aws::services::s3, config_.region, r);
    if (!resp.ok()) return model::err(failed(resp.error()));
    auto doc = aws::parse_xml(resp->body);
    const std::string status = doc ? child(doc->document_element(), "Status") : "";
    if (status != "Enabled")
      return model::err(BackendError{
          BackendError::Kind::invalid,
          "the state bucket " + config_.bucket + " has versioning " + (status.empty() ? "off" : status) +
              ": drctl keeps shared state only in a versioned bucket, so every write can be rolled back "
              "(enable it: aws s3api put-bucket-versioning --bucket " + config_.bucket +
              " --versioning-configuration Status=Enabled)"});
    BackendCheck out;
    if (!primary_region.empty() && config_.region == primary_region && !dr_region.empty() && !replicated())
      out.warnings.push_back("the state bucket " + config_.bucket + " is in the primary region " + primary_region +
                             " and is not replicated to " + dr_region +
                             ": failover would need state from the region that failed (put the state bucket in " +
                             dr_region + ", or replicate it there)");
    return out;
  }

  BackendResult<WorkingCopy> pull(const std::string& scratch_path) override {
    auto got = s3calls::get(client_, config_, config_.key);
    if (!got.ok()) return model::err(failed(got.error()));
    WorkingCopy w;
    w.path = scratch_path;
    std::remove(scratch_path.c_str());
    if (!got.value()) return w;
    w.existed = true;
    w.etag = got.value()->etag;
    w.version_id = got.value()->version_id;
    w.sha256 = aws::sha256_hex(got.value()->body);
    {
      std::ofstream f(scratch_path, std::ios::binary | std::ios::trunc);
      f.write(got.value()->body.data(), static_cast<std::streamsize>(got.value()->body.size()));
      if (!f) return model::err(BackendError{BackendError::Kind::failed, "cannot write " + scratch_path});
    }
    ::chmod(scratch_path.c_str(), 0600);
    return w;
  }

  BackendResult<WorkingCopy> push(const WorkingCopy& base, const std::string& path) override {
    auto bytes = read_file(path);
    if (!bytes) return model::err(BackendError{BackendError::Kind::failed, "cannot read " + path});
    auto put = put_state(base, *bytes);
    if (!put.ok()) return model::err(put.error());
    return WorkingCopy{path, true, put->etag, put->version_id, aws::sha256_hex(*bytes)};
  }

  BackendResult<std::optional<LockHeld>> try_lock(const LockInfo& me) override { return lock_->try_lock(me); }
  BackendResult<model::Unit> unlock(const std::string& id) override { return lock_->unlock(id); }
  BackendResult<std::optional<LockInfo>> lock_info() override { return lock_->info(); }

  BackendResult<std::vector<StateVersion>> versions() override {
    std::vector<StateVersion> out;
    aws::Params query{{"prefix", config_.key}, {"versions", ""}};
    for (std::string key_marker, version_marker;;) {
      aws::Params q = query;
      if (!key_marker.empty()) q.emplace_back("key-marker", key_marker);
      if (!version_marker.empty()) q.emplace_back("version-id-marker", version_marker);
      aws::RestRequest r{"ListObjectVersions", "GET", "/" + config_.bucket, q, {}, "", ""};
      auto resp = client_.rest(aws::services::s3, config_.region, r);
      if (!resp.ok()) return model::err(failed(resp.error()));
      auto doc = aws::parse_xml(resp->body);
      if (!doc) return model::err(BackendError{BackendError::Kind::failed, "ListObjectVersions: reply is not XML"});
      auto root = doc->document_element();
      for (auto v : root.children("Version")) {
        if (child(v, "Key") != config_.key) continue;  // the prefix also matches "<key>.lock"
        out.push_back({child(v, "VersionId"), child(v, "LastModified"), v.child("Size").text().as_llong(),
                       child(v, "IsLatest") == "true"});
      }
      if (child(root, "IsTruncated") != "true") break;
      key_marker = child(root, "NextKeyMarker");
      version_marker = child(root, "NextVersionIdMarker");
    }
    return out;
  }

  BackendResult<std::string> restore(const std::string& version_id, const WorkingCopy& base) override {
    auto got = s3calls::get(client_, config_, config_.key, version_id);
    if (!got.ok()) return model::err(failed(got.error()));
    if (!got.value())
      return model::err(BackendError{BackendError::Kind::invalid,
                                     "no version " + version_id + " of " + describe() + " (see drctl state history)"});
    auto put = put_state(base, got.value()->body);
    if (!put.ok()) return model::err(put.error());
    return put->version_id;
  }

 private:
  // The one place the state object is written: conditional on what was pulled.
  BackendResult<s3calls::Object> put_state(const WorkingCopy& base, const std::string& bytes) {
    s3calls::PutCondition when;
    if (base.existed) when.if_match = base.etag;
    else when.if_none_match = true;
    auto put = s3calls::put(client_, config_, config_.key, bytes, when);
    if (!put.ok()) {
      if (s3calls::lost_condition(put.error()))
        return model::err(conflict(
            "the state " + describe() + " was changed by someone else since this run read it (" +
            (base.existed ? "ETag " + base.etag + " no longer current" : "it did not exist then") +
            "): refusing to overwrite it"));
      return model::err(failed(put.error()));
    }
    return put.value();
  }

  bool replicated() {
    aws::RestRequest r{"GetBucketReplication", "GET", "/" + config_.bucket, {{"replication", ""}}, {}, "", ""};
    auto resp = client_.rest(aws::services::s3, config_.region, r);
    if (!resp.ok()) return false;  // ReplicationConfigurationNotFoundError, or unreadable: warn
    auto doc = aws::parse_xml(resp->body);
    if (!doc) return false;
    for (auto rule : doc->document_element().children("Rule"))
      if (child(rule, "Status") == "Enabled") return true;
    return false;
  }

  aws::Client& client_;
  BackendConfig config_;
  std::unique_ptr<RemoteLock> lock_;
};

}  // namespace

std::unique_ptr<Backend> make_s3_backend(aws::Client& client, const BackendConfig& config) {
  return std::make_unique<S3Backend>(client, config);
}

}  // namespace state
