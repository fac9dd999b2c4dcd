// TimingModel: how long each DR operation takes, as data. Defaults come from
// modules/timings.yaml (each with the AWS documentation it is taken from); a stack overrides
// any of them with a top-level `timings: { name: duration }` map. Values, built once by
// load_timings and read by assess(); thread-safe to share once built.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "config/config.h"
#include "model/diagnostic.h"
#include "model/duration.h"
#include "model/topology.h"

namespace dr {

struct Timing {
  std::string name;    // "rds_replica_promotion"
  model::Seconds value{0};
  std::string what;    // what the duration measures
  std::string source;  // the documentation it comes from, or "stack override"
  std::optional<model::SourceRange> where;  // timings.yaml entry, or the stack's override
  bool overridden = false;
};

struct TimingModel {
  std::map<std::string, Timing> entries;

  // The named timing; a zero-length placeholder naming the gap when timings.yaml lacks it
  // (load_timings reports that as an error, so assess never silently uses it).
  Timing get(const std::string& name) const;
};

// The names assess() relies on; load_timings reports each one timings.yaml lacks.
const std::vector<std::string>& required_timings();

// Reads <modules_dir>/timings.yaml, then applies topology.document["timings"] (positions from
// topology.positions). Unknown override names and malformed files are errors in `diags`,
// at the offending line; the model returned holds whatever could be read.
TimingModel load_timings(const config::Paths& paths, const model::Topology& topology,
                         model::Diagnostics& diags);
// The same from an already-read timings file (for tests): `file` is only used for positions.
TimingModel load_timings_text(const std::string& text, const std::string& file,
                              const model::Topology& topology, model::Diagnostics& diags);

}  // namespace dr
