// The IAM permissions drctl needs, per resource type and phase (drctl iam-policy).
//
// permissions_for() lists, for one desired resource, the IAM actions of exactly the API calls
// its type makes (see README.md "How each type reads and writes") and the resource ARNs those
// actions are scoped to: the object's own ARN where the API supports resource-level
// permissions, "*" where AWS requires it (List*/Describe* without an identifier, Create* of
// objects whose id AWS assigns). Names come from the desired attributes; a reference
// ("@{iam.role.x#arn}") is resolved to the ARN of the referenced resource in the graph.
// IAM action names are IAM's, not the API's: GetBucketReplication is
// s3:GetReplicationConfiguration, DeleteBucketReplication is s3:PutReplicationConfiguration.
//
// iam_policy() assembles a whole policy document for a set of resources: one statement per
// (service, resource set) with a stable Sid, actions and resources sorted, so the output is
// deterministic and diffable. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/resource.h"

namespace resources {

// What drctl is about to do. plan, drift and readiness only read; apply reads, creates,
// updates and destroys (a replace or a removed resource); failover/failback run their op.*
// steps (pass the runbook's graph).
enum class Phase { plan, apply, drift, failover, failback, readiness };

std::optional<Phase> parse_phase(const std::string& name);  // "plan", "apply", ...
std::string phase_name(Phase p);

struct Permission {
  std::string action;    // "s3:PutReplicationConfiguration"
  std::string resource;  // "arn:aws:s3:::shop-assets" or "*"
  bool operator==(const Permission&) const = default;
  auto operator<=>(const Permission&) const = default;
};

struct PolicyContext {
  std::string account = "*";     // account id in ARNs; "*" when unknown (IAM accepts it)
  std::string partition = "aws";
  const model::Graph* graph = nullptr;  // to resolve references to other resources' ARNs
};

// The permissions one resource needs in `phase`. Types without AWS calls (skeleton types)
// need none.
std::vector<Permission> permissions_for(const model::Resource& r, Phase phase, const PolicyContext& ctx);

// Stack-wide permissions that belong to no resource type: sts:GetCallerIdentity (account id)
// always; CloudWatch GetMetricStatistics (replication lag) for readiness and failover;
// tag:GetResources (orphans) for drift.
std::vector<Permission> phase_permissions(Phase phase);

// The policy document: {"Version": "2012-10-17", "Statement": [{Sid, Effect, Action, Resource}]}.
nlohmann::json iam_policy(const std::vector<const model::Resource*>& resources, Phase phase,
                          const PolicyContext& ctx);

}  // namespace resources
