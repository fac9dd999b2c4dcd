// Running a plan that was reviewed (or approved): the shared tail of `apply`, `drill`.
// Settles what a killed run left behind, records the run in the state's history under the
// plan's kind with each step's measured duration, and prints progress.
#pragma once

#include <optional>
#include <string>

#include "apply/executor.h"
#include "apply/step_clock.h"
#include "cli/common.h"
#include "plan/plan.h"

namespace cli {

struct RunResult {
  long long run_id = 0;
  apply::ExecuteResult result;
  double seconds = 0;                      // wall time of the execution
  std::vector<apply::StepTiming> steps;    // measured, in the order they started
  bool ok() const { return result.failed == 0; }
};

// The caller holds the state lock. nullopt (reason printed) when the journal or the run
// history cannot be written; a failed step is a RunResult with failures, its diagnostics
// not yet printed.
// `extra` is merged into the run's recorded detail (apply records the stack's assessment
// under "assessment", so a later plan can show RTO/RPO before -> after).
std::optional<RunResult> run_plan(const plan::Plan& p, state::Store& store, Session& session, int parallelism,
                                  const nlohmann::json& extra = nlohmann::json::object());

}  // namespace cli
