// Strategy modules: modules/<name>/module.yaml (or a user folder), format in modules/README.md.
// Loaded with positions so that problems point into the module file. A module may include
// shared fragments (same format); the loaded Module is the merge of all of them, and every
// template remembers which file and node it came from.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "config/document.h"
#include "model/diagnostic.h"

namespace config {

// One template of a module and where it was written: Module::parts[part] at `pointer`.
struct Template {
  nlohmann::json value;
  size_t part = 0;
  std::string pointer;
};
using NamedTemplates = std::map<std::string, Template>;  // name -> template

struct KindSpec {
  NamedTemplates defaults;          // spec field -> template (filled when the stack leaves it out)
  NamedTemplates locals;            // local.<name>, per workload
  std::vector<Template> checks;     // {when, message, field?, severity?}
  std::vector<Template> resources;  // resource templates
};

struct Module {
  std::string name;  // as the stack wrote it: "backup-restore" or "./my-module"
  std::string file;  // the module.yaml read
  // parts[0] is module.yaml; then every included fragment, in the order first included.
  // Each is validated against modules/module.schema.json.
  std::vector<Document> parts;
  nlohmann::json inputs = nlohmann::json::object();    // name -> declaration (merged)
  nlohmann::json settings = nlohmann::json::object();  // name -> value (merged)
  NamedTemplates locals;                               // stack-level local.<name>
  std::vector<Template> checks;                        // stack-level checks
  std::map<std::string, KindSpec> kinds;
  std::vector<Template> resources;                     // stack-level resource templates

  const Document& doc() const { return parts.front(); }
};

// "strategy: backup-restore" -> <modules_dir>/backup-restore/module.yaml; "./x", "../x" and
// absolute paths are folders relative to `base_dir` (the folder of the stack file).
std::string module_file(const std::string& strategy, const std::string& base_dir, const Paths& paths);

// Loads and validates a module and its includes. Problems inside a module file point into it;
// a module that does not exist is reported at `stack_doc`'s strategy node. nullopt on any error.
//
// Includes: `include: [path, ...]`; ./, ../ and absolute paths are relative to the including
// file, other paths to the built-in modules folder (include: [shared/storage.yaml]). Includes
// are merged first (in order, depth first), then the including file: for inputs, settings,
// locals and a kind's defaults and locals, the later definition of a name wins; resources and
// checks are concatenated. A file included twice is read once; a cycle is an error.
std::optional<Module> load_module(const std::string& strategy, const Document& stack_doc,
                                  const Paths& paths, model::Diagnostics& diags);

// Checks the stack's strategy inputs against the module's declarations and returns them with
// defaults filled in. Unknown inputs, wrong types and missing required inputs are errors at
// the stack's positions (/strategy/inputs/<name>). nullopt on any error.
std::optional<nlohmann::json> resolve_inputs(const Module& module, const Document& stack_doc,
                                             model::Diagnostics& diags);

}  // namespace config
