// rds.replica: a read replica of an RDS instance, usually in the DR region (cross-region).
// Data-bearing: once promoted it holds the only copy of the data written since.
//
// Read: one DescribeDBInstances per region (Marker-paginated), matched by identifier on our
// side (case-insensitively: RDS stores identifiers in lower case); DBInstanceNotFound never
// arises from a listing, so a missing identifier is absent and any failed call is failed.
// Create: CreateDBInstanceReadReplica (a cross-region source goes as an ARN, built from an
// identifier with the caller's account), wait for `available`, then ModifyDBInstance for what
// the create call cannot set (BackupRetentionPeriod) or what RDS did differently, and tags.
// SourceRegion is not sent: it is not a wire member of the model, only an SDK convenience that
// generates PreSignedUrl, which RDS uses in GovCloud and China only (not supported here).
// An identifier that already exists as a replica of the same source is adopted and converged.
// Update: ModifyDBInstance with ApplyImmediately for the in-place attributes, tags with
// AddTagsToResource / RemoveTagsFromResource, then wait for `available` again.
// Destroy: DeleteDBInstance. RDS refuses a final snapshot of an instance that is still a read
// replica (the model: "If you delete a read replica ... you must enable [SkipFinalSnapshot]";
// its data lives in the source), so a replica is deleted with SkipFinalSnapshot=true; once
// promoted (no source any more) it holds data of its own and gets a final snapshot
// "<identifier>-final-<UTC time>". Deletion protection is reported before anything is deleted.
#include <cctype>
#include <memory>
#include <set>

#include "resources/common.h"
#include "resources/rds_common.h"
#include "resources/types.h"
#include "resources/xml_util.h"

namespace resources {
namespace {

using nlohmann::json;

std::string identifier_of(const Target& t) { return id_or_attr(t, "identifier"); }

// The region the source lives in: desired source_region, else the source ARN's, else ours.
std::string source_region_of(const json& desired, const std::string& region) {
  if (auto r = str_attr(desired, "source_region"); !r.empty()) return r;
  if (auto a = rds::parse_arn(str_attr(desired, "source"))) return a->region;
  return region;
}

std::string report_kms(const std::string& live, const std::string& desired) {
  if (live.empty() || desired.empty() || live == desired) return live;
  // AWS reports the key ARN; a module may name the key by id ("key/<id>" ends the ARN) or by
  // alias, which cannot be resolved without KMS: an alias counts as the key RDS reports.
  if (live.size() > desired.size() && live.compare(live.size() - desired.size(), desired.size(), desired) == 0 &&
      live[live.size() - desired.size() - 1] == '/')
    return desired;
  if (desired.rfind("alias/", 0) == 0 || desired.find(":alias/") != std::string::npos) return desired;
  return live;
}

// One <DBInstance> in the README shape, spelled like `desired` where AWS only spells differently.
json live_attrs(const pugi::xml_node& db, const json& desired, const std::string& region) {
  const std::string id = xml::text(db, "DBInstanceIdentifier");
  const std::string want_id = str_attr(desired, "identifier");
  const std::string source = xml::text(db, "ReadReplicaSourceDBInstanceIdentifier");
  std::string live_source_region;
  if (!source.empty()) {
    auto arn = rds::parse_arn(source);
    live_source_region = arn ? arn->region : region;
  }
  json a = {
      {"identifier", rds::same_identifier(id, want_id) ? want_id : id},
      {"source", rds::report_source(source, str_attr(desired, "source"), source_region_of(desired, region))},
      {"source_region", live_source_region},
      {"instance_class", xml::text(db, "DBInstanceClass")},
      {"multi_az", rds::xml_bool(db, "MultiAZ")},
      {"backup_retention_days", xml::child(db, "BackupRetentionPeriod").text().as_llong(0)},
      {"deletion_protection", rds::xml_bool(db, "DeletionProtection")},
      {"tags", tag_json(rds::read_tags(xml::child(db, "TagList")))},
      {"arn", xml::text(db, "DBInstanceArn")},
      {"status", xml::text(db, "DBInstanceStatus")},
      {"engine", xml::text(db, "Engine")},
      {"engine_version", xml::text(db, "EngineVersion")},
  };
  if (auto ep = xml::child(db, "Endpoint"))
    a["endpoint"] = {{"address", xml::text(ep, "Address")}, {"port", xml::child(ep, "Port").text().as_llong(0)}};
  if (auto k = xml::text(db, "KmsKeyId"); !k.empty()) a["kms_key_id"] = report_kms(k, str_attr(desired, "kms_key_id"));
  if (auto pg = xml::text(xml::child(xml::child(db, "DBParameterGroups"), "DBParameterGroup"), "DBParameterGroupName");
      !pg.empty())
    a["parameter_group"] = pg;
  return a;
}

// DescribeDBInstances for one identifier: the instance in the README shape, nullopt when gone.
aws::Result<std::optional<json>> describe_one(aws::Client& c, const std::string& region, const std::string& id,
                                              const json& desired, bool* pending = nullptr) {
  aws::XmlDoc keep;
  auto res = rds::call(c, region, "DescribeDBInstances", {{"DBInstanceIdentifier", id}}, keep);
  if (!res) {
    if (has_code(res.error(), {"DBInstanceNotFound"})) return std::optional<json>();
    return model::err(res.error());
  }
  auto db = xml::child(xml::child(*res, "DBInstances"), "DBInstance");
  if (!db) return std::optional<json>();
  if (pending) {
    *pending = false;
    for (auto v : xml::child(db, "PendingModifiedValues").children())
      *pending = *pending || v.type() == pugi::node_element;
  }
  return std::optional<json>(live_attrs(db, desired, region));
}

class RdsReplica final : public ResourceType {
 public:
  explicit RdsReplica(rds::WaitPolicy policy) : policy_(std::move(policy)) {}

  std::string_view name() const override { return "rds.replica"; }
  const Schema& schema() const override {
    static const Schema s{{{"identifier", AttrKind::replace},
                           {"source", AttrKind::replace},
                           {"source_region", AttrKind::replace},
                           {"kms_key_id", AttrKind::replace},
                           {"arn", AttrKind::computed},
                           {"status", AttrKind::computed},
                           {"engine", AttrKind::computed},
                           {"engine_version", AttrKind::computed},
                           {"endpoint", AttrKind::computed}},
                          true};
    return s;
  }

  std::map<std::string, ReadOutcome> read(Context& ctx, const std::string& region,
                                          std::span<const Target> targets) const override {
    std::map<std::string, ReadOutcome> out;
    std::map<std::string, std::vector<const Target*>> wanted;  // lower-case identifier -> targets
    for (const auto& t : targets) wanted[lower(identifier_of(t))].push_back(&t);
    std::set<std::string> seen;
    auto listed = rds::describe_all(ctx.aws, region, "DescribeDBInstances", "DBInstances", "DBInstance",
                                    [&](const pugi::xml_node& db) {
                                      const auto key = lower(xml::text(db, "DBInstanceIdentifier"));
                                      if (auto it = wanted.find(key); it != wanted.end()) {
                                        seen.insert(key);
                                        for (const Target* t : it->second)
                                          out[t->address] = found(Live{key, live_attrs(db, t->attrs, region)});
                                      }
                                      return seen.size() < wanted.size();  // stop once all are seen
                                    });
    for (const auto& t : targets) {
      if (!listed) out[t.address] = failed(listed.error());
      else if (!out.count(t.address)) out[t.address] = absent();
    }
    return out;
  }

  aws::Result<Live> create(Context& ctx, const Target& want) const override {
    const json& w = want.attrs;
    const auto id = str_attr(w, "identifier");
    auto source = source_param(ctx, want);
    if (!source) return model::err(source.error());
    aws::Params p{{"DBInstanceIdentifier", id}, {"SourceDBInstanceIdentifier", *source}};
    if (auto v = str_attr(w, "instance_class"); !v.empty()) p.emplace_back("DBInstanceClass", v);
    if (w.contains("multi_az")) p.emplace_back("MultiAZ", rds::boolean(get_bool(w, "multi_az", false)));
    if (auto v = str_attr(w, "kms_key_id"); !v.empty()) p.emplace_back("KmsKeyId", v);
    if (auto v = str_attr(w, "parameter_group"); !v.empty()) p.emplace_back("DBParameterGroupName", v);
    if (w.contains("deletion_protection"))
      p.emplace_back("DeletionProtection", rds::boolean(get_bool(w, "deletion_protection", false)));
    rds::add_tags(p, tag_map(w.value("tags", json::object())));
    aws::XmlDoc keep;
    auto res = rds::call(ctx.aws, want.region, "CreateDBInstanceReadReplica", p, keep);
    if (!res && !has_code(res.error(), {"DBInstanceAlreadyExists"})) return model::err(res.error());
    if (!res) {
      // Left by an interrupted run, or someone else's instance: adopt only a replica of our source.
      auto have = describe_one(ctx.aws, want.region, id, w);
      if (!have) return model::err(have.error());
      if (!*have) return model::err(res.error());
      if ((**have)["source"] != w.value("source", json("")))
        return model::err(local_error("AlreadyExists",
                                      "DB instance " + id + " already exists in " + want.region +
                                          " and is not a read replica of " + str_attr(w, "source"),
                                      "rds", "CreateDBInstanceReadReplica"));
    }
    return converge(ctx, want, id);
  }

  aws::Result<Live> update(Context& ctx, const Target& want, const Live& have) const override {
    return converge(ctx, want, have.id.empty() ? identifier_of(want) : have.id);
  }

  aws::Result<model::Unit> destroy(Context& ctx, const Target& have) const override {
    const auto id = identifier_of(have);
    auto now = describe_one(ctx.aws, have.region, id, have.attrs);
    if (!now) return model::err(now.error());
    if (!*now) return model::ok();
    const json& live = **now;
    if (get_bool(live, "deletion_protection", false))
      return model::err(local_error("DeletionProtectionEnabled",
                                    "DB instance " + id + " in " + have.region +
                                        " has deletion protection on: apply deletion_protection: false first, "
                                        "then destroy it",
                                    "rds", "DeleteDBInstance"));
    aws::Params p{{"DBInstanceIdentifier", id}};
    if (!str_attr(live, "source").empty()) {
      p.emplace_back("SkipFinalSnapshot", "true");
    } else {
      p.emplace_back("SkipFinalSnapshot", "false");
      p.emplace_back("FinalDBSnapshotIdentifier", rds::final_snapshot_id(id, std::chrono::system_clock::now()));
    }
    aws::XmlDoc keep;
    auto res = rds::call(ctx.aws, have.region, "DeleteDBInstance", p, keep);
    if (!res) {
      if (has_code(res.error(), {"DBInstanceNotFound"})) return model::ok();
      if (!has_code(res.error(), {"InvalidDBInstanceState"})) return model::err(res.error());
      // Already being deleted (an earlier, interrupted run): wait for it below.
    }
    auto gone = rds::wait_for([&] { return rds::instance_status(ctx.aws, have.region, id); }, "deleted", policy_,
                              "DB instance " + id);
    if (!gone) return model::err(gone.error());
    return model::ok();
  }

 private:
  static std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }

  // SourceDBInstanceIdentifier: an identifier for a same-region source, an ARN across regions.
  static aws::Result<std::string> source_param(Context& ctx, const Target& want) {
    const auto source = str_attr(want.attrs, "source");
    const auto source_region = source_region_of(want.attrs, want.region);
    if (source.empty())
      return model::err(local_error("InvalidDesired", "rds.replica needs a source", "rds", "CreateDBInstanceReadReplica"));
    if (rds::is_arn(source) || source_region == want.region) return source;
    auto account = ctx.aws.account_id();
    if (!account) return model::err(account.error());
    return rds::make_arn({rds::partition_of(source_region), source_region, *account, "db", source});
  }

  // Waits for `available` (and no pending modifications), then modifies what differs and
  // syncs tags; returns the instance as RDS then describes it.
  aws::Result<Live> converge(Context& ctx, const Target& want, const std::string& id) const {
    const json& w = want.attrs;
    auto have = wait_available(ctx, want.region, id, w);
    if (!have) return model::err(have.error());
    const json& h = *have;

    aws::Params p{{"DBInstanceIdentifier", id}};
    auto differs = [&](const char* key) { return w.contains(key) && w[key] != h.value(key, json()); };
    if (differs("instance_class")) p.emplace_back("DBInstanceClass", str_attr(w, "instance_class"));
    if (differs("multi_az")) p.emplace_back("MultiAZ", rds::boolean(get_bool(w, "multi_az", false)));
    if (differs("backup_retention_days"))
      p.emplace_back("BackupRetentionPeriod", std::to_string(get_int(w, "backup_retention_days", 0)));
    if (differs("deletion_protection"))
      p.emplace_back("DeletionProtection", rds::boolean(get_bool(w, "deletion_protection", false)));
    if (differs("parameter_group")) p.emplace_back("DBParameterGroupName", str_attr(w, "parameter_group"));
    bool modified = false;
    if (p.size() > 1) {
      p.emplace_back("ApplyImmediately", "true");
      aws::XmlDoc keep;
      if (auto r = rds::call(ctx.aws, want.region, "ModifyDBInstance", p, keep); !r) return model::err(r.error());
      modified = true;
    }
    if (w.contains("tags")) {
      const auto want_tags = tag_map(w["tags"]);
      const auto have_tags = tag_map(h.value("tags", json::object()));
      if (auto r = rds::sync_tags(ctx.aws, want.region, str_attr(h, "arn"), want_tags, have_tags); !r)
        return model::err(r.error());
      modified = modified || !diff_tags(want_tags, have_tags).empty();
    }
    if (!modified) return Live{lower(id), h};
    auto after = wait_available(ctx, want.region, id, w);
    if (!after) return model::err(after.error());
    return Live{lower(id), *after};
  }

  // Polls DescribeDBInstances until the instance is `available` with no pending modifications
  // (right after ModifyDBInstance RDS may still say `available` while the change is queued in
  // PendingModifiedValues); returns it in the README shape.
  aws::Result<json> wait_available(Context& ctx, const std::string& region, const std::string& id,
                                   const json& desired) const {
    json last;
    auto poll = [&]() -> aws::Result<std::optional<std::string>> {
      bool pending = false;
      auto d = describe_one(ctx.aws, region, id, desired, &pending);
      if (!d) return model::err(d.error());
      if (!*d) return std::optional<std::string>();
      last = **d;
      std::string status = str_attr(last, "status");
      if (status == "available" && pending) status = "available with pending modifications";
      return std::optional<std::string>(status);
    };
    auto done = rds::wait_for(poll, "available", policy_, "DB instance " + id + " in " + region);
    if (!done) return model::err(done.error());
    return last;
  }

  rds::WaitPolicy policy_;
};

}  // namespace

std::unique_ptr<ResourceType> rds::make_replica_type(WaitPolicy policy) {
  return std::make_unique<RdsReplica>(std::move(policy));
}

const ResourceType& rds_replica_type() {
  static const RdsReplica type{rds::WaitPolicy{}};
  return type;
}

}  // namespace resources
