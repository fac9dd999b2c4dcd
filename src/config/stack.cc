// load_stack and default_paths (config.h): read files, merge, validate, check, build Topology.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include <openssl/evp.h>

#include "config/config.h"
#include "config/document.h"
#include "config/module.h"
#include "config/schema_validator.h"
#include "config/semantic.h"

#ifndef DRCTL_SOURCE_DIR
#define DRCTL_SOURCE_DIR "."
#endif

#include "config/digest.h"

namespace config {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Paths paths_under(const fs::path& root) {
  return {(root / "schemas").string(), (root / "modules").string(), (root / "state").string()};
}


std::vector<std::string> stack_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) return {dir};
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && name.size() > 8 && name.compare(name.size() - 8, 8, ".dr.yaml") == 0)
      files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Top-level merge: each key may be defined by one file only (version may repeat if equal).
void merge_into(Document& merged, const Document& part, model::Diagnostics& diags) {
  for (const auto& [key, value] : part.value.items()) {
    const std::string p = pointer_append("", key);
    if (merged.value.contains(key)) {
      if (key == "version" && merged.value[key] == value) continue;
      const auto first = merged.key_at(p);
      auto d = error_at(part, p, "'" + key + "' is defined in both " + (first ? first->file : "?") + " and " +
                                     (part.key_at(p) ? part.key_at(p)->file : "?"));
      d.field = key;
      if (first) d.detail = "first defined at " + first->file + ":" + std::to_string(first->line);
      diags.push_back(std::move(d));
      continue;
    }
    merged.value[key] = value;
    for (const auto* map : {&part.keys, &part.values}) {
      auto& target = map == &part.keys ? merged.keys : merged.values;
      for (auto it = map->lower_bound(p); it != map->end(); ++it) {
        if (it->first != p && it->first.rfind(p + "/", 0) != 0) break;
        target[it->first] = it->second;
      }
    }
  }
}

std::optional<model::Seconds> duration_at(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) return std::nullopt;
  return model::parse_duration(obj[key].get<std::string>());
}

model::Objectives objectives_of(const json& obj, const model::Objectives& base) {
  model::Objectives o = base;
  if (auto v = duration_at(obj, "rto")) o.rto = v;
  if (auto v = duration_at(obj, "rpo")) o.rpo = v;
  return o;
}

model::Topology build(const Document& doc, json inputs, std::vector<std::string> files, std::string hash) {
  const json& v = doc.value;
  model::Topology t;
  t.stack = v["stack"].get<std::string>();
  t.primary_region = v["regions"]["primary"].get<std::string>();
  t.dr_region = v["regions"]["dr"].get<std::string>();
  const json& s = v["strategy"];
  t.strategy = s.is_string() ? s.get<std::string>() : s["module"].get<std::string>();
  t.strategy_inputs = std::move(inputs);
  t.objectives = objectives_of(v.value("objectives", json::object()), {});
  if (v.contains("workloads"))
    for (const auto& [name, spec] : v["workloads"].items())
      t.workloads.push_back({name, spec["kind"].get<std::string>(), spec,
                             objectives_of(spec.value("objectives", json::object()), t.objectives),
                             pointer_append("/workloads", name)});
  t.backups = v.value("backups", json());
  if (t.backups.is_object() && !t.backups.contains("copy_to_dr")) t.backups["copy_to_dr"] = true;
  t.notify = v.value("notify", json());
  t.backend = v.value("backend", json());
  t.automation = v.value("automation", json());
  t.document = v;
  t.positions = doc.keys;
  t.files = std::move(files);
  t.config_hash = std::move(hash);
  return t;
}

}  // namespace

Paths default_paths() {
  if (const char* env = std::getenv("DRCTL_DATA_DIR"); env && *env) return paths_under(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      for (const fs::path& root : {dir, dir / "share" / "drctl"})
        if (fs::is_regular_file(root / "schemas" / "topology.schema.json", ec)) return paths_under(root);
      if (dir == dir.root_path()) break;
    }
  }
  return paths_under(DRCTL_SOURCE_DIR);
}

std::optional<model::Topology> load_stack(const std::string& dir, const Paths& paths, model::Diagnostics& diags) {
  const size_t before = diags.size();
  auto errors = [&] {
    for (size_t i = before; i < diags.size(); ++i)
      if (diags[i].severity == model::Severity::error) return true;
    return false;
  };
  const auto files = stack_files(dir);
  if (files.empty()) {
    diags.push_back({model::Severity::error, "no *.dr.yaml files found", "", model::SourceRange{dir, 0, 0}, "", ""});
    return std::nullopt;
  }
  Document merged;
  merged.value = json::object();
  merged.keys[""] = merged.values[""] = {files.front(), 1, 1};
  std::string hashed;
  bool parse_failed = false;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string text = bytes.str();
    const std::string name = fs::path(file).filename().string();
    hashed += name + '\n' + std::to_string(text.size()) + '\n' + text;
    auto doc = load_yaml_text(text, file, diags);
    if (!doc) parse_failed = true;
    if (!doc || doc->value.is_null()) continue;  // an empty file contributes nothing
    if (!doc->value.is_object()) {
      diags.push_back({model::Severity::error, "a stack file must be a mapping at the top level", "",
                       model::SourceRange{file, 1, 1}, "", ""});
      continue;
    }
    merge_into(merged, *doc, diags);
  }
  // Validating what is left of a stack with an unreadable file would only add noise
  // ("missing required field") about keys that are in the broken file.
  if (parse_failed) return std::nullopt;
  auto validator = SchemaValidator::load((fs::path(paths.schemas_dir) / "topology.schema.json").string(), diags);
  if (!validator) return std::nullopt;
  const auto failed = validator->validate(merged, diags);
  check_stack(merged, failed, diags);

  json inputs = json::object();
  const json& strategy = merged.value.value("strategy", json());
  const json name = strategy.is_object() ? strategy.value("module", json()) : strategy;
  if (name.is_string() && !failed.count("/strategy") && !failed.count("/strategy/module")) {
    if (auto module = load_module(name.get<std::string>(), merged, paths, diags))
      if (auto resolved = resolve_inputs(*module, merged, diags)) inputs = std::move(*resolved);
  }
  // Report in reading order, whichever check found the problem.
  std::stable_sort(diags.begin() + static_cast<long>(before), diags.end(), [](const auto& a, const auto& b) {
    const auto key = [](const model::Diagnostic& d) {
      return d.where ? std::tuple(d.where->file, d.where->line, d.where->column) : std::tuple(std::string(), 0, 0);
    };
    return key(a) < key(b);
  });
  if (errors()) return std::nullopt;
  return build(merged, std::move(inputs), files, sha256_hex(hashed));
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

}  // namespace config
