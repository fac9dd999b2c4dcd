// planner: the read side of every command — state + refresh + diff -> Plan, and drift.
// Reads AWS and state; writes nothing.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/resource.h"
#include "model/result.h"
#include "model/topology.h"
#include "plan/diff.h"
#include "plan/drift.h"
#include "plan/plan.h"
#include "resources/resource_type.h"
#include "state/store.h"

namespace apply {

struct PlanRequest {
  const model::Topology* topology = nullptr;
  const model::Graph* graph = nullptr;
  std::string config_dir;
  bool refresh = true;  // false: trust state's last read instead of AWS
  std::set<std::string> allow_destroy;
  // After `drctl failover`, state holds the failover steps (op.* records) and a normal plan
  // would undo the failover (scale the DR side back down, point DNS back at the primary).
  // Planning is refused then, unless the caller means to return to normal management.
  bool reset_after_failover = false;
  int parallelism = 10;
  // Resource targeting (apply/targets.h): only these workloads / address globs and their
  // dependencies are read and compared. Empty: the whole stack.
  std::vector<std::string> targets;
};

struct Planned {
  plan::Plan plan;
  std::map<std::string, plan::Prior> prior;
  std::map<std::string, plan::Observed> observed;
};

model::Result<Planned, std::string> make_plan(resources::Context& ctx, state::Store& store,
                                              const PlanRequest& req);

model::Result<plan::DriftReport, std::string> make_drift(resources::Context& ctx,
                                                         state::Store& store,
                                                         const model::Graph& graph,
                                                         int parallelism);

// What state remembers, as diff input.
model::Result<std::map<std::string, plan::Prior>, std::string> load_prior(state::Store& store);

}  // namespace apply
