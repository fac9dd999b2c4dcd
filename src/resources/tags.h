// Tags as the resource types carry them: a JSON object {key: value} (strings), converted to
// and from each API's wire shape, and the difference between a desired and a live set.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace resources {

using TagMap = std::map<std::string, std::string>;

// Non-string values are dumped as JSON text; a non-object gives {}.
TagMap tag_map(const nlohmann::json& tags);
nlohmann::json tag_json(const TagMap& tags);

struct TagDiff {
  TagMap set;                       // added or changed
  std::vector<std::string> remove;  // present live, not desired
  bool empty() const { return set.empty() && remove.empty(); }
};
TagDiff diff_tags(const TagMap& want, const TagMap& have);

}  // namespace resources
