#include "config/module.h"

#include <algorithm>
#include <filesystem>

#include "config/schema_validator.h"

namespace config {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kKinds[] = {"s3", "rds", "aurora", "dynamodb", "efs", "ebs", "ec2", "asg", "ecs", "dns-failover"};

bool is_path(const std::string& s) {
  return s.rfind("./", 0) == 0 || s.rfind("../", 0) == 0 || s.rfind("/", 0) == 0;
}

// The pointer of the node naming the module in the stack: /strategy or /strategy/module.
std::string strategy_pointer(const Document& doc) {
  const json& s = doc.value.is_object() && doc.value.contains("strategy") ? doc.value["strategy"] : json();
  return s.is_object() ? "/strategy/module" : "/strategy";
}

bool type_matches(const std::string& type, const json& v) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "list") return v.is_array();
  if (type == "map") return v.is_object();
  return false;
}

}  // namespace

std::string module_file(const std::string& strategy, const std::string& base_dir, const Paths& paths) {
  if (!is_path(strategy)) return (fs::path(paths.modules_dir) / strategy / "module.yaml").string();
  fs::path p(strategy);
  if (p.is_relative()) p = fs::path(base_dir) / p;
  return (p.lexically_normal() / "module.yaml").string();
}

std::optional<Module> load_module(const std::string& strategy, const Document& stack_doc,
                                  const Paths& paths, model::Diagnostics& diags) {
  const std::string at = strategy_pointer(stack_doc);
  const auto where = stack_doc.key_at(at);
  const std::string base_dir = where ? fs::path(where->file).parent_path().string() : ".";
  const std::string file = module_file(strategy, base_dir, paths);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    auto d = error_at(stack_doc, at, "unknown strategy module '" + strategy + "'", true);
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(paths.modules_dir, ec))
      if (fs::is_regular_file(e.path() / "module.yaml", ec)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    d.detail = "no " + file + (known.empty() ? "" : "; built-in modules: " + known);
    diags.push_back(std::move(d));
    return std::nullopt;
  }
  const size_t before = diags.size();
  auto doc = load_yaml_file(file, diags);
  if (!doc) return std::nullopt;
  auto validator = SchemaValidator::load((fs::path(paths.modules_dir) / "module.schema.json").string(), diags);
  if (!validator) return std::nullopt;
  validator->validate(*doc, diags);
  if (doc->value.is_object() && doc->value.contains("kinds") && doc->value["kinds"].is_object())
    for (const auto& [kind, _] : doc->value["kinds"].items()) {
      bool known = false;
      for (const char* k : kKinds) known = known || kind == k;
      if (!known) diags.push_back(error_at(*doc, "/kinds/" + kind, "unknown workload kind '" + kind + "'"));
    }
  if (diags.size() != before) return std::nullopt;
  return Module{strategy, file, std::move(*doc)};
}

std::optional<json> resolve_inputs(const Module& module, const Document& stack_doc, model::Diagnostics& diags) {
  const json& declared = module.doc.value.value("inputs", json::object());
  json given = json::object();
  if (const json& s = stack_doc.value.value("strategy", json()); s.is_object() && s.contains("inputs") && s["inputs"].is_object())
    given = s["inputs"];
  const size_t before = diags.size();
  json out = json::object();
  for (const auto& [name, value] : given.items()) {
    const std::string p = "/strategy/inputs/" + name;
    if (!declared.contains(name)) {
      auto d = error_at(stack_doc, p, "unknown input '" + name + "' for module '" + module.name + "'");
      std::string names;
      for (const auto& [k, _] : declared.items()) names += (names.empty() ? "" : ", ") + k;
      d.detail = names.empty() ? "the module declares no inputs" : "declared inputs: " + names;
      diags.push_back(std::move(d));
      continue;
    }
    const std::string type = declared[name].value("type", "string");
    if (!type_matches(type, value)) {
      diags.push_back(error_at(stack_doc, p, "input '" + name + "' expects " + type + ", got " + value.type_name(), true));
      continue;
    }
    out[name] = value;
  }
  for (const auto& [name, decl] : declared.items()) {
    if (out.contains(name) || given.contains(name)) continue;
    if (decl.contains("default")) out[name] = decl["default"];
    else diags.push_back(error_at(stack_doc, "/strategy", "missing required input '" + name + "' for module '" + module.name + "'"));
  }
  if (diags.size() != before) return std::nullopt;
  return out;
}

}  // namespace config
