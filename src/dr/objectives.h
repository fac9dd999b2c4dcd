// The objective check of `drctl validate` and `drctl plan`: loads the timing model for a
// loaded stack, assesses it, and returns what it found. A stack fails the check when any
// workload cannot meet an objective it declares (an error Diagnostic at that objective's line).
#pragma once

#include "config/config.h"
#include "dr/assess.h"

namespace dr {

struct ObjectiveReport {
  Assessment assessment;
  model::Diagnostics diagnostics;  // timings problems, then the assessment's
};

ObjectiveReport check_objectives(const model::Topology& topology, const model::Graph& graph,
                                 const config::Paths& paths);

}  // namespace dr
