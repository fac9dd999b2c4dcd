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

// How far a refresh has got, in resources: reported once with done = 0 before the first read,
// then after each batched read. groups_in_flight: batched reads still running.
struct RefreshTick {
  int done = 0;
  int total = 0;
  int groups_in_flight = 0;
};
// Called from worker threads, never two calls at once. Must not block for long.
using RefreshProgress = std::function<void(const RefreshTick&)>;

// The progress callback every RefreshRequest starts with, so that callers deep in the engine
// (planner, readiness, runbook planning) report without threading a callback through each
// request type. The CLI installs one before running a command (a terminal status line);
// library users and tests leave it empty. Set it before any refresh runs (not synchronised).
void set_default_refresh_progress(RefreshProgress progress);
const RefreshProgress& default_refresh_progress();

struct RefreshRequest {
  const model::Graph* desired = nullptr;
  std::map<std::string, plan::Prior> prior;  // remembered resources (for orphans and ids)
  std::set<std::string> only;                // targeted refresh: these addresses; empty = all
  bool as_applied = false;  // locate objects by what was last applied, not by the config (drift)
  int parallelism = 10;
  std::function<const resources::ResourceType*(std::string_view)> find_type = resources::find_type;
  RefreshProgress progress = default_refresh_progress();  // empty: no reports
};

std::map<std::string, plan::Observed> refresh(resources::Context& ctx, const RefreshRequest& req);

}  // namespace apply
