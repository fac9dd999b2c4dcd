// efs.replication: the replication configuration of an EFS file system to one destination
// region (EFS allows exactly one destination). The target's region is the source file
// system's region; the id is the source file system id. Data-bearing: the destination file
// system holds the replica. Every desired attribute is replace: EFS has no update API.
//
// Read lists every replication configuration of the region once
// (DescribeReplicationConfigurations without FileSystemId, paginated by NextToken) and matches
// targets by SourceFileSystemId. A target desiring `destination_kms_key_id` also costs one
// DescribeFileSystems in the destination region, since a replication's Destination does not
// carry the key: the key ARN is reported as desired when desired names the same key by id.
// Create: CreateReplicationConfiguration; a configuration already there (an interrupted run)
// with the same destination region is adopted; then a bounded wait until the destination is
// ENABLED (ERROR fails at once). Destroy: DeleteReplicationConfiguration, then a bounded wait
// until it is gone (a replace needs that before the create). The destination file system is
// left in place, writable again, as AWS leaves it.
#include <set>

#include "aws/pagination.h"
#include "resources/common.h"
#include "resources/efs_replication.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;

const std::string kListPath = "/2015-02-01/file-systems/replication-configurations";

std::string config_path(const std::string& fs) { return "/2015-02-01/file-systems/" + fs + "/replication-configuration"; }

bool not_found(const aws::AwsError& e) { return has_code(e, {"ReplicationNotFound", "FileSystemNotFound"}); }

json first_destination(const json& config) {
  auto it = config.find("Destinations");
  if (it == config.end() || !it->is_array() || it->empty() || !(*it)[0].is_object()) return json::object();
  return (*it)[0];
}

json live_attrs(const json& config) {
  const json d = first_destination(config);
  return {{"file_system_id", get_string(config, "SourceFileSystemId", "")},
          {"destination_region", get_string(d, "Region", "")},
          {"destination_file_system_id", get_string(d, "FileSystemId", "")},
          {"destination_status", get_string(d, "Status", "")}};
}

// The configuration whose source is `fs`, from one filtered describe; nullopt when none.
aws::Result<std::optional<json>> describe_one(aws::Client& c, const std::string& region, const std::string& fs) {
  aws::RestRequest r{"DescribeReplicationConfigurations", "GET", kListPath, {{"FileSystemId", fs}}};
  auto res = c.rest_json(aws::services::efs, region, r);
  if (!res) {
    if (not_found(res.error())) return std::optional<json>{};
    return model::err(res.error());
  }
  if (res->is_object() && res->contains("Replications") && (*res)["Replications"].is_array())
    for (const auto& cfg : (*res)["Replications"])
      if (get_string(cfg, "SourceFileSystemId", "") == fs) return std::optional<json>{cfg};
  return std::optional<json>{};
}

// `destination_kms_key_id` as live reports it: the destination file system's KmsKeyId (an
// ARN), or the desired spelling when that is the same key by id. "" when not encrypted or gone.
aws::Result<std::string> destination_kms(aws::Client& c, const std::string& region, const std::string& fs,
                                         const std::string& desired) {
  if (fs.empty()) return std::string();
  auto res = c.rest_json(aws::services::efs, region,
                         aws::RestRequest{"DescribeFileSystems", "GET", "/2015-02-01/file-systems", {{"FileSystemId", fs}}});
  if (!res) {
    if (has_code(res.error(), {"FileSystemNotFound"})) return std::string();
    return model::err(res.error());
  }
  std::string arn;
  if (res->is_object() && res->contains("FileSystems") && (*res)["FileSystems"].is_array() &&
      !(*res)["FileSystems"].empty())
    arn = get_string((*res)["FileSystems"][0], "KmsKeyId", "");
  const std::string suffix = ":key/" + desired;
  if (arn == desired || (!desired.empty() && arn.size() > suffix.size() &&
                         arn.compare(arn.size() - suffix.size(), suffix.size(), suffix) == 0))
    return desired;
  return arn;
}

class EfsReplication final : public ResourceType {
 public:
  explicit EfsReplication(WaitLimits limits) : limits_(limits) {}

  std::string_view name() const override { return "efs.replication"; }
  const Schema& schema() const override {
    static const Schema s{{{"file_system_id", AttrKind::replace},
                           {"destination_region", AttrKind::replace},
                           {"destination_kms_key_id", AttrKind::replace},
                           {"destination_file_system_id", AttrKind::replace},
                           {"destination_status", AttrKind::computed}},
                          true};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::set<std::string> wanted;
    for (const auto& t : targets) wanted.insert(id_or_attr(t, "file_system_id"));
    std::map<std::string, json> configs;  // by SourceFileSystemId
    auto listed = aws::paginate_rest_json(
        ctx.aws, aws::services::efs, region, aws::RestRequest{"DescribeReplicationConfigurations", "GET", kListPath},
        [&](const json& page) {
          if (page.is_object() && page.contains("Replications") && page["Replications"].is_array())
            for (const auto& cfg : page["Replications"])
              if (auto fs = get_string(cfg, "SourceFileSystemId", ""); wanted.count(fs)) configs[fs] = cfg;
          return configs.size() < wanted.size();  // stop once every target is seen
        },
        {"NextToken", "NextToken"});
    if (!listed && !has_code(listed.error(), {"ReplicationNotFound"})) {  // none in the region
      for (const auto& t : targets) out[t.address] = failed(listed.error());
      return out;
    }
    for (const auto& t : targets) {
      auto it = configs.find(id_or_attr(t, "file_system_id"));
      if (it == configs.end()) {
        out[t.address] = absent();
        continue;
      }
      Live live{it->first, live_attrs(it->second)};
      if (auto want_kms = str_attr(t.attrs, "destination_kms_key_id"); !want_kms.empty()) {
        auto kms = destination_kms(ctx.aws, str_attr(live.attrs, "destination_region"),
                                   str_attr(live.attrs, "destination_file_system_id"), want_kms);
        if (!kms) {
          out[t.address] = failed(kms.error());
          continue;
        }
        if (!kms->empty()) live.attrs["destination_kms_key_id"] = *kms;
      }
      out[t.address] = found(std::move(live));
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto fs = str_attr(want.attrs, "file_system_id");
    const auto dest_region = str_attr(want.attrs, "destination_region");
    if (fs.empty() || dest_region.empty())
      return model::err(local_error("InvalidDesired", want.address + ": `file_system_id` and `destination_region` are required"));
    json dest = {{"Region", dest_region}};
    if (auto k = str_attr(want.attrs, "destination_kms_key_id"); !k.empty()) dest["KmsKeyId"] = k;
    if (auto f = str_attr(want.attrs, "destination_file_system_id"); !f.empty()) dest["FileSystemId"] = f;
    const json body = {{"Destinations", json::array({dest})}};
    auto res = ctx.aws.rest_json(aws::services::efs, want.region,
                                 aws::RestRequest{"CreateReplicationConfiguration", "POST", config_path(fs), {}, {},
                                                  json_text(body), "application/json"});
    if (!res) {
      // Already replicating (a run killed after the call): adopt it when it goes where we want.
      if (!has_code(res.error(), {"ReplicationAlreadyExists", "ConflictException", "ValidationException", "BadRequest"}))
        return model::err(res.error());
      auto existing = describe_one(ctx.aws, want.region, fs);
      if (!existing) return model::err(existing.error());
      if (!*existing || get_string(first_destination(**existing), "Region", "") != dest_region)
        return model::err(res.error());
    }
    json config;
    auto ready = poll_until(limits_, "efs replication of " + fs + " to become ENABLED", [&]() -> aws::Result<Poll> {
      auto d = describe_one(ctx.aws, want.region, fs);
      if (!d) return model::err(d.error());
      if (!*d) return Poll::wait;  // not listed yet
      config = **d;
      const json dst = first_destination(config);
      const auto status = get_string(dst, "Status", "");
      if (status == "ERROR")
        return model::err(local_error("ReplicationFailed", "efs replication of " + fs + " is ERROR: " +
                                      get_string(dst, "StatusMessage", ""), "efs", "DescribeReplicationConfigurations"));
      return status == "ENABLED" ? Poll::done : Poll::wait;
    });
    if (!ready) return model::err(ready.error());
    Live live{fs, live_attrs(config)};
    if (auto k = str_attr(want.attrs, "destination_kms_key_id"); !k.empty()) live.attrs["destination_kms_key_id"] = k;
    return live;
  }

  // Every desired attribute is replace, so a plan never asks for an in-place change of one;
  // an unknown extra attribute has nothing to update.
  aws::Result<Live> update(Context&, const Target&, const Live& have) const override { return have; }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto fs = id_or_attr(have, "file_system_id");
    auto res = ctx.aws.rest_json(aws::services::efs, have.region,
                                 aws::RestRequest{"DeleteReplicationConfiguration", "DELETE", config_path(fs)});
    if (!res) {
      if (not_found(res.error())) return model::ok();
      return model::err(res.error());
    }
    return poll_until(limits_, "efs replication of " + fs + " to be deleted", [&]() -> aws::Result<Poll> {
      auto d = describe_one(ctx.aws, have.region, fs);
      if (!d) return model::err(d.error());
      return *d ? Poll::wait : Poll::done;
    });
  }

 private:
  WaitLimits limits_;
};

}  // namespace

std::unique_ptr<ResourceType> make_efs_replication_type(WaitLimits limits) {
  return std::make_unique<EfsReplication>(limits);
}

const ResourceType& efs_replication_type() {
  static const EfsReplication type{WaitLimits{}};
  return type;
}

}  // namespace resources
