// Planning a DR runbook (failover, failback) with the ordinary engine, shared by the failover,
// failback and drill commands: refresh of the runbook's op.* steps (each reads whether its
// effect is already in place) and a diff against what state remembers of those same steps.
// Only the runbook's own addresses take part: the stack's resources are neither read nor
// diffed, and records of other runbooks are left alone, so nothing here calls a region the
// runbook does not touch.
#pragma once

#include <optional>
#include <string>

#include "cli/common.h"
#include "dr/runbook.h"
#include "plan/plan.h"

namespace cli {

// The plan of `rb` against `store`, stamped with the state's lineage/serial, the config hash
// and `kind` ("failover", "failback-protect", "failback-switch"). The runbook's diagnostics
// come first in plan.diagnostics. nullopt (reason printed) when state cannot be read.
std::optional<plan::Plan> plan_runbook(const Stack& stack, const std::string& dir, const dr::Runbook& rb,
                                       state::Store& store, Session& session, const std::string& kind,
                                       int parallelism);

// The estimated duration of what is left of the runbook in `p` (steps already done count
// nothing): the critical path through the steps still to run.
dr::CriticalPath remaining_path(const dr::Runbook& rb, const plan::Plan& p);

// Writes `p` as JSON to `path`; prints the reason and returns false on failure.
bool save_plan(const plan::Plan& p, const std::string& path);

}  // namespace cli
