// refresh: reads the live objects behind a stack's desired and remembered resources.
// Batched per (type, region) so a type that can list is read with one paginated call rather
// than one call per resource; groups run concurrently. References needed to read (a backup
// selection needs its plan's id) are resolved from what earlier waves observed.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>

#include "model/resource.h"
#include "plan/diff.h"
#include "resources/resource_type.h"

namespace apply {

struct RefreshRequest {
  const model::Graph* desired = nullptr;
  std::map<std::string, plan::Prior> prior;  // remembered resources (for orphans and ids)
  std::set<std::string> only;                // targeted refresh: these addresses; empty = all
  bool as_applied = false;  // locate objects by what was last applied, not by the config (drift)
  int parallelism = 10;
  std::function<const resources::ResourceType*(std::string_view)> find_type = resources::find_type;
};

std::map<std::string, plan::Observed> refresh(resources::Context& ctx, const RefreshRequest& req);

}  // namespace apply
