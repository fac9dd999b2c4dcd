// execute: runs a Plan against AWS in dependency order with bounded parallelism.
//
// Creates and updates wait for what they depend on; destroys wait for the destroys of what
// depends on them. Every mutating call is preceded by a committed journal intent and followed
// by its outcome, then the state record is written, so a run killed at any point can be
// settled by reading live state. A step whose dependency failed is skipped, not re-reported.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "apply/observer.h"
#include "model/diagnostic.h"
#include "plan/plan.h"
#include "resources/resource_type.h"
#include "state/store.h"

namespace apply {

struct ExecuteOptions {
  int parallelism = 10;
  long long run_id = 0;
  // Addresses with an intent that an earlier, killed run never settled: read before creating.
  std::set<std::string> unsettled;
  // Where resource types come from; tests substitute fakes.
  std::function<const resources::ResourceType*(std::string_view)> find_type = resources::find_type;
};

struct ExecuteResult {
  int succeeded = 0;
  int failed = 0;
  int skipped = 0;
  model::Diagnostics diagnostics;  // one per failed step
};

ExecuteResult execute(const plan::Plan& plan, resources::Context& ctx, state::Store& store,
                      ApplyObserver& observer, const ExecuteOptions& options);

}  // namespace apply
