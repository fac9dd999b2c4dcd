#include "resources/capacity_common.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "aws/pagination.h"
#include "resources/common.h"

namespace resources::capacity {

using nlohmann::json;

void add_member_list(aws::Params& p, const std::string& name, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) p.emplace_back(name + ".member." + std::to_string(i + 1), values[i]);
}

void add_tag_list(aws::Params& p, const std::string& name, const TagMap& tags) {
  int i = 1;
  for (const auto& [k, v] : tags) {
    const auto prefix = name + ".member." + std::to_string(i++);
    p.emplace_back(prefix + ".Key", k);
    p.emplace_back(prefix + ".Value", v);
  }
}

TagMap managed_tags(const TagMap& live, const json& desired_attrs) {
  const TagMap wanted = tag_map(desired_attrs.is_object() ? desired_attrs.value("tags", json::object()) : json::object());
  TagMap out;
  for (const auto& [k, v] : live)
    if (k.rfind("drctl:", 0) == 0 || wanted.count(k)) out[k] = v;
  return out;
}

json number(double v) {
  // Integral and within long long: an integer, so 300.0 and 300 are the same JSON text too.
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15) return json(static_cast<long long>(v));
  return json(v);
}

json number_text(const std::string& text) {
  if (text.empty()) return nullptr;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return nullptr;
  return number(v);
}

json order_like(const json& live, const json& want) {
  if (!live.is_array()) return json::array();
  json out = json::array();
  std::vector<bool> used(live.size(), false);
  if (want.is_array())
    for (const auto& w : want)
      for (size_t i = 0; i < live.size(); ++i)
        if (!used[i] && live[i] == w) {
          used[i] = true;
          out.push_back(live[i]);
          break;
        }
  for (size_t i = 0; i < live.size(); ++i)
    if (!used[i]) out.push_back(live[i]);
  return out;
}

aws::Result<pugi::xml_node> call_query(aws::Client& c, const aws::Service& s, const std::string& region,
                                       const std::string& action, const aws::Params& p, aws::XmlDoc& keep) {
  auto doc = c.query(s, region, action, p);
  if (!doc) return model::err(doc.error());
  keep = *doc;
  if (!keep) return model::err(local_error("MalformedResponse", "the reply is not XML", s.id, action));
  return aws::query_result(keep, action);
}

std::vector<std::vector<std::string>> chunks(const std::vector<std::string>& items, size_t n) {
  std::vector<std::vector<std::string>> out;
  for (size_t i = 0; i < items.size(); i += n)
    out.emplace_back(items.begin() + i, items.begin() + std::min(items.size(), i + n));
  return out;
}

}  // namespace resources::capacity
