// rds.global_cluster, the reading half: the Describe calls it makes and the mapping of their
// replies to the README shape. Used by rds_global_cluster.cc (read, and the Live that create
// and update return). Thread-safe; no state.
//
// Batched per (type, region): one DescribeGlobalClusters (Marker-paginated) in the primary
// region for every target, then per secondary region one DescribeDBClusters and, only when a
// target wants `secondary_instance_class`, one DescribeDBInstances (both paginated), all
// matched by identifier on our side.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "resources/resource_type.h"
#include "resources/tags.h"

namespace resources::rds {

struct GlobalMember {
  std::string cluster_arn;
  bool writer = false;
};

struct GlobalInfo {
  std::string id, arn, status, engine, engine_version;
  bool deletion_protection = false;
  TagMap tags;
  std::vector<GlobalMember> members;
};

struct ClusterInfo {
  std::string id, arn, status, engine, engine_version, global_id;
  bool deletion_protection = false;
  std::vector<std::string> instances;  // DBClusterMembers' instance identifiers
};

// The instance drctl adds to the secondary cluster when secondary_instance_class is set.
std::string secondary_instance_id(const std::string& secondary_cluster_id);

// One global cluster / DB cluster by identifier (DB cluster: identifier or ARN); nullopt when
// RDS says it does not exist.
aws::Result<std::optional<GlobalInfo>> describe_global(aws::Client& c, const std::string& region,
                                                       const std::string& id);
aws::Result<std::optional<ClusterInfo>> describe_cluster(aws::Client& c, const std::string& region,
                                                         const std::string& id);

// The README shape of one target from what the describes found. `secondary` is the secondary
// cluster when found; `instance_class` the class of its instance when the target wants one.
nlohmann::json global_live_attrs(const nlohmann::json& desired, const std::string& region, const GlobalInfo& g,
                                 const std::optional<ClusterInfo>& secondary,
                                 const std::optional<std::string>& instance_class);

// Reads every target (all with `region` as their primary region) as described above.
std::map<std::string, ReadOutcome> read_global_clusters(aws::Client& c, const std::string& region,
                                                        std::span<const Target> targets);

}  // namespace resources::rds
