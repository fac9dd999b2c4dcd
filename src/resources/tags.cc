#include "resources/tags.h"

#include "resources/common.h"

namespace resources {

TagMap tag_map(const nlohmann::json& tags) {
  TagMap m;
  if (!tags.is_object()) return m;
  for (auto it = tags.begin(); it != tags.end(); ++it)
    m[it.key()] = it->is_string() ? it->get<std::string>() : json_text(*it);
  return m;
}

nlohmann::json tag_json(const TagMap& tags) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : tags) j[k] = v;
  return j;
}

TagDiff diff_tags(const TagMap& want, const TagMap& have) {
  TagDiff d;
  for (const auto& [k, v] : want) {
    auto it = have.find(k);
    if (it == have.end() || it->second != v) d.set[k] = v;
  }
  for (const auto& [k, _] : have)
    if (!want.count(k)) d.remove.push_back(k);
  return d;
}

}  // namespace resources
