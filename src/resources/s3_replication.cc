// s3.replication: the replication configuration of a source bucket (the user's primary
// bucket, not owned by drctl) and the versioning replication requires on it.
//
// The configuration is one document: any change to the role or rules is one
// PutBucketReplication with the whole desired rule set. Destroy removes the configuration but
// leaves versioning as it is: it cannot be turned off, only suspended, and the bucket is the
// user's.
#include "resources/common.h"
#include "resources/s3_xml.h"
#include "resources/types.h"

namespace resources {
namespace {

using nlohmann::json;
namespace x = s3xml;

// A desired rule with the README defaults filled in, so that it compares equal to what a read
// reports for the same configuration.
json normal_rule(const json& r) {
  json out = {{"id", get_string(r, "id", "")},
              {"priority", get_int(r, "priority", 0)},
              {"status", get_string(r, "status", "Enabled")},
              {"prefix", get_string(r, "prefix", "")},
              {"destination_bucket", get_string(r, "destination_bucket", "")},
              {"rtc", get_bool(r, "rtc", false)},
              {"delete_markers", get_bool(r, "delete_markers", false)}};
  if (auto sc = get_string(r, "storage_class", ""); !sc.empty()) out["storage_class"] = sc;
  return out;
}

json normal_rules(const json& attrs) {
  json out = json::array();
  if (attrs.contains("rules") && attrs["rules"].is_array())
    for (const auto& r : attrs["rules"]) out.push_back(normal_rule(r));
  return out;
}

json rule_from_xml(pugi::xml_node rule) {
  json r = {{"id", xml::text(rule, "ID")}, {"status", xml::text(rule, "Status")}};
  if (auto p = xml::child(rule, "Priority")) r["priority"] = p.text().as_int();
  std::string prefix;
  if (auto f = xml::child(rule, "Filter")) {
    prefix = xml::child(f, "Prefix") ? xml::text(f, "Prefix") : xml::text(xml::child(f, "And"), "Prefix");
  } else {
    prefix = xml::text(rule, "Prefix");  // the V1 schema without Filter
  }
  r["prefix"] = prefix;
  auto dest = xml::child(rule, "Destination");
  r["destination_bucket"] = xml::text(dest, "Bucket");
  if (auto sc = xml::text(dest, "StorageClass"); !sc.empty()) r["storage_class"] = sc;
  r["rtc"] = xml::text(xml::child(dest, "ReplicationTime"), "Status") == "Enabled";
  r["delete_markers"] = xml::text(xml::child(rule, "DeleteMarkerReplication"), "Status") == "Enabled";
  return r;
}

void add_minutes(pugi::xml_node parent, const char* name) {
  x::add(parent.append_child(name), "Minutes", "15");
}

}  // namespace

// Element order follows the model.
std::string s3xml::replication_xml(const json& attrs) {
  auto doc = x::make("ReplicationConfiguration");
  auto root = doc.document_element();
  x::add(root, "Role", str_attr(attrs, "role"));
  for (const auto& r : normal_rules(attrs)) {
    auto rule = root.append_child("Rule");
    x::add(rule, "ID", r["id"].get<std::string>());
    x::add(rule, "Priority", std::to_string(r["priority"].get<long long>()));
    x::add(rule.append_child("Filter"), "Prefix", r["prefix"].get<std::string>());
    x::add(rule, "Status", r["status"].get<std::string>());
    auto dest = rule.append_child("Destination");
    x::add(dest, "Bucket", r["destination_bucket"].get<std::string>());
    if (r.contains("storage_class")) x::add(dest, "StorageClass", r["storage_class"].get<std::string>());
    if (r["rtc"].get<bool>()) {
      // Replication Time Control requires metrics; both use the only allowed value, 15 min.
      auto rt = dest.append_child("ReplicationTime");
      x::add(rt, "Status", "Enabled");
      add_minutes(rt, "Time");
      auto metrics = dest.append_child("Metrics");
      x::add(metrics, "Status", "Enabled");
      add_minutes(metrics, "EventThreshold");
    }
    x::add(rule.append_child("DeleteMarkerReplication"), "Status",
           r["delete_markers"].get<bool>() ? "Enabled" : "Disabled");
  }
  return x::to_string(doc);
}

namespace {

ReadOutcome read_one(aws::Client& c, const std::string& region, const std::string& bucket) {
  auto doc = x::call_xml(c, region, x::bucket_call("GetBucketReplication", "GET", bucket, "replication"));
  if (!doc) {
    if (has_code(doc.error(), {"ReplicationConfigurationNotFoundError", "NoSuchBucket"})) return absent();
    return failed(doc.error());
  }
  auto versioning = x::get_versioning(c, region, bucket);
  if (!versioning) return failed(versioning.error());
  auto root = (*doc)->document_element();
  json rules = json::array();
  for (auto rule : xml::children(root, "Rule")) rules.push_back(rule_from_xml(rule));
  Live live{bucket, {{"bucket", bucket}, {"role", xml::text(root, "Role")}, {"rules", rules}}};
  if (!versioning->empty()) live.attrs["source_versioning"] = *versioning;
  return found(std::move(live));
}

aws::Result<Live> converge(aws::Client& c, const Target& want, const std::string& bucket,
                           const std::optional<json>& have) {
  const json& w = want.attrs;
  if (w.contains("source_versioning")) {
    std::string current;
    if (have) {
      current = str_attr(*have, "source_versioning");
    } else {
      auto v = x::get_versioning(c, want.region, bucket);
      if (!v) return model::err(v.error());
      current = *v;
    }
    const auto desired = str_attr(w, "source_versioning");
    if (current != desired)
      if (auto r = x::put_versioning(c, want.region, bucket, desired); !r) return model::err(r.error());
  }
  const bool same = have && str_attr(*have, "role") == str_attr(w, "role") &&
                    normal_rules(*have) == normal_rules(w);
  if (!same) {
    auto r = c.rest(aws::services::s3, want.region,
                    x::put_config("PutBucketReplication", bucket, "replication", x::replication_xml(w)));
    if (!r) return model::err(r.error());
  }
  Live live{bucket, w};
  live.attrs["bucket"] = bucket;
  return live;
}

class S3Replication final : public ResourceType {
 public:
  std::string_view name() const override { return "s3.replication"; }
  const Schema& schema() const override {
    static const Schema s{{{"bucket", AttrKind::replace}}, false};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    for (const auto& t : targets) {
      const auto bucket = id_or_attr(t, "bucket");
      out[t.address] = bucket.empty() || is_unresolved(bucket)
                           ? failed(local_error("InvalidDesired", "no source bucket name", "s3"))
                           : read_one(ctx.aws, region, bucket);
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const auto bucket = str_attr(want.attrs, "bucket");
    if (bucket.empty())
      return model::err(local_error("InvalidDesired", "no source bucket name", "s3", "PutBucketReplication"));
    return converge(ctx.aws, want, bucket, std::nullopt);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    const auto bucket = have.id.empty() ? str_attr(want.attrs, "bucket") : have.id;
    return converge(ctx.aws, want, bucket, have.attrs);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto bucket = id_or_attr(have, "bucket");
    auto r = ctx.aws.rest(aws::services::s3, have.region,
                          x::bucket_call("DeleteBucketReplication", "DELETE", bucket, "replication"));
    if (!r && !has_code(r.error(), {"NoSuchBucket", "ReplicationConfigurationNotFoundError"}))
      return model::err(r.error());
    return model::ok();
  }
};

}  // namespace

const ResourceType& s3_replication_type() {
  static const S3Replication t;
  return t;
}

}  // namespace resources
