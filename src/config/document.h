// Document: a YAML file read into JSON, remembering where every node was written.
// Owned by config/; other layers only see model::Topology::positions (the key positions).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/diagnostic.h"
#include "model/topology.h"

namespace config {

struct Document {
  nlohmann::json value;  // null for an empty file
  // JSON pointer -> where the node was written. For a mapping member that is its key (so an
  // unknown or misplaced key is shown where the user typed it); otherwise the node itself.
  model::SourceMap keys;
  // JSON pointer -> where the node's value starts (a scalar's first character). Used for
  // "wrong type/value" problems. Falls back to `keys` when absent.
  model::SourceMap values;

  std::optional<model::SourceRange> key_at(const std::string& pointer) const;
  std::optional<model::SourceRange> value_at(const std::string& pointer) const;
};

// Reads and parses one YAML file. Malformed YAML, duplicate keys, unreadable files and
// non-scalar keys become errors in `diags`; the result is nullopt when parsing failed.
// Scalars are typed as YAML 1.2's core schema: unquoted true/false -> bool, integers and
// floats -> numbers, null/~/empty -> null, anything quoted (or tagged !!str) -> string.
std::optional<Document> load_yaml_file(const std::string& path, model::Diagnostics& diags);
// The same for text already in memory; `file` is only used for positions.
std::optional<Document> load_yaml_text(const std::string& text, const std::string& file,
                                       model::Diagnostics& diags);

// JSON pointer helpers. "/workloads/assets/rtc" <-> {"workloads","assets","rtc"}.
std::string pointer_append(const std::string& pointer, std::string_view token);
std::string pointer_append(const std::string& pointer, size_t index);
std::vector<std::string> pointer_tokens(const std::string& pointer);  // unescaped
// "/workloads/assets/rtc" -> "workloads.assets.rtc"; "/backups/select/resources/0" ->
// "backups.select.resources[0]" (decimal tokens under a list are shown as indexes).
std::string field_of(const nlohmann::json& root, const std::string& pointer);

// An error diagnostic for the node at `pointer` (value position when at_value, else key).
model::Diagnostic error_at(const Document& doc, const std::string& pointer, std::string summary,
                           bool at_value = false);

}  // namespace config
