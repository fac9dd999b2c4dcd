#include "config/module.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "config/schema_validator.h"

namespace config {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kKinds[] = {"s3", "rds", "aurora", "dynamodb", "efs", "ebs", "ec2", "asg", "ecs", "dns-failover"};
constexpr size_t kNoPart = static_cast<size_t>(-1);

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

// Reads a module file and its includes into a Module, merging as module.h describes.
class Loader {
 public:
  Loader(Module& m, const Paths& paths, const SchemaValidator& validator, model::Diagnostics& diags)
      : m_(m), paths_(paths), validator_(validator), diags_(diags) {}

  // Loads `file`; `from`/`from_pointer` name the include entry that asked for it (if any).
  void load(const std::string& file, size_t from, const std::string& from_pointer) {
    std::error_code ec;
    const std::string key = fs::weakly_canonical(file, ec).string();
    if (std::find(loading_.begin(), loading_.end(), key) != loading_.end()) {
      fail(from, from_pointer, "include cycle: " + file + " includes itself");
      return;
    }
    if (loaded_.count(key)) return;
    if (!fs::is_regular_file(file, ec)) {
      fail(from, from_pointer, "cannot find included module file " + file);
      return;
    }
    const size_t before = diags_.size();
    auto doc = load_yaml_file(file, diags_);
    if (!doc) { ok_ = false; return; }
    validator_.validate(*doc, diags_);
    if (doc->value.is_object() && doc->value.contains("kinds") && doc->value["kinds"].is_object())
      for (const auto& [kind, _] : doc->value["kinds"].items()) {
        bool known = false;
        for (const char* k : kKinds) known = known || kind == k;
        if (!known) diags_.push_back(error_at(*doc, pointer_append("/kinds", kind), "unknown workload kind '" + kind + "'"));
      }
    if (diags_.size() != before) { ok_ = false; return; }
    const size_t part = m_.parts.size();
    m_.parts.push_back(std::move(*doc));
    loaded_.insert(key);
    loading_.push_back(key);
    const json includes = m_.parts[part].value.value("include", json::array());
    for (size_t i = 0; i < includes.size(); ++i) {
      const std::string inc = includes[i].get<std::string>();
      fs::path p(inc);
      if (!is_path(inc)) p = fs::path(paths_.modules_dir) / p;
      else if (p.is_relative()) p = fs::path(file).parent_path() / p;
      load(p.lexically_normal().string(), part, pointer_append("/include", i));
    }
    loading_.pop_back();
    merge(part);
  }

  bool ok() const { return ok_; }

 private:
  void fail(size_t from, const std::string& pointer, std::string summary) {
    model::Diagnostic d;
    if (from != kNoPart) d = error_at(m_.parts[from], pointer, summary, true);
    else d.summary = std::move(summary);
    diags_.push_back(std::move(d));
    ok_ = false;
  }

  void named(NamedTemplates& into, const json& from, size_t part, const std::string& pointer) {
    for (const auto& [name, value] : from.items()) into[name] = Template{value, part, pointer_append(pointer, name)};
  }

  void listed(std::vector<Template>& into, const json& from, size_t part, const std::string& pointer) {
    for (size_t i = 0; i < from.size(); ++i) into.push_back(Template{from[i], part, pointer_append(pointer, i)});
  }

  void merge(size_t part) {
    const json v = m_.parts[part].value;
    if (!v.is_object()) return;
    // Copies, not temporaries: items() must not outlive what it iterates.
    const json inputs = v.value("inputs", json::object()), settings = v.value("settings", json::object());
    const json kinds = v.value("kinds", json::object());
    for (const auto& [name, decl] : inputs.items()) m_.inputs[name] = decl;
    for (const auto& [name, value] : settings.items()) m_.settings[name] = value;
    named(m_.locals, v.value("locals", json::object()), part, "/locals");
    listed(m_.checks, v.value("checks", json::array()), part, "/checks");
    for (const auto& [kind, spec] : kinds.items()) {
      KindSpec& k = m_.kinds[kind];
      const std::string kp = pointer_append("/kinds", kind);
      named(k.defaults, spec.value("defaults", json::object()), part, kp + "/defaults");
      named(k.locals, spec.value("locals", json::object()), part, kp + "/locals");
      listed(k.checks, spec.value("checks", json::array()), part, kp + "/checks");
      listed(k.resources, spec.value("resources", json::array()), part, kp + "/resources");
    }
    listed(m_.resources, v.value("resources", json::array()), part, "/resources");
  }

  Module& m_;
  const Paths& paths_;
  const SchemaValidator& validator_;
  model::Diagnostics& diags_;
  std::vector<std::string> loading_;  // the include chain being read (cycle detection)
  std::set<std::string> loaded_;
  bool ok_ = true;
};

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
  auto validator = SchemaValidator::load((fs::path(paths.modules_dir) / "module.schema.json").string(), diags);
  if (!validator) return std::nullopt;
  Module m;
  m.name = strategy;
  m.file = file;
  Loader loader(m, paths, *validator, diags);
  loader.load(file, kNoPart, "");
  if (!loader.ok() || m.parts.empty()) return std::nullopt;
  return m;
}

std::optional<json> resolve_inputs(const Module& module, const Document& stack_doc, model::Diagnostics& diags) {
  const json& declared = module.inputs;
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
