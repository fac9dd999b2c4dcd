// Resource targeting (`plan --target`, `apply --target`): plan and apply a part of a stack,
// e.g. one workload being onboarded while a slow or broken one is left alone. A pattern is a
// workload name or an address glob ("s3.*", "rds.replica.orders"). The targets' dependencies
// come along, because their references (@{addr#attr}) are part of the targets' desired
// attributes; resources that only state knows (to be destroyed) are included when a pattern
// names them. Nothing else is read from AWS or compared.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/resource.h"
#include "model/result.h"
#include "plan/diff.h"

namespace apply {

struct TargetSelection {
  model::Graph graph;                          // the selected desired resources, indexed
  std::map<std::string, plan::Prior> prior;    // the selected state records
  std::set<std::string> addresses;             // both, by address
};

// An error names a pattern that matches nothing, so a typo does not plan an empty stack.
model::Result<TargetSelection, std::string> select_targets(const model::Graph& desired,
                                                           const std::map<std::string, plan::Prior>& prior,
                                                           const std::vector<std::string>& patterns);

}  // namespace apply
