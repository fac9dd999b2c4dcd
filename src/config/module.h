// Strategy modules: modules/<name>/module.yaml (or a user folder), format in modules/README.md.
// Loaded with positions so that problems point into the module file.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "config/document.h"
#include "model/diagnostic.h"

namespace config {

struct Module {
  std::string name;  // as the stack wrote it: "backup-restore" or "./my-module"
  std::string file;  // the module.yaml read
  Document doc;      // validated against modules/module.schema.json
};

// "strategy: backup-restore" -> <modules_dir>/backup-restore/module.yaml; "./x", "../x" and
// absolute paths are folders relative to `base_dir` (the folder of the stack file).
std::string module_file(const std::string& strategy, const std::string& base_dir, const Paths& paths);

// Loads and validates a module. Problems inside the module file point into it; a module that
// does not exist is reported at `stack_doc`'s strategy node. nullopt on any error.
std::optional<Module> load_module(const std::string& strategy, const Document& stack_doc,
                                  const Paths& paths, model::Diagnostics& diags);

// Checks the stack's strategy inputs against the module's declarations and returns them with
// defaults filled in. Unknown inputs, wrong types and missing required inputs are errors at
// the stack's positions (/strategy/inputs/<name>). nullopt on any error.
std::optional<nlohmann::json> resolve_inputs(const Module& module, const Document& stack_doc,
                                             model::Diagnostics& diags);

}  // namespace config
