// config/: stack files -> validated Topology -> desired Graph (through a strategy module).
// Every user-facing problem becomes a Diagnostic with file:line:col and the field's path;
// all problems are collected, none stops the others from being found.
#pragma once

#include <optional>
#include <string>

#include "model/diagnostic.h"
#include "model/resource.h"
#include "model/topology.h"

namespace config {

// Where drctl finds its data: schemas/ and modules/ (and state/ migrations).
struct Paths {
  std::string schemas_dir;
  std::string modules_dir;
  std::string migrations_dir;
};
// DRCTL_DATA_DIR if set; else the folder holding schemas/ next to or above the executable;
// else the source tree drctl was built from.
Paths default_paths();

// Reads every *.dr.yaml in `dir` (sorted by name; `dir` may also be a single file), merges them
// at the top level (a key in two files is an error naming both; equal `version:` may repeat),
// validates the merged document against schemas/topology.schema.json (positions still name
// each node's own file), and runs the semantic checks (regions exist and differ, bucket names,
// durations, backup schedule expressions, objectives, the strategy module and its inputs).
// nullopt when any error was found; diags holds every problem, in file/line order.
// Topology::positions maps each pointer to where its key was written (list items: the item).
std::optional<model::Topology> load_stack(const std::string& dir, const Paths& paths,
                                          model::Diagnostics& diags);

// Expands a topology through its strategy module (modules/<strategy>/module.yaml, or a
// user module folder) into the desired resources, with dependencies from references.
std::optional<model::Graph> expand(const model::Topology& topology, const Paths& paths,
                                   model::Diagnostics& diags);

}  // namespace config
