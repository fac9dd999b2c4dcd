#include "resources/json_tagging.h"

#include "resources/common.h"

namespace resources {

using nlohmann::json;

json wire_tags(const JsonTagging& api, const TagMap& tags) {
  json out = json::array();
  for (const auto& [k, v] : tags) out.push_back({{api.key, k}, {api.value, v}});
  return out;
}

TagMap tags_from_wire(const JsonTagging& api, const json& list) {
  TagMap out;
  for (const auto& kv : list.is_array() ? list : json::array()) {
    const auto k = get_string(kv, api.key, "");
    if (!k.empty()) out[k] = get_string(kv, api.value, "");
  }
  return out;
}

aws::Result<TagMap> list_tags(aws::Client& c, const JsonTagging& api, const std::string& region,
                              const std::string& arn) {
  auto r = c.json(*api.service, region, "ListTagsForResource", {{api.arn, arn}});
  if (!r) return model::err(r.error());
  return tags_from_wire(api, r->value(api.tags, json::array()));
}

aws::Result<model::Unit> sync_tags(aws::Client& c, const JsonTagging& api, const std::string& region,
                                   const std::string& arn, const TagMap& want, const TagMap& have) {
  const auto diff = diff_tags(want, have);
  if (!diff.set.empty()) {
    auto r = c.json(*api.service, region, "TagResource", {{api.arn, arn}, {api.tags, wire_tags(api, diff.set)}});
    if (!r) return model::err(r.error());
  }
  if (!diff.remove.empty()) {
    auto r = c.json(*api.service, region, "UntagResource", {{api.arn, arn}, {api.keys, diff.remove}});
    if (!r) return model::err(r.error());
  }
  return model::ok();
}

}  // namespace resources
