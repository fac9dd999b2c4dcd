// RDS read replicas: the replica is available and replicates the configured source, and the
// two sides of the pair agree (engine, version, class, encryption key, parameter group family).
// One DescribeDBInstances per side (DR for the replica, the source region for the primary),
// plus KMS DescribeKey in DR for a configured key and DescribeDBParameterGroups for a
// non-default group. Shapes: botocore data/rds/2014-10-31, data/kms/2014-11-01.
#include <fmt/format.h>

#include "dr/readiness_internal.h"
#include "resources/common.h"
#include "resources/rds_common.h"
#include "resources/xml_util.h"

namespace dr::readiness_detail {

namespace {

namespace xml = resources::xml;

struct DbInstance {
  std::string id, status, source, engine, engine_version, instance_class, kms_key_id, parameter_group;
  bool encrypted = false;
};

// found / absent (nullopt) / failed.
aws::Result<std::optional<DbInstance>> describe(aws::Client& c, const std::string& region, const std::string& id) {
  aws::XmlDoc keep;
  auto res = resources::rds::call(c, region, "DescribeDBInstances", {{"DBInstanceIdentifier", id}}, keep);
  if (!res) {
    if (resources::has_code(res.error(), {"DBInstanceNotFound", "DBInstanceNotFoundFault"}))
      return std::optional<DbInstance>();
    return model::err(res.error());
  }
  auto node = xml::child(xml::child(*res, "DBInstances"), "DBInstance");
  if (!node) return std::optional<DbInstance>();
  DbInstance d;
  d.id = xml::text(node, "DBInstanceIdentifier");
  d.status = xml::text(node, "DBInstanceStatus");
  d.source = xml::text(node, "ReadReplicaSourceDBInstanceIdentifier");
  d.engine = xml::text(node, "Engine");
  d.engine_version = xml::text(node, "EngineVersion");
  d.instance_class = xml::text(node, "DBInstanceClass");
  d.kms_key_id = xml::text(node, "KmsKeyId");
  d.encrypted = xml::text(node, "StorageEncrypted") == "true";
  d.parameter_group = xml::text(xml::child(xml::child(node, "DBParameterGroups"), "DBParameterGroup"),
                                "DBParameterGroupName");
  return std::optional<DbInstance>(d);
}

// The parameter group family: "default.<family>" names carry it; others are described.
aws::Result<std::string> family_of(aws::Client& c, const std::string& region, const std::string& group) {
  if (group.rfind("default.", 0) == 0) return group.substr(8);
  aws::XmlDoc keep;
  auto res = resources::rds::call(c, region, "DescribeDBParameterGroups", {{"DBParameterGroupName", group}}, keep);
  if (!res) {
    if (resources::has_code(res.error(), {"DBParameterGroupNotFound"})) return std::string();
    return model::err(res.error());
  }
  return xml::text(xml::child(xml::child(*res, "DBParameterGroups"), "DBParameterGroup"), "DBParameterGroupFamily");
}

std::string first_component(const std::string& version) { return version.substr(0, version.find('.')); }

std::string source_id(const std::string& source) {
  if (auto arn = resources::rds::parse_arn(source)) return arn->id;
  return source;
}
std::string source_region_of(const std::string& source, const std::string& fallback) {
  if (auto arn = resources::rds::parse_arn(source)) return arn->region;
  return fallback;
}

void compare_pair(const Probe& p, const model::Resource& r, const DbInstance& replica, const DbInstance& primary,
                  const std::string& primary_region, Sink& out) {
  const std::string a = r.address.str();
  const std::string evidence = fmt::format(
      "DescribeDBInstances {} {}: engine={} version={} class={} encrypted={}; {} {}: engine={} version={} class={} kms={}",
      primary_region, primary.id, primary.engine, primary.engine_version, primary.instance_class, primary.encrypted,
      r.region, replica.id, replica.engine, replica.engine_version, replica.instance_class,
      replica.kms_key_id.empty() ? "-" : replica.kms_key_id);
  const std::string w = r.workload;
  out.add(w, finding("pair.engine", Grade::critical, primary.engine == replica.engine,
                     fmt::format("engine: primary {} / replica {}", primary.engine, replica.engine), evidence, a, r.where));
  const bool same_version = primary.engine_version == replica.engine_version;
  const bool same_major = first_component(primary.engine_version) == first_component(replica.engine_version);
  out.add(w, finding("pair.engine_version", same_major ? Grade::warning : Grade::critical, same_version,
                     fmt::format("engine version: primary {} / replica {}{}", primary.engine_version,
                                 replica.engine_version,
                                 same_version ? "" : same_major ? " (minor versions differ)" : " (major versions differ)"),
                     evidence, a, r.where));
  const std::string want_class = resources::str_attr(r.attrs, "instance_class");
  if (!want_class.empty())
    out.add(w, finding("pair.instance_class", Grade::warning, replica.instance_class == want_class,
                       fmt::format("instance class: replica {} (configured {}; primary {})", replica.instance_class,
                                   want_class, primary.instance_class),
                       evidence, a, r.where));

  // Encryption: an encrypted primary can only be replicated into DR with a key usable there.
  const std::string want_key = resources::str_attr(r.attrs, "kms_key_id");
  if (primary.encrypted || !want_key.empty()) {
    if (replica.kms_key_id.empty()) {
      out.add(w, finding("pair.kms", Grade::critical, false,
                         fmt::format("primary {} is encrypted but replica {} has no KMS key in {}", primary.id,
                                     replica.id, r.region),
                         evidence, a, r.where));
    } else {
      const std::string key = want_key.empty() ? replica.kms_key_id : want_key;
      auto res = p.aws.json(aws::services::kms, r.region, "DescribeKey", {{"KeyId", key}});
      if (!res && resources::has_code(res.error(), {"NotFoundException"})) {
        out.add(w, finding("pair.kms", Grade::critical, false,
                           fmt::format("KMS key {} does not exist in {}", key, r.region),
                           fmt::format("kms DescribeKey {}: NotFoundException", r.region), a, r.where));
      } else if (!res) {
        out.failed_read(a, res.error(), "the replica's KMS key " + key);
      } else {
        const auto& meta = res->is_object() && res->contains("KeyMetadata") ? (*res)["KeyMetadata"] : nlohmann::json();
        const std::string state = meta.is_object() ? meta.value("KeyState", "") : "";
        out.add(w, finding("pair.kms", Grade::critical, state == "Enabled",
                           fmt::format("KMS key {} in {} is {}", key, r.region, state.empty() ? "unknown" : state),
                           fmt::format("kms DescribeKey {}: KeyState={}", r.region, state), a, r.where));
      }
    }
  }

  if (!primary.parameter_group.empty() && !replica.parameter_group.empty()) {
    auto pf = family_of(p.aws, primary_region, primary.parameter_group);
    auto rf = family_of(p.aws, r.region, replica.parameter_group);
    if (!pf) return out.failed_read(a, pf.error(), "parameter group " + primary.parameter_group);
    if (!rf) return out.failed_read(a, rf.error(), "parameter group " + replica.parameter_group);
    out.add(w, finding("pair.parameter_group", Grade::warning, *pf == *rf && !pf->empty(),
                       fmt::format("parameter groups: primary {} ({}) / replica {} ({})", primary.parameter_group,
                                   pf->empty() ? "not found" : *pf, replica.parameter_group,
                                   rf->empty() ? "not found" : *rf),
                       evidence, a, r.where));
  }
}

}  // namespace

void check_rds(const Probe& p, Sink& out) {
  for (const auto& r : p.graph.resources) {
    if (r.address.type != "rds.replica" || !p.live(r.address.str())) continue;  // missing: check_config says so
    const std::string a = r.address.str();
    const std::string replica_id = resources::str_attr(r.attrs, "identifier");
    const std::string want_source = resources::str_attr(r.attrs, "source");
    const std::string primary_region =
        source_region_of(want_source, resources::get_string(r.attrs, "source_region", p.topology.primary_region));

    auto replica = describe(p.aws, r.region, replica_id);
    if (!replica) {
      out.failed_read(a, replica.error(), "replica " + replica_id);
      continue;
    }
    if (!*replica) continue;  // gone since refresh; check_config reported what refresh saw
    const DbInstance& rep = **replica;
    const std::string ev = fmt::format("DescribeDBInstances {}: status={} source={}", r.region, rep.status,
                                       rep.source.empty() ? "(none: standalone)" : rep.source);
    out.add(r.workload, finding("replica.status", Grade::critical, rep.status == "available",
                                fmt::format("replica {} is {}", rep.id, rep.status), ev, a, r.where));
    const bool same_source = !rep.source.empty() &&
                             resources::rds::same_identifier(source_id(rep.source), source_id(want_source)) &&
                             source_region_of(rep.source, r.region) == primary_region;
    out.add(r.workload,
            finding("replica.source", Grade::critical, same_source,
                    same_source ? fmt::format("replica {} replicates {}", rep.id, want_source)
                                : fmt::format("replica {} does not replicate {} (source: {})", rep.id, want_source,
                                              rep.source.empty() ? "none" : rep.source),
                    ev, a, r.where));

    auto primary = describe(p.aws, primary_region, source_id(want_source));
    if (!primary) {
      out.failed_read(a, primary.error(), "primary instance " + want_source);
      continue;
    }
    if (!*primary) {
      out.add(r.workload, finding("pair.primary", Grade::critical, false,
                                  fmt::format("primary instance {} not found in {}", want_source, primary_region),
                                  fmt::format("DescribeDBInstances {}: DBInstanceNotFound", primary_region), a, r.where));
      continue;
    }
    compare_pair(p, r, rep, **primary, primary_region, out);
  }
}

}  // namespace dr::readiness_detail
