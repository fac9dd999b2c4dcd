#include "config/document.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace config {

namespace {

model::SourceRange at(const YAML::Mark& m, const std::string& file) {
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

bool is_null_scalar(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// YAML 1.2 core schema resolution of a plain scalar. yaml-cpp gives us the text and
// whether it was quoted; the typing is ours so that `yes`/`on` stay strings (no "Norway").
nlohmann::json plain_scalar(const std::string& s) {
  if (is_null_scalar(s)) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex int_re("[-+]?[0-9]+");
  static const std::regex hex_re("0x[0-9a-fA-F]+");
  static const std::regex oct_re("0o[0-7]+");
  static const std::regex float_re(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  try {
    if (std::regex_match(s, int_re)) return std::stoll(s);
    if (std::regex_match(s, hex_re)) return std::stoll(s.substr(2), nullptr, 16);
    if (std::regex_match(s, oct_re)) return std::stoll(s.substr(2), nullptr, 8);
    if (std::regex_match(s, float_re)) return std::stod(s);
  } catch (const std::exception&) {
    // Out of range for 64-bit: keep the text rather than silently rounding.
  }
  return s;
}

struct Converter {
  std::string file;
  Document& doc;
  model::Diagnostics& diags;

  nlohmann::json convert(const YAML::Node& n, const std::string& pointer, const std::string& field) {
    doc.values[pointer] = at(n.Mark(), file);
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Scalar: {
        const std::string& tag = n.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str") return n.Scalar();
        return plain_scalar(n.Scalar());
      }
      case YAML::NodeType::Sequence: {
        nlohmann::json out = nlohmann::json::array();
        size_t i = 0;
        for (const auto& item : n) {
          const std::string p = pointer_append(pointer, i++);
          doc.keys[p] = at(item.Mark(), file);
          out.push_back(convert(item, p, field + "[" + std::to_string(i - 1) + "]"));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        nlohmann::json out = nlohmann::json::object();
        // yaml-cpp keeps both members of a duplicated key; YAML forbids it and a silent
        // "last one wins" hides mistakes, so each repeat is an error at the repeat.
        std::map<std::string, model::SourceRange> seen;
        for (auto it = n.begin(); it != n.end(); ++it) {
          const auto key_pos = at(it->first.Mark(), file);
          if (!it->first.IsScalar()) {
            diags.push_back({model::Severity::error, "mapping keys must be plain scalars", "",
                             key_pos, "", field});
            continue;
          }
          const std::string key = it->first.Scalar();
          const std::string p = pointer_append(pointer, key);
          const std::string f = field.empty() ? key : field + "." + key;
          if (auto prev = seen.find(key); prev != seen.end()) {
            diags.push_back({model::Severity::error, "duplicate key '" + key + "'",
                             "first defined at line " + std::to_string(prev->second.line), key_pos,
                             "", f});
            continue;
          }
          seen.emplace(key, key_pos);
          doc.keys[p] = key_pos;
          nlohmann::json v = convert(it->second, p, f);
          // An empty value (`key:`) has no mark of its own; point at the key.
          if (v.is_null()) doc.values[p] = key_pos;
          out[key] = std::move(v);
        }
        return out;
      }
    }
    return nullptr;
  }
};

}  // namespace

std::optional<model::SourceRange> Document::key_at(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = keys.find(p); it != keys.end()) return it->second;
    if (p.empty()) return std::nullopt;
    const auto slash = p.rfind('/');
    p = slash == std::string::npos ? std::string() : p.substr(0, slash);
  }
}

std::optional<model::SourceRange> Document::value_at(const std::string& pointer) const {
  if (auto it = values.find(pointer); it != values.end() && it->second.line > 0) return it->second;
  return key_at(pointer);
}

namespace {

// Where the first byte that is not well-formed UTF-8 (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF) sits, or npos. YAML files are UTF-8, and the JSON Schema validator
// reads strings as UTF-8 without checking (a truncated sequence made it read out of bounds:
// found by the config_stack fuzzer).
size_t first_invalid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b < 0x80) { ++i; continue; }
    if (b >= 0xC2 && b <= 0xDF) len = 2;
    else if (b >= 0xE0 && b <= 0xEF) { len = 3; if (b == 0xE0) lo = 0xA0; if (b == 0xED) hi = 0x9F; }
    else if (b >= 0xF0 && b <= 0xF4) { len = 4; if (b == 0xF0) lo = 0x90; if (b == 0xF4) hi = 0x8F; }
    else return i;
    if (i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<Document> load_yaml_text(const std::string& text, const std::string& file,
                                       model::Diagnostics& diags) {
  if (const size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    const size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n'));
    const int col = 1 + static_cast<int>(line_start == std::string::npos || bad == 0 ? bad : bad - line_start - 1);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad]));
    diags.push_back({model::Severity::error,
                     std::string("invalid UTF-8 (byte ") + byte + "): YAML files must be UTF-8", "",
                     model::SourceRange{file, line, col}, "", ""});
    return std::nullopt;
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diags.push_back({model::Severity::error, "malformed YAML: " + e.msg, "", at(e.mark, file), "", ""});
    return std::nullopt;
  }
  Document doc;
  doc.keys[""] = {file, 1, 1};
  const size_t before = diags.size();
  try {
    Converter c{file, doc, diags};
    doc.value = c.convert(root, "", "");
  } catch (const YAML::Exception& e) {
    diags.push_back({model::Severity::error, "malformed YAML: " + e.msg, "", at(e.mark, file), "", ""});
    return std::nullopt;
  }
  doc.values[""] = {file, 1, 1};
  if (diags.size() != before) return std::nullopt;
  return doc;
}

std::optional<Document> load_yaml_file(const std::string& path, model::Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.push_back({model::Severity::error, "cannot read file", "", model::SourceRange{path, 0, 0}, "", ""});
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return load_yaml_text(ss.str(), path, diags);
}

std::string pointer_append(const std::string& pointer, std::string_view token) {
  std::string out = pointer + "/";
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_append(const std::string& pointer, size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::vector<std::string> pointer_tokens(const std::string& pointer) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < pointer.size()) {
    size_t next = pointer.find('/', pos + 1);
    if (next == std::string::npos) next = pointer.size();
    const std::string token = pointer.substr(pos + 1, next - pos - 1);
    std::string unescaped;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        unescaped += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        unescaped += token[i];
      }
    }
    out.push_back(std::move(unescaped));
    pos = next;
  }
  return out;
}

std::string field_of(const nlohmann::json& root, const std::string& pointer) {
  std::string out;
  const nlohmann::json* node = &root;
  for (const auto& unescaped : pointer_tokens(pointer)) {
    if (node && node->is_array()) {
      out += "[" + unescaped + "]";
      const size_t idx = std::strtoul(unescaped.c_str(), nullptr, 10);
      node = idx < node->size() ? &(*node)[idx] : nullptr;
    } else {
      if (!out.empty()) out += ".";
      out += unescaped;
      node = node && node->is_object() && node->contains(unescaped) ? &(*node)[unescaped] : nullptr;
    }
  }
  return out;
}

model::Diagnostic error_at(const Document& doc, const std::string& pointer, std::string summary,
                           bool at_value) {
  model::Diagnostic d;
  d.summary = std::move(summary);
  d.where = at_value ? doc.value_at(pointer) : doc.key_at(pointer);
  d.field = field_of(doc.value, pointer);
  return d;
}

}  // namespace config
