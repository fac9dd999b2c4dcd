#include "resources/rds_global_cluster_read.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "resources/common.h"
#include "resources/rds_common.h"
#include "resources/xml_util.h"

namespace resources::rds {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

GlobalInfo parse_global(const pugi::xml_node& g) {
  GlobalInfo info{xml::text(g, "GlobalClusterIdentifier"), xml::text(g, "GlobalClusterArn"), xml::text(g, "Status"),
                  xml::text(g, "Engine"), xml::text(g, "EngineVersion"), xml_bool(g, "DeletionProtection"),
                  read_tags(xml::child(g, "TagList")), {}};
  for (auto m : xml::children(xml::child(g, "GlobalClusterMembers"), "GlobalClusterMember"))
    info.members.push_back({xml::text(m, "DBClusterArn"), xml_bool(m, "IsWriter")});
  return info;
}

ClusterInfo parse_cluster(const pugi::xml_node& c) {
  ClusterInfo info{xml::text(c, "DBClusterIdentifier"), xml::text(c, "DBClusterArn"), xml::text(c, "Status"),
                   xml::text(c, "Engine"), xml::text(c, "EngineVersion"), xml::text(c, "GlobalClusterIdentifier"),
                   xml_bool(c, "DeletionProtection"), {}};
  for (auto m : xml::children(xml::child(c, "DBClusterMembers"), "DBClusterMember"))
    info.instances.push_back(xml::text(m, "DBInstanceIdentifier"));
  return info;
}

}  // namespace

std::string secondary_instance_id(const std::string& secondary_cluster_id) { return secondary_cluster_id + "-1"; }

aws::Result<std::optional<GlobalInfo>> describe_global(aws::Client& c, const std::string& region,
                                                       const std::string& id) {
  aws::XmlDoc keep;
  auto res = call(c, region, "DescribeGlobalClusters", {{"GlobalClusterIdentifier", id}}, keep);
  if (!res) {
    if (has_code(res.error(), {"GlobalClusterNotFoundFault"})) return std::optional<GlobalInfo>();
    return model::err(res.error());
  }
  auto g = xml::child(xml::child(*res, "GlobalClusters"), "GlobalClusterMember");
  if (!g) return std::optional<GlobalInfo>();
  return std::optional<GlobalInfo>(parse_global(g));
}

aws::Result<std::optional<ClusterInfo>> describe_cluster(aws::Client& c, const std::string& region,
                                                         const std::string& id) {
  aws::XmlDoc keep;
  auto res = call(c, region, "DescribeDBClusters", {{"DBClusterIdentifier", id}}, keep);
  if (!res) {
    if (has_code(res.error(), {"DBClusterNotFoundFault"})) return std::optional<ClusterInfo>();
    return model::err(res.error());
  }
  auto cl = xml::child(xml::child(*res, "DBClusters"), "DBCluster");
  if (!cl) return std::optional<ClusterInfo>();
  return std::optional<ClusterInfo>(parse_cluster(cl));
}

json global_live_attrs(const json& desired, const std::string& region, const GlobalInfo& g,
                       const std::optional<ClusterInfo>& secondary, const std::optional<std::string>& instance_class) {
  const auto want_id = str_attr(desired, "global_cluster_id");
  const auto want_region = str_attr(desired, "secondary_region");
  const auto want_secondary = str_attr(desired, "secondary_cluster_id");
  json members = json::array();
  std::string writer_arn, secondary_region, secondary_id;
  for (const auto& m : g.members) {
    members.push_back({{"cluster_arn", m.cluster_arn}, {"writer", m.writer}});
    const auto arn = parse_arn(m.cluster_arn);
    if (m.writer && writer_arn.empty()) writer_arn = m.cluster_arn;
    if (m.writer || !arn) continue;
    // The desired secondary when it is a member, else the first other secondary (a difference).
    const bool is_wanted = arn->region == want_region && same_identifier(arn->id, want_secondary);
    if (is_wanted || secondary_id.empty()) {
      secondary_region = arn->region;
      secondary_id = is_wanted ? want_secondary : arn->id;
    }
  }
  // Deletion protection is set on the global cluster and on the secondary cluster: report the
  // desired value only when both have it, so that either one being off shows as a change.
  const bool want_dp = get_bool(desired, "deletion_protection", false);
  bool dp = g.deletion_protection;
  if (secondary) dp = want_dp ? (dp && secondary->deletion_protection) : (dp || secondary->deletion_protection);
  json a = {
      {"global_cluster_id", same_identifier(g.id, want_id) ? want_id : g.id},
      {"source_cluster", report_source(writer_arn, str_attr(desired, "source_cluster"), region)},
      {"secondary_region", secondary_region},
      {"secondary_cluster_id", secondary_id},
      {"deletion_protection", dp},
      {"tags", tag_json(g.tags)},
      {"arn", g.arn},
      {"status", g.status},
      {"members", members},
      {"engine", g.engine},
      {"engine_version", g.engine_version},
  };
  if (instance_class) a["secondary_instance_class"] = *instance_class;
  return a;
}

std::map<std::string, ReadOutcome> read_global_clusters(aws::Client& c, const std::string& region,
                                                        std::span<const Target> targets) {
  std::map<std::string, ReadOutcome> out;
  std::set<std::string> wanted;
  for (const auto& t : targets) wanted.insert(lower(id_or_attr(t, "global_cluster_id")));
  std::map<std::string, GlobalInfo> globals;
  auto listed = describe_all(c, region, "DescribeGlobalClusters", "GlobalClusters", "GlobalClusterMember",
                             [&](const pugi::xml_node& g) {
                               auto info = parse_global(g);
                               if (auto key = lower(info.id); wanted.count(key)) globals[key] = std::move(info);
                               return globals.size() < wanted.size();
                             });
  if (!listed) {
    for (const auto& t : targets) out[t.address] = failed(listed.error());
    return out;
  }

  // Per secondary region: the secondary clusters, and the classes of their instances if wanted.
  struct RegionScan {
    std::set<std::string> clusters;
    bool instances = false;
    std::map<std::string, ClusterInfo> found;
    std::map<std::string, std::map<std::string, std::string>> classes;  // cluster -> instance -> class
    std::optional<aws::AwsError> error;
  };
  std::map<std::string, RegionScan> scans;
  for (const auto& t : targets) {
    if (!globals.count(lower(id_or_attr(t, "global_cluster_id")))) continue;
    auto& scan = scans[str_attr(t.attrs, "secondary_region")];
    scan.clusters.insert(lower(str_attr(t.attrs, "secondary_cluster_id")));
    scan.instances = scan.instances || t.attrs.contains("secondary_instance_class");
  }
  for (auto& [secondary_region, scan] : scans) {
    if (secondary_region.empty()) continue;
    auto st = describe_all(c, secondary_region, "DescribeDBClusters", "DBClusters", "DBCluster",
                           [&](const pugi::xml_node& cl) {
                             auto info = parse_cluster(cl);
                             if (auto key = lower(info.id); scan.clusters.count(key)) scan.found[key] = std::move(info);
                             return scan.found.size() < scan.clusters.size();
                           });
    if (st && scan.instances)
      st = describe_all(c, secondary_region, "DescribeDBInstances", "DBInstances", "DBInstance",
                        [&](const pugi::xml_node& db) {
                          if (auto key = lower(xml::text(db, "DBClusterIdentifier")); scan.clusters.count(key))
                            scan.classes[key][lower(xml::text(db, "DBInstanceIdentifier"))] = xml::text(db, "DBInstanceClass");
                          return true;
                        });
    if (!st) scan.error = st.error();
  }

  for (const auto& t : targets) {
    const auto key = lower(id_or_attr(t, "global_cluster_id"));
    auto g = globals.find(key);
    if (g == globals.end()) {
      out[t.address] = absent();
      continue;
    }
    const auto secondary_region = str_attr(t.attrs, "secondary_region");
    const auto secondary_key = lower(str_attr(t.attrs, "secondary_cluster_id"));
    std::optional<ClusterInfo> secondary;
    std::optional<std::string> instance_class;
    if (auto s = scans.find(secondary_region); s != scans.end() && !secondary_region.empty()) {
      if (s->second.error) {
        out[t.address] = failed(*s->second.error);
        continue;
      }
      if (auto f = s->second.found.find(secondary_key); f != s->second.found.end()) secondary = f->second;
      if (t.attrs.contains("secondary_instance_class")) {
        const auto& classes = s->second.classes[secondary_key];
        auto ours = classes.find(lower(secondary_instance_id(secondary_key)));
        instance_class = ours != classes.end() ? ours->second : classes.empty() ? "" : classes.begin()->second;
      }
    }
    out[t.address] = found(Live{key, global_live_attrs(t.attrs, region, g->second, secondary, instance_class)});
  }
  return out;
}

}  // namespace resources::rds
