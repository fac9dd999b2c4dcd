#include "dr/objectives.h"

namespace dr {

ObjectiveReport check_objectives(const model::Topology& topology, const model::Graph& graph,
                                 const config::Paths& paths) {
  ObjectiveReport r;
  const TimingModel timings = load_timings(paths, topology, r.diagnostics);
  r.assessment = assess(topology, graph, timings);
  r.diagnostics.insert(r.diagnostics.end(), r.assessment.diagnostics.begin(), r.assessment.diagnostics.end());
  return r;
}

}  // namespace dr
