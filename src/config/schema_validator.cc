#include "config/schema_validator.h"

#include <fstream>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace config {

namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "list";
    case json::value_t::object: return "mapping";
    default: return "value";
  }
}

std::string schema_type_name(const std::string& t) {
  if (t == "object") return "mapping";
  if (t == "array") return "list";
  return t;
}

std::string show(const json& v) {
  if (v.is_string()) return "'" + v.get<std::string>() + "'";
  return v.dump();
}

// Resolves "#/definitions/x" style local references.
const json* resolve(const json& root, const json* s) {
  for (int guard = 0; s && s->is_object() && s->contains("$ref") && guard < 32; ++guard) {
    const std::string ref = (*s)["$ref"].get<std::string>();
    if (ref.rfind("#", 0) != 0) return s;
    try {
      s = &root.at(json::json_pointer(ref.substr(1)));
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  return s;
}

// The small subset of `if` we use: properties with const/enum, and required.
bool if_matches(const json& cond, const json& instance) {
  if (!instance.is_object()) return !cond.contains("required");
  if (cond.contains("required"))
    for (const auto& r : cond["required"])
      if (!instance.contains(r.get<std::string>())) return false;
  if (cond.contains("properties"))
    for (const auto& [k, sub] : cond["properties"].items()) {
      if (!instance.contains(k)) continue;
      const json& v = instance[k];
      if (sub.contains("const") && sub["const"] != v) return false;
      if (sub.contains("enum") && std::find(sub["enum"].begin(), sub["enum"].end(), v) == sub["enum"].end())
        return false;
    }
  return true;
}

// Every schema that applies to `instance`: the schema itself, its allOf members and the
// conditional branches that match. Most specific last.
void applicable(const json& root, const json* s, const json& instance, std::vector<const json*>& out) {
  s = resolve(root, s);
  if (!s || !s->is_object()) return;
  out.push_back(s);
  if (s->contains("allOf"))
    for (const auto& sub : (*s)["allOf"]) applicable(root, &sub, instance, out);
  if (s->contains("if")) {
    if (if_matches((*s)["if"], instance)) {
      if (s->contains("then")) applicable(root, &(*s)["then"], instance, out);
    } else if (s->contains("else")) {
      applicable(root, &(*s)["else"], instance, out);
    }
  }
}

// The schemas that apply to the node at `pointer`.
std::vector<const json*> schemas_at(const json& root, const json& doc, const std::string& pointer) {
  std::vector<const json*> current;
  applicable(root, &root, doc, current);
  const json* node = &doc;
  if (pointer.empty()) return current;
  for (const auto& token : pointer_tokens(pointer)) {
    std::vector<const json*> next;
    const json* child = nullptr;
    if (node && node->is_object() && node->contains(token)) child = &(*node)[token];
    if (node && node->is_array()) {
      const size_t i = std::strtoul(token.c_str(), nullptr, 10);
      if (i < node->size()) child = &(*node)[i];
    }
    static const json kNull;
    const json& inst = child ? *child : kNull;
    for (const json* s : current) {
      if (node && node->is_object()) {
        if (s->contains("properties") && (*s)["properties"].contains(token))
          applicable(root, &(*s)["properties"][token], inst, next);
        else if (s->contains("additionalProperties") && (*s)["additionalProperties"].is_object())
          applicable(root, &(*s)["additionalProperties"], inst, next);
      } else if (node && node->is_array() && s->contains("items") && (*s)["items"].is_object()) {
        applicable(root, &(*s)["items"], inst, next);
      }
    }
    current = std::move(next);
    node = child;
  }
  return current;
}

// The last (most specific) value of `key` among the schemas.
const json* find_keyword(const std::vector<const json*>& schemas, const char* key) {
  for (auto it = schemas.rbegin(); it != schemas.rend(); ++it)
    if ((*it)->contains(key)) return &(**it)[key];
  return nullptr;
}

std::string join(const json& values, const char* sep = ", ") {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += sep;
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out;
}

std::string quoted_tail(const std::string& s) {
  const auto end = s.rfind('\'');
  if (end == std::string::npos || end == 0) return "";
  const auto start = s.rfind('\'', end - 1);
  if (start == std::string::npos) return "";
  return s.substr(start + 1, end - start - 1);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::optional<SchemaValidator> SchemaValidator::load(const std::string& path, model::Diagnostics& diags) {
  std::ifstream in(path);
  if (!in) {
    diags.push_back({model::Severity::error, "cannot read schema", "", model::SourceRange{path, 0, 0}, "", ""});
    return std::nullopt;
  }
  json schema;
  try {
    schema = json::parse(in);
  } catch (const json::exception& e) {
    diags.push_back({model::Severity::error, "schema is not valid JSON", e.what(), model::SourceRange{path, 0, 0}, "", ""});
    return std::nullopt;
  }
  return from_json(std::move(schema), path, diags);
}

std::optional<SchemaValidator> SchemaValidator::from_json(json schema, const std::string& name,
                                                          model::Diagnostics& diags) {
  SchemaValidator v;
  v.schema_json_ = std::move(schema);
  auto compiled = std::make_shared<valijson::Schema>();
  try {
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(v.schema_json_);
    parser.populateSchema(adapter, *compiled);
  } catch (const std::exception& e) {
    diags.push_back({model::Severity::error, "invalid JSON Schema", e.what(), model::SourceRange{name, 0, 0}, "", ""});
    return std::nullopt;
  }
  v.schema_ = std::move(compiled);
  return v;
}

std::set<std::string> SchemaValidator::validate(const Document& doc, model::Diagnostics& diags) const {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc.value);
  validator.validate(*schema_, target, &results);

  std::set<std::string> failed;
  std::set<std::pair<std::string, std::string>> seen;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    // valijson reports each failure once at the leaf and again on every enclosing
    // combinator ("Failed to validate against ..."); only the leaves say something useful.
    if (starts_with(e.description, "Failed to validate") || starts_with(e.description, "Cannot validate"))
      continue;
    // Context: "<root>", "[workloads]", "[assets]" ... -> JSON pointer.
    std::string pointer;
    const json* node = &doc.value;
    for (size_t i = 1; i < e.context.size(); ++i) {
      std::string token = e.context[i];
      if (token.size() >= 2 && token.front() == '[' && token.back() == ']') token = token.substr(1, token.size() - 2);
      if (node && node->is_array()) {
        const size_t idx = std::strtoul(token.c_str(), nullptr, 10);
        pointer = pointer_append(pointer, idx);
        node = idx < node->size() ? &(*node)[idx] : nullptr;
      } else {
        pointer = pointer_append(pointer, token);
        node = node && node->is_object() && node->contains(token) ? &(*node)[token] : nullptr;
      }
    }
    static const json kNull;
    const json& value = node ? *node : kNull;
    const auto schemas = schemas_at(schema_json_, doc.value, pointer);
    const json* title = find_keyword(schemas, "title");
    const std::string what = title && title->is_string() ? title->get<std::string>() : "value";
    const json* description = find_keyword(schemas, "description");

    model::Diagnostic d;
    std::string at_pointer = pointer;
    if (starts_with(e.description, "Object contains a property")) {
      const std::string key = quoted_tail(e.description);
      at_pointer = pointer_append(pointer, key);
      d = error_at(doc, at_pointer, "unknown key '" + key + "'");
      json allowed = json::array();
      for (const json* s : schemas)
        if (s->contains("properties") && s->value("additionalProperties", json(true)) == json(false))
          for (const auto& [k, _] : (*s)["properties"].items()) allowed.push_back(k);
      if (!allowed.empty()) d.detail = "allowed here: " + join(allowed);
    } else if (starts_with(e.description, "Missing required property")) {
      const std::string key = quoted_tail(e.description);
      d = error_at(doc, pointer, "missing required field '" + key + "'");
      d.field = field_of(doc.value, pointer_append(pointer, key));
    } else if (starts_with(e.description, "Value type not permitted")) {
      std::string expected;
      if (const json* t = find_keyword(schemas, "type")) {
        if (t->is_string()) expected = schema_type_name(t->get<std::string>());
        else
          for (const auto& x : *t) expected += (expected.empty() ? "" : " or ") + schema_type_name(x.get<std::string>());
      }
      d = error_at(doc, pointer, "expected " + expected + ", got " + type_name(value), true);
      if (expected == "boolean" && value.is_string()) d.detail = "write true or false, unquoted";
      if (expected == "string" && !value.is_string() && !value.is_structured())
        d.detail = "quote the value to make it a string";
    } else if (starts_with(e.description, "Failed to match against any enum")) {
      const json* values = find_keyword(schemas, "enum");
      d = error_at(doc, pointer, (what == "value" ? std::string("unexpected value ") : "unknown " + what + " ") + show(value), true);
      if (values) d.detail = "expected one of: " + join(*values);
    } else if (starts_with(e.description, "Failed to match expected value set by 'const'")) {
      const json* c = find_keyword(schemas, "const");
      d = error_at(doc, pointer, "expected " + (c ? show(*c) : std::string("a fixed value")) + ", got " + show(value), true);
    } else if (starts_with(e.description, "Failed to match regex")) {
      d = error_at(doc, pointer, "invalid " + what + " " + show(value), true);
      if (description && description->is_string()) d.detail = "expected " + description->get<std::string>();
    } else {
      // Lengths, item counts, bounds: valijson's own wording is clear enough.
      std::string text = e.description;
      if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
      if (!text.empty() && text.back() == '.') text.pop_back();
      d = error_at(doc, pointer, text, true);
    }
    if (!seen.emplace(d.field, d.summary).second) continue;
    failed.insert(at_pointer);
    diags.push_back(std::move(d));
  }
  return failed;
}

}  // namespace config
