#include "report/sarif.h"

#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "model/address.h"

namespace report {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// RFC 3986: keep unreserved characters and '/', percent-encode every other byte.
std::string percent_encode_path(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string message_text(const model::Diagnostic& d) {
  std::string out = d.field.empty() ? d.summary : d.field + ": " + d.summary;
  if (!d.address.empty()) out += " [" + d.address + "]";
  if (!d.detail.empty()) out += "\n" + d.detail;
  return out;
}

std::string category_title(const std::string& category) {
  if (category == "config") return "configuration check";
  if (category == "objectives") return "RTO/RPO objective check";
  if (category == "plan") return "plan check";
  return category + " check";
}

json location(const std::string& file, int line, int column, const std::string& base_dir) {
  json physical = {{"artifactLocation", {{"uri", sarif_uri(file, base_dir)}, {"uriBaseId", "%SRCROOT%"}}}};
  if (line > 0) {
    json region = {{"startLine", line}};
    if (column > 0) region["startColumn"] = column;
    region["endLine"] = line;
    physical["region"] = region;
  }
  return {{"physicalLocation", physical}};
}

}  // namespace

std::string sarif_rule_id(const std::string& category, const model::Diagnostic& d) {
  std::string shape;
  if (!d.field.empty()) {
    auto parts = split(d.field, '.');
    for (size_t i = 0; i < parts.size(); ++i) {
      // The workload's name is the user's word, not a kind of problem.
      if (i == 1 && parts[0] == "workloads") parts[i] = "*";
      // "rules[0]" and "emails.1" alike.
      if (const size_t b = parts[i].find('['); b != std::string::npos) parts[i] = parts[i].substr(0, b) + "[*]";
      if (all_digits(parts[i])) parts[i] = "*";
      shape += (i ? "." : "") + parts[i];
    }
  } else if (!d.address.empty()) {
    const auto addr = model::Address::parse(d.address);
    shape = addr ? addr->type : "resource";
  } else {
    shape = "general";
  }
  return category + "/" + shape;
}

std::string sarif_uri(const std::string& file, const std::string& base_dir) {
  std::error_code ec;
  const fs::path abs = fs::absolute(file, ec).lexically_normal();
  const fs::path base = fs::absolute(base_dir.empty() ? "." : base_dir, ec).lexically_normal();
  const fs::path rel = abs.lexically_relative(base);
  if (!rel.empty() && *rel.begin() != "..") return percent_encode_path(rel.generic_string());
  return "file://" + percent_encode_path(abs.generic_string());
}

json sarif_log(const SarifInput& in) {
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  json results = json::array();
  for (const auto& f : in.findings) {
    const auto& d = f.diagnostic;
    const std::string id = sarif_rule_id(f.category, d);
    const char* level = d.severity == model::Severity::error ? "error" : "warning";
    auto [it, added] = rule_index.try_emplace(id, rules.size());
    if (added)
      rules.push_back({{"id", id},
                       {"shortDescription", {{"text", fmt::format("drctl {}: {}", category_title(f.category),
                                                                  id.substr(id.find('/') + 1))}}},
                       {"defaultConfiguration", {{"level", level}}},
                       {"properties", {{"category", f.category}}}});
    json result = {{"ruleId", id}, {"ruleIndex", it->second}, {"level", level},
                   {"message", {{"text", message_text(d)}}}};
    json locations = json::array();
    if (d.where && !d.where->file.empty())
      locations.push_back(location(d.where->file, d.where->line, d.where->column, in.base_dir));
    else if (!in.fallback_file.empty())
      locations.push_back(location(in.fallback_file, 0, 0, in.base_dir));
    if (!locations.empty()) result["locations"] = locations;
    if (!d.address.empty())
      result["properties"] = {{"address", d.address}};
    results.push_back(result);
  }
  json driver = {{"name", "drctl"},
                 {"version", in.tool_version},
                 {"semanticVersion", in.tool_version},
                 {"rules", rules}};
  return {{"$schema", kSarifSchemaUri},
          {"version", "2.1.0"},
          {"runs", json::array({{{"tool", {{"driver", driver}}}, {"results", results}}})}};
}

}  // namespace report
