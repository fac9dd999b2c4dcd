#include "resources/json_policy.h"

#include <algorithm>

#include "aws/encoding.h"

namespace resources {
namespace {

// A string or a list of strings as a sorted, de-duplicated list; anything else unchanged.
nlohmann::json string_set(const nlohmann::json& v) {
  if (v.is_string()) return nlohmann::json::array({v});
  if (!v.is_array()) return v;
  for (const auto& x : v)
    if (!x.is_string()) return v;
  std::vector<std::string> s = v.get<std::vector<std::string>>();
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

// {"Service": "x"} and {"Service": ["x"]} mean the same; "*" stays a string.
nlohmann::json canonical_map_of_sets(const nlohmann::json& v) {
  if (!v.is_object()) return v;
  nlohmann::json out = nlohmann::json::object();
  for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = string_set(it.value());
  return out;
}

nlohmann::json canonical_statement(const nlohmann::json& st) {
  if (!st.is_object()) return st;
  nlohmann::json out = st;
  for (const char* k : {"Action", "NotAction", "Resource", "NotResource"})
    if (out.contains(k)) out[k] = string_set(out[k]);
  for (const char* k : {"Principal", "NotPrincipal"})
    if (out.contains(k)) out[k] = canonical_map_of_sets(out[k]);
  if (out.contains("Condition") && out["Condition"].is_object()) {
    nlohmann::json c = nlohmann::json::object();
    for (auto it = out["Condition"].begin(); it != out["Condition"].end(); ++it)
      c[it.key()] = canonical_map_of_sets(it.value());
    out["Condition"] = c;
  }
  return out;
}

}  // namespace

std::optional<nlohmann::json> parse_policy_document(const std::string& text) {
  const auto trimmed = aws::trim(text);
  const std::string json_text =
      !trimmed.empty() && trimmed.front() == '{' ? std::string(trimmed) : aws::uri_decode(trimmed);
  try {
    auto j = nlohmann::json::parse(json_text);
    if (!j.is_object()) return std::nullopt;
    return j;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

nlohmann::json canonical_policy(const nlohmann::json& doc) {
  if (!doc.is_object()) return doc;
  nlohmann::json out = doc;
  if (out.contains("Statement")) {
    nlohmann::json st = out["Statement"];
    if (st.is_object()) st = nlohmann::json::array({st});
    if (st.is_array())
      for (auto& s : st) s = canonical_statement(s);
    out["Statement"] = st;
  }
  return out;
}

bool same_policy(const nlohmann::json& a, const nlohmann::json& b) {
  return canonical_policy(a) == canonical_policy(b);
}

nlohmann::json report_policy(const nlohmann::json& live, const nlohmann::json* desired) {
  if (desired && same_policy(live, *desired)) return *desired;
  return live;
}

}  // namespace resources
